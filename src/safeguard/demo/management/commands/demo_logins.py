"""`safeguard demo_logins`: the demo users, their roles and their (published) password."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safeguard.access.models import Role
from safeguard.demo.staff import DEMO_PASSWORD, demo_users

_ROLE_ORDER = [role.value for role in Role]


class Command(BaseCommand):
    help = "List the demo users with their role and password (made by `safeguard demo`)."
    requires_system_checks: list[str] = []

    def handle(self, *args: object, **options: object) -> None:
        users = sorted(
            demo_users(),
            key=lambda u: (_ROLE_ORDER.index(u.role), u.force.name if u.force else "", u.username),
        )
        if not users:
            self.stdout.write(
                "No demo users yet: run `safeguard demo --force Norfolk --seed 2021`."
            )
            return
        rows = [("Role", "Username", "Password", "Force", "Team", "Rank")]
        checked: dict[str, bool] = {}  # one Argon2 check per distinct hash, not per user
        for user in users:
            if user.password not in checked:
                checked[user.password] = user.check_password(DEMO_PASSWORD)
            rows.append(
                (
                    Role(user.role).label,
                    user.username,
                    DEMO_PASSWORD if checked[user.password] else "(changed)",
                    user.force.name if user.force else "(national)",
                    user.team.name if user.team else "",
                    user.rank,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for n, row in enumerate(rows):
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write(
            "Two-factor sign-in: after the password, enter the code printed by "
            "`safeguard otp_code USERNAME` (development only), or add the user's secret "
            "(`safeguard otp_code USERNAME --secret`) to an authenticator app."
        )
        self.stdout.write("Demo passwords are public: never load demo data into a live system.")
