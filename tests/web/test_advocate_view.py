"""A victim advocate sees only the orders they are linked to, and on them only what safety
planning needs: status, conditions, term and expiry, hearings, breaches. Never suspect
intelligence: no reports, no defendant's date of birth, aliases, identifiers or addresses, no
notifications, no evidence."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.access.models import Role
from tests.web.builders import EXCLUSION
from tests.web.world import CANARIES, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.urls")]


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def advocate(world, sign_in):
    client = Client()
    sign_in(client, world.users[Role.ADVOCATE])
    return client


def test_the_list_shows_linked_orders_only(world, advocate):
    page = advocate.get(reverse("order-list")).content.decode()
    assert world.cases["in"].order.reference in page
    assert world.cases["other"].order.reference not in page
    assert world.cases["far"].order.reference not in page


def test_the_order_page_is_the_safety_planning_view(world, advocate):
    case = world.cases["in"]
    response = advocate.get(reverse("order-detail", args=[case.order.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "what your role needs from this order" in page
    # What safety planning needs
    assert "In force" in page
    assert "Until further order" in page
    for condition in case.order.conditions.all():
        assert condition.wording in page
    assert "Norwich city centre" in page  # the exclusion zone
    assert "Waited outside (In)" in page  # the breach
    assert "Hearings" in page
    assert case.defendant.full_name in page
    # Never suspect intelligence or evidence
    assert "3 February 1980" not in page  # defendant's date of birth
    assert "Notifications" not in page
    assert EXCLUSION.necessity not in page  # why the condition is necessary: evidence
    assert "History" not in page
    assert case.report.reference not in page
    assert reverse("person-detail", args=[case.defendant.pk]) not in page
    assert reverse("person-detail", args=[case.victim.pk]) not in page
    assert not any(c in page for c in CANARIES)


def test_an_unlinked_order_is_not_found(world, advocate):
    for name in ("other", "far"):
        response = advocate.get(reverse("order-detail", args=[world.cases[name].order.pk]))
        assert response.status_code == 404


def test_the_dashboard_counts_linked_orders(world, advocate):
    response = advocate.get(reverse("home"))
    assert response.context["counts"].in_force == 1
    assert "the cases you are linked to" in response.content.decode()
