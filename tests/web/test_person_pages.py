"""A person's page: every report and order they appear in (through restrict), protected details
masked, each part shown only when the permission table grants it; opening it is logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.access.models import AuditEvent, AuditKind, Role
from tests.web.world import CANARIES, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.urls")]


@pytest.fixture
def world():
    return build_world()


def page_as(sign_in, user, url):
    client = Client()
    sign_in(client, user)
    return client.get(url)


def test_coordinator_sees_the_whole_record_masked(world, sign_in):
    case = world.cases["in"]
    response = page_as(
        sign_in, world.users[Role.COORDINATOR], reverse("person-detail", args=[case.defendant.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert case.defendant.full_name in page
    assert "3 February 1980" in page
    assert "Del AliasIn" in page
    assert "PNC ID" in page
    assert reverse("order-detail", args=[case.order.pk]) in page
    assert "Defendant" in page
    assert case.report.reference in page
    assert "Suspect" in page
    assert "Stalking" in page
    assert "Group 1: certain public protection matters" in page
    assert ">hidden<" in page
    assert not any(c in page for c in CANARIES)
    event = AuditEvent.objects.filter(kind=AuditKind.VIEW).latest("id")
    assert (event.table_name, event.object_id) == ("people_person", str(case.defendant.pk))
    assert event.actor_id == world.users[Role.COORDINATOR].pk


def test_an_officer_sees_the_people_of_their_cases_only(world, sign_in):
    officer = world.users[Role.OFFICER]
    mine = world.cases["in"].victim
    theirs = world.cases["other"].victim
    assert page_as(sign_in, officer, reverse("person-detail", args=[mine.pk])).status_code == 200
    response = page_as(sign_in, officer, reverse("person-detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert theirs.surname not in response.content.decode()


def test_a_force_administrator_sees_enough_to_find_and_audit_the_record(world, sign_in):
    case = world.cases["in"]
    page = page_as(
        sign_in, world.users[Role.FORCE_ADMIN], reverse("person-detail", args=[case.defendant.pk])
    ).content.decode()
    assert case.defendant.full_name in page
    assert "3 February 1980" not in page  # no date of birth
    assert "Del AliasIn" not in page  # no aliases
    assert "PNC ID" not in page
    assert case.report.reference in page
    assert "Followed the victim" not in page  # no report narrative
    assert "Suspect" not in page  # nor who is who in it
    assert reverse("audit-person-access", args=[case.defendant.pk]) in page
    assert reverse("person-erase", args=[case.defendant.pk]) in page
    assert "/reveal/" not in page


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.ANALYST, Role.NATIONAL_ADMIN])
def test_roles_without_person_records_get_page_not_found(world, sign_in, role):
    victim = world.cases["in"].victim
    response = page_as(sign_in, world.users[role], reverse("person-detail", args=[victim.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(kind=AuditKind.VIEW, table_name="people_person").count() == 0


def test_the_order_page_links_the_people_the_user_may_open(world, sign_in):
    case = world.cases["in"]
    page = page_as(
        sign_in, world.users[Role.LEGAL], reverse("order-detail", args=[case.order.pk])
    ).content.decode()
    assert reverse("person-detail", args=[case.defendant.pk]) in page
    assert reverse("person-detail", args=[case.victim.pk]) in page
    assert reverse("audit-order-changes", args=[case.order.pk]) not in page  # legal: no audit


def test_a_supervisor_gets_the_audit_links_on_the_order_page(world, sign_in):
    case = world.cases["in"]
    page = page_as(
        sign_in, world.users[Role.SUPERVISOR], reverse("order-detail", args=[case.order.pk])
    ).content.decode()
    assert reverse("audit-order-changes", args=[case.order.pk]) in page
    assert reverse("audit-order-access", args=[case.order.pk]) in page


def test_the_person_page_runs_a_bounded_number_of_queries(
    world, sign_in, django_assert_max_num_queries
):
    client = Client()
    sign_in(client, world.users[Role.COORDINATOR])
    url = reverse("person-detail", args=[world.cases["in"].victim.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        client.get(url)
