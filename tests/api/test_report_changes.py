"""Changing a report through the API (issue 8, gap 2): PATCH /api/v1/reports/{id}/ goes through
reports.services.update_report, with the same rules as a new report, optimistic locking on the
report's version, the access rules, and the audit trail."""

from __future__ import annotations

import pytest

from safeguard.access.models import AuditEvent, AuditKind
from safeguard.reports.models import Report
from tests.api.conftest import World


@pytest.fixture
def case(world: World, make_case):
    return make_case("NF/P/1", officer="officer_a", team="north")


def _read(api, report: Report) -> dict:
    answer = api.get(f"/api/v1/reports/{report.pk}/")
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_a_coordinator_changes_a_reports_facts_and_it_is_audited(world: World, case):
    api = world.client("coordinator")
    before = _read(api, case.report)
    answer = api.patch(
        f"/api/v1/reports/{case.report.pk}/",
        {
            "expected_version": before["version"],
            "summary": "Followed her home from the station on three evenings",
            "behaviours": ["following", "watching"],
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["summary"] == "Followed her home from the station on three evenings"
    assert body["behaviours"] == ["following", "watching"]
    assert body["version"] != before["version"]
    report = Report.objects.get(pk=case.report.pk)
    assert report.behaviours == ["following", "watching"]
    change = AuditEvent.objects.filter(
        kind=AuditKind.UPDATE, table_name="reports_report", object_id=str(report.pk)
    ).latest("id")
    assert change.actor_id == world.users["coordinator"].pk


def test_a_stale_version_is_a_conflict_and_changes_nothing(world: World, case):
    officer, coordinator = world.client("officer_a"), world.client("coordinator")
    seen = _read(officer, case.report)["version"]
    first = coordinator.patch(
        f"/api/v1/reports/{case.report.pk}/",
        {"expected_version": seen, "summary": "The coordinator's words"},
        format="json",
    )
    assert first.status_code == 200
    late = officer.patch(
        f"/api/v1/reports/{case.report.pk}/",
        {"expected_version": seen, "summary": "The officer's words"},
        format="json",
    )
    assert late.status_code == 409
    assert late.json()["current_version"] == first.json()["version"]
    assert Report.objects.get(pk=case.report.pk).summary == "The coordinator's words"


def test_a_change_is_checked_by_the_rules_for_a_report(world: World, case):
    api = world.client("coordinator")
    version = _read(api, case.report)["version"]
    url = f"/api/v1/reports/{case.report.pk}/"
    backwards = api.patch(
        url,
        {"expected_version": version, "occurred_to": "2001-01-01"},
        format="json",
    )
    assert backwards.status_code == 400
    assert "occurred_to" in backwards.json()
    reference = api.patch(url, {"expected_version": version, "reference": "X/1"}, format="json")
    assert reference.status_code == 400
    assert "reference" in reference.json()
    assert Report.objects.get(pk=case.report.pk).reference == "NF/P/1"


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("officer_a", 200),  # the report is assigned to them
        ("officer_b", 404),  # another team's report: no such record
        ("supervisor", 403),  # sees it, may not change it
        ("legal", 403),
        ("advocate", 403),
        ("other_coordinator", 404),
    ],
)
def test_only_those_who_may_change_a_report_can(world: World, case, user: str, expected: int):
    version = _read(world.client("coordinator"), case.report)["version"]
    answer = world.client(user).patch(
        f"/api/v1/reports/{case.report.pk}/",
        {"expected_version": version, "summary": f"Changed by {user}"},
        format="json",
    )
    assert answer.status_code == expected, answer.content
    changed = Report.objects.get(pk=case.report.pk).summary == f"Changed by {user}"
    assert changed == (expected == 200)


def test_an_officer_cannot_hand_a_report_beyond_their_own_reach(world: World, case):
    api = world.client("officer_a")
    version = _read(api, case.report)["version"]
    answer = api.patch(
        f"/api/v1/reports/{case.report.pk}/",
        {
            "expected_version": version,
            "officer": world.users["officer_b"].pk,
            "team": world.south.pk,
        },
        format="json",
    )
    assert answer.status_code == 403
    report = Report.objects.get(pk=case.report.pk)
    assert (report.officer_id, report.team_id) == (world.users["officer_a"].pk, world.north.pk)
