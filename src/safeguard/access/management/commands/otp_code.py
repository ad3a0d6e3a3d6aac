"""`safeguard otp_code USERNAME`: the code a user's authenticator app would show now.

For development and the demo only (`make run`): the demo users' devices have a published
secret, so this prints the code to sign in with. It refuses to run unless settings.DEBUG is on,
so it can never stand in for a real second factor on a live system.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.access import otp


class Command(BaseCommand):
    help = "Print the current two-factor code of a user's authenticator app (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--secret",
            action="store_true",
            help="Print the secret (base32) to add to an authenticator app instead of a code",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "otp_code works only in development (DEBUG on): on a live system a code must "
                "come from the user's own authenticator app"
            )
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']!r}")
        device = otp.app_device(user)
        if device is None:
            raise CommandError(
                f"{user.get_username()} has no authenticator app set up: they set one up when "
                "they next sign in"
            )
        if options["secret"]:
            self.stdout.write(base64.b32encode(device.bin_key).decode().rstrip("="))
            return
        self.stdout.write(otp.current_code(device))
