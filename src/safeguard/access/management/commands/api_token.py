"""`safeguard api_token ...`: tokens for other systems to call the REST API (docs/api.md).

  safeguard api_token create --user rms-norfolk --name "Niche RMS nightly feed" [--days 90]
  safeguard api_token list [--user NAME]
  safeguard api_token revoke PREFIX

A token takes its force and role from its account when it is made, and stops working if the
account's force or role changes, the account is closed, the token is revoked, or it expires. The
key is printed once and never stored (only its SHA-256 digest is).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguard.access.models import ApiToken, User
from safeguard.api import authentication


class Command(BaseCommand):
    help = "Create, list and revoke API tokens for other systems."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="Make a token (the key is shown once)")
        create.add_argument("--user", required=True, help="The service account's username")
        create.add_argument("--name", required=True, help="What will use it")
        create.add_argument("--days", type=int, default=authentication.DEFAULT_DAYS)
        listing = sub.add_parser("list", help="List tokens (never their keys)")
        listing.add_argument("--user", help="Only this account's tokens")
        revoke = sub.add_parser("revoke", help="Revoke a token at once")
        revoke.add_argument("prefix", help="The token's prefix, as `list` shows it")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}")
        try:
            token, key = authentication.issue(user, name=options["name"], days=options["days"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Token {token.prefix} for {user.username} ({token.get_role_display()}, {token.force}), "
            f"expires {timezone.localtime(token.expires_at):%d %B %Y %H:%M}."
        )
        self.stdout.write("The key (shown once, store it in the calling system's secret store):")
        self.stdout.write(key)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user", "force")
        if options.get("user"):
            tokens = tokens.filter(user__username=options["user"])
        now = timezone.now()
        for t in tokens:
            state = "revoked" if t.revoked_at else ("expired" if t.expires_at <= now else "live")
            used = (
                f"last used {timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}"
                if t.last_used_at
                else "never used"
            )
            self.stdout.write(
                f"{t.prefix}  {state:<8} {t.user.username:<20} {t.role:<12} {t.force.code:<12} "
                f"expires {timezone.localtime(t.expires_at):%Y-%m-%d}  {used}  {t.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(f"No token with prefix {options['prefix']!r}")
        authentication.revoke(token)
        self.stdout.write(self.style.SUCCESS(f"Token {token.prefix} ({token.name}) revoked."))
