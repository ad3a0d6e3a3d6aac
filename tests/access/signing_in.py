"""Signing a test client in as a real sign-in would: password accepted (force_login, which sends
user_logged_in as the sign-in page does) and second factor given (django_otp.login with the
user's authenticator-app device, made for them if they have none). Used by the `sign_in`
fixture (tests/conftest.py) and tests/web."""

from __future__ import annotations

import django_otp
from django.http import HttpRequest
from django.test import Client

from safeguard.access import otp
from safeguard.access.models import User


def sign_in_fully(client: Client, user: User) -> None:
    client.force_login(user)
    device = otp.app_device(user) or otp.provision_totp(user)
    request = HttpRequest()
    request.user = user
    request.session = client.session
    django_otp.login(request, device)
    request.session.save()


def sign_in_password_only(client: Client, user: User) -> None:
    """Password accepted, second factor not yet given."""
    client.force_login(user)
