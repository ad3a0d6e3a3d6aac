"""A system follows a case through the API alone: it creates a report with its victim and
suspect, drafts an order from them, and carries the order through application, hearing, making,
service, the defendant's notification and a breach (issue 8, "Done when")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access.models import AuditEvent, AuditKind
from safeguard.people.models import ProtectedDetail
from tests.api.conftest import CANARY

REPORT = {
    "reference": "NF/24/000123",
    "offence_code": "8Q",
    "reported_at": "2025-03-04T10:15:00Z",
    "occurred_from": "2025-01-10",
    "behaviours": ["contact", "loitering"],
    "sdash_answers": {"frightened": True, "threats": None},
    "parties": [
        {
            "role": "victim",
            "given_name": "Vicky",
            "surname": "Marsh",
            "date_of_birth": "1990-02-03",
            "sex": "F",
            "protected_details": [{"kind": "home_address", "value": CANARY, "postcode": "NW1 0ZZ"}],
        },
        {
            "role": "suspect",
            "given_name": "Daniel",
            "surname": "Reeve",
            "relationship_to_victim": "ex_partner",
            "identifiers": [{"scheme": "pnc", "value": "2001/0000001A"}],
        },
    ],
}


def test_a_system_follows_a_case_through_the_api_alone(world, django_capture_on_commit_callbacks):
    api = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/reports/", REPORT, format="json")
    assert created.status_code == 201, created.json()
    report = created.json()
    assert report["reference"] == "NF/24/000123"
    assert CANARY not in created.content.decode()
    parties = {p["role"]: p["person"] for p in report["parties"]}
    assert ProtectedDetail.objects.filter(person_id=parties["victim"]).count() == 1

    listed = api.get("/api/v1/reports/", {"offence_code": "8Q"}).json()
    assert [r["reference"] for r in listed["results"]] == ["NF/24/000123"]

    drafted = api.post(
        "/api/v1/orders/",
        {
            "order_type": "spo",
            "defendant": parties["suspect"],
            "protected_persons": [parties["victim"]],
            "reports": [report["id"]],
            "court": "Norwich Magistrates' Court",
            "conditions": [{"code": "no-contact", "necessity": "140 messages in three weeks"}],
        },
        format="json",
    )
    assert drafted.status_code == 201, drafted.json()
    order = drafted.json()
    assert order["state"] == "draft"
    assert order["reports"] == [report["id"]]
    url = f"/api/v1/orders/{order['id']}"

    def step(path: str, body: dict, expected: int = 200) -> dict:
        response = api.post(
            f"{url}/{path}/", {"expected_version": order["version"], **body}, format="json"
        )
        assert response.status_code == expected, response.json()
        return response.json()

    hearing_at = (timezone.now() + dt.timedelta(days=7)).isoformat()
    order = step("submit", {"hearing_at": hearing_at})
    assert order["state"] == "applied"
    assert len(order["hearings"]) == 1
    made_on = timezone.localdate()
    order = step(
        "outcome",
        {
            "outcome": "granted",
            "made_on": made_on.isoformat(),
            "ends_on": (made_on + dt.timedelta(days=800)).isoformat(),
        },
    )
    assert order["state"] == "in_force"
    order = step(
        "service",
        {"served_at": timezone.now().isoformat(), "method": "personal", "served_by": "PC 123 Shah"},
        201,
    )
    assert order["served_at"] is not None
    [initial] = order["notifications"]
    assert initial["kind"] == "initial"
    assert initial["status"] == "due"
    assert any(d["moment"] == "served" for d in order["deadlines"])

    made = api.post(
        f"/api/v1/notifications/{initial['id']}/made/",
        {"notified_at": timezone.now().isoformat(), "police_station": "Bethel Street, Norwich"},
        format="json",
    )
    assert made.status_code == 200
    assert made.json()["status"] == "on_time"
    breach = api.post(
        "/api/v1/breaches/",
        {
            "order": order["id"],
            "occurred_at": timezone.now().isoformat(),
            "description": "Sent a message",
        },
        format="json",
    )
    assert breach.status_code == 201, breach.json()
    assert api.get("/api/v1/deadlines/").status_code == 200

    final = api.get(f"{url}/").json()
    assert final["version"] > 1
    assert len(final["breaches"]) == 1
    assert len(final["state_changes"]) == 2
    # Every write is in the audit trail, attributed to the token's account.
    coordinator = world.users["coordinator"]
    writes = AuditEvent.objects.filter(actor_id=coordinator.pk, kind=AuditKind.INSERT)
    assert writes.filter(table_name="reports_report").count() == 1
    assert writes.filter(table_name="orders_order").count() == 1
    assert "API token" in writes.first().actor_label


def test_a_system_sees_its_reports_screened_through_the_api(
    world, django_capture_on_commit_callbacks
):
    """Reports posted by a system reach screening (the reports_created signal marks the force;
    the worker runs `screen_pending`), and the candidate it finds is read and taken up through
    the API."""
    from safeguard.screening import services as screening

    api = world.client("coordinator")
    today = timezone.localdate()
    for n, (days_ago, acts) in enumerate(
        [
            (50, ["contact"]),
            (35, ["contact", "following"]),
            (20, ["following", "watching"]),
            (6, ["contact", "threats", "loitering"]),
        ]
    ):
        body = {
            **REPORT,
            "reference": f"NF/25/{n:06d}",
            "reported_at": (timezone.now() - dt.timedelta(days=days_ago)).isoformat(),
            "occurred_from": (today - dt.timedelta(days=days_ago + 1)).isoformat(),
            "behaviours": acts,
            "parties": [
                {**REPORT["parties"][0], "protected_details": []},
                {**REPORT["parties"][1], "date_of_birth": "1985-06-01", "sex": "M"},
            ],
        }
        with django_capture_on_commit_callbacks(execute=True):
            assert api.post("/api/v1/reports/", body, format="json").status_code == 201
    assert api.get("/api/v1/candidates/").json()["count"] == 0  # not yet screened
    assert screening.screen_pending()  # what the job worker does within a minute

    queue = api.get("/api/v1/candidates/", {"status": "open"}).json()
    assert queue["count"] == 1, queue
    [candidate] = queue["results"]
    assert (candidate["suspect_name"], candidate["victim_name"]) == ("Daniel Reeve", "Vicky Marsh")
    assert candidate["reasons"]
    detail = api.get(f"/api/v1/candidates/{candidate['id']}/").json()
    assert sorted(r["reference"] for r in detail["reports"]) == [f"NF/25/{n:06d}" for n in range(4)]
    taken = api.post(
        f"/api/v1/candidates/{candidate['id']}/status/", {"status": "reviewing"}, format="json"
    )
    assert taken.status_code == 200
    assert taken.json()["status"] == "reviewing"
