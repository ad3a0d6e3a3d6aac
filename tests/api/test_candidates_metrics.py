"""The API's screening candidates and oversight metrics (issue 8, gap 1): each role sees exactly
what the screening pages and the dashboard give it, a status change goes through the service with
its rule, and nothing personal reaches the metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.screening.models import Candidate, CandidateStatus
from tests.api.conftest import CANARY, World

# Who sees the force's candidates (access/permissions.py, the "screening" object).
SEE_CANDIDATES = {"coordinator", "supervisor", "legal"}
NO_CANDIDATE_RULE = {"officer_a", "officer_b", "advocate", "analyst", "force_admin"}
# Who sees the force's figures (oversight.selectors.may_see_force_figures; access FORCE_OVERSIGHT).
SEE_METRICS = {"coordinator", "supervisor", "analyst", "force_admin"}


@pytest.fixture
def candidates(world: World, make_case):
    now = timezone.now()
    made = {}
    for name, force, ref in (("A", world.force, "NF/C/1"), ("X", world.other_force, "SF/C/1")):
        case = make_case(ref, force=force)
        candidate = Candidate.objects.create(
            force=force,
            suspect_key=f"P{case.suspect_id}",
            victim_key=f"P{case.victim_id}",
            suspect_id=case.suspect_id,
            victim_id=case.victim_id,
            score=0.91,
            summary="Following and messages on four occasions",
            reasons=["Reports on 4 occasions", "Following"],
            evidence={"occasions": 4},
            last_report_at=now,
            first_flagged_at=now,
            updated_at=now,
        )
        candidate.reports.set([case.report])
        made[name] = candidate
    return made


@pytest.mark.parametrize("user", sorted(SEE_CANDIDATES | NO_CANDIDATE_RULE | {"other_coordinator"}))
def test_candidates_are_seen_only_as_the_screening_pages_allow(world: World, candidates, user):
    api = world.client(user)
    mine, theirs = candidates["A"], candidates["X"]
    listing = api.get("/api/v1/candidates/")
    detail = api.get(f"/api/v1/candidates/{mine.pk}/")
    other = api.get(f"/api/v1/candidates/{theirs.pk}/")
    if user in NO_CANDIDATE_RULE:
        assert (listing.status_code, detail.status_code) == (403, 403)
        return
    if user == "other_coordinator":
        assert [c["id"] for c in listing.json()["results"]] == [theirs.pk]
        assert detail.status_code == 404  # another force's candidate: no such record
        return
    assert [c["id"] for c in listing.json()["results"]] == [mine.pk]
    body = detail.json()
    assert body["reasons"] == ["Reports on 4 occasions", "Following"]
    assert body["reports"][0]["reference"] == "NF/C/1"
    assert CANARY not in detail.content.decode()  # the victim's address never appears
    assert other.status_code == 404


def test_the_queue_filters_by_status(world: World, candidates):
    api = world.client("coordinator")
    Candidate.objects.filter(pk=candidates["A"].pk).update(status=CandidateStatus.DISMISSED)
    assert api.get("/api/v1/candidates/?status=open").json()["count"] == 0
    assert api.get("/api/v1/candidates/?status=dismissed").json()["count"] == 1
    assert api.get("/api/v1/candidates/?status=nonsense").status_code == 400
    suspect = candidates["A"].suspect_id
    assert api.get(f"/api/v1/candidates/?suspect={suspect}").json()["count"] == 1
    assert api.get(f"/api/v1/candidates/?suspect={suspect + 1000}").json()["count"] == 0
    assert api.get("/api/v1/candidates/?suspect=5e16").status_code == 400


def test_the_candidate_list_makes_a_fixed_number_of_queries(world: World, candidates, make_case):
    api = world.client("coordinator")
    api.get("/api/v1/candidates/")  # the token's first use of the minute is recorded once
    with CaptureQueriesContext(connection) as one:
        assert api.get("/api/v1/candidates/").status_code == 200
    base = candidates["A"]
    for i in range(5):
        case = make_case(f"NF/C/{i + 10}")
        Candidate.objects.create(
            force=world.force,
            suspect_key=f"P{case.suspect_id}",
            victim_key=f"P{case.victim_id}",
            suspect_id=case.suspect_id,
            victim_id=case.victim_id,
            score=0.5,
            summary="x",
            last_report_at=base.last_report_at,
            first_flagged_at=base.first_flagged_at,
            updated_at=base.updated_at,
        )
    with CaptureQueriesContext(connection) as six:
        assert api.get("/api/v1/candidates/").json()["count"] == 6
    assert len(six) == len(one)


def test_a_coordinator_changes_a_candidates_status_through_the_service(world, candidates):
    api = world.client("coordinator")
    url = f"/api/v1/candidates/{candidates['A'].pk}/status/"
    refused = api.post(url, {"status": "dismissed"}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["note"][0]
    answer = api.post(url, {"status": "dismissed", "note": "Already under a DAPO"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "dismissed"
    candidates["A"].refresh_from_db()
    assert candidates["A"].status_note == "Already under a DAPO"
    # "Application started" is set by starting an application, not by hand.
    assert api.post(url, {"status": "application"}, format="json").status_code == 400


@pytest.mark.parametrize(
    ("user", "expected"),
    [("supervisor", 403), ("legal", 403), ("officer_a", 403), ("other_coordinator", 404)],
)
def test_only_a_coordinator_of_the_force_changes_a_status(world, candidates, user, expected):
    url = f"/api/v1/candidates/{candidates['A'].pk}/status/"
    answer = world.client(user).post(url, {"status": "reviewing"}, format="json")
    assert answer.status_code == expected
    candidates["A"].refresh_from_db()
    assert candidates["A"].status == CandidateStatus.NEW


@pytest.mark.parametrize(
    "user", sorted(SEE_METRICS | {"officer_a", "legal", "advocate", "other_coordinator"})
)
def test_metrics_are_for_the_dashboards_roles_and_their_own_force(world: World, make_case, user):
    make_case("NF/M/1")
    today = timezone.localdate()
    start = (today - dt.timedelta(days=60)).replace(day=1)
    url = f"/api/v1/metrics/?date_from={start}&date_to={today}&by=month"
    answer = world.client(user).get(url)
    if user not in SEE_METRICS | {"other_coordinator"}:
        assert answer.status_code == 403
        return
    assert answer.status_code == 200, answer.content
    body = answer.json()
    expected = 0 if user == "other_coordinator" else 1
    assert body["total"]["stalking_reports"] == expected
    assert body["force"] == ("Suffolk" if user == "other_coordinator" else "Norfolk")
    assert len(body["periods"]) >= 2
    text = answer.content.decode()
    for personal in ("Marsh", "Reeve", CANARY):  # names of the parties, the victim's address
        assert personal not in text
    # Another force's figures look like no such force.
    assert world.client(user).get("/api/v1/metrics/?force=nowhere").status_code == 404


def test_metrics_refuse_a_period_that_ends_before_it_starts(world: World):
    api = world.client("supervisor")
    answer = api.get("/api/v1/metrics/?date_from=2025-03-01&date_to=2025-01-01")
    assert answer.status_code == 400
    assert "date_to" in answer.json()
    assert api.get("/api/v1/metrics/?by=week").status_code == 400


def test_metrics_refuse_a_parameter_given_empty(world: World):
    api = world.client("supervisor")
    answer = api.get("/api/v1/metrics/?by=&force=")
    assert answer.status_code == 400
    assert set(answer.json()) >= {"by", "force"}
    assert api.get("/api/v1/metrics/?by=quarter").status_code == 200


def test_metrics_refuse_a_period_too_long_from_its_default_end(world: World):
    # Only the start given: the period runs to the default end, over the 25-year limit.
    answer = world.client("supervisor").get("/api/v1/metrics/?date_from=1990-02-03&by=month")
    assert answer.status_code == 400
    assert "25 years" in answer.json()["date_from"][0]
