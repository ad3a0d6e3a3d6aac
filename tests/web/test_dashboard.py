"""The dashboard: counts and deadlines for the signed-in user's orders, through restrict()."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.access.models import Role
from safeguard.orders import selectors
from tests.web.conftest import PROTECTED_ADDRESS, signed_in

pytestmark = pytest.mark.django_db


def test_coordinator_sees_the_force_figures(as_coordinator, cases):
    response = as_coordinator.get(reverse("home"))
    counts = response.context["counts"]
    # In force: three SPOs and the DVPN; pending: the application.
    assert counts == selectors.DashboardCounts(
        in_force=4, applications_pending=1, notifications_overdue=1, breaches_recent=1
    )
    page = response.content.decode()
    assert "Your orders at a glance" in page
    assert PROTECTED_ADDRESS not in page


def test_deadlines_are_listed_soonest_first_with_overdue_marked(as_coordinator, cases):
    deadlines = as_coordinator.get(reverse("home")).context["deadlines"]
    # Overdue first, the fixed term (about 30 days away) last; the notice's 48 hours and the
    # served order's 3 days fall between, in an order that depends on the time of day.
    assert (deadlines[0].order, deadlines[0].overdue) == (cases.notification_overdue, True)
    assert deadlines[-1].order == cases.ending_soon
    assert deadlines[-1].date_only
    assert {d.order for d in deadlines[1:3]} == {cases.notice, cases.served_recently}
    assert not any(d.overdue for d in deadlines[1:])
    assert cases.applied not in {d.order for d in deadlines}
    assert [d.due for d in deadlines] == sorted(d.due for d in deadlines)
    notice_deadline = next(d for d in deadlines if d.order == cases.notice)
    assert "DVPO application must be heard" in notice_deadline.what
    assert "s.27(3)" in notice_deadline.basis


def test_dashboard_shows_deadline_dates_in_london_time(as_coordinator, cases):
    page = as_coordinator.get(reverse("home")).content.decode()
    due = cases.served_recently.notifications.get().due_at
    assert f"{due.astimezone(selectors.timezone.get_current_timezone()):%-d %B %Y at %H:%M}" in page
    ends = cases.ending_soon.ends_on
    assert f"{ends:%-d %B %Y}" in page


def test_an_officer_counts_only_own_and_team_orders(officer, other_officer, cases):
    response = signed_in(officer).get(reverse("home"))
    assert response.context["counts"].in_force == 4
    assert "the orders assigned to you or your team" in response.content.decode()
    theirs = signed_in(other_officer).get(reverse("home")).context["counts"]
    assert theirs == selectors.DashboardCounts(0, 0, 0, 0)


def test_user_of_another_force_sees_nothing_of_this_one(make_user, other_force, cases):
    outsider = make_user(Role.COORDINATOR, other_force)
    response = signed_in(outsider).get(reverse("home"))
    assert response.context["counts"] == selectors.DashboardCounts(0, 0, 0, 0)
    assert response.context["deadlines"] == []


@pytest.mark.parametrize("role", [Role.ANALYST, Role.NATIONAL_ADMIN])
def test_roles_without_case_records_are_told_what_to_use_instead(make_user, force, cases, role):
    user = make_user(role, None if role == Role.NATIONAL_ADMIN else force)
    response = signed_in(user).get(reverse("home"))
    page = response.content.decode()
    assert response.templates[0].name == "orders/home_no_cases.html"
    assert "What you can use instead" in page
    assert cases.served_recently.reference not in page


def test_an_advocate_is_told_which_cases_the_figures_cover(make_user, force, cases):
    advocate = make_user(Role.ADVOCATE, force)
    response = signed_in(advocate).get(reverse("home"))
    assert response.context["counts"] == selectors.DashboardCounts(0, 0, 0, 0)
    assert "the cases you are linked to" in response.content.decode()
