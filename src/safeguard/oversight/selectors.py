"""Read side of oversight for the pages: who may see which force's figures, and the charts
(with their table alternatives) built from the metrics and the national data.

Oversight never goes through access.restrict for case records, because it never returns a case
record: it returns counts. Instead, `force_for` decides whose counts a user may see:
- supervisors, coordinators, analysts, force administrators and PCC staff: their own force;
- national administrators: any force, aggregates only;
- everyone else (officers, legal advisers, advocates): no force dashboard.
The national league table is public data: every signed-in user may see it.
Viewers outside the force's own staff (PCC staff, national roles) see figures under disclosure
control (disclosure.py), as an export would give them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from safeguard.access.models import FORCE_OVERSIGHT_ROLES, NATIONAL_ROLES, Force, Role
from safeguard.oversight import disclosure
from safeguard.oversight.disclosure import CONFIDENTIAL, Rule
from safeguard.oversight.exports import metrics_table
from safeguard.oversight.league import League, area_for_force, build_league
from safeguard.oversight.metrics import BY_KEY, FAMILIES, METRICS, MetricsResult, compute
from safeguard.reports.models import Report

PCC = Role.PCC
# Roles that see a force's figures from outside its own staff: disclosure control on screen.
OUTSIDE_ROLES = frozenset({PCC, *NATIONAL_ROLES})
CACHE_SECONDS = 60


def may_see_force_figures(user: Any) -> bool:
    return user.is_authenticated and (
        user.role in NATIONAL_ROLES or (user.role in FORCE_OVERSIGHT_ROLES and user.force_id)
    )


def force_for(user: Any, requested: str = "") -> Force | None:
    """The force whose figures `user` asked for and may see. None: a national user who has not
    chosen one yet. PermissionDenied for roles with no oversight view; Http404 for a force code
    that does not exist (or, for a force user, any force but their own)."""
    if not may_see_force_figures(user):
        raise PermissionDenied("Your role does not include the oversight dashboards")
    if user.role in NATIONAL_ROLES:
        if not requested:
            return None
        force = Force.objects.filter(code=requested).first()
        if force is None:
            raise Http404("No such force")
        return force
    if requested and requested != user.force.code:
        raise Http404("No such force")
    return user.force


def rule_for(user: Any) -> Rule:
    if user.role in OUTSIDE_ROLES:
        return disclosure.rule_from_settings()
    return Rule(method="none")


def rule_for_export(user: Any) -> Rule:
    """Exports leave the system (FOI answers, open data): always under the configured rule."""
    return disclosure.rule_from_settings()


def default_period(force: Force, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The 12 whole months up to the end of the month of the force's latest report (or of
    today, when it has none): recent, and never a year of empty months."""
    latest = Report.objects.filter(force=force).aggregate(latest=Max("reported_at"))["latest"]
    anchor = timezone.localdate(latest) if latest else (today or timezone.localdate())
    following = dt.date(anchor.year + (anchor.month == 12), anchor.month % 12 + 1, 1)
    end = following - dt.timedelta(days=1)
    return dt.date(following.year - 1, following.month, 1), end


# --- Charts -------------------------------------------------------------------------------------


@dataclass
class Series:
    label: str
    data: list[Any]  # numbers, or None where a value is suppressed or not applicable
    shown: list[str]  # the same values as the table shows them


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "line" or "bar"
    labels: list[str]
    series: list[Series]
    summary: str  # one sentence for screen readers, beside the table alternative
    axis: str = ""
    horizontal: bool = False
    highlight: list[int] = field(default_factory=list)  # bars to mark (the user's force)
    notes: list[str] = field(default_factory=list)
    label_heading: str = "Period"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "labels": self.labels,
            "series": [{"label": s.label, "data": s.data} for s in self.series],
            "axis": self.axis,
            "horizontal": self.horizontal,
            "highlight": self.highlight,
        }

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        return [(label, [s.shown[i] for s in self.series]) for i, label in enumerate(self.labels)]


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _show(value: Any) -> str:
    if value == CONFIDENTIAL:
        return "[c] suppressed"
    if value is None or value == disclosure.NOT_APPLICABLE:
        return "–"  # noqa: RUF001 - an en dash: nothing to show
    if isinstance(value, float):
        return f"{value:,.1f}" if value != int(value) or value < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@dataclass
