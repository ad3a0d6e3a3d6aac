"""SESSION_ENGINE = "safeguard.access.sessions.backend": Django's database sessions, with the
signed-in user's id kept in its own indexed column."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


def _user_id(data: dict[str, Any]) -> int | None:
    value = data.get(SESSION_KEY)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> Any:
        from safeguard.access.sessions.models import UserSession

        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        instance: Any = super().create_model_instance(data)
        instance.user_id = _user_id(data)
        return instance

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        instance: Any = await super().acreate_model_instance(data)
        instance.user_id = _user_id(data)
        return instance
