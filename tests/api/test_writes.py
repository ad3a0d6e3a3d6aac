"""Writes through the API: idempotency keys, optimistic locking and the rules' refusals mapped
to HTTP, token scope and lifetime, exports and disclosures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading

import pytest
from django.db import connection
from django.utils import timezone

from safeguard.access.models import ApiToken, AuditEvent, AuditKind, IdempotencyKey, Role
from safeguard.orders.models import Condition, Order
from safeguard.reports.models import Report
from tests.api.conftest import CANARY, World

REPORT = {
    "reference": "NF/IDEM/1",
    "offence_code": "8L",
    "reported_at": "2025-02-01T09:00:00Z",
    "occurred_from": "2025-01-20",
    "parties": [{"role": "victim", "surname": "Marsh"}, {"role": "suspect", "surname": "Reeve"}],
}


def test_a_retried_create_returns_the_first_result(world: World):
    api = world.client("coordinator")
    first = api.post("/api/v1/reports/", REPORT, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/reports/", REPORT, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Report.objects.filter(reference="NF/IDEM/1").count() == 1
    # The same key for a different request is refused; a new key is a new request.
    other = api.post(
        "/api/v1/reports/",
        {**REPORT, "reference": "NF/IDEM/2"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 422
    assert not Report.objects.filter(reference="NF/IDEM/2").exists()


def test_a_failed_request_leaves_its_key_free(world: World):
    api = world.client("coordinator")
    bad = api.post(
        "/api/v1/reports/",
        {**REPORT, "occurred_from": "2030-01-01"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert bad.status_code == 400
    assert "occurred_from" in bad.json()
    assert not IdempotencyKey.objects.filter(key="k-2").exists()
    good = api.post("/api/v1/reports/", REPORT, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert good.status_code == 201


def test_keys_belong_to_their_caller(world: World):
    first = world.client("coordinator").post(
        "/api/v1/reports/", REPORT, format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    other = world.client("supervisor").post(
        "/api/v1/reports/",
        {**REPORT, "reference": "NF/IDEM/3"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-3",
    )
    assert first.status_code == 201
    assert other.status_code == 403  # a supervisor may not create reports: a fresh request


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_one_record(world: World, make_case):
    """Two requests with one key at the same moment: the database serialises them."""
    case = make_case("NF/RACE/1")
    order = case.order
    barrier = threading.Barrier(2)
    results = []
    when = (timezone.now() + dt.timedelta(days=3)).isoformat()

    def post() -> None:
        api = world.client("coordinator")
        barrier.wait()
        response = api.post(
            f"/api/v1/orders/{order.pk}/hearings/",
            {
                "expected_version": order.version,
                "scheduled_for": when,
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY="race",
        )
        results.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 201]
    assert order.hearings.count() == 1


def test_a_stale_version_is_a_conflict(world: World, make_case):
    order = make_case("NF/V/1").order
    api = world.client("coordinator")
    body = {"expected_version": order.version, "code": "no-contact", "necessity": "Calls at night"}
    assert (
        api.post(f"/api/v1/orders/{order.pk}/conditions/", body, format="json").status_code == 201
    )
    stale = api.post(f"/api/v1/orders/{order.pk}/conditions/", body, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == order.version + 1
    assert Condition.objects.filter(order=order).count() == 2


def test_the_rules_refusals_say_why(world: World, make_case):
    order = make_case("NF/R/1").order
    api = world.client("coordinator")
    unlawful = api.post(
        f"/api/v1/orders/{order.pk}/conditions/",
        {"expected_version": order.version, "code": "no-such-condition"},
        format="json",
    )
    assert unlawful.status_code == 422
    assert unlawful.json()["basis"]
    not_in_force = api.post(
        f"/api/v1/orders/{order.pk}/service/",
        {
            "expected_version": order.version,
            "served_at": timezone.now().isoformat(),
            "method": "personal",
            "served_by": "PC 1",
        },
        format="json",
    )
    assert not_in_force.status_code == 400
    assert "in force" in not_in_force.json()["detail"]
    assert Order.objects.get(pk=order.pk).version == order.version


def test_tokens_stop_working_when_revoked_expired_or_the_account_changes(world: World):
    url = "/api/v1/orders/"
    assert world.client("officer_a").get(url).status_code == 200
    token = ApiToken.objects.get(user=world.users["officer_a"])
    token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    token.save()
    assert world.client("officer_a").get(url).status_code == 401
    token.expires_at = timezone.now() + dt.timedelta(days=1)
    token.save()
    assert world.client("officer_a").get(url).status_code == 200
    user = world.users["officer_a"]
    user.role = Role.COORDINATOR  # promoted: a token made for an officer does not follow
    user.save()
    assert world.client("officer_a").get(url).status_code == 401
    user.role = Role.OFFICER
    user.save()
    token.revoked_at = timezone.now()
    token.save()
    response = world.client("officer_a").get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    bad = world.client("officer_a")
    bad.credentials(HTTP_AUTHORIZATION="Bearer sgk_000000000000.guess")
    assert bad.get(url).status_code == 401
    assert ApiToken.objects.filter(key_hash__contains="sgk_").count() == 0  # only digests stored


def test_the_token_command_makes_lists_and_revokes(world: World, capsys):
    from django.core.management import call_command

    call_command(
        "api_token", "create", "--user", "coordinator", "--name", "RMS feed", "--days", "30"
    )
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    assert key.startswith("sgk_")
    world.keys["feed"] = key
    assert world.client("feed").get("/api/v1/orders/").status_code == 200
    prefix = key[4:].split(".")[0]
    call_command("api_token", "list")
    assert prefix in capsys.readouterr().out
    call_command("api_token", "revoke", prefix)
    assert world.client("feed").get("/api/v1/orders/").status_code == 401


def test_unauthenticated_calls_are_refused(world: World, client):
    assert client.get("/api/v1/reports/").status_code == 401
    assert client.get("/api/schema/").status_code == 200  # the schema is public: no data in it
    assert client.get("/api/v1/no-such-thing/").json() == {"detail": "Not found"}


def test_a_signed_in_browser_session_can_call_the_api(world: World, sign_in):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, world.users["coordinator"])
    assert browser.get("/api/v1/orders/").status_code == 200
    # A write from the browser needs the CSRF token, like any form.
    assert (
        browser.post("/api/v1/reports/", REPORT, content_type="application/json").status_code == 403
    )


# --- Exports -----------------------------------------------------------------------------------


def test_a_list_export_holds_only_the_exportable_fields_and_is_logged(world: World, make_case):
    make_case("NF/E/1")
    make_case("NF/E/2", officer="officer_b", team="south")
    api = world.client("coordinator")
    response = api.post(
        "/api/v1/orders/export/?state=draft",
        {"format": "csv", "purpose": "Monthly MAPPA return"},
        format="json",
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The permission table's export fields for orders (access/permissions.py, ORDER_EXPORT).
    assert rows[0] == [
        "Reference",
        "Type",
        "State",
        "Defendant",
        "Court",
        "Made on",
        "Ends on",
        "Officer",
        "Team",
    ]
    assert len(rows) == 3
    assert CANARY not in response.content.decode("utf-8-sig")
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert event.purpose == "Monthly MAPPA return"
    assert event.changes["rows"] == 2
    assert event.changes["filters"] == {"state": "draft"}
    xlsx = api.post(
        "/api/v1/orders/export/", {"format": "xlsx", "purpose": "Review"}, format="json"
    )
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("user", ["officer_a", "legal", "force_admin", "advocate"])
def test_roles_without_an_export_rule_cannot_export(world: World, make_case, user: str):
    make_case("NF/E/3")
    response = world.client(user).post(
        "/api/v1/orders/export/", {"format": "csv", "purpose": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()


def test_an_export_needs_a_reason(world: World):
    response = world.client("coordinator").post(
        "/api/v1/orders/export/", {"format": "csv", "purpose": " "}, format="json"
    )
    assert response.status_code == 400


def test_a_case_file_is_logged_as_a_disclosure_to_its_recipients(world: World, make_case):
    case = make_case("NF/CF/1")
    response = world.client("supervisor").post(
        f"/api/v1/orders/{case.order.pk}/case-file/",
        {
            "format": "json",
            "purpose": "Application hearing bundle",
            "recipients": "CPS Eastern, J Smith",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["order"]["Reference"] == case.order.reference
    assert body["disclosure"]["recipients"] == "CPS Eastern, J Smith"
    assert "Conditions" not in body  # not among the fields the table lets a role export
    assert CANARY not in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditKind.DISCLOSE)
    assert event.recipients == "CPS Eastern, J Smith"
    assert event.object_id == str(case.order.pk)
    missing = world.client("supervisor").post(
        f"/api/v1/orders/{case.order.pk}/case-file/",
        {"format": "json", "purpose": "x"},
        format="json",
    )
    assert missing.status_code == 400


def test_exported_text_never_runs_as_a_formula(world: World):
    from safeguard.api.exports import safe_cell

    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+44 7700") == "'+44 7700"
    assert safe_cell("Norwich") == "Norwich"
