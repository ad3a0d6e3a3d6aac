"""`safeguard check --deploy --fail-level WARNING` passes with production settings: HTTPS only,
HSTS, secure cookies, a real secret key, DEBUG off (docs/deploy.md lists the variables)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides: str) -> dict[str, str]:
    # Not this test run's own settings (and not DJANGO_ALLOW_ASYNC_UNSAFE, which the browser
    # tests set and which a deployment must never have).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SAFEGUARD_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        {
            "SAFEGUARD_ENV": "production",
            "SAFEGUARD_SECRET_KEY": secrets.token_urlsafe(64),
            "SAFEGUARD_ALLOWED_HOSTS": "safeguard.police.example",
            # Checks do not connect, but settings need a server to name: never the embedded one.
            "DATABASE_URL": os.environ.get(
                "DATABASE_URL", "postgres://safeguard@127.0.0.1:5432/safeguard"
            ),
            "DJANGO_SETTINGS_MODULE": "safeguard.settings",
        }
    )
    env.update(overrides)
    return env


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safeguard.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_deploy_check_passes_with_production_settings():
    result = run_check(production_env())
    print(
        f"\ncheck --deploy --fail-level WARNING: exit {result.returncode}: {result.stdout.strip()}"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_would_catch_a_weakened_setting():
    # The same check fails when production turns HTTPS redirection off: it is really checking.
    result = run_check(production_env(SAFEGUARD_SSL_REDIRECT="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
