"""Screening end to end on a small force: linkage, evidence, the queue, decisions, access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import AuditEvent, Role
from safeguard.orders.models import Order
from safeguard.people.models import DetailKind, Person, ProtectedDetail
from safeguard.reports.models import PartyRole, Report, ReportParty
from safeguard.screening import services
from safeguard.screening.models import (
    Candidate,
    CandidateStatus,
    Decision,
    PerpetratorScore,
    PersonIdentity,
    PersonLink,
    ScreeningState,
)

pytestmark = pytest.mark.django_db

SUSPECT_SPELLINGS = [
    ("Daniel", "Reeve", "1984-02-11"),
    ("Dan", "REEVE", "1984-02-11"),
    ("Danny", "Reeve", "1984-11-02"),
    ("Daniel", "Reve", "1984-02-11"),
    ("Reeve", "Daniel", ""),
]


def person(force, given, surname, dob="", postcode="", sex="M") -> Person:
    p = Person.objects.create(
        force=force,
        given_name=given,
        surname=surname,
        date_of_birth=dt.date.fromisoformat(dob) if dob else None,
        sex=sex,
    )
    if postcode:
        ProtectedDetail.objects.create(
            person=p, kind=DetailKind.HOME_ADDRESS, value="1 High Street", postcode=postcode
        )
    return p


def report(force, n, days_ago, suspect, victim, acts=("contact",), code="8Q", sdash=None) -> Report:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    r = Report.objects.create(
        force=force,
        reference=f"NC/{n}",
        offence_code=code,
        reported_at=timezone.now() - dt.timedelta(days=days_ago),
        occurred_from=day,
        behaviours=list(acts),
        sdash_answers=sdash or {},
    )
    ReportParty.objects.create(
        report=r, person=suspect, role=PartyRole.SUSPECT, relationship_to_victim="ex_partner"
    )
    ReportParty.objects.create(report=r, person=victim, role=PartyRole.VICTIM)
    return r


@pytest.fixture
def stalking_case(force):
    """Five reports by one suspect (five spellings) against one victim (recorded each time),
    plus a one-off report between strangers."""
    days = [60, 45, 30, 20, 6]
    acts = [("contact",), ("contact",), ("contact", "threats"), ("contact", "loitering", "threats"),
            ("contact", "following", "watching")]  # fmt: skip
    sdash = dict.fromkeys(("frightened", "previous_harassment", "loitering", "threats", "third_parties", "substances", "violent_past"), True)  # fmt: skip
    reports = []
    for n, ((given, surname, dob), ago, act) in enumerate(
        zip(SUSPECT_SPELLINGS, days, acts, strict=True), 1
    ):
        s = person(force, given, surname, dob, "NR2 4TE" if n % 2 else "")
        v = person(force, "Vicky" if n % 2 else "Victoria", "Marsh", "1990-05-05", "NR1 3QQ", "F")
        reports.append(report(force, n, ago, s, v, act, sdash=sdash if n == 4 else None))
    other = report(
        force,
        99,
        3,
        person(force, "Colin", "Webb", "1970-01-01"),
        person(force, "Ann", "Lee", "1971-01-01", sex="F"),
    )
    return reports, other


def test_screen_finds_the_repeat_suspect(force, stalking_case):
    run = services.screen(force)
    assert run.records == 12
    suspect_ids = set(
        PersonIdentity.objects.filter(person__surname__iexact="reeve").values_list("key", flat=True)
    )
    suspect_ids |= set(
        PersonIdentity.objects.filter(person__given_name="Reeve").values_list("key", flat=True)
    )
    suspect_ids |= set(
        PersonIdentity.objects.filter(person__surname="Reve").values_list("key", flat=True)
    )
    assert len(suspect_ids) == 1, "all five spellings are one identity"
    cand = Candidate.objects.get(force=force)
    assert cand.status == CandidateStatus.NEW
    assert cand.reports.count() == 5
    assert cand.summary.startswith("5 reports against the same victim in 8 weeks under 5 spellings")
    assert "threats recorded on 2 occasions" in cand.reasons
    assert "S-DASH: 7 of 11" in cand.reasons
    assert [t["indicated"] for t in cand.evidence["spo_tests"]] == [True, True, True]
    score = PerpetratorScore.objects.get(force=force, identity_key=cand.suspect_key)
    assert score.frequency == 5
    assert score.victims == 1
    assert [i["report"] for i in score.inputs["incidents"]] == [
        "NC/1",
        "NC/2",
        "NC/3",
        "NC/4",
        "NC/5",
    ]
    assert ScreeningState.objects.get(force=force).pending_since is None


def test_links_keep_their_match_weights(force, stalking_case):
    services.screen(force)
    link = PersonLink.objects.filter(force=force).order_by("-match_probability").first()
    assert link is not None
    parts = link.explanation["comparisons"]
    assert {p["comparison"] for p in parts} == {
        "Given name and surname",
        "Date of birth",
        "Postcode",
        "Sex",
    }
    assert link.explanation["prior"] < 0


def test_split_and_confirm_are_respected_by_later_runs(force, coordinator, stalking_case):
    services.screen(force)
    reeves = list(Person.objects.filter(surname__in=["Reeve", "REEVE"]).order_by("pk"))
    a, b = reeves[0], reeves[1]
    services.decide_link(coordinator, a, b, Decision.SPLIT, "Checked on PNC: two men")
    assert ScreeningState.objects.get(force=force).pending_since is not None
    services.screen_pending()
    keys = services.identities_of([a.pk, b.pk])
    assert keys[a.pk] != keys[b.pk]
    # A full retrain later still respects it.
    services.screen(force, full=True)
    keys = services.identities_of([a.pk, b.pk])
    assert keys[a.pk] != keys[b.pk]
    # And a confirmation joins records the model would keep apart.
    colin = Person.objects.get(given_name="Colin")
    services.decide_link(coordinator, a, colin, Decision.CONFIRM, "Known alias")
    services.screen(force, full=False)
    keys = services.identities_of([a.pk, colin.pk])
    assert keys[a.pk] == keys[colin.pk]


def test_new_report_marks_force_pending(force, stalking_case):
    services.screen(force)
    from django.db import transaction

    with transaction.atomic():
        report(
            force,
            100,
            1,
            Person.objects.filter(surname="Reeve").first(),
            Person.objects.filter(surname="Marsh").first(),
        )
    # on_commit does not fire inside the test transaction; the signal handler queues it.
    assert ScreeningState.objects.filter(force=force).exists()


def test_queue_page_lists_candidates_through_restrict(
    client, sign_in, coordinator, force, stalking_case, make_user, other_force
):
    services.screen(force)
    sign_in(client, coordinator)
    page = client.get(reverse("screening-queue"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "5 reports against the same victim" in body
    # An investigating officer and a coordinator of another force see none of it.
    for user in (make_user(Role.OFFICER, force), make_user(Role.COORDINATOR, other_force)):
        client.logout()
        sign_in(client, user)
        assert (
            "5 reports against the same victim"
            not in client.get(reverse("screening-queue")).content.decode()
        )
        cand = Candidate.objects.get(force=force)
        assert client.get(reverse("screening-candidate", args=[cand.pk])).status_code == 404


def test_candidate_page_and_starting_an_application(
    client, sign_in, coordinator, force, stalking_case
):
    services.screen(force)
    cand = Candidate.objects.get(force=force)
    sign_in(client, coordinator)
    page = client.get(reverse("screening-candidate", args=[cand.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Stalking Protection Act 2019 s.2(1)(a)" in body
    assert "S-DASH: 7 of 11" in body
    assert AuditEvent.objects.filter(
        table_name="screening_candidate", object_id=str(cand.pk), kind="view"
    ).exists()
    response = client.post(reverse("screening-apply", args=[cand.pk]))
    order = Order.objects.get(force=force)
    assert response.status_code == 302
    assert response.url == reverse("order-detail", args=[order.pk])
    assert order.order_type == "spo"
    assert order.state == "draft"
    assert order.reports.count() == 5
    assert order.grounds["1"]["evidence"]
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.APPLICATION
    assert cand.order == order
    # A later run keeps the coordinator's work.
    services.screen(force, full=False)
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.APPLICATION


def test_dismissing_needs_a_reason(client, sign_in, coordinator, force, stalking_case):
    services.screen(force)
    cand = Candidate.objects.get(force=force)
    sign_in(client, coordinator)
    page = client.post(
        reverse("screening-candidate", args=[cand.pk]), {"status": "dismissed", "note": ""}
    )
    assert page.status_code == 200
    assert "Enter why no application is needed" in page.content.decode()
    client.post(
        reverse("screening-candidate", args=[cand.pk]),
        {"status": "dismissed", "note": "Victim moved abroad"},
    )
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.DISMISSED


def test_identity_and_link_pages_confirm_or_split(
    client, sign_in, coordinator, force, stalking_case
):
    services.screen(force)
    cand = Candidate.objects.get(force=force)
    sign_in(client, coordinator)
    page = client.get(reverse("screening-identity", args=[cand.suspect_key]))
    assert page.status_code == 200
    assert "Records linked as one person" in page.content.decode()
    link = PersonLink.objects.filter(force=force).first()
    page = client.get(reverse("screening-link", args=[link.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Match weights" in body
    assert "Starting point" in body
    page = client.post(
        reverse("screening-link", args=[link.pk]), {"decision": "split", "reason": ""}
    )
    assert "Enter the reason for your decision" in page.content.decode()
    page = client.post(
        reverse("screening-link", args=[link.pk]), {"decision": "split", "reason": "PNC"}
    )
    assert page.status_code == 302
    assert ScreeningState.objects.get(force=force).pending_since is not None


def test_perpetrator_pages(client, sign_in, coordinator, force, stalking_case):
    services.screen(force)
    sign_in(client, coordinator)
    page = client.get(reverse("screening-perpetrators"))
    assert page.status_code == 200
    row = PerpetratorScore.objects.filter(force=force).first()
    page = client.get(reverse("screening-perpetrator", args=[row.pk]))
    assert page.status_code == 200
    assert "NC/" in page.content.decode()


def test_supervisor_may_read_but_not_act(client, sign_in, make_user, force, stalking_case):
    services.screen(force)
    cand = Candidate.objects.get(force=force)
    supervisor = make_user(Role.SUPERVISOR, force)
    sign_in(client, supervisor)
    page = client.get(reverse("screening-candidate", args=[cand.pk]))
    assert page.status_code == 200
    assert "Start an application" not in page.content.decode()
    assert client.post(reverse("screening-apply", args=[cand.pk])).status_code == 404
    link = PersonLink.objects.filter(force=force).first()
    response = client.post(
        reverse("screening-link", args=[link.pk]), {"decision": "split", "reason": "x"}
    )
    assert response.status_code == 404
    assert not Order.objects.exists()


def test_reports_created_signal_marks_force_pending(force):
    from safeguard.reports.signals import reports_created

    reports_created.send(sender=None, force_id=force.pk, report_ids=[1, 2])
    assert ScreeningState.objects.get(force=force).pending_since is not None
