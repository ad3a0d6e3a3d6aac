"""`safeguard link INPUT.csv --out OUTPUT.csv [--engine duckdb|spark] [--threshold P]`: see
safeguard/screening/linkage/cli.py. Works on files only; it reads and writes no database."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Link person records in a CSV file into identities (record_id,person_id)."

    def run_from_argv(self, argv: list[str]) -> None:
        from safeguard.screening.linkage.cli import main

        raise SystemExit(main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:  # call_command("link", ...)
        from safeguard.screening.linkage.cli import main

        code = main(list(args), stdout=self.stdout, stderr=self.stderr)  # type: ignore[arg-type]
        if code:
            sys.exit(code)
