"""A victim advocate sees only the orders they are linked to, and on them only what safety
planning needs: status, conditions, term and expiry, hearings, breaches. Never suspect
intelligence: no reports, no defendant's date of birth, aliases, identifiers or addresses, no
notifications, no evidence."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.access.models import AuditEvent, AuditKind, Role
from tests.web import builders
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


# --- "Your cases": the advocate's home ---------------------------------------------------------


def test_your_cases_shows_each_linked_order_in_plain_language(world, advocate):
    case = world.cases["in"]
    response = advocate.get(reverse("home"))
    page = response.content.decode()
    assert response.templates[0].name == "orders/home_advocate.html"
    assert "Your cases" in page
    assert case.order.reference in page
    assert "The order is in force" in page
    assert "Until further order" in page
    assert "The defendant must not:" in page
    for condition in case.order.conditions.filter(removed_on__isnull=True):
        assert condition.wording in page
    assert "Norwich city centre" in page
    assert "1 breach reported" in page
    assert "Waited outside (In)" in page
    assert case.victim.full_name in page  # whom it protects
    # Nothing of the other cases, and no suspect intelligence or evidence.
    assert world.cases["other"].order.reference not in page
    assert world.cases["far"].order.reference not in page
    assert case.report.reference not in page
    assert "3 February 1980" not in page
    assert EXCLUSION.necessity not in page
    assert "Del AliasIn" not in page
    assert not any(c in page for c in CANARIES)


def test_your_cases_is_the_advocates_navigation_item(advocate):
    page = advocate.get(reverse("home")).content.decode()
    current = re.search(r'aria-current="page">\s*<strong[^>]*>([^<]+)</strong>', page)
    assert current is not None
    assert current.group(1) == "Your cases"
    assert ">Home<" not in page


def test_an_advocate_with_no_links_is_told_how_they_get_one(world, make_user, sign_in):
    lonely = make_user(Role.ADVOCATE, world.force)
    client = Client()
    sign_in(client, lonely)
    page = client.get(reverse("home")).content.decode()
    assert "You are not linked to any case yet" in page
    assert world.cases["in"].order.reference not in page


def test_your_cases_runs_a_fixed_number_of_queries(world, advocate, django_assert_max_num_queries):
    """However many orders the advocate is linked to, the page's queries stay the same."""
    from safeguard.orders.models import AdvocateLink

    user = world.users[Role.ADVOCATE]
    advocate.get(reverse("home"))
    with django_assert_max_num_queries(30) as one:
        advocate.get(reverse("home"))
    few = len(one.captured_queries)
    case = world.cases["in"]
    for _ in range(8):
        order = builders.spo_in_force(
            world.force,
            case.defendant,
            case.victim,
            made_on=case.order.made_on,
            served_at=case.order.served_at,
            conditions=(builders.NO_CONTACT, builders.EXCLUSION),
        )
        AdvocateLink.objects.create(order=order, user=user)
    with django_assert_max_num_queries(few) as many:
        page = advocate.get(reverse("home")).content.decode()
    assert page.count("View the order") == 9
    assert len(many.captured_queries) == few


# --- Linking and unlinking advocates ---------------------------------------------------------


@pytest.fixture
def coordinator_client(world, sign_in):
    client = Client()
    sign_in(client, world.users[Role.COORDINATOR])
    return client


def test_the_order_page_lists_linked_advocates_with_a_remove_button(world, coordinator_client):
    case = world.cases["in"]
    page = coordinator_client.get(reverse("order-detail", args=[case.order.pk])).content.decode()
    assert "Victim advocates" in page
    assert world.users[Role.ADVOCATE].display_name in page
    assert reverse("order-advocate-remove", args=[case.order.pk]) in page
    assert reverse("order-advocates", args=[case.order.pk]) in page


def test_the_advocate_sees_no_advocate_panel(world, advocate):
    page = advocate.get(reverse("order-detail", args=[world.cases["in"].order.pk])).content.decode()
    assert "Victim advocates" not in page
    assert "order-advocates" not in page


