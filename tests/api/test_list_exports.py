"""Exports of the report and people lists (issue 8, gap 3): officers, coordinators and
supervisors take out the reports and people they can see, identification fields only, never a
protected detail, each export logged with its reason; other roles get 403."""

from __future__ import annotations

import csv
import io

import pytest

from safeguard.access.models import AuditEvent, AuditKind
from tests.api.conftest import CANARY, World

EXPORTERS = {"officer_a": {"NF/L/1"}, "coordinator": {"NF/L/1", "NF/L/2"}}


@pytest.fixture
def cases(world: World, make_case):
    make_case("NF/L/1", officer="officer_a", team="north")
    make_case("NF/L/2", officer="officer_b", team="south")
    make_case("SF/L/9", force=world.other_force)


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("user", ["officer_a", "coordinator", "supervisor"])
def test_reports_export_as_the_user_sees_them_without_evidence(world: World, cases, user):
    response = world.client(user).post(
        "/api/v1/reports/export/", {"format": "csv", "purpose": "Caseload review"}, format="json"
    )
    assert response.status_code == 200, response.content
    rows = _rows(response)
    assert rows[0] == [
        "Reference",
        "Offence code",
        "Offence",
        "Reported at",
        "Occurred from",
        "Occurred to",
        "Status",
        "Officer",
        "Team",
    ]
    expected = EXPORTERS.get(user, {"NF/L/1", "NF/L/2"})
    assert {row[0] for row in rows[1:]} == expected
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert (event.actor_id, event.purpose) == (world.users[user].pk, "Caseload review")
    assert event.changes["rows"] == len(expected)


@pytest.mark.parametrize("user", ["officer_a", "coordinator", "supervisor"])
def test_people_export_never_carries_a_protected_detail(world: World, cases, user):
    response = world.client(user).post(
        "/api/v1/people/export/", {"format": "csv", "purpose": "Checking duplicates"}, format="json"
    )
    assert response.status_code == 200, response.content
    rows = _rows(response)
    assert rows[0] == ["Given name", "Middle names", "Surname", "Date of birth", "Sex"]
    people = 2 * len(EXPORTERS.get(user, {"NF/L/1", "NF/L/2"}))  # a victim and a suspect each
    assert len(rows) - 1 == people
    assert CANARY not in response.content.decode("utf-8-sig")
    assert "NW1" not in response.content.decode("utf-8-sig")  # not even the postcode


@pytest.mark.parametrize("user", ["legal", "force_admin", "advocate", "analyst"])
@pytest.mark.parametrize("what", ["reports", "people"])
def test_roles_without_an_export_rule_get_403(world: World, cases, user: str, what: str):
    response = world.client(user).post(
        f"/api/v1/{what}/export/", {"format": "xlsx", "purpose": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()


def test_the_browser_export_page_gives_an_officer_their_reports(
    world: World, cases, client, sign_in
):
    sign_in(client, world.users["officer_a"])
    page = client.get("/exports/reports/")
    assert page.status_code == 200
    assert "Why are you exporting this?" in page.content.decode()
    response = client.post("/exports/reports/", {"format": "csv", "purpose": "My caseload"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert {row[0] for row in _rows(response)[1:]} == {"NF/L/1"}
