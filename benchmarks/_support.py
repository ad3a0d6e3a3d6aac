"""Shared by the benchmarks: a throwaway database on the configured server."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def server_url() -> str:
    """DATABASE_URL, or the embedded PostgreSQL when it is not set."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    from safeguard.database import start_embedded

    return start_embedded(ROOT).get_uri()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Create a database, point Django at it, migrate it; drop it afterwards."""
    url = server_url()
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin(url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(url, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        yield name
    finally:
        from django.db import connections

        connections.close_all()
        admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
