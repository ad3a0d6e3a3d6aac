"""Without DATABASE_URL, Safeguard runs on its own embedded PostgreSQL under var/ (issue 2.3).

`make test-embedded` (run by CI after the main suite) runs this file and the state-machine
tests with DATABASE_URL unset, so the embedded way is exercised on every change.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="DATABASE_URL is set: using the external server"
)


@pytest.mark.embedded
@pytest.mark.django_db
def test_embedded_server_is_postgresql_on_a_private_socket():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute("SHOW listen_addresses")
        (listen,) = cursor.fetchone()
    assert int(version.split(".")[0]) >= 16
    assert listen == ""  # no TCP listener: nothing reachable from the network
    assert connection.settings_dict["HOST"].startswith(os.fspath(os.getcwd()))
