"""A session row that records whose session it is (see the package docstring)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose session this is; empty before sign-in.",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "access_sessions_usersession"

    @classmethod
    def get_session_store_class(cls) -> type:
        from safeguard.access.sessions.backend import SessionStore

        return SessionStore


def end_sessions(user_id: int, *, keep: str | None = None) -> int:
    """Delete every session of the user (except `keep`, a session key); returns how many."""
    sessions = UserSession.objects.filter(user_id=user_id)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    deleted, _ = sessions.delete()
    return deleted
