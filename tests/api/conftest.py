"""A force with two teams and a user of every role, each with an API token; a second force; and
a helper that makes an API client acting as one of them (token authentication)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safeguard.access.models import Force, Role, Team, User
from safeguard.api import authentication
from safeguard.orders.models import Order
from safeguard.reports import services as reports
from safeguard.reports.models import Report

CANARY = "CANARY-7 Hidden Mews, Nowhere NW1 0ZZ"  # a victim's address: must never leak


@dataclass
class World:
    force: Force
    other_force: Force
    north: Team
    south: Team
    users: dict[str, User] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def client(self, who: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.keys[who]}")
        return client


def new_report(
    reference: str, *, officer: User | None, team: Team | None, **extra
) -> reports.NewReport:
    return reports.NewReport(
        reference=reference,
        offence_code="8Q",
        reported_at=timezone.now() - dt.timedelta(days=3),
        occurred_from=timezone.localdate() - dt.timedelta(days=40),
        behaviours=("contact", "following"),
        officer=officer,
        team=team,
        parties=(
            reports.NewParty(
                role="victim",
                given_name="Vicky",
                surname="Marsh",
                date_of_birth=dt.date(1990, 2, 3),
                sex="F",
                details=(reports.NewDetail("home_address", CANARY, "NW1 0ZZ"),),
            ),
            reports.NewParty(
                role="suspect",
                given_name="Daniel",
                surname="Reeve",
                date_of_birth=dt.date(1985, 6, 1),
                sex="M",
                relationship_to_victim="ex_partner",
                identifiers=(("pnc", "2001/0000001A"),),
            ),
        ),
        **extra,
    )


ROLES = {
    "officer_a": (Role.OFFICER, "north"),
    "officer_b": (Role.OFFICER, "south"),
    "coordinator": (Role.COORDINATOR, None),
    "supervisor": (Role.SUPERVISOR, None),
    "legal": (Role.LEGAL, None),
    "advocate": (Role.ADVOCATE, None),
    "analyst": (Role.ANALYST, None),
    "force_admin": (Role.FORCE_ADMIN, None),
    "other_coordinator": (Role.COORDINATOR, "other"),
}


@pytest.fixture
def world(db) -> World:
    force = Force.objects.create(code="norfolk", name="Norfolk", ons_code="E23000026")
    other = Force.objects.create(code="suffolk", name="Suffolk", ons_code="E23000027")
    north = Team.objects.create(force=force, name="Public Protection North")
    south = Team.objects.create(force=force, name="Public Protection South")
    world = World(force, other, north, south)
    for name, (role, where) in ROLES.items():
        user = User.objects.create_user(
            username=name,
            password="a-long-test-password",
            role=role,
            force=other if where == "other" else force,
            team={"north": north, "south": south}.get(where or ""),
        )
        world.users[name] = user
        _, world.keys[name] = authentication.issue(user, name=f"tests: {name}")
    return world


@dataclass
class Case:
    """A report with a victim and a suspect, and an SPO drafted from it."""

    report: Report
    order: Order
    victim_id: int
    suspect_id: int


@pytest.fixture
def make_case(world: World) -> Callable[..., Case]:
    from safeguard.orders import services as orders

    def make(
        reference: str, officer: str = "officer_a", team: str = "north", force: Force | None = None
    ) -> Case:
        force = force or world.force
        owner = world.users[officer] if force == world.force else None
        owner_team = (
            {"north": world.north, "south": world.south}[team] if force == world.force else None
        )
        report = reports.create_report(
            force=force, report=new_report(reference, officer=owner, team=owner_team), by=None
        )
        victim = report.report_parties.get(role="victim").person
        suspect = report.report_parties.get(role="suspect").person
        order = orders.create_order(
            force=force,
            order_type="spo",
            defendant=suspect,
            protected_persons=[victim],
            by=None,
            reports=[report],
            officer=owner,
            team=owner_team,
            court="Norwich Magistrates' Court",
            conditions=[orders.ProposedCondition("no-contact", necessity="Repeated messages")],
        )
        return Case(report, order, victim.pk, suspect.pk)

    return make
