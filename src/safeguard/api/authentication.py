"""Token authentication for other systems (issue 8): `Authorization: Bearer <key>`.

A key is made by `safeguard api_token create` and shown once. It is scoped to a force and a role
(those of its service account when it was made) and works only while the token is neither revoked
nor expired and the account is active with that same force and role: moving or demoting the
account, or closing it, ends its tokens on their next request. Only a SHA-256 digest of the key is
stored (access.models.ApiToken).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from safeguard.access.models import ApiToken, User

KEY_PREFIX = "sgk_"
# Write the last-used time at most this often (one write a minute per busy token, not per call).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
DEFAULT_DAYS = 90
MAX_DAYS = 366


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(
    user: User, *, name: str, days: int = DEFAULT_DAYS, created_by: User | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `user` (its force and role), valid for `days`. Returns the token and its
    key: the key is not stored and cannot be shown again."""
    if not user.is_active:
        raise ValueError(f"{user.username} is not active")
    if not user.force_id:
        raise ValueError(f"{user.username} has no force: a token is scoped to one force")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts between 1 and {MAX_DAYS} days")
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        user=user,
        force_id=user.force_id,
        role=user.role,
        prefix=prefix,
        key_hash=digest(key),
        created_by=created_by,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, key


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sgk_<prefix>.<secret>`. Every refusal reads the same, so a caller
    learns nothing about which tokens exist."""

    keyword = "Bearer"
    refusal = "The token is not valid: it is unknown, revoked or expired, or its account changed"

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in (b"bearer", b"token"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Bearer KEY'")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(self.refusal) from None
        if not key.startswith(KEY_PREFIX) or "." not in key:
            raise exceptions.AuthenticationFailed(self.refusal)
        prefix = key[len(KEY_PREFIX) :].split(".", 1)[0]
        token = (
            ApiToken.objects.select_related("user", "user__force", "user__team")
            .filter(prefix=prefix)
            .first()
        )
        now = timezone.now()
        if (
            token is None
            or not hmac.compare_digest(token.key_hash, digest(key))
            or not token.is_live(now)
        ):
            raise exceptions.AuthenticationFailed(self.refusal)
        user = token.user
        if not user.is_active or user.force_id != token.force_id or user.role != token.role:
            raise exceptions.AuthenticationFailed(self.refusal)
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made with `safeguard api_token create` (docs/api.md).",
        }
