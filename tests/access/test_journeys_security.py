"""Security review of the case-work journeys (issue 4) and the API additions (issue 8).

Each test proves one suspicion either way: a record of another force or team reached by its id
in a page that works on the user's own order (hidden inputs and URL ids trusted), protected
details shown or matched, the victim advocate's view, screening intelligence reaching an
officer through the report page's "why flagged", CSRF on every state change, no-store on pages
with personal data, mass assignment through PATCH, and the audit of writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import AuditEvent, AuditKind, Role
from safeguard.compliance.models import Breach
from safeguard.orders.models import (
    AdvocateLink,
    Appeal,
    Condition,
    CourtApplication,
    Order,
    Outcome,
)
from safeguard.reports.models import PartyRole, Referral, Report, ReportParty
from safeguard.screening.models import Candidate
from tests.web import builders
from tests.web.world import build_world, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.urls")]


@pytest.fixture
def world():
    return build_world()


def client_for(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


# --- Ids of another order, team or force, in a page about the user's own order -------------


def _child_pages(case):
    """(url name, child id, model) of each page that acts on one row of an order."""
    order = case.order
    pages = [
        ("order-breach-outcome", order.breaches.first(), Breach),
        ("order-court-decision", order.court_applications.first(), CourtApplication),
        ("order-appeal-decision", order.appeals.first(), Appeal),
    ]
    notification = order.notifications.first()
    if notification is not None:
        pages += [
            ("order-notification-made", notification, None),
            ("order-notification-acknowledge", notification, None),
        ]
    return pages


@pytest.mark.parametrize(
    ("role", "foreign"),
    [(Role.COORDINATOR, "far"), (Role.OFFICER, "far"), (Role.OFFICER, "other")],
)
def test_a_row_of_another_order_cannot_be_reached_through_ones_own_order(
    world, sign_in, role, foreign
):
    user = world.users[role]
    own = world.cases["in"].order
    client = client_for(sign_in, user)
    for name, row, _ in _child_pages(world.cases[foreign]):
        url = reverse(name, args=[own.pk, row.pk])
        assert client.get(url).status_code == 404, url
        before = type(row).objects.filter(pk=row.pk).values().get()
        response = client.post(
            url,
            {
                "version": own.version,
                "outcome": Outcome.REFUSED,
                "decided_on_0": "1",
                "decided_on_1": "1",
                "decided_on_2": "2026",
            },
        )
        assert response.status_code == 404, url
        assert type(row).objects.filter(pk=row.pk).values().get() == before, url
        # and the other way round: the foreign order with one's own row
        own_row = next(r for n, r, _ in _child_pages(world.cases["in"]) if n == name)
        other = world.cases[foreign].order
        assert client.get(reverse(name, args=[other.pk, own_row.pk])).status_code == 404


def test_a_condition_of_another_order_cannot_be_removed_from_ones_own_draft(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    case = world.cases["in"]
    draft = builders.create(world.force, "spo", case.defendant, case.victim, officer=coordinator)
    client = client_for(sign_in, coordinator)
    for foreign in (world.cases["far"].order, world.cases["other"].order):
        condition = foreign.conditions.first()
        response = client.post(
            reverse("application-conditions", args=[draft.pk]),
            {"version": draft.version, "remove": condition.pk},
        )
        assert response.status_code in (200, 400)
        assert Condition.objects.filter(pk=condition.pk).exists()
    own = draft.conditions.get()
    response = client.post(
        reverse("application-conditions", args=[draft.pk]),
        {"version": Order.objects.get(pk=draft.pk).version, "remove": own.pk},
    )
    assert response.status_code == 302  # the draft's own condition is removed
    assert not Condition.objects.filter(pk=own.pk).exists()


def test_an_advocate_of_another_force_cannot_be_linked(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    order = world.cases["in"].order
    far_advocate = world.cases["far"].order.advocate_links.get().user
    client = client_for(sign_in, coordinator)
    response = client.post(
        reverse("order-advocates", args=[order.pk]),
        {"advocate": far_advocate.pk, "version": order.version},
    )
    assert response.status_code == 200
    assert not AdvocateLink.objects.filter(order=order, user=far_advocate).exists()
    # an analyst of the force is not an advocate either
    analyst = world.users[Role.ANALYST]
    client.post(
        reverse("order-advocates", args=[order.pk]),
        {"advocate": analyst.pk, "version": order.version},
    )
    assert not AdvocateLink.objects.filter(order=order, user=analyst).exists()


def test_an_advocate_link_of_another_order_cannot_be_removed_through_ones_own(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    order = world.cases["in"].order
    client = client_for(sign_in, coordinator)
    for name in ("other", "far"):
        link = world.cases[name].order.advocate_links.get()
        response = client.post(
            reverse("order-advocate-remove", args=[order.pk]),
            {"link": link.pk, "version": order.version},
        )
        assert response.status_code == 302
        assert AdvocateLink.objects.filter(pk=link.pk).exists()


def test_a_breach_cannot_cite_a_report_of_another_force_or_team(world, sign_in):
    officer = world.users[Role.OFFICER]
    case = world.cases["in"]
    order = case.order
    client = client_for(sign_in, officer)
    now = timezone.localtime() - dt.timedelta(hours=1)

    def post(report):
        return client.post(
            reverse("order-breach-new", args=[order.pk]),
            {
                "version": Order.objects.get(pk=order.pk).version,
                "occurred_on_0": str(now.day),
                "occurred_on_1": str(now.month),
                "occurred_on_2": str(now.year),
                "occurred_time": now.strftime("%H:%M"),
                "description": "Waited outside",
                "report_choice": "existing",
                "report": report.pk,
            },
        )

    for name in ("far", "other"):
        foreign = world.cases[name].report
        assert post(foreign).status_code == 200  # the form again, with the error
        assert not Breach.objects.filter(report=foreign).exists()
    # the same form with the officer's own report of the defendant is recorded
    assert post(case.report).status_code == 302
    assert Breach.objects.filter(report=case.report, order=order).exists()


def test_a_notice_cannot_name_people_of_another_force(world, sign_in):
    officer = world.users[Role.OFFICER]
    report = world.cases["in"].report
    far = world.cases["far"]
    client = client_for(sign_in, officer)
    url = reverse("notice-new") + f"?order_type=dvpn&report={report.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="authorised_by"' in page.content.decode()  # the second step: the people
    now = timezone.localtime()
    before = Order.objects.count()
    client.post(
        url,
        {
            "suspect": far.defendant.pk,
            "protected": [far.victim.pk],
            "conditions": [],
            "authorised_by": "Supt Jones",
            "authoriser_rank": "superintendent",
            "given_on_0": str(now.day),
            "given_on_1": str(now.month),
            "given_on_2": str(now.year),
            "given_time": "09:00",
        },
    )
    assert Order.objects.count() == before
    # and a report of another force cannot be the notice's report
    far_url = reverse("notice-new") + f"?order_type=dvpn&report={far.report.pk}"
    body = client.get(far_url).content.decode()
    assert far.report.reference not in body


def test_referrals_and_notice_panels_of_another_force_are_not_found(world, sign_in):
    far = world.cases["far"]
    far_officer = far.order.officer
    referral = Referral.objects.create(
        report=far.report, referred_by=far_officer, referred_at=timezone.now(), note="Please"
    )
    notice = builders.give_notice(
        builders.create(
            far.force,
            "dvpn",
            far.defendant,
            far.victim,
            officer=far_officer,
            team=far_officer.team,
            conditions=(builders.NO_MOLESTATION,),
        ),
        timezone.now() - dt.timedelta(hours=2),
    )
    for role in (Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICER, Role.LEGAL):
        client = client_for(sign_in, world.users[role])
        assert client.get(reverse("referral-decide", args=[referral.pk])).status_code == 404
        response = client.post(
            reverse("referral-decide", args=[referral.pk]), {"decision": "accept", "note": ""}
        )
        assert response.status_code == 404
        for name in ("notice-detail", "notice-countdown", "notice-apply"):
            assert client.get(reverse(name, args=[notice.pk])).status_code == 404, (role, name)
    referral.refresh_from_db()
    assert referral.status == "open"


# --- The victim advocate sees safety planning only ------------------------------------------


def test_an_advocate_reaches_no_report_screening_or_case_work_page(world, sign_in):
    advocate = world.users[Role.ADVOCATE]
    case = world.cases["in"]  # the order the advocate is linked to
    client = client_for(sign_in, advocate)
    for name, args in (
        ("report-detail", [case.report.pk]),
        ("report-refer", [case.report.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("report-list", "referral-list"):
        body = client.get(reverse(name)).content.decode()
        assert case.report.reference not in body, name
    for name in ("application-work-queue", "legal-review-queue", "report-new"):
        assert client.get(reverse(name)).status_code == 403, name
    for name in ("order-service", "order-breach-new", "application-builder"):
        # refused: 403 where the page says the role may see but not change, else not found
        assert client.get(reverse(name, args=[case.order.pk])).status_code in (403, 404), name
    # search finds the order, never the report or the people's records
    found = client.get(reverse("search"), {"q": case.report.reference}).content.decode()
    assert reverse("report-detail", args=[case.report.pk]) not in found
    found = client.get(reverse("search"), {"q": case.defendant.surname}).content.decode()
    assert reverse("person-detail", args=[case.defendant.pk]) not in found
    # "Your cases": no date of birth, no notifications, no evidence
    home = client.get("/").content.decode()
    assert case.order.reference in home
    assert world.cases["other"].order.reference not in home
    assert "3 February 1980" not in home  # the defendant's date of birth
    assert case.report.reference not in home
    assert client.get("/api/v1/candidates/").status_code in (403, 404)


# --- "Why flagged": screening intelligence and the officer's reach --------------------------


def _flag_across_teams(world) -> tuple[Report, Report]:
    """The officer's report and a report of the other team against the same suspect with
    another victim, flagged together by screening, with the other victim counted."""
    mine, theirs = world.cases["in"], world.cases["other"]
    linked = Report.objects.create(
        force=world.force,
        reference="NOR-OTHER-LINKED",
        offence_code="8Q",
        reported_at=timezone.now() - dt.timedelta(days=5),
        occurred_from=timezone.localdate() - dt.timedelta(days=6),
        summary="Threatened a new partner",
        officer=theirs.order.officer,
        team=theirs.order.team,
    )
    ReportParty.objects.create(report=linked, person=mine.defendant, role=PartyRole.SUSPECT)
    ReportParty.objects.create(report=linked, person=theirs.victim, role=PartyRole.VICTIM)
    candidate = Candidate.objects.get(force=world.force, reports=mine.report)
    candidate.reasons = [
        "2 reports against the same victim in 3 months",
        "threats recorded on 1 occasion",
        "the suspect is reported for 1 other victim",
    ]
    candidate.evidence = {
        "other_victims": 1,
        "spo_tests": [
            {
                "test": "The defendant poses a risk associated with stalking to another person",
                "basis": "s.2(1)(b)",
                "indicated": True,
                "evidence": ["the suspect has 1 other victim(s)"],
            }
        ],
    }
    candidate.save()
    candidate.reports.add(linked)
    return mine.report, linked


def test_why_flagged_tells_an_officer_nothing_about_other_victims_or_other_teams_reports(
    world, sign_in
):
    mine, _ = _flag_across_teams(world)
    officer = world.users[Role.OFFICER]
    body = client_for(sign_in, officer).get(reverse("report-detail", args=[mine.pk]))
    assert body.status_code == 200
    page = body.content.decode()
    assert "Flagged for a Stalking Protection Order" in page  # the officer still knows
    assert "other victim" not in page
    assert "threats recorded on 1 occasion" not in page.lower()
    assert "2 reports against the same victim" not in page


def test_why_flagged_still_gives_the_coordinator_every_reason(world, sign_in):
    mine, _ = _flag_across_teams(world)
    coordinator = world.users[Role.COORDINATOR]
    page = client_for(sign_in, coordinator).get(reverse("report-detail", args=[mine.pk]))
    assert "The suspect is reported for 1 other victim" in page.content.decode()


# --- PATCH /api/v1/reports/{id}/: only the facts, and only within reach ---------------------


def _patch(client: Client, report: Report, data: dict):
    version = client.get(f"/api/v1/reports/{report.pk}/").json()["version"]
    return client.patch(
        f"/api/v1/reports/{report.pk}/",
        {"expected_version": version, **data},
        content_type="application/json",
    )


def test_patch_cannot_move_a_report_to_another_force_or_its_people(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    report = world.cases["in"].report
    Report.objects.filter(pk=report.pk).update(sdash_answers={})  # the world's are not valid
    far = world.cases["far"]
    client = client_for(sign_in, coordinator)
    assert _patch(client, report, {"summary": "Checked"}).status_code == 200  # a fact: allowed
    report.refresh_from_db()
    for data in (
        {"force": far.force.pk},
        {"officer": far.order.officer.pk},
        {"team": far.order.team.pk},
        {"reference": "NEW-REF"},
        {"status": "closed"},
        {"parties": []},
    ):
        response = _patch(client, report, data)
        assert response.status_code == 400, (data, response.content)
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.force_id, fresh.officer_id, fresh.team_id, fresh.reference) == (
        report.force_id,
        report.officer_id,
        report.team_id,
        report.reference,
    )


def test_patch_by_an_officer_cannot_hand_the_report_out_of_reach(world, sign_in):
    officer = world.users[Role.OFFICER]
    report = world.cases["in"].report
    Report.objects.filter(pk=report.pk).update(sdash_answers={})  # the world's are not valid
    report.refresh_from_db()
    other = world.cases["other"].order
    client = client_for(sign_in, officer)
    response = _patch(client, report, {"officer": other.officer.pk, "team": other.team.pk})
    assert response.status_code == 403, response.content
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.officer_id, fresh.team_id) == (report.officer_id, report.team_id)
    # and a report of another team cannot be patched at all (not found)
    assert _patch_status(client, world.cases["other"].report) == 404


def _patch_status(client: Client, report: Report) -> int:
    return client.patch(
        f"/api/v1/reports/{report.pk}/",
        {"expected_version": "x", "summary": "Changed"},
        content_type="application/json",
    ).status_code


# --- CSRF, methods and caching --------------------------------------------------------------


def test_every_state_change_needs_the_csrf_token(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    order = world.cases["in"].order
    report = world.cases["in"].report
    client = Client(enforce_csrf_checks=True)
    sign_in(client, coordinator)
    posts = [
        reverse("report-new"),
        reverse("report-new-step", args=["offence"]),
        reverse("report-refer", args=[report.pk]),
        reverse("order-service", args=[order.pk]),
        reverse("order-breach-new", args=[order.pk]),
        reverse("order-advocates", args=[order.pk]),
        reverse("order-advocate-remove", args=[order.pk]),
        reverse("order-court-application", args=[order.pk]),
        reverse("order-appeal", args=[order.pk]),
        reverse("notice-new"),
        reverse("application-hearing", args=[order.pk]),
    ]
    for url in posts:
        assert client.post(url, {"version": order.version}).status_code == 403, url
    version = client.get(f"/api/v1/reports/{report.pk}/").json()["version"]
    patched = client.patch(
        f"/api/v1/reports/{report.pk}/",
        {"expected_version": version, "summary": "No token"},
        content_type="application/json",
    )
    assert patched.status_code == 403
    assert Report.objects.get(pk=report.pk).summary == report.summary


def test_removing_an_advocate_is_never_a_get(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    order = world.cases["in"].order
    link = order.advocate_links.get()
    client = client_for(sign_in, coordinator)
    url = reverse("order-advocate-remove", args=[order.pk])
    assert client.get(url, {"link": link.pk, "version": order.version}).status_code == 405
    assert AdvocateLink.objects.filter(pk=link.pk).exists()


def test_a_get_of_the_report_start_page_keeps_the_draft(world, sign_in):
    officer = world.users[Role.OFFICER]
    client = client_for(sign_in, officer)
    session = client.session
    session["report_draft"] = {"steps": {"offence": {"reference": "X"}}, "raw": {}, "problems": {}}
    session.save()
    assert client.get(reverse("report-new")).status_code == 200
    assert client.session.get("report_draft", {}).get("steps")


def test_pages_with_personal_data_are_never_cached(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    case = world.cases["in"]
    client = client_for(sign_in, coordinator)
    urls = [
        reverse("report-list"),
        reverse("report-detail", args=[case.report.pk]),
        reverse("referral-list"),
        reverse("report-new"),
        reverse("report-new-step", args=["offence"]),
        reverse("application-work-queue"),
        reverse("order-detail", args=[case.order.pk]),
        reverse("order-advocates", args=[case.order.pk]),
        reverse("order-service", args=[case.order.pk]),
        reverse("order-breach-new", args=[case.order.pk]),
        reverse("notice-new"),
        reverse("search") + "?q=victim",
        "/",
        f"/api/v1/reports/{case.report.pk}/",
        "/api/v1/candidates/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url


# --- Search never tells what the user could not open ----------------------------------------


@pytest.mark.parametrize(
    ("role", "foreign"),
    [(Role.COORDINATOR, "far"), (Role.OFFICER, "other"), (Role.OFFICER, "far")],
)
def test_search_gives_no_count_or_hint_of_records_out_of_reach(world, sign_in, role, foreign):
    case = world.cases[foreign]
    client = client_for(sign_in, world.users[role])
    for q in (
        case.victim.surname,
        case.defendant.surname,
        case.report.reference,
        "Alias" + foreign,
    ):
        response = client.get(reverse("search"), {"q": q})
        assert response.context["total"] == 0, q
        page = response.content.decode()
        assert case.order.reference not in page
        assert case.report.reference not in page or q == case.report.reference


# --- Audit ----------------------------------------------------------------------------------


def test_a_referral_and_its_decision_are_in_the_audit_trail(world, sign_in):
    officer, coordinator = world.users[Role.OFFICER], world.users[Role.COORDINATOR]
    report = world.cases["in"].report
    client_for(sign_in, officer).post(
        reverse("report-refer", args=[report.pk]), {"note": "Needs an SPO"}
    )
    referral = Referral.objects.get(report=report)
    created = AuditEvent.objects.filter(
        kind=AuditKind.INSERT, table_name="reports_referral", object_id=str(referral.pk)
    ).get()
    assert created.actor_id == officer.pk
    client_for(sign_in, coordinator).post(
        reverse("referral-decide", args=[referral.pk]), {"decision": "accept", "note": "Yes"}
    )
    assert AuditEvent.objects.filter(
        kind=AuditKind.UPDATE,
        table_name="reports_referral",
        object_id=str(referral.pk),
        actor_id=coordinator.pk,
    ).exists()


def test_an_advocate_link_is_in_the_audit_trail(world, sign_in):
    coordinator = world.users[Role.COORDINATOR]
    order = world.cases["in"].order
    advocate = make_user(Role.ADVOCATE, world.force)
    client_for(sign_in, coordinator).post(
        reverse("order-advocates", args=[order.pk]),
        {"advocate": advocate.pk, "version": order.version},
    )
    link = AdvocateLink.objects.get(order=order, user=advocate)
    assert AuditEvent.objects.filter(
        kind=AuditKind.INSERT,
        table_name="orders_advocatelink",
        object_id=str(link.pk),
        actor_id=coordinator.pk,
    ).exists()


def test_opening_a_notice_page_is_a_consultation_in_the_audit_trail(world, sign_in):
    """The notice page shows the notice's people and conditions: opening it is recorded, as
    opening the order page is (docs/permissions.md: every consultation of an order page)."""
    officer = world.users[Role.OFFICER]
    case = world.cases["in"]
    notice = builders.give_notice(
        builders.create(
            world.force,
            "dvpn",
            case.defendant,
            case.victim,
            officer=officer,
            team=officer.team,
            conditions=(builders.NO_MOLESTATION,),
        ),
        timezone.now() - dt.timedelta(hours=2),
    )
    client = client_for(sign_in, officer)
    assert client.get(reverse("notice-detail", args=[notice.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        kind=AuditKind.VIEW,
        table_name="orders_order",
        object_id=str(notice.pk),
        actor_id=officer.pk,
    ).exists()


def test_a_force_administrator_is_not_told_which_reports_share_their_people(world, sign_in):
    """A force administrator sees a report's identification, not its parties (permission
    table): the timeline, which joins the reports about the same suspect and victim (linked by
    screening's identities), would tell them whom each report is about."""
    case = world.cases["in"]
    sibling = Report.objects.create(
        force=world.force,
        reference="NOR-SIBLING-1",
        offence_code="8Q",
        reported_at=timezone.now() - dt.timedelta(days=3),
        occurred_from=timezone.localdate() - dt.timedelta(days=4),
        summary="Again",
        officer=case.report.officer,
        team=case.report.team,
    )
    ReportParty.objects.create(report=sibling, person=case.victim, role=PartyRole.VICTIM)
    ReportParty.objects.create(report=sibling, person=case.defendant, role=PartyRole.SUSPECT)
    admin = client_for(sign_in, world.users[Role.FORCE_ADMIN])
    response = admin.get(reverse("report-detail", args=[case.report.pk]))
    assert response.status_code == 200
    assert "NOR-SIBLING-1" not in response.content.decode()
    assert case.order.reference not in response.content.decode()
    # the roles granted the parties still get the timeline
    officer = client_for(sign_in, world.users[Role.OFFICER])
    assert (
        "NOR-SIBLING-1"
        in officer.get(reverse("report-detail", args=[case.report.pk])).content.decode()
    )


def test_a_legal_adviser_cannot_create_a_crime_report_through_a_breach(world, sign_in):
    """Legal advisers may change orders (record a breach) but not reports (permission table):
    the breach page's "a new report" must not create one for them."""
    legal = world.users[Role.LEGAL]
    order = world.cases["in"].order
    now = timezone.localtime() - dt.timedelta(hours=1)
    before = Report.objects.count()
    client_for(sign_in, legal).post(
        reverse("order-breach-new", args=[order.pk]),
        {
            "version": order.version,
            "occurred_on_0": str(now.day),
            "occurred_on_1": str(now.month),
            "occurred_on_2": str(now.year),
            "occurred_time": now.strftime("%H:%M"),
            "description": "Waited outside",
            "report_choice": "new",
            "new_reference": "NOR-BY-LEGAL-1",
            "new_offence": "8Q",
        },
    )
    assert not Report.objects.filter(reference="NOR-BY-LEGAL-1").exists()
    assert Report.objects.count() == before


def test_dismissing_an_spo_candidate_is_in_the_audit_trail(world, sign_in):
    """Dismissing a case screening flagged (now also through POST /api/v1/candidates/{id}/status/)
    is a decision about a victim's protection: who made it, when and why is recorded."""
    coordinator = world.users[Role.COORDINATOR]
    candidate = Candidate.objects.get(force=world.force, reports=world.cases["in"].report)
    client = client_for(sign_in, coordinator)
    response = client.post(
        f"/api/v1/candidates/{candidate.pk}/status/",
        {"status": "dismissed", "note": "Suspect has left the country"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.filter(
        table_name="screening_candidate", object_id=str(candidate.pk), actor_id=coordinator.pk
    ).exclude(kind=AuditKind.VIEW)
    assert event.exists()
    assert "Suspect has left the country" in event.get().purpose


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.ANALYST, Role.FORCE_ADMIN])
def test_patch_cannot_hand_a_report_to_a_user_who_may_not_hold_reports(world, sign_in, role):
    """The report's officer must be someone who may work reports (officer, coordinator): handing
    it to a victim advocate, an analyst or an administrator of the force would leave it held by
    no one who can open it, and call a partner agency's worker its officer."""
    coordinator = world.users[Role.COORDINATOR]
    report = world.cases["in"].report
    Report.objects.filter(pk=report.pk).update(sdash_answers={})  # the world's are not valid
    client = client_for(sign_in, coordinator)
    response = _patch(client, report, {"officer": world.users[role].pk})
    assert response.status_code == 400, response.content
    assert Report.objects.get(pk=report.pk).officer_id == report.officer_id


def test_an_advocates_your_cases_page_records_each_order_consulted(world, sign_in):
    advocate = world.users[Role.ADVOCATE]
    order = world.cases["in"].order
    before = AuditEvent.objects.filter(
        kind=AuditKind.VIEW, table_name="orders_order", object_id=str(order.pk)
    ).count()
    page = client_for(sign_in, advocate).get("/")
    assert order.reference in page.content.decode()
    assert (
        AuditEvent.objects.filter(
            kind=AuditKind.VIEW,
            table_name="orders_order",
            object_id=str(order.pk),
            actor_id=advocate.pk,
        ).count()
        > before
    )
    # Recorded in one insert, the consultations are still links of the one chain.
    from safeguard.access import audit

    assert audit.verify().ok


def test_a_legal_adviser_cannot_approve_an_application_they_sent_for_review(world, sign_in):
    """A legal adviser may change orders, so may use the builder and send the application for
    review: then deciding it themselves would make it to the court with no second pair of eyes
    (the review is someone else's check of the application)."""
    from tests.orders.test_application_pages import complete

    legal = world.users[Role.LEGAL]
    case = world.cases["in"]
    draft = Order.objects.get(
        pk=builders.create(world.force, "spo", case.defendant, case.victim, officer=legal).pk
    )
    draft.conditions.all().delete()
    order = complete(draft)
    client = client_for(sign_in, legal)
    sent = client.post(
        reverse("application-check", args=[order.pk]), {"version": order.version, "note": "Mine"}
    )
    assert sent.status_code == 302
    order.refresh_from_db()
    client.post(
        reverse("legal-review", args=[order.pk]), {"version": order.version, "decision": "approved"}
    )
    order.refresh_from_db()
    assert order.state == "draft"
    # another legal adviser of the force decides it
    other = make_user(Role.LEGAL, world.force)
    decided = client_for(sign_in, other).post(
        reverse("legal-review", args=[order.pk]), {"version": order.version, "decision": "approved"}
    )
    assert decided.status_code == 302
    order.refresh_from_db()
    assert order.state == "applied"


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.FORCE_ADMIN])
def test_a_notices_statutory_deadline_is_shown_only_to_roles_granted_deadlines(
    world, sign_in, role
):
    """The order page's hearing-deadline banner is the order's `deadlines` field: not in an
    advocate's safety-planning fields nor a force administrator's."""
    coordinator = world.users[Role.COORDINATOR]
    case = world.cases["in"]
    notice = builders.give_notice(
        builders.create(
            world.force,
            "dvpn",
            case.defendant,
            case.victim,
            officer=coordinator,
            conditions=(builders.NO_MOLESTATION,),
        ),
        timezone.now() - dt.timedelta(hours=2),
    )
    AdvocateLink.objects.create(order=notice, user=world.users[Role.ADVOCATE])
    page = client_for(sign_in, world.users[role]).get(reverse("order-detail", args=[notice.pk]))
    assert page.status_code == 200
    assert "hearing must start by" not in page.content.decode().lower()
    shown = client_for(sign_in, coordinator).get(reverse("order-detail", args=[notice.pk]))
    assert "hearing must start by" in shown.content.decode().lower()


def test_a_typed_address_comes_back_only_to_its_typist_and_is_not_stored(world, sign_in):
    """On a validation error elsewhere on the page, the address the officer just typed stays in
    its field (GOV.UK: never make people type again), on a no-store page to that officer only;
    it is kept encrypted in the draft only once the page is valid, and not shown back after."""
    from tests.reports.test_case_pages import offence_data, party_data, step

    client = client_for(sign_in, world.users[Role.OFFICER])
    client.post(reverse("report-new"))
    assert client.post(step("offence"), offence_data(reference="NOR-ECHO-1")).status_code == 302
    data = party_data("Tamsin", "Typed", address="9 Echo Lantern Row", postcode="NR1 9ZZ")
    data["date_of_birth_0"] = "40"  # no such day: the page comes back with an error
    response = client.post(step("victim"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "9 Echo Lantern Row" in body  # kept for the officer to correct the other field
    assert "no-store" in response["Cache-Control"]
    assert "9 Echo Lantern Row" not in str(dict(client.session))  # nothing kept in plain text
