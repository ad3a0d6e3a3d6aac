"""Encryption at rest for protected details, with a key kept apart from SECRET_KEY.

Keys are Fernet keys (AES-128-CBC + HMAC-SHA256). The first key encrypts; every key listed can
decrypt, so a key can be rotated without downtime: add a new key first, re-encrypt every row
(`safeguard rotate_field_key`), then retire the old one. Keys come from SAFEGUARD_FIELD_KEYS
(comma-separated, newest first) or, on a developer's machine, var/field_keys (one per line).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class KeyError_(RuntimeError):
    """The field keys are missing or cannot decrypt a value."""


def key_file() -> Path:
    return Path(settings.VAR_DIR) / "field_keys"


def configured_keys() -> list[str]:
    env = os.environ.get("SAFEGUARD_FIELD_KEYS")
    if env:
        return [k.strip() for k in env.split(",") if k.strip()]
    if getattr(settings, "PRODUCTION", False):
        raise KeyError_("SAFEGUARD_FIELD_KEYS must be set in production")
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode() + "\n")
        path.chmod(0o600)
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise KeyError_("No field encryption key is configured")
    return MultiFernet([Fernet(k.encode()) for k in keys])


_keys_cache: dict[str, tuple[float, tuple[str, ...]]] = {}


def _current_keys() -> tuple[str, ...]:
    """The configured keys, re-read only when their source changes (not on every value)."""
    env = os.environ.get("SAFEGUARD_FIELD_KEYS")
    if env:
        return tuple(k.strip() for k in env.split(",") if k.strip())
    path = key_file()
    stamp = path.stat().st_mtime_ns if path.exists() else -1
    cached = _keys_cache.get(str(path))
    if cached is None or cached[0] != stamp:
        keys = tuple(configured_keys())
        _keys_cache[str(path)] = (path.stat().st_mtime_ns, keys)
        return keys
    return cached[1]


def fernet() -> MultiFernet:
    return _fernet(_current_keys())


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # Never include the token or any part of it: it may reach a log or an error page.
        raise KeyError_(
            "A protected detail cannot be decrypted with the configured keys; was a key "
            "retired before `safeguard rotate_field_key` re-encrypted every row?"
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt a value under the newest key."""
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored encrypted. It cannot be searched or filtered on, by design."""

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"An encrypted field cannot be searched with '{lookup_name}'")
        return super().get_lookup(lookup_name)
