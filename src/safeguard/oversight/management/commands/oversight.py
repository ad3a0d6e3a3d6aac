"""`safeguard oversight ...`: the national open data, the league table, a force's metrics, and
exports, from the command line.

  safeguard oversight load-open-data [FILE ...] [--force]
  safeguard oversight league [--json]
  safeguard oversight metrics --force NAME --from DATE --to DATE [--by month|quarter|year] [--json]
  safeguard oversight export --force NAME --from DATE --to DATE --format csv|xlsx|ods
                             --purpose TEXT --output FILE [--by ...]
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.access.models import Force


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD") from None


def _force(name: str) -> Force:
    force = (
        Force.objects.filter(name__iexact=name.strip()).first()
        or Force.objects.filter(code__iexact=name.strip()).first()
    )
    if force is None:
        known = ", ".join(Force.objects.values_list("name", flat=True)) or "none yet"
        raise CommandError(f"No force called {name!r}. Forces: {known}")
    return force


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class Command(BaseCommand):
    help = "Oversight: load the national open data, print the league table or a force's metrics."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        load = sub.add_parser(
            "load-open-data",
            help="Load the public national data (the files shipped with Safeguard by default)",
        )
        load.add_argument("files", nargs="*", type=Path, help="Files to load instead")
        load.add_argument(
            "--force", action="store_true", help="Reload files whose checksum is unchanged"
        )

        league = sub.add_parser("league", help="The national league table (FOI period)")
        league.add_argument("--json", action="store_true", help="One JSON object per force")

        for name, text in (
            ("metrics", "A force's metrics over its own records"),
            ("export", "Export a force's metrics with disclosure control (logged)"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("--force", dest="force_name", required=True, help="Force name or code")
            p.add_argument("--from", dest="date_from", required=True, type=_date)
            p.add_argument("--to", dest="date_to", required=True, type=_date)
            p.add_argument("--by", default="month", choices=("month", "quarter", "year"))
            if name == "metrics":
                p.add_argument("--json", action="store_true", help="Print JSON")
            else:
                p.add_argument(
                    "--format", dest="fmt", required=True, choices=("csv", "xlsx", "ods")
                )
                p.add_argument("--purpose", required=True, help="Why: recorded in the audit trail")
                p.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    # --- actions ----------------------------------------------------------------------------

    def _load_open_data(self, options: dict[str, Any]) -> None:
        from safeguard.oversight.opendata import OpenDataError
        from safeguard.oversight.services import load_open_data

        try:
            results = load_open_data(options["files"], force=options["force"])
        except OpenDataError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(result.line())
            for note in result.notes:
                self.stdout.write(f"  note: {note}")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} files checked."))

    def _league(self, options: dict[str, Any]) -> None:
        from safeguard.oversight.league import build_league

        league = build_league()
        if not league.loaded:
            raise CommandError("No FOI data loaded: run `safeguard oversight load-open-data` first")
        if options["json"]:
            self.stdout.write(
                json.dumps([r.as_json() for r in league.rows], indent=2, default=_json_default)
            )
            return
        self.stdout.write(
            f"Stalking Protection Orders by force, {league.foi_period.label} (FOI answers); "  # type: ignore[union-attr]
            f"stalking offences {league.stalking_period.label if league.stalking_period else 'n/a'}"
        )
        self.stdout.write(
            f"{'Rank':>4}  {'Force':<22} {'Stalking':>8} {'Applied':>7} {'Granted':>7} "
            f"{'Per 1,000':>9}  Status"
        )

        def cell(value: Any, fmt: str = "") -> str:
            return "-" if value is None else format(value, fmt)

        for row in sorted(
            league.rows,
            key=lambda r: (r.rank is None, r.rank or 0, r.force),
        ):
            self.stdout.write(
                f"{cell(row.rank):>4}  {row.force:<22} {cell(row.stalking_offences, ','):>8} "
                f"{cell(row.spo_applied):>7} {cell(row.spo_granted):>7} "
                f"{cell(row.granted_per_1000_stalking, '.2f'):>9}  {row.status}"
            )
        t = league.totals
        self.stdout.write(
            f"Forces that answered ({t.answered}): {t.spo_applied} applied for, {t.spo_granted} "
            f"granted, {t.spo_rejected} rejected; {t.did_not_answer} did not answer; "
            f"{t.not_in_data} not in the data."
        )

    def _metrics(self, options: dict[str, Any]) -> None:
        from safeguard.oversight.metrics import METRICS, MetricsError, compute

        force = _force(options["force_name"])
        try:
            result = compute(force, options["date_from"], options["date_to"], options["by"])
        except MetricsError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2, default=_json_default))
            return
        self.stdout.write(f"{force.name}, {result.period_label}")
        width = max(len(m.label) for m in METRICS)
        for metric in METRICS:
            value = result.total.values.get(metric.key)
            self.stdout.write(f"  {metric.label:<{width}}  {'-' if value is None else value}")

    def _export(self, options: dict[str, Any]) -> None:
        from safeguard.oversight.exports import build_metrics_export, render
        from safeguard.oversight.metrics import MetricsError, compute
        from safeguard.oversight.services import log_export

        force = _force(options["force_name"])
        try:
            result = compute(force, options["date_from"], options["date_to"], options["by"])
        except MetricsError as exc:
            raise CommandError(str(exc)) from exc
        export = build_metrics_export(result)
        content, _ = render(export, options["fmt"])
        options["output"].write_bytes(content)
        log_export(
            None,
            what=f"metrics:{force.code}",
            purpose=options["purpose"],
            details={**export.audit_details(), "format": options["fmt"], "via": "command line"},
        )
        self.stdout.write(f"Wrote {options['output']} ({len(content):,} bytes); export logged.")
