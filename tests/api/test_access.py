"""Object-level authorisation across several users (issue 8 item 4; issue 3): each user of each
role asks every API endpoint for records inside and outside their scope, and must get exactly
what the access rules (docs/permissions.md) give them: no unexpected allow, no unexpected deny.

The expectations are written out here by hand from issue 3's rules, not derived from restrict(),
so that a regression in restrict() or in an endpoint shows up as a mismatch.
"""

from __future__ import annotations

import pytest

from safeguard.access.models import AuditEvent, AuditKind
from safeguard.orders.models import AdvocateLink
from safeguard.people.models import ProtectedDetail
from tests.api.conftest import CANARY, World

# Which cases each user may see: A is held by officer_a (team north), B by officer_b (team south),
# X belongs to another force. The advocate is linked to A's order only.
SEES = {
    "officer_a": {"A"},
    "officer_b": {"B"},
    "coordinator": {"A", "B"},
    "supervisor": {"A", "B"},
    "legal": {"A", "B"},
    "advocate": {"A"},  # the order only: no report, no person
    "analyst": set(),
    "force_admin": {"A", "B"},
    "other_coordinator": {"X"},
}
# Objects each role has no rule for at all: 403 rather than an empty answer.
NO_RULE = {
    "advocate": {"report", "person"},
    "analyst": {"report", "person", "order"},
}
MAY_CHANGE_ORDERS = {"officer_a", "officer_b", "coordinator", "supervisor", "legal"}


@pytest.fixture
def cases(world: World, make_case):
    found = {
        "A": make_case("NF/A/1", officer="officer_a", team="north"),
        "B": make_case("NF/B/1", officer="officer_b", team="south"),
        "X": make_case("SF/X/1", force=world.other_force),
    }
    AdvocateLink.objects.create(order=found["A"].order, user=world.users["advocate"])
    return found


def _expected(user: str, obj: str, case: str) -> int:
    if obj in NO_RULE.get(user, set()):
        return 403
    if user == "advocate" and obj != "order":
        return 403
    return 200 if case in SEES[user] else 404


def test_every_user_sees_exactly_their_cases(world: World, cases):
    cells = unexpected_allows = unexpected_denies = 0
    mismatches = []
    for user in SEES:
        api = world.client(user)
        for name, case in cases.items():
            for obj, url in (
                ("report", f"/api/v1/reports/{case.report.pk}/"),
                ("person", f"/api/v1/people/{case.victim_id}/"),
                ("person", f"/api/v1/people/{case.suspect_id}/"),
                ("order", f"/api/v1/orders/{case.order.pk}/"),
            ):
                cells += 1
                expected = _expected(user, obj, name)
                got = api.get(url).status_code
                if got != expected:
                    mismatches.append(f"{user} GET {url} ({name}): {got}, expected {expected}")
                    if got == 200:
                        unexpected_allows += 1
                    else:
                        unexpected_denies += 1
    print(f"\nAPI object-level authorisation: {cells} cells, {unexpected_allows} unexpected allows")
    assert not mismatches, "\n".join(mismatches)
    assert unexpected_allows == 0


@pytest.mark.parametrize("user", sorted(SEES))
def test_lists_hold_only_what_the_user_may_see(world: World, cases, user: str):
    api = world.client(user)
    for obj, url, ids in (
        ("report", "/api/v1/reports/", {n: c.report.pk for n, c in cases.items()}),
        ("order", "/api/v1/orders/", {n: c.order.pk for n, c in cases.items()}),
        ("hearings", "/api/v1/hearings/", None),
    ):
        response = api.get(url)
        refused = obj in NO_RULE.get(user, set()) or (user == "advocate" and obj == "report")
        # Hearings are a part of an order a force administrator does not see; analysts see none.
        refused = refused or (obj == "hearings" and user in ("force_admin", "analyst"))
        if refused:
            assert response.status_code == 403, (user, url)
            continue
        assert response.status_code == 200, (user, url, response.content)
        if ids is not None:
            got = {r["id"] for r in response.json()["results"]}
            assert got == {ids[n] for n in SEES[user]}, (user, url)


