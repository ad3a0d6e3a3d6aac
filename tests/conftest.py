"""Shared fixtures: a force with a team, users of each role, and people to put on orders."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest

from safeguard.access.models import Force, Role, Team, User
from safeguard.people.models import Person

_counter = itertools.count(1)


@pytest.fixture
def force(db) -> Force:
    return Force.objects.create(code="norfolk", name="Norfolk", ons_code="E23000024")


@pytest.fixture
def other_force(db) -> Force:
    return Force.objects.create(code="suffolk", name="Suffolk", ons_code="E23000025")


@pytest.fixture
def team(force: Force) -> Team:
    return Team.objects.create(force=force, name="Public Protection North")


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(role: str = Role.OFFICER, force: Force | None = None, **extra: object) -> User:
        n = next(_counter)
        return User.objects.create_user(
            username=f"{role}-{n}", password="a-long-test-password", role=role, force=force, **extra
        )

    return make


@pytest.fixture
def coordinator(make_user, force: Force, team: Team) -> User:
    return make_user(Role.COORDINATOR, force, team=team)


@pytest.fixture
def sign_in():
    """Sign a test client in as `user`, as a real sign-in would (password and second factor).

    Every test that needs a signed-in client uses this, so the sign-in rules live in one place.
    """

    from tests.access.signing_in import sign_in_fully

    def do(client, user: User) -> None:
        sign_in_fully(client, user)

    return do


@pytest.fixture
def make_person(db) -> Callable[..., Person]:
    def make(force: Force, given: str = "Alex", surname: str | None = None, **extra) -> Person:
        return Person.objects.create(
            force=force,
            given_name=given,
            surname=surname or f"Person{next(_counter)}",
            date_of_birth=extra.pop("date_of_birth", dt.date(1985, 6, 1)),
            **extra,
        )

    return make


@pytest.fixture
def defendant(make_person, force: Force) -> Person:
    return make_person(force, "Daniel", "Reeve")


@pytest.fixture
def victim(make_person, force: Force) -> Person:
    return make_person(force, "Vicky", "Marsh")
