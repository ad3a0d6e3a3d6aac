"""Sessions: an old cookie is refused after sign-out or account closure (and every other
session of that user ends too), idle and absolute timeouts, and a change of role or of
administrator rights that shows on the very next request."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from safeguard.access.models import AGGREGATE_ONLY_ROLES, NATIONAL_ROLES, Role
from safeguard.access.sessions.models import UserSession

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)


def stolen_copy(client: Client) -> Client:
    """Another browser holding the same session cookie (a copied or stolen cookie)."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return thief


def signed_in_on(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def test_signing_out_refuses_the_old_cookie_and_ends_every_other_session(coordinator, sign_in):
    laptop, phone = Client(), Client()
    sign_in(laptop, coordinator)
    sign_in(phone, coordinator)
    copy = stolen_copy(laptop)
    assert [signed_in_on(c) for c in (laptop, phone, copy)] == [True, True, True]
    assert UserSession.objects.filter(user=coordinator).count() == 2

    laptop.post(reverse("logout"))

    ended = [not signed_in_on(c) for c in (laptop, phone, copy)]
    assert ended == [True, True, True]
    assert copy.get("/")["Location"] == f"{reverse('login')}?next=/"
    assert UserSession.objects.filter(user=coordinator).count() == 0
    print(f"\nsign-out: {sum(ended)}/3 sessions (2 browsers and a copied cookie) refused after")


def test_closing_an_account_in_the_admin_ends_all_its_sessions(
    coordinator, make_user, force, sign_in
):
    administrator = make_user(Role.FORCE_ADMIN, force, is_staff=True, is_superuser=True)
    admin_client, theirs, their_other = Client(), Client(), Client()
    sign_in(admin_client, administrator)
    sign_in(theirs, coordinator)
    sign_in(their_other, coordinator)
    copy = stolen_copy(theirs)

    change = reverse("admin:access_user_change", args=[coordinator.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.pop("is_active")  # "Active" unticked: the account is closed
    data.update(
        {
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "groups": [],
            "user_permissions": [],
            "force": coordinator.force_id,
            "team": coordinator.team_id or "",
        }
    )
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    coordinator.refresh_from_db()
    assert not coordinator.is_active

    assert UserSession.objects.filter(user=coordinator).count() == 0
    assert [signed_in_on(c) for c in (theirs, their_other, copy)] == [False, False, False]
    assert signed_in_on(admin_client)


def test_a_bulk_closure_without_signals_is_refused_all_the_same(coordinator, sign_in):
    client = Client()
    sign_in(client, coordinator)
    type(coordinator).objects.filter(pk=coordinator.pk).update(is_active=False)  # no signal
    assert not signed_in_on(client)


# --- Timeouts ------------------------------------------------------------------------------------


def test_idle_timeout_ends_a_session_left_alone_for_thirty_minutes(coordinator, sign_in):
    assert settings.SAFEGUARD_SESSION_IDLE_MINUTES == 30
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, coordinator)
        # Working steadily, with gaps just under the limit, keeps the session.
        for _ in range(4):
            clock.shift(dt.timedelta(minutes=29))
            assert signed_in_on(client)
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/orders/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert not signed_in_on(client)
    print("\nidle timeout: kept after 4 gaps of 29 minutes, ended after 31 minutes idle")


def test_idle_timeout_says_why(coordinator, sign_in, settings):
    # A shorter idle limit than the session row's own expiry: the middleware ends the session
    # first, and can say why.
    settings.SAFEGUARD_SESSION_IDLE_MINUTES = 10
    client, other = Client(), Client()
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, coordinator)
        sign_in(other, coordinator)
        clock.shift(dt.timedelta(minutes=11))
        response = client.get("/orders/", follow=True)
        assert response.redirect_chain[0][0] == f"{reverse('login')}?next=%2Forders%2F"
        assert "You have been signed out because you did nothing for 10 minutes" in (
            response.content.decode()
        )
        # Only that session: a timeout is not a sign-out everywhere.
        assert UserSession.objects.filter(user=coordinator).count() == 1


def test_absolute_timeout_ends_even_a_busy_session_ten_hours_after_sign_in(coordinator, sign_in):
    assert settings.SAFEGUARD_SESSION_ABSOLUTE_HOURS == 10
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, coordinator)
        requests = 29  # one every 20 minutes: the last at 9h40
        for _ in range(requests):
            clock.shift(dt.timedelta(minutes=20))
            assert signed_in_on(client)
        clock.shift(dt.timedelta(minutes=21))  # 10 hours and 1 minute after sign-in
        response = client.get("/", follow=True)
        assert response.redirect_chain[0][0].startswith(reverse("login"))
        assert "You have been signed out because you signed in more than 10 hours ago" in (
            response.content.decode()
        )
    print(f"\nabsolute timeout: {requests} requests 20 minutes apart, then ended at 10h01")


def test_htmx_requests_are_told_to_load_the_sign_in_page(coordinator, sign_in, settings):
    settings.SAFEGUARD_SESSION_IDLE_MINUTES = 10
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, coordinator)
        clock.shift(dt.timedelta(minutes=11))
        response = client.get("/orders/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))


# --- Changes take effect on the next request -----------------------------------------------------


def test_a_change_of_role_takes_effect_on_the_next_request(coordinator, sign_in):
    client = Client()
    sign_in(client, coordinator)
    page = client.get("/").content.decode()
    assert 'href="/orders/"' in page
    assert "Your orders at a glance" in page

    coordinator.role = Role.ANALYST
    coordinator.save()

    page = client.get("/").content.decode()  # the same session, the very next request
    assert 'href="/orders/"' not in page
    assert "Your orders at a glance" not in page
    assert "There are no orders your role can see" in client.get("/orders/").content.decode()
    assert "role" not in " ".join(client.session.keys())  # nothing about the role is cached


def test_removing_administrator_rights_takes_effect_on_the_next_request(make_user, force, sign_in):
    administrator = make_user(Role.FORCE_ADMIN, force, is_staff=True, is_superuser=True)
    client = Client()
    sign_in(client, administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert 'href="/admin/"' in client.get("/").content.decode()
    administrator.is_staff = administrator.is_superuser = False
    administrator.save()
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_each_session_row_records_its_user(coordinator, sign_in):
    client = Client()
    client.get(reverse("login"))
    sign_in(client, coordinator)
    row = UserSession.objects.get(user=coordinator)
    assert row.get_decoded()["_auth_user_id"] == str(coordinator.pk)


@pytest.mark.parametrize(
    ("role", "sees_case_records"),
    [(r.value, r not in AGGREGATE_ONLY_ROLES | NATIONAL_ROLES) for r in Role],
)
def test_templates_get_capabilities_not_role_names(role, sees_case_records, make_user, force):
    from django.test import RequestFactory

    from safeguard.access.context_processors import capabilities

    user = make_user(role, None if role == Role.NATIONAL_ADMIN else force)
    user.is_verified = lambda: True  # as OTPMiddleware marks a user who gave their code
    request = RequestFactory().get("/")
    request.user = user
    found = capabilities(request)["capabilities"]
    assert found.signed_in
    assert found.sees_case_records is sees_case_records
    assert found.aggregates_only is not sees_case_records
    assert found.national is (role == Role.NATIONAL_ADMIN)
    user.is_verified = lambda: False  # password only: nothing
    assert not capabilities(request)["capabilities"].signed_in
