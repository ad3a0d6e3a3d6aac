"""Generate (or delete) a synthetic force-year of demo data, deterministically from a seed.

`generate()` is what `safeguard demo` runs:

1. staff: the force, its teams, a demo user of every role (staff.py);
2. people and reports: a year of stalking and harassment reports (reports.py) whose victims and
   suspects are recorded inconsistently across reports (population.py), plus hard negatives;
3. orders: a few dozen cases in every lifecycle state (cases.py), planned before anything is
   written, then walked through orders/services.py and compliance/services.py;
4. bulk_create for the volume (people, reports, parties, details), services for the orders.

The demo's "today" is fixed (30 September 16:00, Europe/London, of the demo year), so the same
seed gives the same rows whatever the date it is run.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from safeguard.access.audit import acting_as
from safeguard.access.models import Force, Team
from safeguard.compliance.models import Breach, Notification
from safeguard.demo.cases import CaseBuilder, CasePlanner
from safeguard.demo.geography import ForceGeography, geography_for
from safeguard.demo.population import Population, ground_truth_value
from safeguard.demo.reports import OFFENCE_MIX, ReportPlanner
from safeguard.demo.staff import demo_users, get_or_create_force, make_staff
from safeguard.orders.models import (
    Appeal,
    Condition,
    CourtApplication,
    Hearing,
    Order,
    Service,
    StateChange,
)
from safeguard.people.models import (
    Alias,
    DetailKind,
    Identifier,
    IdentifierScheme,
    Person,
    ProtectedDetail,
)
from safeguard.reports.models import Report, ReportParty

LONDON = ZoneInfo("Europe/London")
REFERENCE_PREFIX = "DEMO/"  # every demo report's crime reference starts with this
DEFAULT_REPORTS = 11_000
FIRST_YEAR = 2022  # the first 30 September by which a full SPO made after 20 Jan 2020 can have run
#                    its two-year minimum and expired (SPA 2019 s.3)
BATCH = 2000
AUDIT_LABEL = "safeguard demo"  # who the audit trail says wrote the demo rows


class DemoError(Exception):
    """A reason not to generate, in words the user can act on."""


def demo_year(seed: int) -> int:
    """The seed picks the year: a seed between 2022 and 2100 is the year itself (the demo year
    ends on 30 September of it); any other seed uses 2022."""
    return seed if FIRST_YEAR <= seed <= 2100 else FIRST_YEAR


def demo_now(year: int) -> dt.datetime:
    return dt.datetime(year, 9, 30, 16, 0, tzinfo=LONDON)


@dataclass
class Summary:
    force: str
    seed: int
    now: dt.datetime
    elapsed: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    offences: dict[str, int] = field(default_factory=dict)
    purposes: dict[str, int] = field(default_factory=dict)
    orders: dict[tuple[str, str], int] = field(default_factory=dict)
    notifications: dict[str, int] = field(default_factory=dict)
    identities: int = 0
    repeat_suspects: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase

    def lines(self) -> list[str]:
        window_start = (self.now - dt.timedelta(days=364)).date()
        out = [
            f"Demo data for {self.force}, seed {self.seed}: the year {window_start:%d %b %Y} to "
            f"{self.now:%d %b %Y} (the demo's today is {self.now:%d %B %Y %H:%M}).",
            "",
            "Rows created:",
        ]
        width = max(len(k) for k in self.counts)
        out += [f"  {name:<{width}}  {count:>8,}" for name, count in self.counts.items()]
        out += [
            "",
            "Reports by purpose: " + ", ".join(f"{k} {v:,}" for k, v in self.purposes.items()),
        ]
        out.append(
            "Offence mix of the year's reports: "
            + ", ".join(
                f"{code} {n:,} ({n / max(1, sum(self.offences.values())):.0%})"
                for code, n in self.offences.items()
            )
        )
        out.append(
            f"Distinct people (ground truth, Identifier scheme 'local', DEMO-nnnnnn): {self.identities:,}; "
            f"suspects on more than one report: {self.repeat_suspects:,}"
        )
        out += ["", "Orders by type and state:"]
        for (order_type, state), n in sorted(self.orders.items()):
            out.append(f"  {order_type:<14} {state:<11} {n:>3}")
        out.append(
            "Notifications at the demo's today: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.notifications.items()))
        )
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())
        out += ["", f"Generated in {self.elapsed:.1f} s ({phases})."]
        return out


# --- Checks and deletion -------------------------------------------------------------------------


def find_force(name: str) -> Force | None:
    return Force.objects.filter(name__iexact=name.strip()).first()


def force_has_reports(force: Force | None) -> bool:
    return force is not None and Report.objects.filter(force=force).exists()


@transaction.atomic
def delete_demo_data(force: Force) -> int:
    """Delete the force's demo case data (orders, reports, people). Refuses if the force has
    reports the demo did not make: demo data is never mixed with real records. Demo users and
    teams are kept and brought back to their demo state by the next run."""
    foreign = Report.objects.filter(force=force).exclude(reference__startswith=REFERENCE_PREFIX)
    if foreign.exists():
        raise DemoError(
            f"{force.name} has {foreign.count():,} reports that the demo did not create "
            f"(their references do not start with {REFERENCE_PREFIX!r}); --replace deletes only "
            "demo data and will not run on a force with real records."
        )
    deleted = 0
    orders = Order.objects.filter(force=force)
    while orders.exists():  # an order protects its parent: delete the leaves first
        deleted += orders.filter(children__isnull=True).delete()[0]
    # Tables nothing refers to go in one statement each (Django's fast delete)...
    for leaf in (
        ReportParty.objects.filter(report__force=force),
        Identifier.objects.filter(person__force=force),
        Alias.objects.filter(person__force=force),
        ProtectedDetail.objects.filter(person__force=force),
    ):
        deleted += leaf.delete()[0]
    # ...and so do reports and people, now that nothing refers to them. The ORM's delete() would
    # first load every row to look for references; the database's foreign keys check instead.
    with connection.cursor() as cursor:
        for model in (Report, Person):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE force_id = %s", [force.pk])  # noqa: S608 - table name from model metadata
            deleted += cursor.rowcount
    return deleted


# --- Generation ------------------------------------------------------------------------------------


def _materialise(force: Force, geography: ForceGeography, planner: ReportPlanner, staff) -> None:
    """Bulk-create the planned people, reports and parties, and hang the rows on the plan."""
    specs = sorted(planner.reports, key=lambda r: (r.reported_at, r.n))
    per_year: Counter[int] = Counter()
    for spec in specs:
        year = spec.reported_at.year % 100
        per_year[year] += 1
        spec.reference = f"{REFERENCE_PREFIX}{year:02d}/{per_year[year]:06d}"

    persons: list[Person] = []
    rows = []  # (spec, role, recorded, person)
    for spec in specs:
        for role in ("victim", "suspect", "witness"):
            for rec in spec.recorded.get(role, []):
                person = Person(
                    force=force,
                    given_name=rec.given_name,
                    middle_names=rec.middle_names,
                    surname=rec.surname,
                    date_of_birth=rec.date_of_birth,
                    sex=rec.sex,
                )
                persons.append(person)
                rows.append((spec, role, rec, person))
    Person.objects.bulk_create(persons, batch_size=BATCH)

    identifiers, aliases, details = [], [], []
    for _spec, _role, rec, person in rows:
        identifiers.append(
            Identifier(
                person=person,
                scheme=IdentifierScheme.LOCAL,
                value=ground_truth_value(rec.identity_id),
            )
        )
        if rec.pnc:
            identifiers.append(
                Identifier(person=person, scheme=IdentifierScheme.PNC, value=rec.pnc)
            )
        for kind, given, surname in rec.aliases:
            aliases.append(Alias(person=person, kind=kind, given_name=given, surname=surname))
        if rec.address:
            details.append(
                ProtectedDetail(
                    person=person,
                    kind=DetailKind.HOME_ADDRESS,
                    value=rec.address,
                    postcode=rec.postcode,
                )
            )
        if rec.phone:
            details.append(ProtectedDetail(person=person, kind=DetailKind.PHONE, value=rec.phone))
    Identifier.objects.bulk_create(identifiers, batch_size=BATCH)
    Alias.objects.bulk_create(aliases, batch_size=BATCH)
    ProtectedDetail.objects.bulk_create(details, batch_size=BATCH)

    reports = []
    for spec in specs:
        team_name = spec.dyad.victim.address.district.team
        officers = staff.officers_by_team.get(team_name) or [staff.user("officer")]
        officer = officers[spec.n % len(officers)]
        spec.report = Report(
            force=force,
            reference=spec.reference,
            offence_code=spec.offence,
            reported_at=spec.reported_at,
            occurred_from=spec.occurred_from or spec.reported_at.date(),
            occurred_to=spec.occurred_to,
            summary=spec.summary,
            behaviours=spec.behaviours,
            sdash_answers=spec.sdash,
            status=spec.status,
            officer=officer,
            team=staff.teams[team_name],
        )
        reports.append(spec.report)
    Report.objects.bulk_create(reports, batch_size=BATCH)

    parties = []
    for spec, role, _rec, person in rows:
        spec.persons.setdefault(role, []).append(person)
        relationship = spec.dyad.relationship if role == "suspect" else ""
        parties.append(
            ReportParty(
                report=spec.report, person=person, role=role, relationship_to_victim=relationship
            )
        )
    ReportParty.objects.bulk_create(parties, batch_size=BATCH)


def _summarise(summary: Summary, force: Force, planner: ReportPlanner) -> None:
    summary.counts = {
        "teams": Team.objects.filter(force=force).count(),
        "demo users": demo_users().count(),
        "people (Person records)": Person.objects.filter(force=force).count(),
        "identifiers": Identifier.objects.filter(person__force=force).count(),
        "aliases": Alias.objects.filter(person__force=force).count(),
        "protected details": ProtectedDetail.objects.filter(person__force=force).count(),
        "reports": Report.objects.filter(force=force).count(),
        "report parties": ReportParty.objects.filter(report__force=force).count(),
        "orders": Order.objects.filter(force=force).count(),
        "state changes": StateChange.objects.filter(order__force=force).count(),
        "hearings": Hearing.objects.filter(order__force=force).count(),
        "conditions": Condition.objects.filter(order__force=force).count(),
        "services": Service.objects.filter(order__force=force).count(),
        "court applications": CourtApplication.objects.filter(order__force=force).count(),
        "appeals": Appeal.objects.filter(order__force=force).count(),
        "notifications": Notification.objects.filter(order__force=force).count(),
        "breaches": Breach.objects.filter(order__force=force).count(),
    }
    window = [r for r in planner.reports if r.purpose == "window"]
    offences = Counter(r.offence for r in window)
    summary.offences = {code: offences[code] for code in OFFENCE_MIX}
    summary.purposes = dict(Counter(r.purpose for r in planner.reports))
    summary.orders = dict(
        Counter(
            (o.order_type, o.state)
            for o in Order.objects.filter(force=force).only("order_type", "state")
        )
    )
    summary.notifications = dict(
        Counter(
            n.status(summary.now).value for n in Notification.objects.filter(order__force=force)
        )
    )
    summary.identities = len(
        {r.identity_id for spec in planner.reports for rs in spec.recorded.values() for r in rs}
    )
    suspect_records = Counter(
        spec.dyad.suspect.id for spec in planner.reports if spec.dyad.suspect is not None
    )
    summary.repeat_suspects = sum(1 for n in suspect_records.values() if n > 1)


@transaction.atomic
def generate(
    force_name: str,
    *,
    seed: int,
    reports: int = DEFAULT_REPORTS,
    year: int | None = None,
    replace: bool = False,
) -> Summary:
    """Create the demo force-year in one transaction: all of it, or none of it. The audit trail
    attributes every row written (and, with `replace`, deleted) to "safeguard demo"."""
    purpose = f"Synthetic demonstration data (safeguard demo, seed {seed}, {reports} reports)"
    with acting_as(label=AUDIT_LABEL, purpose=purpose):
        summary = _generate(force_name, seed=seed, reports=reports, year=year, replace=replace)
    # The reports were written in bulk (no per-row signals): ask screening to look at the force;
    # the job queue's worker screens it in the background (`make run` starts the worker).
    from safeguard.screening.services import mark_pending

    force = find_force(force_name)
    if force is not None:
        mark_pending(force.pk)
    return summary


def _generate(
    force_name: str, *, seed: int, reports: int, year: int | None, replace: bool
) -> Summary:
    started = last = time.perf_counter()
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        nonlocal last
        now_ = time.perf_counter()
        phases[name] = now_ - last
        last = now_

    if reports < 100:
        raise DemoError("Ask for at least 100 reports (--reports); the orders need repeat suspects")
    geography = geography_for(force_name)
    now = demo_now(year or demo_year(seed))
    force = find_force(geography.name)
    if force_has_reports(force):
        if not replace:
            raise DemoError(
                f"{geography.name} already has reports. Use --replace to delete its demo data and "
                "generate it again, or --if-empty to leave it as it is."
            )
        assert force is not None
        delete_demo_data(force)
        phase("delete")
    force = force or get_or_create_force(geography)

    rng = random.Random(seed)
    staff = make_staff(force, geography, rng, joined=now - dt.timedelta(days=400))
    population = Population(rng, geography, now.date())
    planner = ReportPlanner(rng, population, now)
    planner.plan_window(reports)
    cases = CasePlanner(rng, planner, population, now).plan()
    planner.finish()
    for case in cases:  # reports behind an order have been passed to the SPO coordinator
        for spec in case.linked_reports():
            if spec.status == "open":
                spec.status = "referred"
    phase("plan")
    _materialise(force, geography, planner, staff)
    phase("people and reports")

    builder = CaseBuilder(rng, force, geography, staff, now)
    builder.build(cases)
    builder.expire()
    phase("orders")

    summary = Summary(force=force.name, seed=seed, now=now)
    _summarise(summary, force, planner)
    phase("summary")
    summary.phases = phases
    summary.elapsed = time.perf_counter() - started
    return summary
