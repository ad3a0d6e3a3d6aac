"""Request-level security: response headers, session timeouts and the second-factor gate
(docs/security.md). Each is a middleware listed in settings.MIDDLEWARE, on in every environment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# --- Headers ------------------------------------------------------------------------------------

# Everything the service needs comes from its own origin: GOV.UK Frontend, htmx and app.js are
# static files, never inline; the two-factor QR code is an image in a data: URI. No 'unsafe-inline'
# and no 'unsafe-eval' anywhere (htmx runs with allowEval off: templates/base.html).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}

# The Django admin's change list adds this one <style> element when a model has no actions
# (django/contrib/admin/templates/admin/change_list.html). Under /admin/ only, that exact text is
# allowed by its hash; everything else stays as strict as the rest of the site.
# tests/access/test_headers.py recomputes the hash from Django's installed template.
ADMIN_STYLE_HASHES = ["'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='"]

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


CSP_HEADER = _policy(CONTENT_SECURITY_POLICY)
ADMIN_CSP_HEADER = _policy(
    {
        **CONTENT_SECURITY_POLICY,
        "style-src": [*CONTENT_SECURITY_POLICY["style-src"], *ADMIN_STYLE_HASHES],
    }
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy and Cross-Origin-Resource-Policy on every
    response (Django's SecurityMiddleware adds HSTS, nosniff, Referrer-Policy and COOP), and
    `Cache-Control: no-store` on every page shown to a signed-in user, so that no browser or
    proxy keeps a copy of case data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        in_admin = request.path_info.startswith(self.admin_prefix)
        response.headers.setdefault(
            "Content-Security-Policy", ADMIN_CSP_HEADER if in_admin else CSP_HEADER
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # "no-cache, no-store, must-revalidate, private"
        return response


def client_ip(request: HttpRequest) -> str:
    """The client's address for lockout and the audit trail (settings.AXES_CLIENT_IP_CALLABLE).

    With SAFEGUARD_TRUSTED_PROXIES = n, the n-th address from the right of X-Forwarded-For (the
    one the outermost trusted proxy saw); otherwise the connection's own address. A header the
    client wrote itself is never believed, or anyone could dodge the lockout by inventing one.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SAFEGUARD_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote


# --- Session timeouts ---------------------------------------------------------------------------

SIGNED_IN_AT = "safeguard_signed_in_at"  # when the password was accepted (POSIX seconds)
LAST_SEEN = "safeguard_last_seen"  # the previous request of this session (POSIX seconds)
LOGOUT_REASON = "safeguard_logout_reason"  # request attribute read by access.signals
# LAST_SEEN is rewritten (and so the session row saved, and its expiry pushed back) at most this
# often: one write a minute per active user rather than one per request. The idle timeout is
# therefore exact to within this many seconds, erring on the side of ending sooner.
LAST_SEEN_RESOLUTION = 60


def idle_timeout_seconds() -> float:
    return settings.SAFEGUARD_SESSION_IDLE_MINUTES * 60


def absolute_timeout_seconds() -> float:
    return settings.SAFEGUARD_SESSION_ABSOLUTE_HOURS * 3600


def start_session_clock(request: HttpRequest) -> None:
    """Called on sign-in (access.signals): the absolute and idle clocks start now."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def _redirect_to_sign_in(request: HttpRequest) -> HttpResponse:
    url = reverse("login")
    if request.method in ("GET", "HEAD"):
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        # htmx would swap the sign-in page into a fragment: tell it to load the page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SAFEGUARD_SESSION_IDLE_MINUTES without a request, or
    SAFEGUARD_SESSION_ABSOLUTE_HOURS after sign-in, whichever comes first.

    The database enforces the idle limit too (saving the session pushes its row's expiry to
    SESSION_COOKIE_AGE later); this middleware adds the absolute limit and tells the user why
    they must sign in again. Ending a session here ends only this one, not the user's others.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = timezone.now().timestamp()
        signed_in_at: float | None = request.session.get(SIGNED_IN_AT)
        last_seen: float | None = request.session.get(LAST_SEEN)
        reason = None
        if signed_in_at is None or last_seen is None:
            reason = "no sign-in time"  # a session made before these rules: start again
        elif now - signed_in_at > absolute_timeout_seconds():
            reason = "absolute timeout"
        elif now - last_seen > idle_timeout_seconds():
            reason = "idle timeout"
        if reason is None and last_seen is not None:
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now  # modified: saved, expiry pushed back
            return self.get_response(request)
        setattr(request, LOGOUT_REASON, reason)
        logout(request)
        if reason == "absolute timeout":
            hours = settings.SAFEGUARD_SESSION_ABSOLUTE_HOURS
            text = f"You have been signed out because you signed in more than {hours:g} hours ago"
        elif reason == "idle timeout":
            minutes = settings.SAFEGUARD_SESSION_IDLE_MINUTES
            text = f"You have been signed out because you did nothing for {minutes} minutes"
        else:
            text = "You have been signed out"
        messages.info(request, f"{text}. Sign in again to carry on.")
        return _redirect_to_sign_in(request)


# --- Second factor ------------------------------------------------------------------------------

API_PREFIX = "/api/"  # safeguard/urls.py: the REST API (token callers never reach this check)


class TwoFactorRequiredMiddleware:
    """Until the user has given their second factor, every page except signing in, the
    second-factor pages and signing out sends them to the second-factor step; the Django admin
    included. The admin's own password-only sign-in page is replaced by ours."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths = frozenset(
            reverse(name) for name in ("login", "logout", "two-factor", "two-factor-set-up")
        )
        self.admin_login = reverse("admin:login")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        user: Any = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if path == self.admin_login:
            if not signed_in:
                query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
                return HttpResponseRedirect(f"{reverse('login')}?{query}")
            if user.is_verified() and not user.is_staff:
                # Fully signed in but not allowed in the admin (the admin sends such users to its
                # login page): say so, rather than loop between the two sign-in pages.
                raise PermissionDenied
        if signed_in and not user.is_verified() and path not in self.open_paths:
            if path.startswith(API_PREFIX):
                # A program calling the API gets an answer it can read, not a sign-in page.
                return JsonResponse(
                    {"detail": "Sign in with your second factor first."}, status=403
                )
            query = urlencode({"next": request.get_full_path()})
            response: HttpResponse = HttpResponseRedirect(f"{reverse('two-factor')}?{query}")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = f"{reverse('two-factor')}?{query}"
            return response
        return self.get_response(request)
