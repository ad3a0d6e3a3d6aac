"""`safeguard screen`: link, evaluate and queue. A full run (the default) retrains the linkage
model on the force's records; --incremental scores with the saved model; --watch keeps running
and screens each force whose reports have changed, so new cases are flagged within a minute."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeguard.access.audit import acting_as
from safeguard.access.models import Force
from safeguard.screening import services


class Command(BaseCommand):
    help = "Screen reports for cases that may need a Stalking Protection Order."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", help="force code (default: every force)")
        parser.add_argument("--incremental", action="store_true", help="use the saved model")
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
        parser.add_argument(
            "--watch", action="store_true", help="keep screening forces with new reports"
        )
        parser.add_argument(
            "--interval", type=float, default=20.0, help="seconds between checks (--watch)"
        )
        parser.add_argument("--max-cycles", type=int, default=0, help=argparse_hidden())

    def handle(self, *args: Any, **opts: Any) -> None:
        with acting_as(label="screening", purpose="Screening for cases that may need an order"):
            if opts["watch"]:
                self._watch(opts)
                return
            forces = Force.objects.all()
            if opts["force"]:
                forces = forces.filter(code=opts["force"])
                if not forces.exists():
                    raise CommandError(f"No force with code {opts['force']!r}")
            for force in forces:
                run = services.screen(force, full=not opts["incremental"], engine=opts["engine"])
                self.stdout.write(
                    f"{force.name}: {run.records:,} person records, {run.identities:,} identities, "
                    f"{run.candidates:,} cases queued ({run.get_kind_display().lower()}, {run.seconds:.1f} s)"
                )

    def _watch(self, opts: dict[str, Any]) -> None:
        cycles = 0
        self.stdout.write(f"Screening forces with new reports every {opts['interval']:.0f} s")
        while True:
            for run in services.screen_pending(engine=opts["engine"]):
                self.stdout.write(
                    f"{run.force.name}: {run.candidates:,} cases queued ({run.seconds:.1f} s)"
                )
            cycles += 1
            if opts["max_cycles"] and cycles >= opts["max_cycles"]:
                return
            time.sleep(opts["interval"])


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
