"""Exports for Freedom of Information answers and open data: CSV, XLSX and ODS.

Each export is one data table and its metadata (title, force, period, breakdown, source, date
produced, the disclosure rule applied, and each column's definition). XLSX and ODS carry both as
sheets ("Data", "Metadata"); CSV gives them as two files, so the data file stays one plain table
a machine can read. A force's metrics always pass through disclosure control
(oversight/disclosure.py); the league table is public data and is exported as published.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safeguard.oversight import disclosure
from safeguard.oversight.disclosure import Derived, Relation, Rule, Table
from safeguard.oversight.league import League
from safeguard.oversight.metrics import FAMILIES, METRICS, MetricsResult

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# Counts that do not add up over time (an order in force in two months is one order).
NOT_ADDITIVE = tuple(
    key
    for f in FAMILIES
    for key in (f"{f.main}_orders_in_force_during", f"{f.main}_orders_breached")
)


@dataclass
class Export:
    slug: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    metadata: list[tuple[str, str]] = field(default_factory=list)
    suppressed: int = 0
    rule: str = ""

    def audit_details(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rows": len(self.rows),
            "columns": len(self.header),
            "suppressed_cells": self.suppressed,
            "disclosure_rule": self.rule,
        }

    def filename(self, fmt: str, part: str = "") -> str:
        return f"{self.slug}{'-' + part if part else ''}.{fmt}"


def _percent(values: list[Any]) -> float | None:
    granted, *others = values
    whole = granted + sum(others)
    return round(100 * granted / whole, 1) if whole else None


def _ratio(per: int) -> Any:
    def compute(values: list[Any]) -> float | None:
        part, whole = values
        return round(per * part / whole, 2) if whole else None

    return compute


def _inputs(key: str) -> tuple[tuple[str, ...], Any, str | None]:
    """What a derived metric is computed from: (input keys, compute, the 'cases' key)."""
    for f in FAMILIES:
        m = f.main
        if key == f"{m}_grant_rate":
            return (f"{m}_granted", f"{m}_refused", f"{m}_withdrawn"), _percent, None
        if key == f"{m}_breach_rate":
            return (
                (f"{m}_orders_breached", f"{m}_orders_in_force_during"),
                lambda v: round(100 * v[0] / v[1], 1) if v[1] else None,
                None,
            )
        for which in ("application", "order"):
            if key == f"{m}_median_days_to_{which}":
                cases = f"{key}_cases"
                return (cases,), None, cases
    if key == "spo_per_1000_stalking":
        return ("spo_granted", "stalking_reports"), _ratio(1000), None
    if key == "spo_per_1000_stalking_and_harassment":
        return ("spo_granted", "stalking_and_harassment_reports"), _ratio(1000), None
    raise KeyError(key)


def metrics_table(result: MetricsResult) -> Table:
    """The metrics as a table (a row per period, then the total) with its additive relations
    and derived cells, ready for disclosure control."""
    rows = [*result.rows, result.total]
    column = {m.key: i for i, m in enumerate(METRICS)}
    values = [[row.values.get(m.key) for m in METRICS] for row in rows]
    total = len(rows) - 1
    counts = {(r, c) for r in range(len(rows)) for c, m in enumerate(METRICS) if m.is_count}
    relations: list[Relation] = []
    for c, metric in enumerate(METRICS):
        if not metric.is_count or metric.key in NOT_ADDITIVE:
            continue
        if metric.kind == "stock":  # in force at the end: the total is the last period's
            relations.append(Relation((total, c), ((total - 1, c),)))
        elif total > 1:
            relations.append(Relation((total, c), tuple((r, c) for r in range(total))))
    for r in range(len(rows)):
        relations.append(
            Relation(
                (r, column["stalking_and_harassment_reports"]),
                ((r, column["stalking_reports"]), (r, column["harassment_reports"])),
            )
        )
    derived = []
    for c, metric in enumerate(METRICS):
        if metric.is_count:
            continue
        inputs, compute, cases = _inputs(metric.key)
        for r in range(len(rows)):
            derived.append(
                Derived(
                    (r, c),
                    tuple((r, column[k]) for k in inputs),
                    compute,
                    (r, column[cases]) if cases else None,
                )
            )
    return Table(values, counts, relations, derived)


def build_metrics_export(result: MetricsResult, rule: Rule | None = None) -> Export:
    rule = rule or disclosure.rule_from_settings()
    protected = disclosure.protect(metrics_table(result), rule)
    rows = []
    for row, values in zip([*result.rows, result.total], protected.values, strict=True):
        period = "Total" if row is result.total else row.bucket.label
        rows.append([period, row.bucket.start.isoformat(), row.bucket.end.isoformat(), *values])
    produced = timezone.localtime(result.produced_at)
    title = (
        f"Stalking Protection Orders and related orders: {result.force.name}, {result.period_label}"
    )
    metadata = [
        ("Title", title),
        ("Force", result.force.name),
        ("Period", result.period_label),
        ("Broken down by", result.by),
        ("Source", f"{result.force.name}'s own case records in Safeguard"),
        ("Date produced", f"{produced:%-d %B %Y %H:%M} (Europe/London)"),
        ("Disclosure control", rule.describe()),
        ("Cells suppressed", str(len(protected.suppressed))),
        ("Definitions", "docs/metrics.md in Safeguard; each column's definition follows"),
        *((f"{m.label} [{m.key}]", m.definition) for m in METRICS),
    ]
    return Export(
        slug=f"safeguard-{result.force.code}-{result.start:%Y%m%d}-{result.end:%Y%m%d}-{result.by}",
        title=title,
        header=["Period", "From", "To", *(m.label for m in METRICS)],
        rows=rows,
        metadata=metadata,
        suppressed=len(protected.suppressed),
        rule=rule.describe(),
    )


LEAGUE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("force", "Force", "Police force area (ONS)."),
    ("ons_code", "ONS code", "ONS police force area code."),
    ("status", "FOI answer", "Answered, did not answer, or not in the FOI data."),
    ("answered_on", "Answered on", "The date of the force's answer: the end of its period."),
    ("spo_applied", "SPOs applied for", "SPO applications from 20 January 2020, as answered."),
    ("spo_granted", "SPOs granted", "SPOs granted, as answered."),
    ("spo_rejected", "SPOs rejected", "SPOs refused by the court, as answered."),
    ("spo_not_heard", "SPOs not yet heard", "Applications not yet heard when the force answered."),
    (
        "stalking_offences",
        "Stalking offences",
        "Stalking (8Q) offences recorded in the period shown.",
    ),
    (
        "stalking_and_harassment_offences",
        "Stalking and harassment offences",
        "ONS 'stalking and harassment' offences in the rolling year shown.",
    ),
    ("population", "Population", "Mid-year population (ONS), the latest the tables give."),
    (
        "granted_per_1000_stalking",
        "SPOs granted per 1,000 stalking offences",
        "SPOs granted / stalking offences x 1,000.",
    ),
    ("grant_rate_percent", "Grant rate (%)", "SPOs granted as a percentage of SPOs applied for."),
    (
        "stalking_and_harassment_per_1000_people",
        "Stalking and harassment per 1,000 people",
        "Stalking and harassment offences / population x 1,000.",
    ),
    ("rank", "Rank", "By SPOs granted per 1,000 stalking offences; 1 is highest; ties share."),
)


def build_league_export(league: League) -> Export:
    def cell(value: Any) -> Any:
        if value is None:
            return disclosure.NOT_APPLICABLE
        if isinstance(value, float):
            return round(value, 2)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    rows = []
    for row in sorted(league.rows, key=lambda r: (r.rank is None, r.rank or 0, r.force)):
        data = row.as_json()
        rows.append([cell(data[key]) for key, _, _ in LEAGUE_COLUMNS])
    t = league.totals
    rows.append(
        [
            "England and Wales (forces that answered)",
            "K04000001",
            f"{t.answered} answered",
            "",
            t.spo_applied,
            t.spo_granted,
            t.spo_rejected,
            t.spo_not_heard,
            t.rate_stalking_offences,
            "",
            "",
            cell(t.granted_per_1000_stalking),
            cell(t.grant_rate_percent),
            "",
            "",
        ]
    )
    period = league.foi_period.label if league.foi_period else "no FOI data loaded"
    title = f"Stalking Protection Orders by police force, England and Wales, {period}"
    metadata = [
        ("Title", title),
        ("FOI period", period),
        (
            "Stalking offences period",
            league.stalking_period.label if league.stalking_period else "not loaded",
        ),
        (
            "Stalking and harassment period",
            league.sh_period.label if league.sh_period else "not loaded",
        ),
        (
            "National totals",
            f"Over the {t.answered} forces that answered; the national rate over the "
            f"{t.rate_forces} forces that answered and have a stalking offence count. "
            f"Rejected: {t.rejected_forces} forces gave a figure.",
        ),
        ("Sources", "; ".join(f"{s.title} ({s.publisher}; {s.licence})" for s in league.sources)),
        ("Date produced", f"{timezone.localtime():%-d %B %Y %H:%M} (Europe/London)"),
        ("Disclosure control", "None: every figure is already public."),
        (disclosure.NOT_APPLICABLE, "Not available or not applicable."),
        *((label, definition) for _, label, definition in LEAGUE_COLUMNS),
    ]
    return Export(
        slug="safeguard-spo-league-table",
        title=title,
        header=[label for _, label, _ in LEAGUE_COLUMNS],
        rows=rows,
        metadata=metadata,
        rule="none (public data)",
    )


# --- Rendering ---------------------------------------------------------------------------------


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(export: Export) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    data = workbook.active
    data.title = "Data"
    data.append(export.header)
    for row in export.rows:
        data.append(row)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "B2"
    meta = workbook.create_sheet("Metadata")
    meta.append(["Field", "Value"])
    for key, value in export.metadata:
        meta.append([key, value])
    for cell in meta[1]:
        cell.font = Font(bold=True)
    meta.column_dimensions["A"].width = 45
    meta.column_dimensions["B"].width = 120
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ods(export: Export) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()

    def sheet(name: str, rows: list[list[Any]]) -> None:
        table = OdsTable(name=name)
        for values in rows:
            row = TableRow()
            for value in values:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text="" if value is None else str(value)))
                else:
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                row.addElement(cell)
            table.addElement(row)
        document.spreadsheet.addElement(table)

    sheet("Data", [export.header, *export.rows])
    sheet("Metadata", [["Field", "Value"], *[list(m) for m in export.metadata]])
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def render(export: Export, fmt: str, part: str = "") -> tuple[bytes, str]:
    """The export as bytes and its content type. For CSV, part="metadata" gives the metadata
    file; otherwise the data."""
    if fmt not in FORMATS:
        raise ValueError(f"Export as one of: {', '.join(FORMATS)} (not {fmt!r})")
    if fmt == "csv":
        if part == "metadata":
            return _csv(["Field", "Value"], [list(m) for m in export.metadata]), FORMATS[fmt]
        return _csv(export.header, export.rows), FORMATS[fmt]
    if fmt == "xlsx":
        return _xlsx(export), FORMATS[fmt]
    return _ods(export), FORMATS[fmt]
