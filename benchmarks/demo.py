"""Benchmark: generate the full demo force-year (11,000 reports) into a throwaway database.

    python benchmarks/demo.py [--reports 11000] [--seed 2021] [--json]

Uses the server in DATABASE_URL, or the embedded PostgreSQL when it is not set; creates a
database of its own there, migrates it, times `safeguard demo`, prints the row counts, and drops
the database again. The target (issue 2, item 7) is under a minute on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

from _support import admin, server_url, with_database

TARGET_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=11_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--json", action="store_true", help="Print one JSON object instead")
    args = parser.parse_args()

    base = server_url()
    name = f"safeguard_bench_demo_{os.getpid()}"
    admin(base, f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = with_database(base, name)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from safeguard.demo.generate import generate

        call_command("migrate", verbosity=0, skip_checks=True)
        started = time.perf_counter()
        summary = generate("Norfolk", seed=args.seed, reports=args.reports)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # Linux: KiB
        connections.close_all()
    finally:
        admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    if args.json:
        print(json.dumps({"benchmark": "demo", "reports": args.reports, "seconds": round(elapsed, 2),
                          "peak_memory_mb": peak_mb, "target_seconds": TARGET_SECONDS,
                          "rows": summary.counts}))  # fmt: skip
    else:
        print(f"Demo force-year: {args.reports:,} reports, seed {args.seed}, {os.cpu_count()} CPUs")
        for line in summary.lines():
            print(line)
        verdict = "within" if elapsed < TARGET_SECONDS else "OVER"
        print(f"Wall time {elapsed:.1f} s: {verdict} the {TARGET_SECONDS:.0f} s target.")
        print(f"Peak memory (resident) {peak_mb:,} MB.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
