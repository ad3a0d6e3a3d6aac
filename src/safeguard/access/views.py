"""Signing in (password, then a second factor), setting up the second factor, recovery codes,
signing out, and the lockout page. Passwords and sessions are Django's, codes django-otp's,
lockout django-axes'; these views only join them up (docs/security.md)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from safeguard.access import audit, otp
from safeguard.access.forms import CodeForm, LoginForm, SetUpForm
from safeguard.access.models import AuditKind

# Set on the session when the authenticator app has just been set up: the recovery codes page then
# makes and shows the codes, once.
NEW_RECOVERY_CODES = "safeguard_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where to go once fully signed in: the page asked for, if it is on this site."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _is_verified(user: Any) -> bool:
    # A user just signed in by login() is not the one OTPMiddleware wrapped: no is_verified().
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and is_verified is not None and is_verified())


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    if next_url and next_url != reverse(settings.LOGIN_REDIRECT_URL):
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return url


class LoginView(auth_views.LoginView):
    """Step 1, the password. A right one leads to step 2, the code (or its set-up)."""

    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        next_url = super().get_success_url()
        if _is_verified(self.request.user):  # already fully signed in, back at this page
            return next_url
        return _with_next("two-factor", next_url)


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses a GET logout), then back to the sign-in page with a message.
    Signing out ends every session of the user, on every device (access/signals.py)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You have signed out")
        return response


# --- Step 2: the second factor ------------------------------------------------------------------


def _refuse_code(request: HttpRequest) -> bool:
    """Count a wrong code as a failed sign-in (audit trail and lockout); True if now locked."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": request.user.get_username(), "second_factor": True},
        request=request,
    )
    return bool(getattr(request, "axes_locked_out", False))


def _lockout_credentials(request: HttpRequest) -> dict[str, str]:
    return {"username": request.user.get_username()}