def test_linking_an_advocate_gives_them_the_order(world, coordinator_client, make_user, sign_in):
    case = world.cases["other"]
    newcomer = make_user(Role.ADVOCATE, world.force, first_name="Ada", last_name="Okoro")
    url = reverse("order-advocates", args=[case.order.pk])
    form = coordinator_client.get(url).content.decode()
    assert "Ada Okoro" in form
    response = coordinator_client.post(
        url, {"advocate": newcomer.pk, "version": case.order.version}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("order-detail", args=[case.order.pk])
    assert "Ada Okoro is linked to" in page
    client = Client()
    sign_in(client, newcomer)
    assert client.get(reverse("order-detail", args=[case.order.pk])).status_code == 200
    assert case.order.reference in client.get(reverse("home")).content.decode()
    # The link is in the audit trail, attributed to the coordinator.
    event = AuditEvent.objects.filter(table_name="orders_advocatelink").latest("id")
    assert event.kind == AuditKind.INSERT
    assert event.actor_id == world.users[Role.COORDINATOR].pk


def test_linking_without_choosing_says_how_to_fix_it(world, coordinator_client):
    case = world.cases["other"]
    response = coordinator_client.post(
        reverse("order-advocates", args=[case.order.pk]), {"version": case.order.version}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_advocate"' in page
    assert "Select the advocate to link to this order" in page


def test_an_advocate_of_another_force_cannot_be_linked(world, coordinator_client, make_user):
    case = world.cases["other"]
    outsider = make_user(Role.ADVOCATE, world.far_force)
    response = coordinator_client.post(
        reverse("order-advocates", args=[case.order.pk]),
        {"advocate": outsider.pk, "version": case.order.version},
    )
    assert response.status_code == 200
    assert "Select an advocate from the list" in response.content.decode()
    assert not case.order.advocate_links.filter(user=outsider).exists()


def test_a_stale_version_is_a_clear_conflict(world, coordinator_client, make_user):
    case = world.cases["other"]
    newcomer = make_user(Role.ADVOCATE, world.force)
    response = coordinator_client.post(
        reverse("order-advocates", args=[case.order.pk]),
        {"advocate": newcomer.pk, "version": case.order.version - 1},
    )
    page = response.content.decode()
    assert "was changed by someone else" in page
    assert not case.order.advocate_links.filter(user=newcomer).exists()


def test_removing_a_link_takes_the_order_away(world, coordinator_client, advocate):
    case = world.cases["in"]
    link = case.order.advocate_links.get(user=world.users[Role.ADVOCATE])
    case.order.refresh_from_db()
    response = coordinator_client.post(
        reverse("order-advocate-remove", args=[case.order.pk]),
        {"link": link.pk, "version": case.order.version},
        follow=True,
    )
    assert "is no longer linked to" in response.content.decode()
    assert advocate.get(reverse("order-detail", args=[case.order.pk])).status_code == 404
    assert case.order.reference not in advocate.get(reverse("home")).content.decode()
    event = AuditEvent.objects.filter(table_name="orders_advocatelink").latest("id")
    assert event.kind == AuditKind.DELETE


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADVOCATE, 403), (Role.FORCE_ADMIN, 403), (Role.ANALYST, 404)]
)
def test_roles_that_may_not_change_the_order_cannot_link(world, sign_in, make_user, role, status):
    case = world.cases["in"]
    client = Client()
    sign_in(client, world.users[role])
    newcomer = make_user(Role.ADVOCATE, world.force)
    url = reverse("order-advocates", args=[case.order.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"advocate": newcomer.pk, "version": case.order.version})
    assert response.status_code == status
    assert not case.order.advocate_links.filter(user=newcomer).exists()


def test_an_officer_cannot_link_on_another_teams_order(world, sign_in, make_user):
    client = Client()
    sign_in(client, world.users[Role.OFFICER])
    case = world.cases["other"]
    response = client.post(
        reverse("order-advocates", args=[case.order.pk]),
        {"advocate": make_user(Role.ADVOCATE, world.force).pk, "version": case.order.version},
    )
    assert response.status_code == 404
