"""Two-factor authentication: every user, every role, signs in with a password and then a code
from an authenticator app (TOTP, RFC 6238), or one of their single-use recovery codes
(docs/security.md). The devices and their checks are django-otp's; this module holds the
operations on them, so the views, the admin and the demo data all do them the same way.
"""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access import audit
from safeguard.access.models import AuditKind
from safeguard.access.sessions.models import end_sessions

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def _two_factor_kind() -> str:
    # AuditKind has no kind of its own for a change to someone's second factor yet
    # (access/models.py); until it has, these are LOGIN events whose details say what happened.
    return getattr(AuditKind, "TWO_FACTOR", AuditKind.LOGIN)


def record_two_factor_event(user: Any, event: str, *, by: Any = None, **details: Any) -> None:
    """Audit a set-up, reset or new set of recovery codes for `user`, done by `by` (or them)."""
    audit.record(
        _two_factor_kind(),
        user=by if by is not None else user,
        table_name="access_user",
        object_id=user.pk,
        details={"event": event, **details},
    )


# --- Devices ------------------------------------------------------------------------------------


def app_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    """The user's authenticator-app device (confirmed ones only, unless asked otherwise)."""
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.order_by("-id").first()


def has_app_device(user: Any) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def provision_totp(user: Any, key_hex: str | None = None) -> TOTPDevice:
    """Give `user` a confirmed authenticator-app device, replacing any they had.

    With `key_hex` (a hex secret, as django-otp stores it) the device has that known secret: the
    demo data uses this so that `safeguard otp_code USERNAME` can print a code in development.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice(user=user, name=APP_DEVICE_NAME, confirmed=True)
        if key_hex is not None:
            device.key = key_hex
        device.full_clean(exclude=["user"])
        device.save()
    return device


def pending_app_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up: the same secret until it is confirmed, so that
    reloading the set-up page does not change the QR code under the user's phone."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def confirm_app_device(device: TOTPDevice) -> None:
    """The user has shown a code from `device`: make it their one authenticator app."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones and return them.
    They are shown once; each works once (django-otp deletes a static token when it is used)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes: list[str] = []
        while len(codes) < RECOVERY_CODE_COUNT:
            code = StaticToken.random_token()  # 8 characters of base32: 40 random bits
            if code not in codes:
                codes.append(code)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_code(text: str) -> str:
    """What the user typed, without the spaces and dashes people add when copying codes."""
    return "".join(text.split()).replace("-", "").lower()


def is_app_code(code: str) -> bool:
    return code.isdigit() and len(code) in (6, 8)


def devices_for_code(user: Any, code: str) -> QuerySet[Any]:
    """The devices a code could be from: the app for digits, recovery codes otherwise."""
    if is_app_code(code):
        return TOTPDevice.objects.devices_for_user(user, confirmed=True)
    return StaticDevice.objects.devices_for_user(user, confirmed=True)


def reset_two_factor(user: Any, *, by: Any) -> int:
    """Remove every second-factor device of `user` and end all their sessions: at their next
    sign-in they set up an authenticator app again. Recorded in the audit trail. Returns how
    many devices went (the app, and the set of recovery codes)."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):  # (a device's recovery codes go with it)
            devices = model.objects.filter(user=user)
            removed += devices.count()
            devices.delete()
        sessions = end_sessions(user.pk)
        record_two_factor_event(user, "reset", by=by, devices_removed=removed, sessions=sessions)
    return removed


# --- The set-up page ----------------------------------------------------------------------------


def secret_for_display(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in: base32, in groups of 4."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URI as a QR code: an SVG drawn here, in a data: URI, so that the
    secret never leaves the server for a third-party QR service (and the CSP allows data: images).
    """
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code an authenticator app with this device's secret shows now (or at time `at`)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


# --- The admin action ---------------------------------------------------------------------------


@admin.action(description="Reset two-factor authentication", permissions=["change"])
def reset_two_factor_action(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    """For access.admin.UserAdmin.actions: a user who lost their phone and recovery codes."""
    users = list(queryset)
    for user in users:
        reset_two_factor(user, by=request.user)
    modeladmin.message_user(
        request,
        f"Two-factor authentication reset for {len(users)} "
        f"user{'s' if len(users) != 1 else ''}: they are signed out everywhere and will set up "
        "an authenticator app when they next sign in.",
        messages.SUCCESS,
    )