class Dashboard:
    force: Force
    result: MetricsResult
    rule: Rule
    figures: dict[str, Any]  # the total row, after disclosure control
    periods: list[dict[str, Any]]
    charts: list[Chart]
    league: League
    suppressed: int

    @property
    def display(self) -> dict[str, str]:
        """The whole period's figures as the page shows them ("1,234", "76.5%", "[c] ...")."""
        shown = {}
        for metric in METRICS:
            value = self.figures.get(metric.key)
            text = _show(value)
            if metric.kind == "percent" and _number(value) is not None:
                text += "%"
            shown[metric.key] = text
        return shown

    @property
    def timeliness(self) -> list[tuple[str, str, str]]:
        """(what, median days, how many cases) for each family."""
        found = []
        display = self.display
        for f in FAMILIES:
            for which, noun in (("application", "applications"), ("order", "orders")):
                key = f"{f.main}_median_days_to_{which}"
                found.append(
                    (
                        f"{f.short}: median days from first report to {which}",
                        display[key],
                        f"{display[key + '_cases']} {noun}",
                    )
                )
        return found


def _protected_rows(result: MetricsResult, rule: Rule) -> tuple[list[dict[str, Any]], int]:
    protected = disclosure.protect(metrics_table(result), rule)
    rows = [{m.key: values[i] for i, m in enumerate(METRICS)} for values in protected.values]
    return rows, len(protected.suppressed)


def _series(label: str, rows: list[dict[str, Any]], key: str) -> Series:
    values = [row.get(key) for row in rows]
    return Series(label, [_number(v) for v in values], [_show(v) for v in values])


def _charts(
    result: MetricsResult, rows: list[dict[str, Any]], total: dict[str, Any], league: League
) -> list[Chart]:
    labels = [r.bucket.label for r in result.rows]
    charts = [
        Chart(
            "reports",
            "Stalking and harassment reports",
            "line",
            labels,
            [
                _series("Stalking (8Q)", rows, "stalking_reports"),
                _series("Harassment (8L, 8M, 8R)", rows, "harassment_reports"),
                _series("Flagged for an order", rows, "cases_flagged"),
            ],
            "Reports recorded in each period, by offence group, and how many were flagged for an "
            "order.",
            axis="Reports",
        ),
        Chart(
            "spo-trend",
            "Stalking Protection Order applications and grants",
            "line",
            labels,
            [
                _series("Full SPO applications", rows, "spo_applied"),
                _series("Full SPOs granted", rows, "spo_granted"),
                _series("Interim SPO applications", rows, "interim_spo_applied"),
                _series(
                    "Refused or withdrawn",
                    [_sum(r, "spo_refused", "spo_withdrawn") for r in rows],
                    "value",
                ),
            ],
            "SPO applications made and orders granted in each period.",
            axis="Applications or orders",
        ),
    ]
    funnel_keys = (
        ("Cases flagged for an order", "cases_flagged"),
        ("Full SPO applications", "spo_applied"),
        ("Full SPOs granted", "spo_granted"),
        ("Full SPOs in force at the end", "spo_in_force"),
    )
    charts.append(
        Chart(
            "funnel",
            "From flag to order: the application-to-grant funnel",
            "bar",
            [label for label, _ in funnel_keys],
            [
                Series(
                    "Whole period",
                    [_number(total.get(k)) for _, k in funnel_keys],
                    [_show(total.get(k)) for _, k in funnel_keys],
                )
            ],
            "How many cases were flagged, how many SPO applications were made and granted, and "
            "how many SPOs were in force at the end, over the whole period.",
            axis="Cases",
            horizontal=True,
            label_heading="Stage",
        )
    )
    family_labels = []
    applied, granted, first = [], [], []
    for f in FAMILIES:
        family_labels.append(f"{f.short} ({f.first_short})")
        applied.append(total.get(f"{f.main}_applied"))
        granted.append(total.get(f"{f.main}_granted"))
        first.append(
            total.get(f"{f.first_key}_issued" if f.first_is_notice else f"{f.first_key}_applied")
        )
    charts.append(
        Chart(
            "families",
            "Protective orders by type",
            "bar",
            family_labels,
            [
                Series(
                    "Interim orders applied for, or notices given",
                    [_number(v) for v in first],
                    [_show(v) for v in first],
                ),
                Series(
                    "Orders applied for", [_number(v) for v in applied], [_show(v) for v in applied]
                ),
                Series(
                    "Orders granted", [_number(v) for v in granted], [_show(v) for v in granted]
                ),
            ],
            "SPOs, DVPOs and DAPOs over the whole period: the interim order or notice before "
            "each, the applications and the grants.",
            axis="Orders",
            label_heading="Order type",
        )
    )
    notify = [f for f in FAMILIES if f.has_notification_duty]
    charts.append(
        Chart(
            "notifications",
            "Notifications by defendants: on time and late",
            "bar",
            [f.short for f in notify],
            [
                Series(
                    label,
                    [_number(total.get(f"{f.main}_notifications_{key}")) for f in notify],
                    [_show(total.get(f"{f.main}_notifications_{key}")) for f in notify],
                )
                for label, key in (
                    ("Made on time", "on_time"),
                    ("Made late", "late"),
                    ("Not made", "not_made"),
                )
            ],
            "Notifications due in the period under SPOs and DAPOs: made on time, made late, or "
            "not made.",
            axis="Notifications",
            label_heading="Order type",
        )
    )
    charts.append(_national_chart(result, total, league))
    return charts