@pytest.mark.parametrize("user", sorted(SEES))
def test_no_protected_detail_reaches_any_response_but_a_reveal(world: World, cases, user: str):
    api = world.client(user)
    urls = ["/api/v1/reports/", "/api/v1/people/", "/api/v1/orders/", "/api/v1/breaches/"]
    for case in cases.values():
        urls += [
            f"/api/v1/reports/{case.report.pk}/",
            f"/api/v1/people/{case.victim_id}/",
            f"/api/v1/orders/{case.order.pk}/",
        ]
    for url in urls:
        assert CANARY not in api.get(url).content.decode(), (user, url)


def test_a_list_of_people_never_carries_protected_details(world: World, cases):
    body = world.client("coordinator").get("/api/v1/people/").json()
    assert body["results"]
    assert all("protected_details" not in person for person in body["results"])


@pytest.mark.parametrize(
    ("user", "case", "expected"),
    [
        ("coordinator", "A", 200),
        ("officer_a", "A", 200),
        ("supervisor", "B", 200),
        ("officer_b", "A", 404),  # cannot see the person: looks like no such record
        ("legal", "A", 403),  # sees the person, may not reveal
        ("force_admin", "A", 403),
        ("advocate", "A", 403),
        ("analyst", "A", 403),
        ("other_coordinator", "A", 404),
    ],
)
def test_a_protected_detail_is_revealed_only_by_the_reveal_rules(
    world: World, cases, user: str, case: str, expected: int
):
    victim = cases[case].victim_id
    detail = ProtectedDetail.objects.get(person_id=victim)
    url = f"/api/v1/people/{victim}/protected-details/{detail.pk}/reveal/"
    response = world.client(user).post(url, {"reason": "safety_visit"}, format="json")
    assert response.status_code == expected, response.content
    reveals = AuditEvent.objects.filter(kind=AuditKind.REVEAL, object_id=str(detail.pk))
    if expected == 200:
        assert response.json()["value"] == CANARY
        assert (
            response["Cache-Control"].startswith("max-age=0")
            or "no-store" in response["Cache-Control"]
        )
        assert reveals.filter(actor_id=world.users[user].pk).count() == 1
    else:
        assert CANARY not in response.content.decode()
        assert not reveals.exists()


def test_a_reveal_needs_a_reason(world: World, cases):
    victim = cases["A"].victim_id
    detail = ProtectedDetail.objects.get(person_id=victim)
    url = f"/api/v1/people/{victim}/protected-details/{detail.pk}/reveal/"
    api = world.client("coordinator")
    assert api.post(url, {}, format="json").status_code == 400
    assert api.post(url, {"reason": "other"}, format="json").status_code == 400  # explain "other"
    assert not AuditEvent.objects.filter(kind=AuditKind.REVEAL).exists()


@pytest.mark.parametrize("user", sorted(SEES))
def test_only_those_who_may_change_an_order_can(world: World, cases, user: str):
    order = cases["A"].order
    response = world.client(user).post(
        f"/api/v1/orders/{order.pk}/conditions/",
        {"expected_version": order.version, "code": "no-contact", "necessity": "Messages at night"},
        format="json",
    )
    if user in MAY_CHANGE_ORDERS and "A" in SEES[user]:
        assert response.status_code == 201, response.content
    elif "A" in SEES[user]:
        assert response.status_code == 403, (user, response.content)  # sees it, may not change it
    elif user == "analyst":
        assert response.status_code == 403
    else:
        assert response.status_code == 404, (user, response.content)


def test_fields_a_role_does_not_see_are_left_out(world: World, cases):
    admin = world.client("force_admin").get(f"/api/v1/people/{cases['A'].victim_id}/").json()
    assert "date_of_birth" not in admin
    assert "identifiers" not in admin
    assert admin["surname"]
    advocate = world.client("advocate").get(f"/api/v1/orders/{cases['A'].order.pk}/").json()
    for hidden in (
        "reports",
        "grounds",
        "notifications",
        "defendant_date_of_birth",
        "victim_views",
    ):
        assert hidden not in advocate
    assert advocate["conditions"]
    assert "necessity" not in advocate["conditions"][0]
    full = world.client("coordinator").get(f"/api/v1/orders/{cases['A'].order.pk}/").json()
    assert full["conditions"][0]["necessity"]
    assert full["reports"] == [cases["A"].report.pk]


