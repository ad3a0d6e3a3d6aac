"""`safeguard access matrix [--markdown]`: the permission table, as docs/permissions.md or as a
plain list of rules (one line each: role, object, action, reach, fields)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguard.access import permissions


class Command(BaseCommand):
    help = "Show the permission table (access/permissions.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        matrix = sub.add_parser("matrix", help="Print who may do what to which records")
        matrix.add_argument(
            "--markdown",
            action="store_true",
            help="Print docs/permissions.md: `safeguard access matrix --markdown > "
            "docs/permissions.md`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["markdown"]:
            self.stdout.write(permissions.markdown(), ending="")
            return
        for rule in permissions.RULES:
            fields = ", ".join(sorted(rule.fields))
            self.stdout.write(
                f"{rule.role.value:15} {rule.object:17} {rule.action.value:7} "
                f"{rule.reach.value:9} {fields}"
            )
