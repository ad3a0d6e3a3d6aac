"""Phase 1: choose each case's people and fix its timeline, before anything is written."""

from __future__ import annotations

import datetime as dt
import random

from safeguard.demo.cases.catalogue import NOTICE_CASES, RO_CASES, SPO_CASES
from safeguard.demo.cases.common import (
    LONDON,
    SPA_COMMENCEMENT,
    Case,
    Event,
    at,
    court_day,
    previous_court_day,
    suspect_id,
)
from safeguard.demo.population import Population
from safeguard.demo.reports import Dyad, ReportPlanner
from safeguard.orders.models import (
    AppealOutcome,
    Appellant,
    Applicant,
)
from safeguard.rules.calendar import DEFAULT_CALENDAR
from safeguard.rules.clock import compute_deadlines, end_of_period_beginning_with
from safeguard.rules.orders import ORDER_TYPES


class CasePlanner:
    def __init__(
        self,
        rng: random.Random,
        planner: ReportPlanner,
        population: Population,
        now: dt.datetime,
    ) -> None:
        self.rng = rng
        self.planner = planner
        self.population = population
        self.now = now
        self.today = now.date()
        self.used: list[int] = []  # suspect identity ids already given an order
        self.cases: list[Case] = []
        self._pool = [
            d
            for d in planner.dyads
            if d.kind in ("repeat", "serial") and d.suspect is not None and len(d.reports) >= 2
        ]

    # --- Helpers ----------------------------------------------------------------------------

    def ago(self, lo: int, hi: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(lo, hi))

    def hours(self, start: dt.datetime, lo: float, hi: float) -> dt.datetime:
        return start + dt.timedelta(minutes=self.rng.randint(int(lo * 60), int(hi * 60)))

    def office_hours(self, start: dt.datetime, lo: int, hi: int) -> dt.datetime:
        """A time in working hours (09:00 to 17:00) between lo and hi court days after start."""
        day = start.date()
        for _ in range(self.rng.randint(lo, hi)):
            day = court_day(day + dt.timedelta(days=1))
        return at(day, self.rng.randint(9, 16), self.rng.randint(0, 59))

    def _take(self, dyad: Dyad) -> Dyad:
        assert dyad.suspect is not None
        self.used.append(dyad.suspect.id)
        return dyad

    def window_dyad(self, before: dt.datetime, relationships: tuple[str, ...] = ()) -> Dyad:
        """An unused repeat suspect whose second report came at least a week before `before`;
        failing that (a small demo), a new suspect and victim with older reports."""
        candidates = [
            d
            for d in self._pool
            if suspect_id(d) not in self.used
            and sorted(r.reported_at for r in d.reports)[1] <= before - dt.timedelta(days=7)
            and (not relationships or d.relationship in relationships)
        ]
        if candidates:
            return self._take(self.rng.choice(candidates))
        return self.history_dyad(before, relationship=relationships[0] if relationships else "")

    def history_dyad(
        self, before: dt.datetime, relationship: str = "", reuse: bool = False
    ) -> Dyad:
        """Reports from before the force-year for a case that began earlier. With `reuse`, the
        suspect is one who offends again in the year (the order did not end the risk)."""
        rng = self.rng
        dyad = None
        if reuse:
            fresh = [d for d in self._pool if suspect_id(d) not in self.used]
            if fresh:
                dyad = self._take(rng.choice(fresh))
        if dyad is None:
            suspect = self.population.new(role="suspect")
            victim = self.population.new(role="victim", near=suspect.address.district)
            dyad = self.planner.dyad(suspect, victim, relationship or "ex_partner", "case")
            self.used.append(suspect.id)
        first = rng.randint(30, 200)
        for days in sorted((rng.randint(8, first) for _ in range(rng.randint(2, 3))), reverse=True):
            day = (before - dt.timedelta(days=days)).date()
            spec = self.planner.add_report(
                dyad,
                self.planner.moment(day),
                purpose="history",
                offence=rng.choice(("8Q", "8Q", "8L")),
            )
            spec.reported_at = min(spec.reported_at, before - dt.timedelta(days=7))
        return dyad

    def notice_dyad(self, issued: dt.datetime) -> Dyad:
        """A domestic abuse case: a known former or current partner where there is one."""
        rng = self.rng
        if rng.random() < 0.6:
            dyad = self.window_dyad(issued, ("ex_partner", "partner"))
        else:
            suspect = self.population.new(role="suspect", sex="M" if rng.random() < 0.85 else "F")
            victim = self.population.new(
                role="victim", address=suspect.address, sex="F" if suspect.sex == "M" else "M"
            )
            dyad = self.planner.dyad(suspect, victim, "partner", "case")
            self.used.append(suspect.id)
        # The incident that led to the notice, reported a few hours before it was given.
        self.planner.add_report(
            dyad,
            self.hours(issued, -9, -2),
            purpose="trigger",
            offence=rng.choice(("8N", "8N", "CCB")),
        )
        return dyad

    def breach(
        self,
        case: Case,
        lo: dt.datetime,
        hi: dt.datetime,
        *,
        offence: str | None,
        arrest_within: tuple[float, float] = (1, 30),
    ) -> None:
        """A breach between lo and hi, with the new report it produced (criminal breaches)."""
        rng = self.rng
        span = max(1, int((hi - lo).total_seconds() // 60))
        occurred = lo + dt.timedelta(minutes=rng.randint(0, span))
        report = None
        if offence:
            report = self.planner.add_report(
                case.dyad,
                min(self.hours(occurred, 0.5, 20), self.now),
                purpose="breach",
                offence=offence,
            )
        arrested = (
            self.hours(occurred, *arrest_within) if rng.random() < 0.7 or not offence else None
        )
        if arrested and arrested > self.now:
            arrested = None
        case.events.append(Event(occurred, "breach", {"report": report, "arrested": arrested}))

    def notify_events(self, case: Case, served: dt.datetime, how: str) -> None:
        """The initial notification, made on time, late, or not at all (due / overdue)."""
        rng = self.rng
        due = served.date() + dt.timedelta(days=2)  # 3 days beginning with the day of service
        if how == "on_time":
            when = min(self.hours(served, 2, 50), at(due, 20))
        elif how == "late":
            when = at(due + dt.timedelta(days=rng.randint(1, 8)), rng.randint(9, 18))
        else:
            return  # due or overdue: not made
        case.events.append(Event(when, "notify", {}))

    def change_events(
        self, case: Case, lo: dt.date, how: str, kind: str = "address_changed"
    ) -> None:
        rng = self.rng
        hi = self.today - dt.timedelta(days=4 if how == "overdue" else 12)
        day = lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
        changed = at(day, rng.randint(8, 20))
        notified = None
        if how == "on_time":
            notified = self.hours(changed, 3, 40)
        elif how == "late":
            notified = at(day + dt.timedelta(days=rng.randint(4, 9)), rng.randint(9, 18))
        case.events.append(Event(changed, "change", {"kind": kind, "notified": notified}))

    # --- The plan ---------------------------------------------------------------------------

    def plan(self) -> list[Case]:
        for state, opts in SPO_CASES:
            self.cases.append(self.plan_spo(state, dict(opts)))
        for order_type, notice_state, order_state, opts in NOTICE_CASES:
            self.cases.append(self.plan_notice(order_type, notice_state, order_state, dict(opts)))
        for order_type, ro_state, opts in RO_CASES:
            self.cases.append(self.plan_ro(order_type, ro_state, dict(opts)))
        return self.cases

    def plan_spo(self, state: str, opts: dict) -> Case:
        rng, today = self.rng, self.today
        t: dict = {}
        historic = False
        if opts.get("builder") or opts.get("review"):
            self._application_times(t, opts)
        elif state == "draft" or (state == "withdrawn" and opts.get("from_draft")):
            t["created"] = at(self.ago(1, 20), 11)
            if state == "withdrawn":
                t["withdrawn"] = self.hours(t["created"], 24, 24 * 10)
        elif state == "applied":
            if opts.get("adjourned"):
                t["applied"] = at(self.ago(45, 70), 10)
                t["hearing"] = at(
                    court_day(t["applied"].date() + dt.timedelta(days=rng.randint(14, 21))), 10
                )
                t["hearing2"] = at(court_day(today + dt.timedelta(days=rng.randint(5, 20))), 10)
            elif opts.get("interim") in ("in_force", "refused"):
                t["applied"] = at(self.ago(12, 35), 9)
                t["interim_hearing"] = at(
                    court_day(t["applied"].date() + dt.timedelta(days=rng.randint(1, 3))), 14
                )
                t["hearing"] = at(court_day(today + dt.timedelta(days=rng.randint(10, 30))), 10)
                t["interim_ends"] = t["hearing"].date() + dt.timedelta(days=14)
            elif opts.get("interim") == "applied":
                t["applied"] = at(self.ago(1, 3), 9)
                t["interim_hearing"] = at(court_day(today + dt.timedelta(days=1)), 10)
                t["hearing"] = at(court_day(today + dt.timedelta(days=rng.randint(14, 28))), 10)
            else:
                t["applied"] = at(self.ago(3, 25), 10)
                t["hearing"] = at(court_day(today + dt.timedelta(days=rng.randint(3, 21))), 10)
        else:
            # Decided: when, relative to today.
            if state == "expired":
                latest = today - dt.timedelta(days=2 * 365 + 20)
                made = max(
                    SPA_COMMENCEMENT + dt.timedelta(days=14),
                    latest - dt.timedelta(days=rng.randint(0, 180)),
                )
                made = court_day(min(made, latest))
                historic = True
            elif opts.get("renew"):
                made = court_day(self.ago(680, 715))
                historic = True
            elif opts.get("notify") == "due":
                made = previous_court_day(today - dt.timedelta(days=1))
            elif opts.get("notify") == "overdue":
                made = court_day(self.ago(8, 20))
            elif opts.get("interim") == "ended":
                made = court_day(self.ago(90, 200))
            elif state in ("discharged", "quashed") or opts.get("vary") or opts.get("appeal"):
                made = court_day(self.ago(200, 320))
            else:
                made = court_day(self.ago(30, 300))
            t["decided"] = at(made, rng.randint(10, 15))
            t["applied"] = at(made - dt.timedelta(days=rng.randint(14, 40)), 9)
            t["hearing"] = at(made, 10)
            if opts.get("interim") == "ended":
                t["interim_hearing"] = at(court_day(t["applied"].date() + dt.timedelta(days=2)), 14)
                t["interim_ends"] = made + dt.timedelta(days=30)
            if state in ("in_force", "expired", "discharged", "quashed"):
                if opts.get("notify") == "due":
                    t["served"] = at(today, 9, rng.randint(0, 59))
                elif rng.random() < 0.5 or opts.get("interim") or opts.get("notify") == "overdue":
                    t["served"] = t["decided"] + dt.timedelta(minutes=30)  # in court
                else:
                    t["served"] = at(
                        made + dt.timedelta(days=rng.randint(1, 6)), rng.randint(9, 19)
                    )
        if historic:
            dyad = self.history_dyad(t["applied"], reuse=rng.random() < 0.5)
            dyads = [dyad]
        else:
            before = t.get("created") or t["applied"]
            dyad = self.window_dyad(before)
            dyads = [dyad]
            if opts.get("two_victims"):
                others = [
                    d
                    for d in self.planner.dyads
                    if d.suspect is dyad.suspect
                    and d is not dyad
                    and d.reports[0].reported_at < before
                ]
                if others:
                    dyads.append(others[0])
                else:
                    victim = self.population.new(role="victim", near=dyad.victim.address.district)
                    extra = self.planner.dyad(dyad.suspect, victim, "acquaintance", "case")
                    self.planner.add_report(
                        extra,
                        before - dt.timedelta(days=rng.randint(8, 40)),
                        purpose="history",
                        offence="8Q",
                    )
                    dyads.append(extra)
        case = Case(f"spo-{state}", "spo", state, dyads, opts, t)
        if "decided" in t:
            self._spo_events(case)
        return case

    def _application_times(self, t: dict, opts: dict) -> None:
        """An application prepared with the builder: started (`created`), sent for legal review
        (`review_requested`), and the adviser's decision (`review_decided`); once approved it is
        made to the court then (`applied`), for a hearing the court has listed (`hearing`)."""
        rng, latest = self.rng, self.now - dt.timedelta(hours=2)
        review = opts.get("review")
        if review is None:
            t["created"] = at(self.ago(2, 9), 10, rng.randint(0, 59))
            return
        days = {"pending": (8, 20), "changes_requested": (15, 30), "approved": (25, 40)}[review]
        t["created"] = at(self.ago(*days), 10, rng.randint(0, 59))
        t["review_requested"] = min(self.office_hours(t["created"], 2, 6), latest)
        if review != "pending":
            t["review_decided"] = min(self.office_hours(t["review_requested"], 1, 3), latest)
        if review == "approved":
            t["applied"] = t["review_decided"]
        if review == "approved" or opts.get("hearing_listed"):
            day = self.today + dt.timedelta(days=rng.randint(10, 28))
            t["hearing"] = at(court_day(day), 10)

    def _spo_events(self, case: Case) -> None:
        rng, t, opts = self.rng, case.t, case.opts
        made = t["decided"].date()
        if case.state == "expired" or opts.get("renew"):
            t["ends_on"] = end_of_period_beginning_with(made, years=2)
        elif opts.get("ufo") or rng.random() < 0.3:
            t["ufo"] = True
        else:
            t["ends_on"] = end_of_period_beginning_with(made, years=rng.choice((2, 3, 5)))
        served = t.get("served")
        if served is None:
            return
        if not opts.get("interim"):
            self.notify_events(case, served, opts.get("notify", "on_time"))
        last = self.now - dt.timedelta(days=2)
        if case.state == "expired":
            last = at(t["ends_on"], 12) - dt.timedelta(days=10)
        if opts.get("vary"):
            applied = made + dt.timedelta(days=rng.randint(60, 110))
            case.events.append(
                Event(
                    at(applied, 9),
                    "vary",
                    {"decided": court_day(applied + dt.timedelta(days=rng.randint(14, 28)))},
                )
            )
        if opts.get("address_change"):
            self.change_events(case, made + dt.timedelta(days=20), opts["address_change"])
        if opts.get("renew"):
            decided = court_day(self.today - dt.timedelta(days=rng.randint(20, 40)))
            case.events.append(
                Event(
                    at(decided - dt.timedelta(days=30), 9),
                    "renew",
                    {
                        "decided": decided,
                        "new_ends_on": end_of_period_beginning_with(made, years=5),
                    },
                )
            )
        for _ in range(opts.get("breaches", 0)):
            self.breach(case, served + dt.timedelta(days=20), last, offence="8SPO")
        if opts.get("appeal") == "dismissed" or case.state == "quashed":
            lodged = made + dt.timedelta(days=rng.randint(7, 20))
            decided = court_day(lodged + dt.timedelta(days=rng.randint(40, 90)))
            outcome = AppealOutcome.ALLOWED if case.state == "quashed" else AppealOutcome.DISMISSED
            case.events.append(
                Event(
                    at(lodged, 10),
                    "appeal",
                    {"appellant": Appellant.DEFENDANT, "decided": decided, "outcome": outcome},
                )
            )
        if case.state == "discharged":
            applied = made + dt.timedelta(days=rng.randint(100, 150))
            case.events.append(
                Event(
                    at(applied, 9),
                    "discharge",
                    {
                        "decided": court_day(applied + dt.timedelta(days=rng.randint(14, 28))),
                        "applicant": Applicant.DEFENDANT,
                        "consents": True,
                    },
                )
            )

    def plan_notice(
        self, order_type: str, notice_state: str, state: str | None, opts: dict
    ) -> Case:
        rng = self.rng
        notice_type = ORDER_TYPES[order_type].follows_notice
        assert notice_type is not None
        t: dict = {}
        if notice_state in ("draft", "withdrawn"):
            t["created"] = at(self.ago(0, 1) if notice_state == "draft" else self.ago(10, 120), 2)
            t["created"] = min(t["created"], self.now - dt.timedelta(hours=3))
            if notice_state == "withdrawn":
                t["withdrawn"] = self.hours(t["created"], 1, 3)
            dyad = self.notice_dyad(t["created"] + dt.timedelta(hours=1))
            return Case(f"{notice_type}-{notice_state}", order_type, notice_state, [dyad], opts, t)
        night = rng.choice((1, 2, 3, 21, 22, 23))
        if state == "applied":
            issued = self.now - dt.timedelta(hours=rng.randint(8, 20))
        elif state == "in_force" and order_type == "dvpo":
            issued = at(self.ago(4, 10), night)  # a DVPO lasts 28 days at most
        elif state == "in_force":
            issued = at(self.ago(90, 250), night)
        elif state == "expired" and order_type == "dapo":
            issued = at(self.ago(200, 330), night)
        elif state == "discharged":
            issued = at(self.ago(120, 300), night)
        else:
            issued = at(self.ago(40, 300), night)
        issued = issued.astimezone(dt.UTC).astimezone(LONDON)
        t["issued"] = issued
        event = ORDER_TYPES[notice_type].clock_events["issued"]
        deadline = compute_deadlines(event, issued)[0].due
        t["deadline"] = deadline
        t["applied"] = self.hours(issued, 2, 6)
        # The first court sitting (10:00, Monday to Saturday) that is inside the deadline.
        day = issued.date() + dt.timedelta(days=1)
        while day.weekday() == 6 or DEFAULT_CALENDAR.is_bank_holiday(day):
            day += dt.timedelta(days=1)
        hearing = at(day, 10)
        if state == "applied":  # not heard yet: the next sitting after today
            day = self.today + dt.timedelta(days=1)
            while day.weekday() == 6 or DEFAULT_CALENDAR.is_bank_holiday(day):
                day += dt.timedelta(days=1)
            hearing = at(day, 10)
        if hearing >= deadline:
            hearing = deadline - dt.timedelta(hours=3)
        t["hearing"] = hearing
        dyad = self.notice_dyad(issued)
        case = Case(
            f"{notice_type}-{notice_state}/{order_type}-{state}",
            order_type,
            state or notice_state,
            [dyad],
            opts,
            t,
        )
        case.opts["notice_state"] = notice_state
        if opts.get("notice_breach"):
            self.breach(
                case,
                issued + dt.timedelta(hours=2),
                min(hearing, deadline) - dt.timedelta(hours=4),
                offence=None,
                arrest_within=(0.5, 2),
            )
        if state in ("in_force", "expired", "discharged"):
            made = hearing.date()
            t["decided"] = hearing + dt.timedelta(minutes=rng.randint(20, 90))
            if order_type == "dvpo":
                t["ends_on"] = end_of_period_beginning_with(made, days=rng.choice((14, 21, 28)))
                if state == "in_force":
                    t["ends_on"] = end_of_period_beginning_with(made, days=28)
            elif opts.get("ufo"):
                t["ufo"] = True
            elif state == "expired":
                t["ends_on"] = made + dt.timedelta(days=rng.choice((90, 120, 180)))
            else:
                t["ends_on"] = end_of_period_beginning_with(made, months=12)
            t["served"] = t["decided"] + dt.timedelta(minutes=20)
            last = min(
                self.now, at(t["ends_on"], 12) if t.get("ends_on") else self.now
            ) - dt.timedelta(days=1)
            if order_type == "dapo":
                # DAA 2021 s.41: 3 days beginning with the day the order is made.
                self.notify_events(case, at(made, 12), opts.get("notify", "on_time"))
            if opts.get("address_change"):
                self.change_events(case, made + dt.timedelta(days=10), opts["address_change"])
            if opts.get("vary"):
                applied = made + dt.timedelta(days=rng.randint(20, 60))
                case.events.append(
                    Event(
                        at(applied, 9),
                        "vary",
                        {"decided": court_day(applied + dt.timedelta(days=10))},
                    )
                )
            for _ in range(opts.get("breaches", 0)):
                offence = "8DAPO" if order_type == "dapo" else None  # a DVPO breach is contempt
                self.breach(case, t["served"] + dt.timedelta(days=1), last, offence=offence)
            if state == "discharged":
                applied = made + dt.timedelta(days=rng.randint(30, 60))
                case.events.append(
                    Event(
                        at(applied, 9),
                        "discharge",
                        {
                            "decided": court_day(applied + dt.timedelta(days=14)),
                            "applicant": Applicant.PROTECTED_PERSON,
                            "consents": False,
                        },
                    )
                )
        elif state in ("refused", "withdrawn"):
            t["decided"] = hearing + dt.timedelta(minutes=rng.randint(20, 90))
            if notice_state == "lapsed":
                t["lapse_check"] = deadline + dt.timedelta(hours=2)
                t["decided"] = deadline + dt.timedelta(hours=3)
        return case

    def plan_ro(self, order_type: str, state: str, opts: dict) -> Case:
        rng = self.rng
        t: dict = {}
        if state == "draft":
            t["created"] = at(self.ago(1, 10), 11)
            dyad = self.window_dyad(t["created"])
            return Case(f"{order_type}-{state}", order_type, state, [dyad], opts, t)
        if state == "applied":
            t["applied"] = at(self.ago(5, 20), 9)
            t["hearing"] = at(court_day(self.today + dt.timedelta(days=rng.randint(3, 25))), 10)
        else:
            if state == "expired":
                made = court_day(self.ago(420, 600))
            elif state in ("discharged", "quashed"):
                made = court_day(self.ago(150, 300))
            else:
                made = court_day(self.ago(20, 330))
            t["hearing"] = at(made, 10)
            t["decided"] = at(made, rng.randint(11, 16))
            t["applied"] = at(made - dt.timedelta(days=rng.randint(3, 20)), 9)
        if state == "expired":
            dyad = self.history_dyad(t["applied"], reuse=True)
        else:
            dyad = self.window_dyad(t["applied"])
        case = Case(f"{order_type}-{state}", order_type, state, [dyad], opts, t)
        if state in ("in_force", "expired", "discharged", "quashed"):
            made = t["decided"].date()
            if opts.get("ufo"):
                t["ufo"] = True
            elif state == "expired":
                t["ends_on"] = made + dt.timedelta(days=364)
            else:
                t["ends_on"] = made + dt.timedelta(days=rng.choice((2, 3, 5)) * 365)
            t["served"] = t["decided"] + dt.timedelta(
                minutes=10
            )  # made in the defendant's presence
            last = min(
                self.now, at(t["ends_on"], 12) if t.get("ends_on") else self.now
            ) - dt.timedelta(days=2)
            for _ in range(opts.get("breaches", 0)):
                self.breach(case, t["served"] + dt.timedelta(days=10), last, offence="8RO")
            if state == "discharged":
                applied = made + dt.timedelta(days=rng.randint(40, 90))
                case.events.append(
                    Event(
                        at(applied, 9),
                        "discharge",
                        {
                            "decided": court_day(applied + dt.timedelta(days=21)),
                            "applicant": Applicant.DEFENDANT,
                            "consents": False,
                        },
                    )
                )
            if state == "quashed":
                lodged = made + dt.timedelta(days=rng.randint(7, 20))
                case.events.append(
                    Event(
                        at(lodged, 10),
                        "appeal",
                        {
                            "appellant": Appellant.DEFENDANT,
                            "decided": court_day(lodged + dt.timedelta(days=60)),
                            "outcome": AppealOutcome.ALLOWED,
                        },
                    )
                )
        return case
