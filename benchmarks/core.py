"""Benchmark: the statutory clock, the order state machine and the audit trail.

    python benchmarks/core.py

Figures: deadlines computed per second; a full SPO lifecycle (create, apply, grant, serve,
notify) per second through the services, with the audit triggers on; audit events written per
second and verified per second. Targets are deliberately modest: they guard against a
regression that would make a page or an import visibly slow, not a micro-optimisation.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from _support import throwaway_database

LONDON = ZoneInfo("Europe/London")
TARGETS = {"deadlines/s": 20_000, "lifecycles/s": 20, "audit events verified/s": 20_000}


def bench_clock() -> float:
    from safeguard.rules.clock import EVENTS, compute_deadlines

    start = dt.datetime(2025, 12, 20, 22, 30, tzinfo=LONDON)
    events = list(EVENTS)
    n = 0
    began = time.perf_counter()
    for i in range(2_000):
        at = start + dt.timedelta(hours=i * 7)
        for event in events:
            n += len(compute_deadlines(event, at))
    return n / (time.perf_counter() - began)


def bench_lifecycle(count: int = 200) -> tuple[float, int]:
    from safeguard.access.models import AuditEvent, Force
    from safeguard.orders import services
    from safeguard.orders.models import Outcome
    from safeguard.people.models import Person

    force = Force.objects.create(code="bench", name="Bench")
    people = Person.objects.bulk_create(
        [Person(force=force, given_name=f"P{i}", surname="Bench") for i in range(2 * count)]
    )
    before = AuditEvent.objects.count()
    began = time.perf_counter()
    for i in range(count):
        order = services.create_order(
            force=force,
            order_type="spo",
            defendant=people[2 * i],
            protected_persons=[people[2 * i + 1]],
            by=None,
            conditions=[services.ProposedCondition("no-contact", necessity="Repeated contact")],
        )
        order = services.submit_application(order, expected_version=order.version, by=None)
        order = services.record_outcome(
            order,
            Outcome.GRANTED,
            expected_version=order.version,
            by=None,
            made_on=dt.date(2025, 3, 10),
            until_further_order=True,
        )
        services.record_service(
            order,
            served_at=dt.datetime(2025, 3, 10, 15, tzinfo=LONDON),
            method="personal",
            served_by="PC Bench",
            expected_version=order.version,
            by=None,
        )
    rate = count / (time.perf_counter() - began)
    return rate, AuditEvent.objects.count() - before


def bench_verify() -> tuple[float, int]:
    from safeguard.access import audit

    began = time.perf_counter()
    result = audit.verify()
    assert result.ok, result.broken[:3]
    return result.events / (time.perf_counter() - began), result.events


def main() -> int:
    figures: dict[str, float] = {"deadlines/s": bench_clock()}
    with throwaway_database("bench_core"):
        lifecycles, events = bench_lifecycle()
        figures["lifecycles/s"] = lifecycles
        figures["audit events per lifecycle"] = events / 200
        verified, total = bench_verify()
        figures["audit events verified/s"] = verified
        figures["audit events in chain"] = total
    missed = 0
    for name, value in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("ok" if value >= target else f"MISSED (< {target})")
        missed += verdict.startswith("MISSED")
        print(f"{name:<28} {value:>12,.1f} {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
