"""Metrics over one force's own records, for any period, by month, quarter or year.

Every figure is an aggregate: the queries here select counts, dates and order types, never a
name, a narrative or a protected detail, so nothing personal can reach a dashboard or export
through them. Each metric is defined once, in METRICS below, and the same words are in
docs/metrics.md (a test checks the two agree).

Time: events are placed by their local date in Europe/London (DESIGN.md, Time). A period is
whole days, from its first to its last day inclusive; a bucket (month, quarter, year) is clipped
to the period, so the first and last may be part-months.

Order types are grouped in families read from the rules specs: the main order and the step
before it (the interim SPO before a full SPO; the DVPN before a DVPO; the DAPN before a DAPO).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from safeguard.access.models import Force
from safeguard.compliance.models import Breach, Notification
from safeguard.orders.models import Order, StateChange
from safeguard.reports.models import Report, ReportStatus
from safeguard.rules.offences import STALKING_AND_HARASSMENT_CODES, STALKING_CODES
from safeguard.rules.orders import ORDER_TYPES, State

LONDON = ZoneInfo("Europe/London")
GRANULARITIES = ("month", "quarter", "year")
HARASSMENT_CODES = STALKING_AND_HARASSMENT_CODES - STALKING_CODES
MAX_DAYS = 366 * 25  # a period longer than this is almost certainly a typing error


class MetricsError(ValueError):
    """A period or breakdown that cannot be computed; the message says what to change."""


# --- Families of order types, from the rules specs ------------------------------------------------


@dataclass(frozen=True)
class Family:
    main: str  # e.g. "spo"
    first: str  # e.g. "interim-spo" or "dvpn"
    first_is_notice: bool

    @property
    def key(self) -> str:
        return self.main

    @property
    def first_key(self) -> str:
        return self.first.replace("-", "_")

    @property
    def types(self) -> tuple[str, str]:
        return (self.main, self.first)

    @property
    def has_notification_duty(self) -> bool:
        return any(ORDER_TYPES[t].initial_notification_on for t in self.types)

    @property
    def title(self) -> str:
        return ORDER_TYPES[self.main].title

    @property
    def short(self) -> str:
        return self.main.upper()

    @property
    def first_short(self) -> str:
        return f"Interim {self.short}" if not self.first_is_notice else self.first.upper()

    @property
    def first_title(self) -> str:
        return ORDER_TYPES[self.first].title


def _families() -> tuple[Family, ...]:
    found = []
    for key, spec in ORDER_TYPES.items():
        if spec.interim_for:
            found.append(Family(spec.interim_for, key, first_is_notice=False))
    for key, spec in ORDER_TYPES.items():
        if spec.follows_notice:
            found.append(Family(key, spec.follows_notice, first_is_notice=True))
    return tuple(found)


FAMILIES = _families()


# --- The metric definitions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str  # "count", "stock" (at the period's end), "percent", "rate", "median", "cases"
    definition: str
    group: str = "reports"  # "reports" or a family key

    @property
    def is_count(self) -> bool:
        """Counts of cases or events: what disclosure control suppresses or rounds."""
        return self.kind in ("count", "stock", "cases")


def _metrics() -> tuple[Metric, ...]:
    found = [
        Metric(
            "stalking_reports",
            "Stalking reports (8Q)",
            "count",
            "Reports recorded with the Home Office offence code 8Q (stalking), by the local date "
            "they were reported.",
        ),
        Metric(
            "harassment_reports",
            "Harassment reports (8L, 8M, 8R)",
            "count",
            "Reports recorded as harassment (8L), racially or religiously aggravated harassment "
            "(8M) or malicious communications (8R), by the date reported.",
        ),
        Metric(
            "stalking_and_harassment_reports",
            "Stalking and harassment reports",
            "count",
            "Stalking reports plus harassment reports: the ONS 'stalking and harassment' group.",
        ),
        Metric(
            "cases_flagged",
            "Cases flagged for an order",
            "count",
            "Stalking and harassment reports, by the date reported, that were referred to the SPO "
            "coordinator or are linked to an application for a protective order of any type.",
        ),
    ]
    for f in FAMILIES:
        main, first = f.title, f.first_title
        short, first_short = f.short, f.first_short
        g = f.key
        found.append(
            Metric(
                f"{f.main}_applied",
                f"{short} applications",
                "count",
                f"Applications to the court for a {main}, by the local date the application was "
                "made.",
                g,
            )
        )
        if f.first_is_notice:
            found.append(
                Metric(
                    f"{f.first_key}_issued",
                    f"{first_short}s given",
                    "count",
                    f"{first}s given by an authorising officer, by the local date given.",
                    g,
                )
            )
        else:
            found += [
                Metric(
                    f"{f.first_key}_applied",
                    f"{first_short} applications",
                    "count",
                    f"Applications for an {first}, by the date the application was made.",
                    g,
                ),
                Metric(
                    f"{f.first_key}_granted",
                    f"{first_short}s granted",
                    "count",
                    f"{first}s made by the court, by the date made.",
                    g,
                ),
            ]
        found += [
            Metric(
                f"{f.main}_granted",
                f"{short}s granted",
                "count",
                f"{main}s made by the court (as asked or with changed conditions), by the date "
                "made, whatever happened to the order later.",
                g,
            ),
            Metric(
                f"{f.main}_refused",
                f"{short} applications refused",
                "count",
                f"{main} applications the court refused, by the date of the decision.",
                g,
            ),
            Metric(
                f"{f.main}_withdrawn",
                f"{short} applications withdrawn",
                "count",
                f"{main} applications withdrawn after they were made to the court, by the date "
                "withdrawn (a draft abandoned before it was made is not counted).",
                g,
            ),
            Metric(
                f"{f.main}_grant_rate",
                f"{short} grant rate (%)",
                "percent",
                f"{main}s granted as a percentage of the {main} applications decided in the "
                "period (granted + refused + withdrawn). Blank when none was decided.",
                g,
            ),
        ]
        if f.main == "spo":
            found += [
                Metric(
                    "spo_per_1000_stalking",
                    "SPOs granted per 1,000 stalking reports",
                    "rate",
                    "Full SPOs granted / stalking reports (8Q) x 1,000, both in the period. "
                    "Blank when there was no stalking report.",
                    g,
                ),
                Metric(
                    "spo_per_1000_stalking_and_harassment",
                    "SPOs granted per 1,000 stalking and harassment reports",
                    "rate",
                    "Full SPOs granted / stalking and harassment reports x 1,000, both in the "
                    "period.",
                    g,
                ),
            ]
        found += [
            Metric(
                f"{f.main}_median_days_to_application",
                f"{short}: median days from first report to application",
                "median",
                f"For the {main} applications made in the period that are linked to a report: "
                "the median number of days from the earliest linked report's date to the date the "
                "application was made.",
                g,
            ),
            Metric(
                f"{f.main}_median_days_to_application_cases",
                f"{short}: applications in that median",
                "cases",
                "How many applications the median above is taken over.",
                g,
            ),
            Metric(
                f"{f.main}_median_days_to_order",
                f"{short}: median days from first report to order",
                "median",
                f"For the {main}s granted in the period that are linked to a report: the median "
                "number of days from the earliest linked report's date to the date made.",
                g,
            ),
            Metric(
                f"{f.main}_median_days_to_order_cases",
                f"{short}: orders in that median",
                "cases",
                "How many orders the median above is taken over.",
                g,
            ),
            Metric(
                f"{f.main}_in_force",
                f"{short}s in force at the end",
                "stock",
                f"{main}s in force at the end of the period's last day, from each order's history "
                "of state changes (an order whose fixed term ended before that day is not counted, "
                "even if it has not yet been marked expired).",
                g,
            ),
        ]
        if f.has_notification_duty:
            found += [
                Metric(
                    f"{f.main}_notifications_on_time",
                    f"{short}: notifications made on time",
                    "count",
                    f"Notifications the defendant had to make under a {main} or {first}, due in "
                    "the period, that were made by the deadline.",
                    g,
                ),
                Metric(
                    f"{f.main}_notifications_late",
                    f"{short}: notifications made late",
                    "count",
                    "Notifications due in the period that were made after the deadline.",
                    g,
                ),
                Metric(
                    f"{f.main}_notifications_not_made",
                    f"{short}: notifications not made",
                    "count",
                    "Notifications due in the period whose deadline has passed and which have "
                    "not been made (at the time the figures were produced).",
                    g,
                ),
            ]
        found += [
            Metric(
                f"{f.main}_breaches",
                f"{short} and {first_short} breaches",
                "count",
                f"Breaches recorded against a {main} or {first}, by the local date the breach "
                "happened.",
                g,
            ),
            Metric(
                f"{f.main}_orders_in_force_during",
                f"{short}s and {first_short}s in force during the period",
                "count",
                "Orders and notices of this family in force at any time in the period.",
                g,
            ),
            Metric(
                f"{f.main}_orders_breached",
                f"{short}s and {first_short}s breached",
                "count",
                "Of those, the orders and notices with at least one breach in the period.",
                g,
            ),
            Metric(
                f"{f.main}_breach_rate",
                f"{short} breach rate (%)",
                "percent",
                "Orders and notices breached as a percentage of those in force during the "
                "period. Blank when none was in force.",
                g,
            ),
        ]
    return tuple(found)


METRICS = _metrics()
BY_KEY = {m.key: m for m in METRICS}


# --- Periods and buckets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    key: str  # "2021-01", "2021-Q1", "2021"
    label: str  # "January 2021", "Jan to Mar 2021", "2021"
    start: dt.date
    end: dt.date  # inclusive

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def buckets(start: dt.date, end: dt.date, by: str) -> list[Bucket]:
    if by not in GRANULARITIES:
        raise MetricsError(f"Break down by one of: {', '.join(GRANULARITIES)} (not {by!r})")
    if end < start:
        raise MetricsError("The period's end is before its start: choose an end on or after it")
    if (end - start).days > MAX_DAYS:
        raise MetricsError("Choose a period of 25 years or less")
    step = {"month": 1, "quarter": 3, "year": 12}[by]
    first_month = (start.month - 1) // step * step + 1
    cursor = dt.date(start.year, first_month, 1)
    found = []
    while cursor <= end:
        following = _add_months(cursor, step)
        last = following - dt.timedelta(days=1)
        if by == "month":
            key, label = f"{cursor:%Y-%m}", f"{cursor:%B %Y}"
        elif by == "quarter":
            key = f"{cursor.year}-Q{(cursor.month - 1) // 3 + 1}"
            label = f"{cursor:%b} to {last:%b %Y}"
        else:
            key, label = str(cursor.year), str(cursor.year)
        lo, hi = max(cursor, start), min(last, end)
        if (lo, hi) != (cursor, last):
            label += f" ({lo:%-d %b} to {hi:%-d %b}, part)"
        found.append(Bucket(key, label, lo, hi))
        cursor = following
    return found


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value, LONDON).date()


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, day after end 00:00) in Europe/London, as aware datetimes."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=LONDON),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON),
    )


# --- Reading the records ----------------------------------------------------------------------------


@dataclass
class _Records:
    """The force's events, as local dates; enough to compute any bucket."""

    reports: dict[dt.date, Counter] = field(default_factory=lambda: defaultdict(Counter))
    flagged: Counter = field(default_factory=Counter)
    # per order: type, applied, issued, made, first report date
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    changes: dict[int, list[tuple[dt.datetime, str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    notifications: list[tuple[str, dt.datetime, dt.datetime | None]] = field(default_factory=list)
    breaches: list[tuple[int, dt.date]] = field(default_factory=list)


def _read(force: Force, start: dt.date, end: dt.date) -> _Records:
    records = _Records()
    lo, hi = _bounds(start, end)
    reports = Report.objects.filter(
        force=force,
        offence_code__in=sorted(STALKING_AND_HARASSMENT_CODES),
        reported_at__gte=lo,
        reported_at__lt=hi,
    )
    # One pass over the force's reports in the period: counts by local day and offence code,
    # and how many were referred to the SPO coordinator. Every column it reads is in one index
    # (force, time, code, status; oversight migration 0002: hence COUNT(status), not COUNT(id)),
    # so PostgreSQL reads the index alone, not the reports' rows.
    for day, code, n, referred in (
        reports.annotate(day=TruncDate("reported_at", tzinfo=LONDON))
        .values_list("day", "offence_code")
        .annotate(n=Count("*"), referred=Count("status", filter=Q(status=ReportStatus.REFERRED)))
        .order_by()
    ):
        records.reports[day][code] += n
        records.flagged[day] += referred
    # Reports linked to an order are few: read from the link table outwards (each linked report
    # by its key), not by testing every report in the period against the links.
    for _report_id, at in (
        Order.reports.through.objects.filter(
            report__force=force,
            report__offence_code__in=sorted(STALKING_AND_HARASSMENT_CODES),
            report__reported_at__gte=lo,
            report__reported_at__lt=hi,
        )
        .exclude(report__status=ReportStatus.REFERRED)
        .values_list("report_id", "report__reported_at")
        .distinct()
    ):
        records.flagged[_local_date(at)] += 1

    types = [t for f in FAMILIES for t in f.types]
    orders = Order.objects.filter(force=force, order_type__in=types)
    for row in orders.values(
        "pk", "order_type", "applied_at", "issued_at", "made_on", "ends_on"
    ).annotate(first_report=Min("reports__reported_at")):
        records.orders[row["pk"]] = dict(row)
    for order_id, at, action, from_state, to_state in (
        StateChange.objects.filter(order__in=orders)
        .order_by("at", "pk")
        .values_list("order_id", "at", "action", "from_state", "to_state")
    ):
        records.changes[order_id].append((at, action, from_state, to_state))
    records.notifications = list(
        Notification.objects.filter(order__in=orders).values_list(
            "order__order_type", "due_at", "notified_at"
        )
    )
    records.breaches = [
        (order_id, _local_date(at))
        for order_id, at in Breach.objects.filter(order__in=orders).values_list(
            "order_id", "occurred_at"
        )
    ]
    return records


# --- Computing ---------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _per_1000(part: int, whole: int) -> float | None:
    return round(1000 * part / whole, 2) if whole else None


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _state_at(changes: list[tuple[dt.datetime, str, str, str]], moment: dt.datetime) -> str:
    state = State.DRAFT.value
    for at, _action, _from, to in changes:
        if at >= moment:
            break
        state = to
    return state


def _in_force_at_end(order: dict[str, Any], changes: list, bucket: Bucket) -> bool:
    """In force at the end of the bucket's last day: its history says so, and its fixed term
    (if any) had not run out before that day, even if the nightly expiry has not yet run."""
    _lo, hi = _bounds(bucket.start, bucket.end)
    ends_on = order.get("ends_on")
    if ends_on is not None and ends_on < bucket.end:
        return False
    return _state_at(changes, hi) == State.IN_FORCE


def _in_force_during(order: dict[str, Any], changes: list, bucket: Bucket) -> bool:
    """In force at any moment from the bucket's first day to its last."""
    lo, hi = _bounds(bucket.start, bucket.end)
    ends_on = order.get("ends_on")
    if ends_on is not None and ends_on < bucket.start:
        return False
    if _state_at(changes, lo) == State.IN_FORCE:
        return True
    return any(lo <= at < hi and to == State.IN_FORCE for at, _a, _f, to in changes)


def _values(records: _Records, bucket: Bucket, now: dt.datetime) -> dict[str, float | int | None]:
    lo, hi = _bounds(bucket.start, bucket.end)
    inside = bucket.contains
    values: dict[str, float | int | None] = {}

    stalking = harassment = 0
    for day, codes in records.reports.items():
        if inside(day):
            stalking += sum(n for code, n in codes.items() if code in STALKING_CODES)
            harassment += sum(n for code, n in codes.items() if code in HARASSMENT_CODES)
    values["stalking_reports"] = stalking
    values["harassment_reports"] = harassment
    values["stalking_and_harassment_reports"] = stalking + harassment
    values["cases_flagged"] = sum(n for day, n in records.flagged.items() if inside(day))

    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for order in records.orders.values():
        by_type[order["order_type"]].append(order)

    def dated(order_type: str, attribute: str) -> list[dict[str, Any]]:
        found = []
        for order in by_type[order_type]:
            value = order[attribute]
            if value is None:
                continue
            day = (
                value
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
                else _local_date(value)
            )
            if inside(day):
                found.append(order)
        return found

    def decided(order_type: str, action: str) -> int:
        return sum(
            1
            for order in by_type[order_type]
            for at, act, from_state, _to in records.changes.get(order["pk"], [])
            if act == action and from_state == State.APPLIED and lo <= at < hi
        )

    def days_from_report(orders: list[dict[str, Any]], to: Callable[[dict], dt.date]) -> list[int]:
        return [(to(o) - _local_date(o["first_report"])).days for o in orders if o["first_report"]]

    for f in FAMILIES:
        applied = dated(f.main, "applied_at")
        granted = dated(f.main, "made_on")
        refused = decided(f.main, "refuse")
        withdrawn = decided(f.main, "withdraw")
        values[f"{f.main}_applied"] = len(applied)
        if f.first_is_notice:
            values[f"{f.first_key}_issued"] = len(dated(f.first, "issued_at"))
        else:
            values[f"{f.first_key}_applied"] = len(dated(f.first, "applied_at"))
            values[f"{f.first_key}_granted"] = len(dated(f.first, "made_on"))
        values[f"{f.main}_granted"] = len(granted)
        values[f"{f.main}_refused"] = refused
        values[f"{f.main}_withdrawn"] = withdrawn
        values[f"{f.main}_grant_rate"] = _percent(len(granted), len(granted) + refused + withdrawn)
        if f.main == "spo":
            values["spo_per_1000_stalking"] = _per_1000(len(granted), stalking)
            values["spo_per_1000_stalking_and_harassment"] = _per_1000(
                len(granted), stalking + harassment
            )
        to_application = days_from_report(applied, lambda o: _local_date(o["applied_at"]))
        to_order = days_from_report(granted, lambda o: o["made_on"])
        values[f"{f.main}_median_days_to_application"] = _median(to_application)
        values[f"{f.main}_median_days_to_application_cases"] = len(to_application)
        values[f"{f.main}_median_days_to_order"] = _median(to_order)
        values[f"{f.main}_median_days_to_order_cases"] = len(to_order)
        values[f"{f.main}_in_force"] = sum(
            1
            for order in by_type[f.main]
            if _in_force_at_end(order, records.changes.get(order["pk"], []), bucket)
        )
        if f.has_notification_duty:
            on_time = late = not_made = 0
            for order_type, due, notified in records.notifications:
                if order_type not in f.types or not (lo <= due < hi):
                    continue
                if notified is None:
                    not_made += due < now
                elif notified <= due:
                    on_time += 1
                else:
                    late += 1
            values[f"{f.main}_notifications_on_time"] = on_time
            values[f"{f.main}_notifications_late"] = late
            values[f"{f.main}_notifications_not_made"] = not_made
        family_orders = {o["pk"] for t in f.types for o in by_type[t]}
        breaches = [
            (oid, day) for oid, day in records.breaches if oid in family_orders and inside(day)
        ]
        during = {
            oid
            for oid in family_orders
            if _in_force_during(records.orders[oid], records.changes.get(oid, []), bucket)
        }
        breached = {oid for oid, _ in breaches} & during
        values[f"{f.main}_breaches"] = len(breaches)
        values[f"{f.main}_orders_in_force_during"] = len(during)
        values[f"{f.main}_orders_breached"] = len(breached)
        values[f"{f.main}_breach_rate"] = _percent(len(breached), len(during))
    return values


@dataclass
class Row:
    bucket: Bucket
    values: dict[str, float | int | None]


@dataclass
class MetricsResult:
    force: Force
    start: dt.date
    end: dt.date
    by: str
    produced_at: dt.datetime
    rows: list[Row]
    total: Row

    @property
    def period_label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def as_json(self) -> dict[str, Any]:
        def row(r: Row) -> dict[str, Any]:
            return {
                "period": r.bucket.key,
                "label": r.bucket.label,
                "from": r.bucket.start.isoformat(),
                "to": r.bucket.end.isoformat(),
                **r.values,
            }

        return {
            "force": self.force.name,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": self.by,
            "produced_at": self.produced_at.isoformat(),
            "definitions": {m.key: {"label": m.label, "definition": m.definition} for m in METRICS},
            "total": row(self.total),
            "periods": [row(r) for r in self.rows],
        }


def compute(
    force: Force, start: dt.date, end: dt.date, by: str = "month", *, now: dt.datetime | None = None
) -> MetricsResult:
    """The metrics of `force` from `start` to `end` (inclusive), by month, quarter or year, and
    for the whole period."""
    parts = buckets(start, end, by)
    now = now or timezone.now()
    records = _read(force, start, end)
    whole = Bucket("total", f"{start:%-d %b %Y} to {end:%-d %b %Y}", start, end)
    return MetricsResult(
        force=force,
        start=start,
        end=end,
        by=by,
        produced_at=now,
        rows=[Row(b, _values(records, b, now)) for b in parts],
        total=Row(whole, _values(records, whole, now)),
    )
