"""Import throughput: crime reports through the importer, against the same rows through COPY.

In one run, on a throwaway database on the configured PostgreSQL server:
1. writes a sample file of 11,000 reports in the documented format (a force's year of stalking
   and harassment reports: about 24,000 rows, one per person per report);
2. imports it with the importer (`safeguard import crime-reports`): every row checked, then
   written in batches of 500 reports, each a transaction, audit triggers on;
3. takes the rows the importer wrote (reports, people, parties, identifiers, protected details,
   encrypted values as stored), gives them new ids and references, and loads them with COPY into
   the same tables in one transaction, triggers on: the ceiling for these tables as they are;
4. does the same COPY once more with triggers off (session_replication_role = replica): what
   the hash-chained audit trail costs.

Prints rows per second for each and writes benchmarks/results/import.json.
    python benchmarks/import.py [--reports 11000]
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from pathlib import Path

from _support import ROOT, throwaway_database

TABLES = (
    # table, {column: expression in terms of the source row "s" and offsets}
    ("reports_report", {"id": "s.id + %(report)s", "reference": "'C' || %(tag)s || s.reference"}),
    ("people_person", {"id": "s.id + %(person)s"}),
    (
        "reports_reportparty",
        {
            "id": "s.id + %(party)s",
            "report_id": "s.report_id + %(report)s",
            "person_id": "s.person_id + %(person)s",
        },
    ),
    ("people_identifier", {"id": "s.id + %(identifier)s", "person_id": "s.person_id + %(person)s"}),
    (
        "people_protecteddetail",
        {"id": "s.id + %(detail)s", "person_id": "s.person_id + %(person)s"},
    ),
)
OFFSET_KEYS = {
    "reports_report": "report",
    "people_person": "person",
    "reports_reportparty": "party",
    "people_identifier": "identifier",
    "people_protecteddetail": "detail",
}


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cursor.fetchall()]


def _copy_round(cursor, force_id: int, tag: str) -> tuple[int, float]:
    """COPY the importer's rows back into their tables with new ids: (rows, seconds)."""
    offsets = {}
    for table, key in OFFSET_KEYS.items():
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        offsets[key] = cursor.fetchone()[0] + 10
    offsets["tag"] = tag
    buffers = []
    for table, overrides in TABLES:
        columns = _columns(cursor, table)
        select = ", ".join(
            overrides.get(c, f"s.{c}")
            % {k: (f"'{v}'" if k == "tag" else v) for k, v in offsets.items()}
            for c in columns
        )
        where = {
            "reports_report": f"s.force_id = {force_id} AND s.reference LIKE 'SMP/%%'",
            "people_person": f"s.force_id = {force_id} AND s.id IN (SELECT person_id FROM reports_reportparty p JOIN reports_report r ON r.id = p.report_id WHERE r.reference LIKE 'SMP/%%')",
            "reports_reportparty": "s.report_id IN (SELECT id FROM reports_report WHERE reference LIKE 'SMP/%%')",
            "people_identifier": "s.person_id IN (SELECT person_id FROM reports_reportparty p JOIN reports_report r ON r.id = p.report_id WHERE r.reference LIKE 'SMP/%%')",
            "people_protecteddetail": "s.person_id IN (SELECT person_id FROM reports_reportparty p JOIN reports_report r ON r.id = p.report_id WHERE r.reference LIKE 'SMP/%%')",
        }[table]
        data = io.BytesIO()
        with cursor.copy(f"COPY (SELECT {select} FROM {table} s WHERE {where}) TO STDOUT") as copy:
            for block in copy:
                data.write(block)
        buffers.append((table, columns, data.getvalue()))
    rows = sum(buf.count(b"\n") for _, _, buf in buffers)
    started = time.perf_counter()
    for table, columns, data in buffers:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(data)
    return rows, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=11_000)
    args = parser.parse_args()
    with throwaway_database("bench_import"):
        from django.db import connection, transaction

        from safeguard.access.models import Force
        from safeguard.reports.importers import runner
        from safeguard.reports.importers.sample import write_csv
        from safeguard.reports.models import ImportRun

        force = Force.objects.create(code="norfolk", name="Norfolk")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "reports.csv"
            file_rows = write_csv(path, args.reports, seed=2025)
            size = path.stat().st_size
            started = time.perf_counter()
            preview = runner.check("crime-reports", path, force=force, user=None)
            checked = time.perf_counter() - started
            run = runner.start(
                "crime-reports", path, file_name=path.name, force=force, user=None, preview=preview
            ).run
            started = time.perf_counter()
            run = runner.execute(run.pk, path=path)
            written = time.perf_counter() - started
        assert run.created_count == args.reports, run.created_count
        with connection.cursor() as cursor:
            db_rows = 0
            for table, _ in TABLES:
                cursor.execute(f"SELECT count(*) FROM {table}")
                db_rows += cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM access_auditevent WHERE kind = 'insert'")
            audit_rows = cursor.fetchone()[0]
            with transaction.atomic():
                copy_rows, copy_seconds = _copy_round(cursor, force.pk, "A")
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
                bare_rows, bare_seconds = _copy_round(cursor, force.pk, "B")
        _ = ImportRun
    total = checked + written
    figures = {
        "reports": args.reports,
        "file_rows": file_rows,
        "file_mb": round(size / 1e6, 1),
        "db_rows": db_rows,
        "audit_events": audit_rows,
        "check_seconds": round(checked, 2),
        "write_seconds": round(written, 2),
        "importer_file_rows_per_s": round(file_rows / total),
        "importer_db_rows_per_s": round(db_rows / total),
        "importer_write_db_rows_per_s": round(db_rows / written),
        "copy_rows": copy_rows,
        "copy_seconds": round(copy_seconds, 2),
        "copy_db_rows_per_s": round(copy_rows / copy_seconds),
        "copy_no_triggers_seconds": round(bare_seconds, 2),
        "copy_no_triggers_db_rows_per_s": round(bare_rows / bare_seconds),
    }
    print(
        f"{args.reports:,} reports, {file_rows:,} file rows ({size / 1e6:.1f} MB) -> {db_rows:,} table rows (+{audit_rows:,} audit events)"
    )
    print(f"{'path':<42} {'seconds':>8} {'table rows/s':>13}")
    print(f"{'importer: check every row':<42} {checked:8.1f}")
    print(
        f"{'importer: write (batches of 500, audited)':<42} {written:8.1f} {db_rows / written:13,.0f}"
    )
    print(
        f"{'importer: check + write':<42} {total:8.1f} {db_rows / total:13,.0f}  ({file_rows / total:,.0f} file rows/s)"
    )
    print(
        f"{'COPY, same rows, same tables, audited':<42} {copy_seconds:8.1f} {copy_rows / copy_seconds:13,.0f}"
    )
    print(
        f"{'COPY, same rows, triggers off':<42} {bare_seconds:8.1f} {bare_rows / bare_seconds:13,.0f}"
    )
    print(
        f"importer at {100 * (db_rows / total) / (copy_rows / copy_seconds):.0f}% of the audited COPY ceiling"
    )
    out = ROOT / "benchmarks" / "results" / "import.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
