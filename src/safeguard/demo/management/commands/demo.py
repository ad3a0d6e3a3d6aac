"""`safeguard demo --force "Norfolk" --seed N [--if-empty] [--replace] [--reports 11000]`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.demo.generate import (
    DEFAULT_REPORTS,
    DemoError,
    find_force,
    force_has_reports,
    generate,
)


class Command(BaseCommand):
    help = (
        "Generate a synthetic force-year of demo data: about 11,000 stalking and harassment "
        "reports, repeat suspects recorded inconsistently, demo users of every role, and orders "
        "in every lifecycle state. Deterministic: the same seed gives the same rows."
    )
    # The demo must run before the web layer is complete (and on a fresh database).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", default="Norfolk", help='The force, e.g. "Norfolk"')
        parser.add_argument("--seed", type=int, default=2021, help="Random seed (default 2021)")
        parser.add_argument(
            "--reports",
            type=int,
            default=DEFAULT_REPORTS,
            help=f"Stalking and harassment reports in the year (default {DEFAULT_REPORTS:,})",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="The demo year (ends 30 September); by default the seed picks it",
        )
        parser.add_argument(
            "--now",
            type=dt.datetime.fromisoformat,
            default=None,
            help="The demo's today, ISO 8601 (e.g. 2026-11-28T09:30+00:00): the year ends then "
            "(default: 30 September of the demo year)",
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the force already has reports",
        )
        group.add_argument(
            "--replace",
            action="store_true",
            help="Delete the force's demo data first (in the same transaction)",
        )

    def handle(self, *args: object, **options: object) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "The demo creates users with published passwords; it does not run when "
                "SAFEGUARD_ENV=production."
            )
        force_name = str(options["force"])
        if force_has_reports(find_force(force_name)):
            if options["if_empty"]:
                self.stdout.write(
                    f"{force_name} already has reports: leaving its data as it is (--if-empty)."
                )
                return
            if not options["replace"]:
                raise CommandError(
                    f"{force_name} already has reports. Use --replace to delete its demo data "
                    "and generate it again, or --if-empty to leave it as it is."
                )
        self.stdout.write(f"Generating demo data for {force_name} (seed {options['seed']})...")
        try:
            summary = generate(
                force_name,
                seed=int(options["seed"]),  # type: ignore[call-overload]
                reports=int(options["reports"]),  # type: ignore[call-overload]
                year=options["year"],  # type: ignore[arg-type]
                now=options["now"],  # type: ignore[arg-type]
                replace=bool(options["replace"]),
            )
        except (DemoError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Done. `safeguard demo_logins` lists the demo users."))
