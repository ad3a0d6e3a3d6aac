"""Benchmark: court documents and deadline reminders over the whole demo force.

    python benchmarks/documents.py [--documents 100] [--reports 11000] [--json]

In a throwaway database (benchmarks/_support.py) with the full demo force-year, it
1. makes `--documents` documents, cycling through every kind for every order it fits, each the
   whole way a user's request goes (access checks, case file, content, redaction, WeasyPrint
   PDF, storing the version, the disclosure in the audit trail), and reports the median;
2. runs the reminders over the whole force at the demo's today (30 September, 16:00), the job
   the worker runs every five minutes, e-mails to Django's in-memory backend, and reports the
   time of the first run (which records and sends) and of a second (which finds nothing new).
Targets: a document in under 2 s (median), a reminder run in under 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import statistics
import sys
import time
from zoneinfo import ZoneInfo

from _support import throwaway_database

TARGET_DOCUMENT_SECONDS = 2.0
TARGET_REMINDER_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--reports", type=int, default=11_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["SAFEGUARD_JOBS_EAGER"] = "1"
    os.environ["SAFEGUARD_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

    with throwaway_database("safeguard_bench_documents"):
        from django.core import mail

        from safeguard.access.models import User
        from safeguard.compliance import reminders
        from safeguard.demo.generate import generate
        from safeguard.documents import services
        from safeguard.documents.models import DocumentKind
        from safeguard.documents.selectors import kinds_for
        from safeguard.orders.models import Order

        generate("Norfolk", seed=args.seed, reports=args.reports)
        user = User.objects.get(username="norfolk-coordinator")
        jobs = []
        for order in Order.objects.order_by("pk"):
            for kind in kinds_for(order):
                extra = {}
                if kind == DocumentKind.NOTIFICATION_ACKNOWLEDGMENT:
                    made = order.notifications.filter(notified_at__isnull=False).first()
                    if made is None:
                        continue
                    extra["notification_id"] = made.pk
                jobs.append((order.pk, kind, extra))
        # Every kind in turn, so the 100 cover them all (notices and acknowledgments included).
        by_type: dict[str, list] = {}
        for job in jobs:
            by_type.setdefault(job[1], []).append(job)
        jobs = [j for group in itertools.zip_longest(*by_type.values()) for j in group if j]
        timings: list[float] = []
        by_kind: dict[str, list[float]] = {}
        pages = 0
        for order_id, kind, extra in itertools.islice(itertools.cycle(jobs), args.documents):
            recipients, purpose = services.DEFAULTS[kind]
            started = time.perf_counter()
            document = services.generate(
                user, order_id, kind, recipients=recipients, purpose=purpose, **extra
            )
            elapsed = time.perf_counter() - started
            assert document.status == "ready", document.error
            timings.append(elapsed)
            by_kind.setdefault(kind, []).append(elapsed)
            pages += document.pages or 0

        demo_now = dt.datetime(args.seed, 9, 30, 16, tzinfo=ZoneInfo("Europe/London"))
        started = time.perf_counter()
        first = reminders.run(demo_now)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = reminders.run(demo_now)
        second_seconds = time.perf_counter() - started
        orders = Order.objects.count()
        emails = len(mail.outbox)

    median = statistics.median(timings)
    result = {
        "benchmark": "documents",
        "documents": len(timings),
        "median_seconds": round(median, 3),
        "p90_seconds": round(statistics.quantiles(timings, n=10)[-1], 3),
        "mean_pages": round(pages / len(timings), 1),
        "median_by_kind": {k: round(statistics.median(v), 3) for k, v in sorted(by_kind.items())},
        "reminder_run_seconds": round(first_seconds, 3),
        "reminder_rerun_seconds": round(second_seconds, 3),
        "orders": orders,
        "open_deadlines": first.deadlines,
        "reminders_created": first.created,
        "emails": emails,
        "reports": args.reports,
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"Documents: {len(timings)} made over {len(jobs)} order/kind pairs, {os.cpu_count()} CPUs"
        )
        print(
            f"  median {median:.3f} s, 90th percentile {result['p90_seconds']:.3f} s, "
            f"{result['mean_pages']} pages on average"
        )
        for kind, value in result["median_by_kind"].items():
            print(f"  {kind:<30} median {value:.3f} s")
        print(f"Reminders over the demo force ({orders} orders, {args.reports:,} reports): "
              f"{first.deadlines} open deadlines, {first.created} reminders, {emails} e-mails "
              f"in {first_seconds:.3f} s; run again: {second_seconds:.3f} s, "
              f"{second.created} new")  # fmt: skip
    ok = median < TARGET_DOCUMENT_SECONDS and first_seconds < TARGET_REMINDER_SECONDS
    print("Within targets." if ok else "OVER a target.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
