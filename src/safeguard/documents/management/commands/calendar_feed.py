"""`safeguard calendar_feed new|revoke --user USERNAME`: a user's private calendar address."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from safeguard.access.models import User
from safeguard.documents import services


class Command(BaseCommand):
    help = "Make (shown once) or turn off a user's private calendar address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["new", "revoke"])
        parser.add_argument("--user", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}")
        if options["action"] == "revoke":
            count = services.revoke_calendar_feeds(user)
            self.stdout.write(f"{count} calendar address(es) turned off for {user.username}")
            return
        _, token = services.new_calendar_feed(user)
        url = settings.SAFEGUARD_BASE_URL.rstrip("/") + reverse("calendar-feed", args=[token])
        self.stdout.write(url)
