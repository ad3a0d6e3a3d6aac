"""A supervisor's home is their force's overview: open cases, applications in progress,
deadlines due and overdue, breaches this month and officer workload, in a fixed number of
queries however many cases the force has."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import Role
from safeguard.orders import selectors
from tests.web import builders
from tests.web.conftest import PROTECTED_ADDRESS, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(make_user, force):
    return make_user(Role.SUPERVISOR, force, first_name="Sam", last_name="Ward")


def test_the_overview_counts_the_forces_case_work(supervisor, officer, other_officer, cases):
    now = timezone.now()
    overview = selectors.overview(supervisor, now)
    # Open: three SPOs in force, the DVPN, the application and the other team's draft.
    assert overview.open_orders == 6
    assert overview.in_force == 4
    assert (overview.drafts, overview.applied, overview.applications_in_progress) == (1, 1, 2)
    # Overdue: the notification a week after service. Due this week: the served order's
    # notification and the notice's hearing deadline (the fixed term ends in about 30 days).
    assert overview.deadlines_overdue == 1
    assert overview.deadlines_due_soon == 2
    breach_at = now - dt.timedelta(days=3)
    this_month = timezone.localdate(breach_at).month == timezone.localdate(now).month
    assert overview.breaches_this_month == (1 if this_month else 0)
    loads = {load.name: load for load in overview.workload}
    assert loads[officer.display_name] == selectors.OfficerLoad(
        officer.display_name, open_orders=5, applications=1, open_reports=0
    )
    assert loads[other_officer.display_name].open_orders == 1
    assert overview.workload[0].name == officer.display_name  # busiest first


def test_the_supervisors_home_is_the_overview(supervisor, officer, cases):
    response = signed_in(supervisor).get(reverse("home"))
    page = response.content.decode()
    assert response.templates[0].name == "orders/home_supervisor.html"
    assert "Force overview" in page
    assert "1 statutory deadline has passed" in page  # impossible to miss
    assert "govuk-tag--red" in page
    assert "Officer workload" in page
    assert officer.display_name in page
    assert cases.notification_overdue.reference in page
    # Deadlines as a date and time with a plain phrase.
    due = cases.notification_overdue.notifications.get().due_at.astimezone(
        timezone.get_current_timezone()
    )
    assert f"by {due:%H:%M} on {due:%A} {due.day} {due:%B %Y}" in page
    assert PROTECTED_ADDRESS not in page


def test_a_supervisor_of_another_force_sees_none_of_it(make_user, other_force, cases):
    outsider = make_user(Role.SUPERVISOR, other_force)
    response = signed_in(outsider).get(reverse("home"))
    overview = response.context["overview"]
    assert (overview.open_orders, overview.deadlines_overdue, overview.open_reports) == (0, 0, 0)
    assert cases.notification_overdue.reference not in response.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICER])
def test_other_roles_keep_their_own_home(make_user, force, team, cases, role):
    user = make_user(role, force, team=team)
    response = signed_in(user).get(reverse("home"))
    assert response.templates[0].name == "orders/home.html"
    assert "overview" not in response.context


def test_the_overview_makes_a_fixed_number_of_queries(
    supervisor, force, team, make_user, make_person, cases, django_assert_max_num_queries
):
    client = signed_in(supervisor)
    client.get(reverse("home"))
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("home"))
    now = timezone.now().astimezone(builders.LONDON)
    for n in range(6):
        officer = make_user(Role.OFFICER, force, team=team)
        builders.spo_in_force(
            force,
            make_person(force),
            make_person(force),
            made_on=now.date() - dt.timedelta(days=2),
            served_at=now - dt.timedelta(days=1),
            officer=officer,
        )
        builders.give_notice(
            builders.create(
                force,
                "dvpn",
                make_person(force),
                make_person(force),
                officer=officer,
                conditions=(builders.NO_MOLESTATION,),
            ),
            now - dt.timedelta(hours=n + 1),
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(reverse("home"))
    assert response.context["overview"].open_orders == 18