def test_a_hidden_field_cannot_be_filtered_or_sorted_on(world: World, cases):
    api = world.client("force_admin")
    refused = api.get("/api/v1/people/", {"date_of_birth": "1990-02-03"})
    assert refused.status_code == 400
    assert "date_of_birth" in refused.json()
    by_age = api.get("/api/v1/people/", {"ordering": "date_of_birth"}).json()["results"]
    by_name = api.get("/api/v1/people/").json()["results"]
    assert [p["id"] for p in by_age] == [p["id"] for p in by_name]  # the hidden sort is ignored
    assert (
        world.client("coordinator")
        .get("/api/v1/people/", {"date_of_birth": "1990-02-03"})
        .status_code
        == 200
    )


def test_a_record_made_outside_the_callers_scope_is_undone(world: World, cases):
    """An officer may not create a report held by another team: it would be one they cannot
    see, so the create is refused and rolled back (the NetBox re-check)."""
    from safeguard.reports.models import Report

    before = Report.objects.count()
    response = world.client("officer_a").post(
        "/api/v1/reports/",
        {
            "reference": "NF/ESCAPE/1",
            "offence_code": "8L",
            "reported_at": "2025-01-02T10:00:00Z",
            "occurred_from": "2025-01-01",
            "officer": world.users["officer_b"].pk,
            "team": world.south.pk,
            "parties": [{"role": "victim", "surname": "Marsh"}],
        },
        format="json",
    )
    assert response.status_code == 403, response.content
    assert Report.objects.count() == before


# --- Screening candidates and oversight metrics (issue 8, gap 1) -------------------------------

# Who sees candidates (the permission table's "screening" object): the force's coordinator,
# supervisor and legal adviser; officers, advocates, analysts and force administrators have no
# rule (403). Who sees the metrics: the dashboard's roles, for their own force.
SEES_CANDIDATES = {
    "coordinator": {"A", "B"},
    "supervisor": {"A", "B"},
    "legal": {"A", "B"},
    "other_coordinator": {"X"},
}
SEES_METRICS = {"coordinator", "supervisor", "analyst", "force_admin", "other_coordinator"}


@pytest.fixture
def flagged(world: World, cases):
    from django.utils import timezone

    from safeguard.screening.models import Candidate

    now = timezone.now()
    found = {}
    for name, case in cases.items():
        candidate = Candidate.objects.create(
            force=case.report.force,
            suspect_key=f"P{case.suspect_id}",
            victim_key=f"P{case.victim_id}",
            suspect_id=case.suspect_id,
            victim_id=case.victim_id,
            score=0.9,
            summary="Repeated following",
            last_report_at=now,
            first_flagged_at=now,
            updated_at=now,
        )
        candidate.reports.set([case.report])
        found[name] = candidate
    return found


def test_every_user_sees_exactly_their_candidates_and_figures(world: World, cases, flagged):
    mismatches = []
    for user in SEES:
        api = world.client(user)
        for name, candidate in flagged.items():
            got = api.get(f"/api/v1/candidates/{candidate.pk}/").status_code
            expected = (
                403
                if user not in SEES_CANDIDATES
                else 200
                if name in SEES_CANDIDATES[user]
                else 404
            )
            if got != expected:
                mismatches.append(f"{user} candidate {name}: {got}, expected {expected}")
        listing = api.get("/api/v1/candidates/")
        if user in SEES_CANDIDATES:
            got_ids = {c["id"] for c in listing.json()["results"]}
            if got_ids != {flagged[n].pk for n in SEES_CANDIDATES[user]}:
                mismatches.append(f"{user} candidate list: {got_ids}")
        elif listing.status_code != 403:
            mismatches.append(f"{user} candidate list: {listing.status_code}, expected 403")
        figures = api.get("/api/v1/metrics/")
        if figures.status_code != (200 if user in SEES_METRICS else 403):
            mismatches.append(f"{user} metrics: {figures.status_code}")
        assert CANARY not in listing.content.decode()
        assert CANARY not in figures.content.decode()
    assert not mismatches, "\n".join(mismatches)
