"""`safeguard reminders run|queue|send`: the deadline reminders from the command line.

safeguard reminders run [--at 2026-09-30T16:00] [--no-email]   what the worker runs
safeguard reminders queue --user norfolk-officer [--scope mine|team|all] [--at ...]
safeguard reminders reviews [--today 2026-09-30]              open or close review tasks
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguard.access import audit
from safeguard.access.models import User
from safeguard.compliance import deadlines, reminders, reviews
from safeguard.rules.clock import parse_datetime, to_london


class Command(BaseCommand):
    help = "Run the deadline reminders, print a user's deadlines queue, or sweep review tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run", "queue", "reviews"])
        parser.add_argument("--at", help="Act as if it were this time (Europe/London)")
        parser.add_argument("--today", help="For reviews: act as if it were this day")
        parser.add_argument("--user", help="For queue: whose queue")
        parser.add_argument("--scope", default="mine", choices=[s.value for s in deadlines.Scope])
        parser.add_argument("--no-email", action="store_true", help="Record, do not e-mail")

    def handle(self, *args: Any, **options: Any) -> None:
        now = to_london(parse_datetime(options["at"])) if options["at"] else timezone.now()
        if options["action"] == "run":
            with audit.acting_as(label="reminders", purpose="Deadline reminders run by hand"):
                result = reminders.run(now, send=not options["no_email"])
            self.stdout.write(
                f"{result.deadlines} open deadlines; {result.created} new reminders "
                f"({', '.join(f'{k} {v}' for k, v in sorted(result.by_stage.items())) or 'none due'}); "
                f"{result.emailed} e-mails sent; {result.seconds:.2f} s"
            )
        elif options["action"] == "reviews":
            today = (
                parse_datetime(options["today"]).date()
                if options["today"]
                else timezone.localdate(now)
            )
            with audit.acting_as(label="reviews", purpose="Review tasks swept by hand"):
                swept = reviews.sweep(today)
            self.stdout.write(f"{swept.opened} review tasks opened, {swept.closed} closed")
        else:
            if not options["user"]:
                raise CommandError("Give --user: the queue is a user's own, through their access")
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}")
            for row in deadlines.queue_for(user, options["scope"], now):
                d = row.deadline
                self.stdout.write(
                    f"{row.status_label:<16} {to_london(d.due):%Y-%m-%d %H:%M}  "
                    f"{d.order.reference:<22} {d.what}"
                )
