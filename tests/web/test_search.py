"""Search (/search/?q=): people by name or alias, crime references, offences and order
references, among exactly the records the user may see (restrict()), never matching a protected
detail, paginated, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.access.models import Role
from safeguard.people.models import Person
from tests.web.world import CANARIES, CANARY_ADDRESS, CANARY_EMAIL, CANARY_PHONE, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.urls")]


@pytest.fixture
def world():
    return build_world()


def search_as(sign_in, user, q, **params):
    client = Client()
    sign_in(client, user)
    return client.get(reverse("search"), {"q": q, **params})


def found(response, kind):
    """The records of one kind the search shows (None if the section is absent)."""
    for section in response.context["sections"]:
        if section["key"] == kind:
            return list(section["page"].object_list)
    return None


def test_a_coordinator_finds_people_by_name_in_any_case(world, sign_in):
    response = search_as(sign_in, world.users[Role.COORDINATOR], "defendantIN")
    assert found(response, "people") == [world.cases["in"].defendant]
    page = response.content.decode()
    assert reverse("person-detail", args=[world.cases["in"].defendant.pk]) in page
    assert not any(c in page for c in CANARIES)


def test_a_first_and_last_name_together_find_the_person(world, sign_in):
    people = found(
        search_as(sign_in, world.users[Role.COORDINATOR], "valerie victimother"), "people"
    )
    assert people == [world.cases["other"].victim]


def test_a_search_by_alias_finds_the_person(world, sign_in):
    response = search_as(sign_in, world.users[Role.COORDINATOR], "del aliasin")
    assert found(response, "people") == [world.cases["in"].defendant]


def test_the_force_boundary_holds(world, sign_in):
    people = found(search_as(sign_in, world.users[Role.COORDINATOR], "derek"), "people")
    assert set(people) == {world.cases["in"].defendant, world.cases["other"].defendant}
    orders = found(search_as(sign_in, world.users[Role.COORDINATOR], "derek"), "orders")
    assert set(orders) == {world.cases["in"].order, world.cases["other"].order}


def test_crime_reference_offence_and_order_reference(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    case = world.cases["in"]
    assert found(search_as(sign_in, coordinator, case.report.reference.lower()), "reports") == [
        case.report
    ]
    stalking = found(search_as(sign_in, coordinator, "Stalking"), "reports")
    assert set(stalking) == {case.report, world.cases["other"].report}
    response = search_as(sign_in, coordinator, case.order.reference)
    assert found(response, "orders") == [case.order]
    assert reverse("order-detail", args=[case.order.pk]) in response.content.decode()


def test_an_officer_finds_only_their_own_cases(world, sign_in):
    response = search_as(sign_in, world.users[Role.OFFICER], "derek")
    assert found(response, "people") == [world.cases["in"].defendant]
    assert found(response, "orders") == [world.cases["in"].order]
    stalking = found(search_as(sign_in, world.users[Role.OFFICER], "stalking"), "reports")
    assert stalking == [world.cases["in"].report]


def test_an_advocate_finds_their_linked_order_and_nothing_else(world, sign_in):
    advocate = world.users[Role.ADVOCATE]
    response = search_as(sign_in, advocate, "derek")
    assert found(response, "people") == []  # no person records at all
    assert found(response, "orders") == [world.cases["in"].order]
    page = response.content.decode()
    assert reverse("person-detail", args=[world.cases["in"].defendant.pk]) not in page
    # No alias, report or offence matching: none of it is safety planning.
    assert found(search_as(sign_in, advocate, "aliasin"), "orders") == []
    assert found(search_as(sign_in, advocate, "stalking"), "reports") == []
    assert found(search_as(sign_in, advocate, world.cases["in"].report.reference), "reports") == []


@pytest.mark.parametrize("q", ["derek", "stalking", "AliasIn"])
def test_an_analyst_finds_nothing(world, sign_in, q):
    response = search_as(sign_in, world.users[Role.ANALYST], q)
    assert response.context["total"] == 0
    assert "No person, order or report you can see matches" in response.content.decode()


def test_a_force_administrator_cannot_find_people_by_alias(world, sign_in):
    admin = world.users[Role.FORCE_ADMIN]
    assert found(search_as(sign_in, admin, "aliasin"), "people") == []
    assert found(search_as(sign_in, admin, "defendantin"), "people") == [
        world.cases["in"].defendant
    ]


@pytest.mark.parametrize("q", [CANARY_ADDRESS, "Kestrel", CANARY_PHONE, CANARY_EMAIL, "NR18"])
def test_protected_details_are_never_matched(world, sign_in, q):
    response = search_as(sign_in, world.users[Role.COORDINATOR], q)
    assert response.context["total"] == 0


def test_an_empty_search_says_what_to_enter(world, sign_in):
    response = search_as(sign_in, world.users[Role.COORDINATOR], "")
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_q"' in page
    assert "Enter a name, reference or offence to search for" in page


def test_a_one_letter_search_is_refused_with_the_fix(world, sign_in):
    page = search_as(sign_in, world.users[Role.COORDINATOR], "d").content.decode()
    assert "Enter at least 2 characters to search for" in page


def test_the_search_page_without_a_query_shows_just_the_form(world, sign_in):
    client = Client()
    sign_in(client, world.users[Role.COORDINATOR])
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "There is a problem" not in response.content.decode()


def test_results_paginate_in_a_fixed_number_of_queries(
    world, sign_in, django_assert_max_num_queries
):
    client = Client()
    sign_in(client, world.users[Role.COORDINATOR])
    client.get(reverse("search"), {"q": "Manyname"})
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("search"), {"q": "derek"})
    Person.objects.bulk_create(
        Person(force=world.force, given_name=f"Derek{n}", surname="Manyname") for n in range(45)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("search"), {"q": "manyname"})
    assert response.context["total"] == 45
    assert len(found(response, "people")) == 20
    page = response.content.decode()
    assert "people-page=2" in page
    second = client.get(reverse("search"), {"q": "manyname", "people-page": 3})
    assert len(found(second, "people")) == 5
