"""`safeguard retention schedule`: recompute every person's retention review date from the
retention rules (SAFEGUARD_RETENTION; docs/retention.md). Run it daily. `safeguard retention
rules` prints the rules in force."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguard.people import retention, services


class Command(BaseCommand):
    help = "Retention review dates (MoPI outline, configured by SAFEGUARD_RETENTION)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("schedule", help="Recompute every person's review date")
        sub.add_parser("rules", help="Print the retention rules in force")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule":
            count = services.schedule_reviews()
            self.stdout.write(f"{count} review date{'s' if count != 1 else ''} computed")
            return
        rules = retention.configured_rules()
        self.stdout.write(f"Retention rules ({rules.source}):")
        for key, group in rules.groups.items():
            keep = f", kept until aged {group.retain_until_age}" if group.retain_until_age else ""
            self.stdout.write(
                f"  {key}: {group.title}; review {group.review_every_years} years after the "
                f"latest activity{keep}; a disposal erases {', '.join(group.erase)}"
            )
        for name in ("public_protection_offences", "serious_offences", "other_offences"):
            self.stdout.write(f"  {name}: {', '.join(sorted(getattr(rules, name)))}")
        self.stdout.write(f"  unlisted offences: {rules.unlisted_offence_group}")
        self.stdout.write(f"  orders are public protection: {rules.orders_are_public_protection}")
