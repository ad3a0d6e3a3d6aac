"""Phase 2: walk each planned case through orders/services.py and compliance/services.py."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count, Q

from safeguard.access.models import Force, User
from safeguard.compliance import services as compliance
from safeguard.compliance.models import Notification, NotificationKind
from safeguard.demo.cases.catalogue import NECESSITY, pronouns
from safeguard.demo.cases.common import UNSTAMPED, Case, at
from safeguard.demo.cases.events import apply_events
from safeguard.demo.cases.journeys import build_application, refer_reports
from safeguard.demo.geography import ForceGeography
from safeguard.demo.reports import ReportSpec
from safeguard.demo.staff import Staff, served_by
from safeguard.orders import advocates, services
from safeguard.orders.models import (
    Appellant,
    Order,
    Outcome,
    ServiceMethod,
    StateChange,
)
from safeguard.orders.services import ProposedCondition
from safeguard.rules.orders import ORDER_TYPES, State


class CaseBuilder:
    def __init__(
        self,
        rng: random.Random,
        force: Force,
        geography: ForceGeography,
        staff: Staff,
        now: dt.datetime,
    ) -> None:
        self.rng = rng
        self.force = force
        self.geography = geography
        self.staff = staff
        self.now = now

    # --- Small helpers ----------------------------------------------------------------------

    def conditions(
        self, case: Case, codes: list[str], *, necessity: bool = True, order_type: str = ""
    ) -> list[ProposedCondition]:
        rng = self.rng
        victim = case.dyad.victim
        words = {
            "sub": "The defendant",
            "n": rng.randint(20, 300),
            "k": rng.randint(3, 12),
            "town": victim.address.town,
            **pronouns(victim.sex),
        }
        proposed = []
        spec = ORDER_TYPES[order_type or case.order_type]
        for code in codes:
            option = spec.condition(code)
            locality = ""
            wording = option.title
            if code == "exclusion-zone":
                locality = f"{victim.address.town} ({victim.address.district.code})"
                wording = f"Not to enter the area of {victim.address.town} marked on the map attached to the order"
            if code in ("no-approach", "keep-distance"):
                wording = f"{option.title}: {rng.choice((50, 100, 200))} metres"
            text = NECESSITY.get(code, "Necessary to protect the person from the risk.").format(
                **words
            )
            proposed.append(
                ProposedCondition(
                    code, necessity=text if necessity else "", wording=wording, locality=locality
                )
            )
        return proposed

    def _grounds(self, order_type: str, reports: list[ReportSpec]) -> dict:
        refs = ", ".join(r.reference for r in reports[-4:]) or "the officer's statement"
        evidence = (
            f"Reports {refs}; victim statement",
            "Escalation over the reports, S-DASH answers and previous conduct",
            "Warnings and earlier measures have not stopped the conduct",
        )
        return {
            str(i + 1): f"{test.text}: {evidence[min(i, 2)]}"
            for i, test in enumerate(ORDER_TYPES[order_type].tests)
        }

    def _officer(self, case: Case) -> User:
        team = case.dyad.victim.address.district.team
        officers = self.staff.officers_by_team.get(team) or [self.staff.user("officer")]
        return officers[case.dyad.id % len(officers)]

    def _court(self, officer: User) -> str:
        team = officer.team.name if officer.team else self.geography.teams[-1]
        return self.geography.magistrates_courts[team]

    def last_pk(self) -> int:
        last = StateChange.objects.order_by("-pk").values_list("pk", flat=True).first()
        return last or 0

    def stamp(self, since: int, when: dt.datetime) -> None:
        """Give the moves a service stamped with the wall clock the time they really happened."""
        StateChange.objects.filter(pk__gt=since, action__in=UNSTAMPED).update(at=when)

    def _people(self, case: Case):
        reports = case.linked_reports()
        latest_by_dyad = []
        for dyad in case.dyads:
            mine = [r for r in reports if r.dyad is dyad]
            latest_by_dyad.append(
                mine[-1] if mine else sorted(dyad.reports, key=lambda r: r.reported_at)[0]
            )
        defendant = latest_by_dyad[0].suspect_person
        protected = [r.victim_person for r in latest_by_dyad]
        return defendant, protected, [r.report for r in reports]

    def _create(
        self,
        case: Case,
        order_type: str,
        codes: list[str],
        *,
        parent: Order | None = None,
        necessity: bool = True,
    ) -> Order:
        defendant, protected, reports = self._people(case)
        officer = self._officer(case)
        victim_views = self.rng.choice(
            (
                "Supports the application and asked for the exclusion zone to include her workplace.",
                "Supports the application; wants no contact of any kind.",
                "Anxious about the defendant's reaction but supports the order.",
                "Consulted; did not want to attend court but supports the order.",
            )
        )
        if ORDER_TYPES[order_type].follows_notice is None and ORDER_TYPES[order_type].authoriser:
            victim_views = (
                "Victim's opinion sought at the scene; wants the suspect kept away from the home."
            )
        return services.create_order(
            force=self.force,
            order_type=order_type,
            defendant=defendant,
            protected_persons=protected,
            by=officer,
            reports=reports,
            officer=officer,
            team=officer.team,
            parent=parent,
            court="" if ORDER_TYPES[order_type].court is None else self._court(officer),
            conditions=self.conditions(case, codes, necessity=necessity, order_type=order_type),
            grounds=self._grounds(order_type, case.linked_reports()),
            victim_views=victim_views,
        )

    def fresh(self, order: Order) -> Order:
        return Order.objects.get(pk=order.pk)

    def _decide(self, order: Order, outcome: str, when: dt.datetime, **kwargs) -> Order:
        since = self.last_pk()
        order = services.record_outcome(
            self.fresh(order),
            outcome,
            expected_version=None,
            by=self.staff.coordinator,
            decided_at=when,
            **kwargs,
        )
        self.stamp(since, when)
        return order

    def _serve(self, order: Order, when: dt.datetime, decided: dt.datetime | None) -> None:
        in_court = decided is not None and abs((when - decided).total_seconds()) < 3 * 3600
        officer = order.officer or self.staff.coordinator
        services.record_service(
            self.fresh(order),
            served_at=when,
            method=ServiceMethod.IN_COURT if in_court else ServiceMethod.PERSONAL,
            served_by=served_by(officer),
            expected_version=None,
            by=officer,
            notes="" if in_court else "Served at the defendant's home address.",
        )

    def _station(self, order: Order) -> str:
        team = order.team.name if order.team else self.geography.teams[-1]
        return self.geography.stations[team]

    def made_notification(
        self, notification: Notification, when: dt.datetime, order: Order
    ) -> None:
        receiver = self.staff.officers_by_team.get(
            order.team.name if order.team else "", [self.staff.coordinator]
        )[0]
        notification = compliance.record_notification_made(
            notification,
            notified_at=when,
            police_station=self._station(order),
            received_by=served_by(receiver),
            details="Name(s) and home address given in person; fingerprints taken.",
            by=receiver,
        )
        compliance.acknowledge(
            notification, at=when + dt.timedelta(minutes=self.rng.randint(5, 40)), by=receiver
        )

    # --- Building ---------------------------------------------------------------------------

    def build(self, cases: list[Case]) -> None:
        for case in cases:
            if case.order_type in ("spo",):
                self.build_spo(case)
            elif case.order_type in ("dvpo", "dapo"):
                self.build_notice(case)
            else:
                self.build_ro(case)
            self.stamp_created(case)
        self.link_advocates()
        refer_reports(self)

    def stamp_created(self, case: Case) -> None:
        """Date each order's record by the case's timeline (created_at is written by the
        database, on the wall clock): lists and the work queue's "Started" then read true."""
        t, hour = case.t, dt.timedelta(hours=1)
        notice_at = t.get("issued") or t.get("created")
        when = {
            case.notice: notice_at - hour / 3 if case.notice and notice_at else None,
            case.interim: t.get("applied"),
            case.order: (t["issued"] + hour if case.notice and "issued" in t else None)
            or t.get("created")
            or (t["applied"] - dt.timedelta(days=2) if "applied" in t else None),
        }
        for order, created in when.items():
            if order is not None and created is not None:
                Order.objects.filter(pk=order.pk).update(created_at=min(created, self.now))

    # Cases the force's demo victim advocate (`<force>-advocate`) supports: their "Your cases".
    ADVOCATE_CASES_IN_FORCE = 3
    ADVOCATE_CASES_APPLIED = 1

    def link_advocates(self) -> int:
        """Link the demo advocate to a few SPOs, as a coordinator would when an ISAC supports
        the victim (orders/advocates.py): live orders that run past the demo's today, those
        with breaches first, and an application waiting for the court. Chosen by reference,
        so the same seed links the same orders."""
        advocate = self.staff.user("advocate")
        today = self.now.date()
        spos = Order.objects.filter(force=self.force, order_type="spo")
        live = (
            spos.filter(state=State.IN_FORCE)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
            .annotate(breach_count=Count("breaches"))
            .order_by("-breach_count", "reference")[: self.ADVOCATE_CASES_IN_FORCE]
        )
        pending = spos.filter(state=State.APPLIED).order_by("reference")[
            : self.ADVOCATE_CASES_APPLIED
        ]
        linked = 0
        for order in [*live, *pending]:
            if not order.advocate_links.filter(user=advocate).exists():
                advocates.link_advocate(
                    order, advocate, by=self.staff.coordinator, expected_version=None
                )
                linked += 1
        return linked

    def build_spo(self, case: Case) -> None:
        rng, t, opts = self.rng, case.t, case.opts
        if opts.get("builder") or opts.get("review"):
            build_application(self, case)  # through the builder and the legal review
            return
        codes = [
            "no-contact",
            *rng.sample(
                [
                    "exclusion-zone",
                    "no-approach",
                    "no-third-party-contact",
                    "no-monitoring",
                    "perpetrator-programme",
                    "substance-assessment",
                ],
                rng.randint(1, 3),
            ),
        ]
        order = self._create(case, "spo", codes, necessity=not opts.get("missing_necessity"))
        case.order = order
        if case.state == "draft":
            return
        if case.state == "withdrawn" and opts.get("from_draft"):
            self._decide(
                order,
                Outcome.WITHDRAWN,
                t["withdrawn"],
                reasons="The victim no longer supports an application; safeguarding continues.",
            )
            return
        order = services.submit_application(
            order,
            expected_version=None,
            by=self.staff.coordinator,
            at=t["applied"],
            hearing_at=t["hearing"],
        )
        if opts.get("interim"):
            interim = self._create(case, "interim-spo", ["no-contact", "no-approach"], parent=order)
            case.interim = interim
            interim = services.submit_application(
                interim,
                expected_version=None,
                by=self.staff.coordinator,
                at=t["applied"],
                hearing_at=t["interim_hearing"],
            )
            if opts["interim"] in ("in_force", "ended"):
                self._decide(
                    interim,
                    Outcome.GRANTED,
                    t["interim_hearing"],
                    made_on=t["interim_hearing"].date(),
                    ends_on=t["interim_ends"],
                )
                served = t["interim_hearing"] + dt.timedelta(minutes=20)
                self._serve(interim, served, t["interim_hearing"])
                duty = interim.notifications.filter(kind=NotificationKind.INITIAL).first()
                if duty is not None:
                    self.made_notification(duty, self.planner_hours(served, 20, 40), interim)
            elif opts["interim"] == "refused":
                self._decide(
                    interim,
                    Outcome.REFUSED,
                    t["interim_hearing"],
                    reasons="Not appropriate: the defendant is on bail with a condition not to contact the victim.",
                )
        if opts.get("adjourned"):
            self._decide(
                order,
                Outcome.ADJOURNED,
                t["hearing"],
                reasons="Adjourned at the defence's request to take instructions.",
            )
            services.schedule_hearing(
                self.fresh(order),
                scheduled_for=t["hearing2"],
                expected_version=None,
                by=self.staff.coordinator,
            )
        if case.state == "applied":
            return
        if case.state == "refused":
            self._decide(
                order,
                Outcome.REFUSED,
                t["decided"],
                reasons="Not satisfied that the order is necessary: the defendant has moved out of the county.",
            )
            if opts.get("appeal") == "pending":
                services.lodge_appeal(
                    self.fresh(order),
                    appellant=Appellant.CHIEF_OFFICER,
                    against="The refusal to make the order",
                    lodged_on=t["decided"].date() + dt.timedelta(days=rng.randint(5, 15)),
                    expected_version=None,
                    by=self.staff.coordinator,
                )
            return
        if case.state == "withdrawn":
            self._decide(
                order,
                Outcome.WITHDRAWN,
                t["hearing"] - dt.timedelta(days=rng.randint(2, 10)),
                reasons="Withdrawn: the defendant was charged and remanded; a restraining order will be sought on conviction.",
            )
            return
        kwargs: dict = {"made_on": t["decided"].date()}
        if t.get("ufo"):
            kwargs["until_further_order"] = True
        else:
            kwargs["ends_on"] = t["ends_on"]
        outcome = Outcome.GRANTED
        if rng.random() < 0.3:
            outcome = Outcome.GRANTED_CHANGED
            current = list(order.conditions.order_by("pk"))
            kwargs["granted_conditions"] = [
                ProposedCondition(
                    c.code, necessity=c.necessity, wording=c.wording, locality=c.locality
                )
                for c in current[:-1] or current
            ]
        order = self._decide(
            order,
            outcome,
            t["decided"],
            reasons="The court is satisfied of the matters in s.2(1).",
            **kwargs,
        )
        self._serve(order, t["served"], t["decided"])
        apply_events(self, case, order)

    def planner_hours(self, start: dt.datetime, lo: float, hi: float) -> dt.datetime:
        return start + dt.timedelta(minutes=self.rng.randint(int(lo * 60), int(hi * 60)))

    def build_notice(self, case: Case) -> None:
        rng, t, opts = self.rng, case.t, case.opts
        order_type = case.order_type
        notice_type = ORDER_TYPES[order_type].follows_notice
        assert notice_type is not None
        shared = case.dyad.relationship == "partner"
        codes = ["no-molestation"] + (
            ["leave-premises", "no-entry"] if shared else ["keep-distance"]
        )
        notice = self._create(case, notice_type, codes)
        case.notice = notice
        notice_state = opts.get("notice_state", case.state)
        if notice_state == "draft":
            return
        if notice_state == "withdrawn":
            self._decide(
                notice,
                Outcome.WITHDRAWN,
                t["withdrawn"],
                reasons="The authorising officer was not satisfied the notice was necessary.",
            )
            return
        authoriser = self.staff.inspector  # DAA 2021 s.22(8): inspector or above
        if notice_type == "dvpn" or opts.get("authoriser") == "superintendent":
            authoriser = self.staff.superintendent  # CSA 2010 s.24(1): superintendent or above
        services.issue_notice(
            self.fresh(notice),
            authorised_by=authoriser.get_full_name(),
            authoriser_rank=authoriser.rank,
            issued_at=t["issued"],
            expected_version=None,
            by=authoriser,
        )
        order_codes = list(codes)
        if order_type == "dapo":
            order_codes = [
                "no-contact",
                rng.choice(["exclusion-zone", "behaviour-programme", "substance-assessment"]),
            ]
        order = self._create(case, order_type, order_codes, parent=notice)
        case.order = order
        for event in [e for e in case.events if e.kind == "breach" and e.at < t["hearing"]]:
            # A breach of the notice itself: arrest, and court within 24 hours (CSA s.26 / DAA s.26).
            compliance.record_breach(
                self.fresh(notice),
                occurred_at=event.at,
                description="Returned to the address in breach of the notice",
                by=self.staff.coordinator,
                arrested_at=event.data["arrested"] or event.at + dt.timedelta(hours=1),
            )
            case.events.remove(event)
        if notice_state == "lapsed":
            since = self.last_pk()
            services.lapse_notices(t["lapse_check"], by=None)
            self.stamp(since, t["lapse_check"])
            self._decide(
                order,
                Outcome.WITHDRAWN,
                t["decided"],
                reasons="The notice lapsed before the application could be heard.",
            )
            return
        order = services.submit_application(
            order,
            expected_version=None,
            by=self.staff.coordinator,
            at=t["applied"],
            hearing_at=t["hearing"],
        )
        if case.state == "applied":
            return
        if case.state == "refused":
            self._decide(
                order,
                Outcome.REFUSED,
                t["decided"],
                reasons="Not satisfied on the balance of probabilities that the statutory test is met.",
            )
            return
        if case.state == "withdrawn":
            self._decide(
                order,
                Outcome.WITHDRAWN,
                t["decided"],
                reasons="Application withdrawn at the hearing: the victim has moved to a refuge out of the county.",
            )
            return
        kwargs: dict = {"made_on": t["decided"].date()}
        if t.get("ufo"):
            kwargs["until_further_order"] = True
        else:
            kwargs["ends_on"] = t["ends_on"]
        outcome = Outcome.GRANTED
        if opts.get("monitoring"):
            outcome = Outcome.GRANTED_CHANGED
            made = t["decided"].date()
            kwargs["granted_conditions"] = [
                *self.conditions(case, order_codes),
                ProposedCondition(
                    "electronic-monitoring",
                    necessity=NECESSITY["electronic-monitoring"],
                    wording="To wear an electronic tag monitoring the exclusion zone",
                    ends_on=made + dt.timedelta(days=180),
                ),
            ]
        order = self._decide(
            order,
            outcome,
            t["decided"],
            reasons="The court is satisfied of the statutory test.",
            **kwargs,
        )
        self._serve(order, t["served"], t["decided"])
        apply_events(self, case, order)

    def build_ro(self, case: Case) -> None:
        rng, t, opts = self.rng, case.t, case.opts
        codes = ["no-contact", rng.choice(["exclusion-zone", "no-approach"])]
        order = self._create(case, case.order_type, codes)
        case.order = order
        if case.state == "draft":
            return
        order = services.submit_application(
            order,
            expected_version=None,
            by=self.staff.coordinator,
            at=t["applied"],
            hearing_at=t["hearing"],
        )
        if case.state == "applied":
            return
        if case.state == "refused":
            self._decide(
                order,
                Outcome.REFUSED,
                t["decided"],
                reasons="The court did not consider an order necessary on the evidence.",
            )
            return
        if case.state == "withdrawn":
            self._decide(
                order,
                Outcome.WITHDRAWN,
                t["decided"],
                reasons="The prosecution withdrew the request after the victim's views changed.",
            )
            return
        kwargs: dict = {"made_on": t["decided"].date()}
        if t.get("ufo") or opts.get("ufo"):
            kwargs["until_further_order"] = True
        else:
            kwargs["ends_on"] = t["ends_on"]
        order = self._decide(
            order,
            Outcome.GRANTED,
            t["decided"],
            reasons="Necessary to protect the victim from harassment.",
            **kwargs,
        )
        self._serve(order, t["served"], t["decided"])
        apply_events(self, case, order)

    # --- After the cases ----------------------------------------------------------------------

    def expire(self) -> int:
        """Close the orders whose fixed term ran out before the demo's today."""
        since = self.last_pk()
        count = services.expire_orders(self.now.date(), by=None)
        for change in StateChange.objects.filter(pk__gt=since, action="expire").select_related(
            "order"
        ):
            ends_on = change.order.ends_on
            assert ends_on is not None  # only fixed-term orders expire
            change.at = at(ends_on + dt.timedelta(days=1), 0)
            change.save(update_fields=["at"])
        return count
