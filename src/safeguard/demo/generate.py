"""Generate (or delete) a synthetic force-year of demo data, deterministically from a seed.

`generate()` is what `safeguard demo` runs:

1. staff: the force, its teams, a demo user of every role (staff.py);
2. people and reports: a year of stalking and harassment reports (reports.py) whose victims and
   suspects are recorded inconsistently across reports (population.py), plus hard negatives;
3. orders: a few dozen cases in every lifecycle state (cases.py), planned before anything is
   written, then walked through orders/services.py and compliance/services.py;
4. COPY for the volume (people, reports, parties, details), in chunks of reports so memory
   holds the plan and one chunk (a million reports run in about 3.5 GB); services for the orders.

The demo's "today" is fixed (30 September 16:00, Europe/London, of the demo year) unless a
`now` is given (`make run` gives the time it runs): the same seed and "today" give the same rows
whatever the date it is run.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.utils import timezone

from safeguard.access.audit import acting_as
from safeguard.access.models import Force, Team
from safeguard.compliance.models import Breach, Notification
from safeguard.demo.cases import CaseBuilder, CasePlanner
from safeguard.demo.geography import geography_for
from safeguard.demo.population import Population, ground_truth_value
from safeguard.demo.reports import OFFENCE_MIX, ReportPlanner, ReportSpec
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
from safeguard.reports.models import Referral, Report, ReportParty

LONDON = ZoneInfo("Europe/London")
REFERENCE_PREFIX = "DEMO/"  # every demo report's crime reference starts with this
DEFAULT_REPORTS = 11_000
FIRST_YEAR = 2022  # the first 30 September by which a full SPO made after 20 Jan 2020 can have run
#                    its two-year minimum and expired (SPA 2019 s.3)
CHUNK = 20_000  # reports written at a time (with their people and parties)
AUDIT_LABEL = "safeguard demo"  # who the audit trail says wrote the demo rows


class DemoError(Exception):
    """A reason not to generate, in words the user can act on."""


def demo_year(seed: int) -> int:
    """The seed picks the year: a seed between 2022 and 2100 is the year itself (the demo year
    ends on 30 September of it); any other seed uses 2022."""
    return seed if FIRST_YEAR <= seed <= 2100 else FIRST_YEAR


def demo_now(year: int) -> dt.datetime:
    return dt.datetime(year, 9, 30, 16, 0, tzinfo=LONDON)


def demo_clock(now: dt.datetime) -> dt.datetime:
    """A given demo "now", checked: in London time (a naive time is taken as London's), to the
    minute, and late enough for every lifecycle state to have happened (FIRST_YEAR)."""
    now = (now if now.tzinfo else now.replace(tzinfo=LONDON)).astimezone(LONDON)
    if now < demo_now(FIRST_YEAR):
        raise DemoError(
            f"The demo's today must be on or after {demo_now(FIRST_YEAR):%d %B %Y} (--now): "
            "an SPO needs that long after the Act came into force to run its full term."
        )
    return now.replace(second=0, microsecond=0)


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
    from safeguard.screening import models as screening

    deleted = 0
    # Screening's findings are about the demo's people and reports: they go first (the queue's
    # candidates name reports; links and scores name people).
    for finding in (
        screening.Candidate.objects.filter(force=force),
        screening.PerpetratorScore.objects.filter(force=force),
        screening.PersonLink.objects.filter(force=force),
        screening.LinkDecision.objects.filter(force=force),
        screening.PersonIdentity.objects.filter(force=force),
        screening.ScreeningRun.objects.filter(force=force),
    ):
        deleted += finding.delete()[0]
    orders = Order.objects.filter(force=force)
    while orders.exists():  # an order protects its parent: delete the leaves first
        deleted += orders.filter(children__isnull=True).delete()[0]
    # Tables nothing refers to go in one statement each (Django's fast delete)...
    for leaf in (
        ReportParty.objects.filter(report__force=force),
        Referral.objects.filter(report__force=force),  # cases/journeys.py
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


REFERRAL_DECIDED_AFTER = dt.timedelta(days=14)  # older referrals have been taken up


def _record_referrals(force: Force, coordinator, now: dt.datetime) -> int:
    """Give every report the generator marked "referred" the referral that says so (cases/
    journeys.py makes the demo officer's own, through the services, with notes of their own):
    made by the report's officer one to five days after the report, taken up by the coordinator
    after a few days unless it is recent. Derived from the report's time (not its id, which
    differs between runs), so deterministic; in SQL, because a large demo has thousands."""
    table = connection.ops.quote_name(Referral._meta.db_table)
    reports = connection.ops.quote_name(Report._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH referred AS (
                SELECT r.id, r.officer_id, r.key,
                       LEAST(r.reported_at + (1 + r.key %% 5) * interval '1 day', %(now)s)
                           AS referred_at
                FROM (SELECT *, (extract(epoch FROM reported_at)::bigint / 60) AS key
                      FROM {reports}) r
                WHERE r.force_id = %(force)s AND r.status = 'referred'
                  AND r.officer_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.report_id = r.id)
            )
            INSERT INTO {table} (report_id, referred_by_id, referred_at, note, status,
                                 decided_by_id, decided_at, decision_note)
            SELECT id, officer_id, referred_at,
                   'Repeated unwanted contact with the same victim: please consider an SPO.',
                   CASE WHEN referred_at < %(cutoff)s THEN 'accepted' ELSE 'open' END,
                   CASE WHEN referred_at < %(cutoff)s THEN %(coordinator)s END,
                   CASE WHEN referred_at < %(cutoff)s
                        THEN referred_at + (1 + key %% 3) * interval '1 day' END,
                   ''
            FROM referred ORDER BY id
            """,  # noqa: S608 - table names from model metadata
            {
                "now": now,
                "cutoff": now - REFERRAL_DECIDED_AFTER,
                "force": force.pk,
                "coordinator": coordinator.pk,
            },
        )
        return cursor.rowcount