@sensitive_post_parameters("code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The code from the authenticator app, or a recovery code (used up once it works)."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    next_url = _next_url(request)
    if _is_verified(request.user):
        return HttpResponseRedirect(next_url)
    if not otp.has_app_device(request.user):
        return redirect(_with_next("two-factor-set-up", next_url))
    if AxesProxyHandler.is_locked(request, _lockout_credentials(request)):
        return _end_locked_sign_in(request)

    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        code = otp.normalise_code(form.cleaned_data["code"])
        device, wait = _verify(request.user, code)
        if device is not None:
            return _second_factor_accepted(request, device, next_url)
        if wait:
            form.add_error("code", f"Wait {wait} before you try another code")
        elif _refuse_code(request):
            return _end_locked_sign_in(request)
        else:
            form.add_error(
                "code",
                "Enter the code your authenticator app shows now, or a recovery code you have "
                "not used before",
            )
    return render(request, "access/two_factor.html", {"form": form, "next": next_url})


def _throttled_for(device: Any) -> str:
    """How long django-otp's back-off (1, 2, 4... seconds after each wrong code) still makes the
    user wait before this device checks another code, in words; "" if it checks now."""
    allowed, data = device.verify_is_allowed()
    locked_until = None if allowed else (data or {}).get("locked_until")
    if locked_until is None:
        return ""
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _verify(user: Any, code: str) -> tuple[Any, str]:
    """The device that accepts `code`; or None, and how long to wait if every device that could
    have checked it was still in its back-off (a code not checked is not a failure)."""
    waits, checked = [], False
    with transaction.atomic():
        for device in otp.devices_for_code(user, code).select_for_update():
            wait = _throttled_for(device)
            if wait:
                waits.append(wait)
                continue
            checked = True
            if device.verify_token(code):
                return device, ""
    return None, "" if checked or not waits else waits[0]


def _second_factor_accepted(request: HttpRequest, device: Any, next_url: str) -> HttpResponse:
    user = request.user
    django_otp.login(request, device)
    request.session.cycle_key()  # a new session key for the fully signed-in session
    # Failures before this success no longer count towards the lockout.
    AxesProxyHandler.reset_attempts(
        username=user.get_username(), ip_address=get_client_ip_address(request)
    )
    recovery = isinstance(device, StaticDevice)
    audit.record(
        AuditKind.LOGIN,
        user=user,
        table_name="access_user",
        object_id=str(user.pk),
        details={
            "event": "recovery code accepted" if recovery else "code accepted",
            "address": get_client_ip_address(request) or "",
        },
    )
    if recovery:
        left = otp.recovery_codes_left(user)
        messages.info(
            request,
            f"You used a recovery code: it will not work again. You have {left} left. "
            "Make new ones from the recovery codes page if you are running out.",
        )
    return HttpResponseRedirect(next_url)


def _end_locked_sign_in(request: HttpRequest) -> HttpResponse:
    credentials = _lockout_credentials(request)
    logout(request)
    return locked_out(request, None, credentials)


@sensitive_post_parameters("code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """First sign-in (or after an administrator's reset): add Safeguard to an authenticator app
    with the QR code or the secret, then prove it with a code."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    next_url = _next_url(request)
    if otp.has_app_device(request.user):
        # Only an administrator's reset removes a device: nobody with just a password can
        # replace the app of an account that has one.
        return redirect(_with_next("two-factor", next_url))
    if AxesProxyHandler.is_locked(request, _lockout_credentials(request)):
        return _end_locked_sign_in(request)

    device = otp.pending_app_device(request.user)
    form = SetUpForm(request.POST if request.method == "POST" else None)
    wait = _throttled_for(device) if form.is_valid() else ""
    if wait:
        form.add_error("code", f"Wait {wait} before you try another code")
    elif form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp.confirm_app_device(device)
            otp.record_two_factor_event(request.user, "authenticator app set up")
            django_otp.login(request, device)
            request.session.cycle_key()
            request.session[NEW_RECOVERY_CODES] = True
            AxesProxyHandler.reset_attempts(
                username=request.user.get_username(),
                ip_address=get_client_ip_address(request),
            )
            return redirect(_with_next("recovery-codes", next_url))
        if _refuse_code(request):
            return _end_locked_sign_in(request)
        form.add_error(
            "code",
            "Enter the code your authenticator app shows now for Safeguard. If it keeps being "
            "refused, check the time on your phone is set automatically",
        )
    return render(
        request,
        "access/two_factor_set_up.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": otp.qr_code_data_uri(device),
            "secret": otp.secret_for_display(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Recovery codes, shown once: right after set-up, or when the user asks for new ones
    (which replaces the old). Only for a fully signed-in user (TwoFactorRequiredMiddleware)."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    codes: list[str] = []
    if request.method == "POST" or request.session.pop(NEW_RECOVERY_CODES, False):
        codes = otp.new_recovery_codes(request.user)
        if request.method == "POST":
            otp.record_two_factor_event(request.user, "new recovery codes")
    return render(
        request,
        "access/recovery_codes.html",
        {
            "codes": codes,
            "left": otp.recovery_codes_left(request.user),
            "next": _next_url(request),
        },
    )


# --- Lockout ------------------------------------------------------------------------------------


def _locked_until(request: HttpRequest, username: str) -> dt.datetime:
    """When the lock on this username from this address ends: AXES_COOLOFF_TIME after the
    failure that set it (further tries during the lock do not extend it)."""
    cool_off = get_cool_off(request) or dt.timedelta(0)
    last = AccessAttempt.objects.filter(
        username=username, ip_address=get_client_ip_address(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    return timezone.localtime((last or timezone.now()) + cool_off)


def _clock(moment: dt.datetime) -> str:
    """GOV.UK style: 3:05pm, midday, midnight."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d}{'am' if moment.hour < 12 else 'pm'}"


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: the sign-in page, saying that signing in with this
    username from here is locked and until when. It reads the same whether or not the username
    is anyone's: the lock is on what was typed, not on an account."""
    credentials = credentials or getattr(request, "axes_credentials", None) or {}
    username = str(credentials.get("username") or request.POST.get("username", ""))
    locked_until = _locked_until(request, username)
    minutes = int((get_cool_off(request) or dt.timedelta(0)).total_seconds() // 60)
    message = (
        f"Signing in with this username is locked for {minutes} minutes, after "
        f"{settings.AXES_FAILURE_LIMIT} wrong passwords or codes. Try again after "
        f"{_clock(locked_until)}. If you cannot wait, ask your force administrator"
    )
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "access/login.html",
        {"form": form, "locked_message": message, "next": _next_url(request)},
        status=429,
    )
