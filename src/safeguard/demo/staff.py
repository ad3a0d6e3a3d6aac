"""The demo force, its teams, and a demo user of every role with a published password.

Demo users are marked by their e-mail domain (DEMO_EMAIL_DOMAIN), so `safeguard demo_logins`
can list them and nothing else. Their password is public: the demo refuses to run in production
(management/commands/demo.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from safeguard.access.models import Force, Role, Team, User
from safeguard.access.otp import provision_totp
from safeguard.demo import names
from safeguard.demo.geography import ForceGeography

DEMO_PASSWORD = "demo-safeguard-2026"  # noqa: S105 - published on purpose: demo only
DEMO_EMAIL_DOMAIN = "demo.safeguard.invalid"  # .invalid is reserved (RFC 2606): never delivered
NATIONAL_ADMIN_USERNAME = "national-admin"


@dataclass
class Staff:
    force: Force
    teams: dict[str, Team]
    by_username: dict[str, User] = field(default_factory=dict)
    officers_by_team: dict[str, list[User]] = field(default_factory=dict)

    def user(self, key: str) -> User:
        return self.by_username[f"{self.force.code}-{key}"]

    @property
    def coordinator(self) -> User:
        return self.user("coordinator")

    @property
    def inspector(self) -> User:
        return self.user("supervisor")

    @property
    def superintendent(self) -> User:
        return self.user("superintendent")


# (username suffix, role, rank, team index or None for the force-wide unit): one of each role,
# an inspector and a superintendent to authorise notices (DAA 2021 s.22(8); CSA 2010 s.24(1)).
_FORCE_USERS: tuple[tuple[str, str, str, int | None], ...] = (
    ("officer", Role.OFFICER, "constable", 0),
    ("coordinator", Role.COORDINATOR, "sergeant", -1),
    ("supervisor", Role.SUPERVISOR, "inspector", 0),
    ("superintendent", Role.SUPERVISOR, "superintendent", -1),
    ("legal", Role.LEGAL, "", -1),
    ("advocate", Role.ADVOCATE, "", -1),
    ("analyst", Role.ANALYST, "", None),
    ("pcc", Role.PCC, "", None),
    ("admin", Role.FORCE_ADMIN, "", None),
)
OFFICERS_PER_TEAM = 2


def get_or_create_force(geography: ForceGeography) -> Force:
    force = Force.objects.filter(name__iexact=geography.name).first()
    if force is None:
        force = Force.objects.create(
            code=geography.code, name=geography.name, ons_code=geography.ons_code
        )
    return force


def make_staff(
    force: Force, geography: ForceGeography, rng: random.Random, joined: dt.datetime
) -> Staff:
    """Teams and users, created or brought back to their demo state (idempotent)."""
    teams = {}
    for name in geography.teams:
        teams[name], _ = Team.objects.get_or_create(force=force, name=name)
    staff = Staff(force, teams)
    validate_password(DEMO_PASSWORD)
    password = make_password(DEMO_PASSWORD)  # one hash for all: Argon2 is slow on purpose
    team_list = list(geography.teams)

    def person_name() -> tuple[str, str]:
        sex = rng.choice("FM")
        given = rng.choice(names.FEMALE_GIVEN[:40] if sex == "F" else names.MALE_GIVEN[:40])
        return given, rng.choice(names.SURNAMES[:100])

    rows: list[tuple[str, str, str, Team | None, Force | None]] = []
    for suffix, role, rank, team_index in _FORCE_USERS:
        team = teams[team_list[team_index]] if team_index is not None else None
        rows.append((f"{force.code}-{suffix}", role, rank, team, force))
    # More investigating officers, so reports are spread across every local team.
    for t, team_name in enumerate(team_list[:-1]):
        for k in range(OFFICERS_PER_TEAM):
            if t == 0 and k == 0:
                continue  # the first Norwich officer is `<force>-officer`
            rows.append(
                (
                    f"{force.code}-officer-{t + 1}{'ab'[k]}",
                    Role.OFFICER,
                    "constable",
                    teams[team_name],
                    force,
                )
            )
    rows.append((NATIONAL_ADMIN_USERNAME, Role.NATIONAL_ADMIN, "", None, None))

    for n, (username, role, rank, team, user_force) in enumerate(rows):
        given, surname = person_name()
        defaults = {
            "role": role,
            "rank": rank,
            "team": team,
            "force": user_force,
            "first_name": given,
            "last_name": surname,
            "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
            "password": password,
            "collar_number": str(1000 + 37 * n) if rank else "",
            "is_active": True,
            "is_staff": False,  # roles, not Django admin flags, decide what a user may do
            "is_superuser": False,
            "date_joined": joined,
        }
        user, _ = User.objects.update_or_create(username=username, defaults=defaults)
        # Two-factor sign-in is required of everyone; a demo user's authenticator secret is
        # published like its password, so `safeguard otp_code USERNAME` can give the code.
        provision_totp(user, key_hex=demo_totp_key(username))
        staff.by_username[username] = user
        if role == Role.OFFICER and team is not None:
            staff.officers_by_team.setdefault(team.name, []).append(user)
    # The force-wide unit's cases are worked by the coordinator.
    staff.officers_by_team.setdefault(team_list[-1], []).append(staff.coordinator)
    return staff


def demo_totp_key(username: str) -> str:
    """A demo user's authenticator secret (hex, as django-otp stores it): public, like the
    password, and the same on every run so a phone set up once keeps working."""
    return hashlib.sha256(f"safeguard-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_users():
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").select_related(
        "force", "team"
    )


def served_by(user: User) -> str:
    """How an officer signs a record: rank abbreviation, collar number, name."""
    abbreviation = {
        "constable": "PC",
        "sergeant": "PS",
        "inspector": "Insp",
        "superintendent": "Supt",
    }.get(user.rank, "")
    return " ".join(p for p in (abbreviation, user.collar_number, user.get_full_name()) if p)