def _materialise(force: Force, planner: ReportPlanner, staff, keep: set[ReportSpec]) -> set[int]:
    """Write the planned people, reports and parties, CHUNK reports at a time, with COPY.

    Rows go in the order of the reports' times, so each table's primary keys follow that order
    whatever the chunk size. Once a chunk is written its reports' plans are let go, except those
    in `keep` (the reports behind an order), which get their `report` and `persons` rows for
    cases/build.py. Memory therefore holds the plan and one chunk, never a model instance per
    row: a million reports fit in a few gigabytes. Returns the identities recorded.
    """
    identities: set[int] = set()
    specs = sorted(planner.reports, key=lambda r: (r.reported_at, r.n))
    per_year: Counter[int] = Counter()
    for spec in specs:
        year = spec.reported_at.year % 100
        per_year[year] += 1
        spec.reference = f"{REFERENCE_PREFIX}{year:02d}/{per_year[year]:06d}"

    written = (Person, Identifier, Alias, ProtectedDetail, Report, ReportParty)
    tables = {model: _Copier(model) for model in written}
    for first in range(0, len(specs), CHUNK):
        chunk = specs[first : first + CHUNK]
        persons, rows = [], []  # rows: (spec, role, recorded)
        for spec in chunk:
            for role in ("victim", "suspect", "witness"):
                for rec in spec.recorded.get(role, []):
                    persons.append(
                        {
                            "force_id": force.pk,
                            "given_name": rec.given_name,
                            "middle_names": rec.middle_names,
                            "surname": rec.surname,
                            "date_of_birth": rec.date_of_birth,
                            "sex": rec.sex,
                        }
                    )
                    rows.append((spec, role, rec))
                    identities.add(rec.identity_id)
        person_ids = tables[Person].write(persons)

        identifiers, aliases, details = [], [], []
        for (_spec, _role, rec), person_id in zip(rows, person_ids, strict=True):
            identifiers.append(
                {
                    "person_id": person_id,
                    "scheme": IdentifierScheme.LOCAL,
                    "value": ground_truth_value(rec.identity_id),
                }
            )
            if rec.pnc:
                identifiers.append(
                    {"person_id": person_id, "scheme": IdentifierScheme.PNC, "value": rec.pnc}
                )
            for kind, given, surname in rec.aliases:
                aliases.append(
                    {"person_id": person_id, "kind": kind, "given_name": given, "surname": surname}
                )
            if rec.address:
                details.append(
                    {
                        "person_id": person_id,
                        "kind": DetailKind.HOME_ADDRESS,
                        "value": rec.address,
                        "postcode": rec.postcode,
                    }
                )
            if rec.phone:
                details.append(
                    {"person_id": person_id, "kind": DetailKind.PHONE, "value": rec.phone}
                )
        tables[Identifier].write(identifiers)
        tables[Alias].write(aliases)
        tables[ProtectedDetail].write(details)

        reports = []
        for spec in chunk:
            team_name = spec.dyad.victim.address.district.team
            officers = staff.officers_by_team.get(team_name) or [staff.user("officer")]
            officer = officers[spec.n % len(officers)]
            reports.append(
                {
                    "force_id": force.pk,
                    "reference": spec.reference,
                    "offence_code": spec.offence,
                    "reported_at": spec.reported_at,
                    "occurred_from": spec.occurred_from or spec.reported_at.date(),
                    "occurred_to": spec.occurred_to,
                    "summary": spec.summary,
                    "behaviours": spec.behaviours,
                    "sdash_answers": spec.sdash,
                    "status": spec.status,
                    "officer_id": officer.pk,
                    "team_id": staff.teams[team_name].pk,
                }
            )
        report_ids = dict(zip(chunk, tables[Report].write(reports), strict=True))

        parties = []
        for (spec, role, _rec), person_id in zip(rows, person_ids, strict=True):
            parties.append(
                {
                    "report_id": report_ids[spec],
                    "person_id": person_id,
                    "role": role,
                    "relationship_to_victim": spec.dyad.relationship if role == "suspect" else "",
                }
            )
        tables[ReportParty].write(parties)

        kept = [
            (spec, role, pid)
            for (spec, role, _), pid in zip(rows, person_ids, strict=True)
            if spec in keep
        ]
        if kept:  # the reports behind an order, as model instances for cases/build.py
            people = Person.objects.in_bulk([pid for _, _, pid in kept])
            found = Report.objects.in_bulk([report_ids[s] for s in chunk if s in keep])
            for spec, role, pid in kept:
                spec.persons.setdefault(role, []).append(people[pid])
                spec.report = found[report_ids[spec]]
        for spec in chunk:  # let the written plan go
            spec.recorded = {}
            if spec not in keep:
                spec.summary, spec.behaviours, spec.sdash = "", [], {}
    with connection.cursor() as cursor:  # fresh statistics, so the next queries plan well
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return identities


