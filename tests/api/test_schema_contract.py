"""What schemathesis found once the coordinator's endpoints were fuzzed (issue 8), held here so
that a quick test catches it again: the schema says what the API answers and requires, text
fields take only text, and an order is read once, its consultation still audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from safeguard.access.models import AuditEvent, AuditKind
from tests.api.conftest import World


def _schema(world: World) -> dict[str, Any]:
    response = world.client("coordinator").get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_metrics_are_one_object_not_a_list(world: World):
    answer = _schema(world)["paths"]["/api/v1/metrics/"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Metrics"
    }
    metrics = world.client("coordinator").get("/api/v1/metrics/")
    assert metrics.status_code == 200
    assert isinstance(metrics.json(), dict)


def test_a_report_change_needs_its_version_and_the_schema_links_it(world: World):
    schema = _schema(world)
    body = schema["components"]["schemas"]["PatchedReportUpdateRequest"]
    assert body["required"] == ["expected_version"]
    assert body["properties"]["sdash_answers"]["additionalProperties"] is False
    patch = schema["paths"]["/api/v1/reports/{id}/"]["patch"]["operationId"]
    link = schema["paths"]["/api/v1/reports/{id}/"]["get"]["responses"]["200"]["links"][
        "ChangeReport"
    ]
    assert link == {
        "operationId": patch,
        "parameters": {"id": "$response.body#/id"},
        "requestBody": {"expected_version": "$response.body#/version"},
    }


def test_text_fields_take_only_text(world: World, make_case):
    case = make_case("NF/T/1")
    coordinator = world.client("coordinator")
    export = coordinator.post("/api/v1/orders/export/", {"format": "csv", "purpose": 42})
    assert export.status_code == 400
    assert "purpose" in export.json()
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()
    version = coordinator.get(f"/api/v1/reports/{case.report.pk}/").json()["version"]
    change = coordinator.patch(
        f"/api/v1/reports/{case.report.pk}/", {"expected_version": version, "summary": 7}
    )
    assert change.status_code == 400
    assert "summary" in change.json()


@contextmanager
def _queries() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def test_an_order_is_read_once_and_its_consultation_audited(world: World, make_case):
    case = make_case("NF/Q/1")
    api = world.client("coordinator")
    api.get(f"/api/v1/orders/{case.order.pk}/")  # the token's first use of the minute is recorded
    views = AuditEvent.objects.filter(kind=AuditKind.VIEW, object_id=str(case.order.pk)).count()
    with _queries() as seen:
        answer = api.get(f"/api/v1/orders/{case.order.pk}/")
    assert answer.status_code == 200
    assert answer.json()["conditions"][0]["code"] == "no-contact"
    # The order itself once (and once more for its children, a prefetch), not a second time to
    # serialise it; the whole request within its budget.
    orders = [q for q in seen if q.startswith('SELECT "orders_order"."id"')]
    assert len(orders) == 2, orders
    assert len(seen) <= 17, seen
    assert (
        AuditEvent.objects.filter(kind=AuditKind.VIEW, object_id=str(case.order.pk)).count()
        == views + 1
    )
