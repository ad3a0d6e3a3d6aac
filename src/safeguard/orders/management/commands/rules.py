"""`safeguard rules events` and `safeguard rules deadline EVENT --at DATETIME [--json]`.

The statutory clock itself is pure Python (safeguard.rules.cli); this command adds the proclaimed
extra bank holidays an administrator has entered, so the answers match what case pages show.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from safeguard.rules import cli
from safeguard.rules.calendar import Calendar


class Command(BaseCommand):
    help = "Statutory rules: list clock events or compute the deadlines an event starts."
    requires_system_checks: list[str] = []  # a statutory question needs no site checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*", help="events | deadline EVENT --at DATETIME")

    def run_from_argv(self, argv: list[str]) -> None:
        # Hand every argument after "rules" to the rules CLI, which owns its own options.
        self._argv = argv[2:]
        super().run_from_argv([*argv[:2]])

    def handle(self, *args: Any, **options: Any) -> None:
        from safeguard.orders.services import statutory_calendar

        argv = getattr(self, "_argv", list(args))
        try:
            calendar = statutory_calendar()
        except DatabaseError:
            calendar = Calendar()
        code = cli.main(
            argv, calendar=calendar, stdout=cast(TextIO, self.stdout._out), stderr=sys.stderr
        )
        if code:
            raise SystemExit(code)
