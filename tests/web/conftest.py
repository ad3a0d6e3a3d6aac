"""Fixtures for the page tests: a force with two teams, users of several roles, and a small set
of orders made through the services (tests/web/builders.py). tests/conftest.py gives the force,
team, users and people."""

from __future__ import annotations

import pytest
from django.test import Client

from safeguard.access.models import Role, Team, User
from safeguard.people.models import DetailKind, ProtectedDetail
from tests.access.signing_in import sign_in_fully
from tests.web import builders

PASSWORD = "a-long-test-password"  # tests/conftest.py make_user
PROTECTED_ADDRESS = "14 Hidden Lane, Secretown SX1 9ZZ"


@pytest.fixture
def other_team(force) -> Team:
    return Team.objects.create(force=force, name="Public Protection South")


@pytest.fixture
def officer(make_user, force, team) -> User:
    return make_user(Role.OFFICER, force, team=team, first_name="Priya", last_name="Shah")


@pytest.fixture
def other_officer(make_user, force, other_team) -> User:
    return make_user(Role.OFFICER, force, team=other_team)


@pytest.fixture
def cases(force, team, other_team, officer, other_officer, make_person) -> builders.Cases:
    people = [make_person(force, f"Given{i}", f"Surname{i:02d}") for i in range(12)]
    # A victim's protected address: it must never reach any page (DESIGN.md, Protecting victims).
    for person in people:
        ProtectedDetail.objects.create(
            person=person, kind=DetailKind.HOME_ADDRESS, value=PROTECTED_ADDRESS, postcode="SX1 9ZZ"
        )
    return builders.build_cases(
        force=force,
        team=team,
        officer=officer,
        other_officer=other_officer,
        other_team=other_team,
        people=people,
    )


def signed_in(user: User) -> Client:
    """A client signed in with password and second factor (tests/access/signing_in.py)."""
    client = Client()
    sign_in_fully(client, user)
    return client


@pytest.fixture
def as_coordinator(coordinator) -> Client:
    return signed_in(coordinator)


@pytest.fixture
def as_officer(officer) -> Client:
    return signed_in(officer)