def _sum(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    values = [row.get(k) for k in keys]
    if any(v == CONFIDENTIAL for v in values):
        return {"value": CONFIDENTIAL}
    return {"value": sum(v for v in values if isinstance(v, int))}


def _national_chart(result: MetricsResult, total: dict[str, Any], league: League) -> Chart:
    """Full SPOs granted per 1,000 stalking offences: every force that answered the FOI request
    (public figures), and this force's own figure for the period from its records."""
    own_area = area_for_force(result.force)
    rows = sorted(
        (r for r in league.rows if r.granted_per_1000_stalking is not None),
        key=lambda r: (-r.granted_per_1000_stalking, r.force),  # type: ignore[operator]
    )
    labels = [r.force for r in rows]
    values: list[Any] = [round(r.granted_per_1000_stalking, 2) for r in rows]  # type: ignore[arg-type]
    highlight = [i for i, r in enumerate(rows) if own_area and r.ons_code == own_area.ons_code]
    own = total.get("spo_per_1000_stalking")
    labels.insert(0, f"{result.force.name}: Safeguard records, {result.period_label}")
    values.insert(0, own if isinstance(own, int | float) else None)
    highlight = [0, *(i + 1 for i in highlight)]
    notes = [
        "Forces' figures are from their FOI answers (SPOs granted, 20 January 2020 to spring "
        "2021) over stalking offences recorded from April to December 2020.",
        "Forces that did not answer, and forces without a stalking offence count, are left out.",
    ]
    if league.foi_period is None:
        notes = ["The national data is not loaded: run safeguard oversight load-open-data."]
    return Chart(
        "national",
        "SPOs granted per 1,000 stalking offences: this force and England and Wales",
        "bar",
        labels,
        [Series("SPOs granted per 1,000 stalking offences", values, [_show(v) for v in values])],
        "Each force's SPOs granted per 1,000 stalking offences from the national FOI data, "
        "highest first, with this force's own figure for the period at the top.",
        axis="SPOs granted per 1,000 stalking offences",
        horizontal=True,
        highlight=highlight,
        notes=notes,
        label_heading="Force",
    )


def dashboard(user: Any, force: Force, start: dt.date, end: dt.date, by: str) -> Dashboard:
    rule = rule_for(user)
    key = (
        f"oversight:dashboard:{force.pk}:{start}:{end}:{by}:"
        f"{rule.method}-{rule.threshold}-{rule.base}-{int(rule.suppress_zero)}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = compute(force, start, end, by)
    rows, suppressed = _protected_rows(result, rule)
    league = build_league(highlight=area_for_force(force))
    board = Dashboard(
        force=force,
        result=result,
        rule=rule,
        figures=rows[-1],
        periods=rows[:-1],
        charts=_charts(result, rows[:-1], rows[-1], league),
        league=league,
        suppressed=suppressed,
    )
    cache.set(key, board, CACHE_SECONDS)
    return board


def league_chart(league: League) -> Chart:
    rows = sorted(
        (r for r in league.rows if r.granted_per_1000_stalking is not None),
        key=lambda r: (-r.granted_per_1000_stalking, r.force),  # type: ignore[operator]
    )
    values = [round(r.granted_per_1000_stalking, 2) for r in rows]  # type: ignore[arg-type]
    return Chart(
        "league",
        "Distribution: SPOs granted per 1,000 stalking offences, by force",
        "bar",
        [f"{r.rank}. {r.force}" for r in rows],
        [Series("SPOs granted per 1,000 stalking offences", values, [_show(v) for v in values])],
        "Every force with a figure, highest first; each bar is one force, so its position in "
        "the distribution is its rank.",
        axis="SPOs granted per 1,000 stalking offences",
        horizontal=True,
        highlight=[i for i, r in enumerate(rows) if r.highlighted],
        label_heading="Rank and force",
    )


__all__ = ["BY_KEY", "Chart", "Dashboard", "dashboard", "force_for", "league_chart"]
