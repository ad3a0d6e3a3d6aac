"""Signing in and out, and the pages every visitor can reach."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.access import otp
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "order-list"])
def test_pages_need_a_signed_in_user(client: Client, name: str):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


def test_an_order_page_needs_a_signed_in_user(client: Client):
    response = client.get(reverse("order-detail", args=[1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_uses_the_govuk_form_pattern(client: Client):
    page = client.get(reverse("login")).content.decode()
    assert '<label class="govuk-label" for="id_username">Username</label>' in page
    assert 'autocomplete="current-password"' in page
    assert "govuk-error-summary" not in page
    assert "<script>" not in page
    assert "style=" not in page


def test_empty_sign_in_shows_errors_that_link_to_each_field(client: Client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in \N{EN DASH} Safeguard</title>" in page
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page
    assert "govuk-form-group--error" in page
    assert 'class="govuk-input govuk-!-width-two-thirds govuk-input--error"' in page
    assert 'aria-describedby="id_username-error"' in page


def test_wrong_password_is_one_error_linked_to_the_first_field(client: Client, coordinator):
    response = client.post(reverse("login"), {"username": coordinator.username, "password": "no"})
    page = response.content.decode()
    assert '<a href="#id_username">Enter a correct username and password.' in page
    assert 'value="no"' not in page  # the password is never echoed


def test_signing_in_goes_to_the_dashboard_after_the_code(client: Client, coordinator):
    device = otp.provision_totp(coordinator)
    response = client.post(
        reverse("login"), {"username": coordinator.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor")
    response = client.post(reverse("two-factor"), {"code": otp.current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_signing_in_returns_to_the_page_asked_for_but_never_off_site(client: Client, coordinator):
    device = otp.provision_totp(coordinator)
    data = {"username": coordinator.username, "password": PASSWORD}
    response = client.post(f"{reverse('login')}?next=/orders/", data)
    assert response["Location"] == f"{reverse('two-factor')}?next=%2Forders%2F"
    response = client.post(response["Location"], {"code": otp.current_code(device)})
    assert response["Location"] == "/orders/"
    client.logout()
    response = client.post(f"{reverse('login')}?next=https://evil.example/", data)
    assert response["Location"] == reverse("two-factor")
    response = client.post(
        f"{reverse('two-factor')}?next=https://evil.example/",
        # The next 30-second step's code: each code works once (django-otp refuses a replay).
        {"code": otp.current_code(device, at=time.time() + 30)},
    )
    assert response["Location"] == reverse("home")


def test_sign_out_is_post_only_and_says_so(client: Client, coordinator, sign_in):
    sign_in(client, coordinator)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have signed out" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_navigation_follows_the_role(client: Client, coordinator, make_user, force, sign_in):
    sign_in(client, coordinator)
    page = client.get(reverse("home")).content.decode()
    assert 'href="/orders/"' in page
    assert 'aria-current="page"' in page
    assert "Sign out" in page
    analyst = make_user("analyst", force)
    sign_in(client, analyst)
    page = client.get(reverse("home")).content.decode()
    assert 'href="/orders/"' not in page


def test_not_found_page_never_echoes_what_was_asked_for(client: Client, coordinator, sign_in):
    sign_in(client, coordinator)
    response = client.get("/orders/<script>alert(1)</script>/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "alert" not in page
    assert "script&gt;" not in page


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("403.html", "You do not have permission to see this page"),
        ("403_csrf.html", "Your form could not be sent"),
        ("500.html", "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_render_without_a_request_and_echo_nothing(template: str, heading: str):
    from django.template.loader import render_to_string

    # Django renders 500.html and 403_csrf.html with no request (so no user and no navigation).
    page = render_to_string(template, {"reason": "<b>secret reason</b>", "exception": "boom"})
    assert heading in page
    assert "secret reason" not in page
    assert "boom" not in page
    assert "Sign out" not in page