class _Copier:
    """COPY rows (dicts by attribute name) into one model's table, in the order given.

    The ids are taken from the table's sequence first, in ascending order, so they follow the
    rows' order as bulk_create's would and the caller knows them without RETURNING. A column
    the row does not give gets the field's default (auto_now and auto_now_add: now); values go
    through the field's own conversion where it has one (JSON, arrays, encryption). The audit
    triggers fire for every row, as for any insert.
    """

    PLAIN = (models.BigAutoField, models.CharField, models.TextField, models.DateField,
             models.DateTimeField, models.BooleanField, models.ForeignKey, models.IntegerField,
             models.PositiveIntegerField, models.BigIntegerField)  # fmt: skip

    def __init__(self, model: type[models.Model]) -> None:
        meta = model._meta
        self.fields = list(meta.concrete_fields)
        self.table = connection.ops.quote_name(meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in self.fields)
        assert self.fields[0].primary_key, model  # the ids below are the first column
        assert self.fields[0].column == "id", model
        self.rest = [(f, type(f) in self.PLAIN) for f in self.fields[1:]]

    def write(self, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [self.table, len(rows)],
            )
            ids = sorted(pk for (pk,) in cursor.fetchall())
            defaults = [
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else f.get_default()
                for f, _plain in self.rest
            ]  # fmt: skip
            with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    values: list[Any] = [pk]
                    for (f, plain), default in zip(self.rest, defaults, strict=True):
                        value = row.get(f.attname, default)
                        values.append(value if plain else f.get_db_prep_save(value, connection))
                    copy.write_row(values)
        return ids


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
    now: dt.datetime | None = None,
    replace: bool = False,
) -> Summary:
    """Create the demo force-year in one transaction: all of it, or none of it. The audit trail
    attributes every row written (and, with `replace`, deleted) to "safeguard demo".

    The year ends at `now` if given (`make run` gives the time it runs, so deadlines, overdue
    items and "this month" are current), otherwise at 30 September of the year the seed picks;
    the same seed and `now` give the same rows."""
    purpose = f"Synthetic demonstration data (safeguard demo, seed {seed}, {reports} reports)"
    with acting_as(label=AUDIT_LABEL, purpose=purpose):
        summary = _generate(
            force_name, seed=seed, reports=reports, year=year, now=now, replace=replace
        )
    # The reports were written in bulk (no per-row signals): ask screening to look at the force;
    # the job queue's worker screens it in the background (`make run` starts the worker).
    from safeguard.screening.services import mark_pending

    force = find_force(force_name)
    if force is not None:
        mark_pending(force.pk)
    return summary


def _generate(
    force_name: str,
    *,
    seed: int,
    reports: int,
    year: int | None,
    now: dt.datetime | None,
    replace: bool,
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
    now = demo_clock(now) if now is not None else demo_now(year or demo_year(seed))
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
    keep = {spec for case in cases for dyad in case.dyads for spec in dyad.reports}
    keep |= {e.data["report"] for c in cases for e in c.events if e.data.get("report")}
    identities = _materialise(force, planner, staff, keep)
    phase("people and reports")

    builder = CaseBuilder(rng, force, geography, staff, now)
    builder.build(cases)
    builder.expire()
    _record_referrals(force, staff.coordinator, now)
    phase("orders")

    summary = Summary(force=force.name, seed=seed, now=now)
    _summarise(summary, force, planner)
    summary.identities = len(identities)
    phase("summary")
    summary.phases = phases
    summary.elapsed = time.perf_counter() - started
    return summary
