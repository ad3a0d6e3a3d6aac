"""Sign-in, sign-out and refused sign-ins in the audit trail, and the ending of sessions.

Django's own signals are used, so every way in is covered: our sign-in pages, the admin's, and a
test client's force_login. Connected in AccessConfig.ready().

Never recorded: a password, or a username that was typed. A refused attempt records a keyed
hash of the username (so repeated attempts at one name can be told apart without the name, which
may be someone's password typed in the wrong box) and, when the name is an account's, which.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from safeguard.access import audit
from safeguard.access.models import AuditKind, User
from safeguard.access.security import LOGOUT_REASON, start_session_clock
from safeguard.access.sessions.models import end_sessions

USERNAME_HASH_SALT = "safeguard.access.signals.username"


def _login_failed_kind() -> str:
    # AuditKind has no kind of its own for a refused sign-in yet (access/models.py); until it
    # has, a refusal is a LOGIN event whose details say "refused".
    return getattr(AuditKind, "LOGIN_FAILED", AuditKind.LOGIN)


class _Anonymous:
    """The actor of a refused password: nobody has signed in."""

    pk = None

    def get_username(self) -> str:
        return "anonymous"


def username_hash(username: str) -> str:
    """A keyed (SECRET_KEY) hash of a typed username, for the audit trail only."""
    return salted_hmac(USERNAME_HASH_SALT, username, algorithm="sha256").hexdigest()[:32]


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return get_client_ip_address(request) or ""


@receiver(user_logged_in, dispatch_uid="safeguard.access.signed_in")
def signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        start_session_clock(request)
    audit.record(
        AuditKind.LOGIN,
        user=user,
        table_name="access_user",
        object_id=user.pk,
        details={"event": "password accepted", "address": _address(request)},
    )


@receiver(user_logged_out, dispatch_uid="safeguard.access.signed_out")
def signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON, "signed out")
    details: dict[str, Any] = {"event": reason, "address": _address(request)}
    if reason == "signed out":
        # Signing out anywhere signs out everywhere: every session of this user ends now.
        details["sessions_ended"] = end_sessions(user.pk)
    audit.record(
        AuditKind.LOGOUT, user=user, table_name="access_user", object_id=user.pk, details=details
    )


@receiver(user_login_failed, dispatch_uid="safeguard.access.sign_in_refused")
def sign_in_refused(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    typed = str(credentials.get("username") or "")
    account = User.objects.filter(username=typed).first() if typed else None
    second_factor = bool(credentials.get("second_factor"))
    locked = bool(getattr(request, "axes_locked_out", False))
    event = "code refused" if second_factor else "password refused"
    audit.record(
        _login_failed_kind(),
        # After a right password, the account holder is known; before it, nobody is.
        user=account if second_factor and account is not None else _Anonymous(),
        table_name="access_user" if account is not None else "",
        object_id=account.pk if account is not None else "",
        details={
            "event": f"{event}, now locked out" if locked else event,
            "username_hash": username_hash(typed),
            "address": _address(request),
        },
    )


@receiver(post_save, sender=User, dispatch_uid="safeguard.access.account_closed")
def account_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    """Closing an account (is_active off, e.g. in the admin) ends all its sessions at once.
    (A bulk `update()` sends no signal, but Django refuses an inactive user's session anyway.)"""
    if not created and not instance.is_active:
        end_sessions(instance.pk)
