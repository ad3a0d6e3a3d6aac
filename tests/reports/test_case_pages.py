"""The officer's report pages (issue 4): recording a report page by page with GOV.UK errors on
the right field, the report page (parties masked, S-DASH, timeline, why it was flagged),
referring it to the SPO coordinator, the reports and referrals lists, and who may do what."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import Role, Team, User
from safeguard.people.models import DetailKind, ProtectedDetail
from safeguard.reports import services
from safeguard.reports.models import (
    PartyRole,
    Referral,
    ReferralStatus,
    Report,
    ReportStatus,
)
from safeguard.rules.risk import SDASH_KEYS
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

ADDRESS = "7 Quiet Close, Norwich"
POSTCODE = "NR9 9ZZ"


@pytest.fixture
def other_team(force) -> Team:
    return Team.objects.create(force=force, name="Public Protection South")


@pytest.fixture
def officer(make_user, force, team) -> User:
    return make_user(Role.OFFICER, force, team=team, first_name="Priya", last_name="Shah")


@pytest.fixture
def as_officer(officer) -> Client:
    return signed_in(officer)


def new_report(
    force,
    officer,
    reference: str,
    *,
    victim=("Vicky", "Marsh"),
    suspect=("Daniel", "Reeve"),
    occurred: dt.date = dt.date(2026, 9, 1),
    team=None,
    behaviours=("following", "contact"),
    sdash: dict[str, Any] | None = None,
    address: str = "",
) -> Report:
    details = (services.NewDetail(DetailKind.HOME_ADDRESS, address, POSTCODE),) if address else ()
    return services.create_report(
        force=force,
        by=officer,
        report=services.NewReport(
            reference=reference,
            offence_code="8Q",
            reported_at=timezone.now() - dt.timedelta(days=1),
            occurred_from=occurred,
            summary="He followed her home from work.",
            behaviours=behaviours,
            sdash_answers=sdash or {"frightened": True, "threats": False, "loitering": None},
            officer=officer,
            team=team if team is not None else officer.team,
            parties=(
                services.NewParty(
                    PartyRole.VICTIM, given_name=victim[0], surname=victim[1], details=details
                ),
                services.NewParty(PartyRole.SUSPECT, given_name=suspect[0], surname=suspect[1]),
            ),
        ),
    )


def date_parts(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def step(name: str) -> str:
    return reverse("report-new-step", args=[name])


def offence_data(**changes: Any) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "reference": "NR/12345/26",
        "offence_code": "8Q",
        "summary": "He has followed her home three times and sends messages every night.",
        **date_parts("reported_on", today),
        **date_parts("occurred_from", today - dt.timedelta(days=40)),
        **date_parts("occurred_to", None),
    }
    data.update(changes)
    return data


def party_data(given: str, surname: str, **changes: Any) -> dict[str, str]:
    data = {
        "given_name": given,
        "surname": surname,
        "sex": "U",
        "address": "",
        "postcode": "",
        "relationship_to_victim": "ex_partner",
        **date_parts("date_of_birth", dt.date(1990, 4, 2)),
    }
    data.update(changes)
    return data


def risk_data(**changes: str) -> dict[str, str]:
    data = dict.fromkeys(SDASH_KEYS, "no")
    data.update({"frightened": "yes", "loitering": "yes", "substances": "unknown"})
    data.update(changes)
    return data


def errors(response) -> list[str]:
    """The error summary's messages, as a user reads them."""
    body = response.content.decode()
    summary = body.split('class="govuk-error-summary"', 1)
    if len(summary) < 2:
        return []
    return [
        html.unescape(re.sub(r"\s+", " ", m).strip())
        for m in re.findall(r"<li><a href=\"[^\"]*\">(.*?)</a></li>", summary[1].split("</ul>")[0])
    ]


def fill_in(client: Client, **overrides: dict[str, str]) -> None:
    client.post(reverse("report-new"))
    for name, data in (
        ("offence", offence_data()),
        ("victim", party_data("Vicky", "Marsh", address=ADDRESS, postcode=POSTCODE)),
        ("suspect", party_data("Daniel", "Reeve")),
        ("behaviours", {"behaviours": ["following", "loitering"]}),
        ("risk", risk_data()),
    ):
        response = client.post(step(name), overrides.get(name, data))
        assert response.status_code == 302, (name, errors(response))


# --- Recording a report ----------------------------------------------------------------------


def test_an_officer_records_a_report_page_by_page(as_officer, officer, force):
    start = as_officer.get(reverse("report-new"))
    assert "Record a stalking or harassment report" in start.content.decode()
    response = as_officer.post(reverse("report-new"))
    assert response["Location"] == step("offence")
    response = as_officer.post(step("offence"), offence_data())
    assert response["Location"] == step("victim")
    response = as_officer.post(
        step("victim"), party_data("Vicky", "Marsh", address=ADDRESS, postcode=POSTCODE)
    )
    assert response["Location"] == step("suspect")
    # The back button: the victim's page shows what was typed, but never the address again.
    back = as_officer.get(step("victim")).content.decode()
    assert 'value="Marsh"' in back
    assert ADDRESS not in back
    assert POSTCODE not in back
    assert "An address is recorded for this person" in back
    as_officer.post(step("suspect"), party_data("Daniel", "Reeve"))
    as_officer.post(step("behaviours"), {"behaviours": ["following", "loitering"]})
    response = as_officer.post(step("risk"), risk_data())
    assert response["Location"] == reverse("report-new-check")

    check = as_officer.get(reverse("report-new-check")).content.decode()
    assert "Check your answers before recording the report" in check
    assert "NR/12345/26" in check
    assert "Vicky Marsh" in check
    assert "Daniel Reeve" in check
    assert "Recorded (hidden to protect the person)" in check
    assert ADDRESS not in check
    assert "Loitering in a public or private place" in check
    # The address is not in the session in clear either.
    assert ADDRESS not in str(dict(as_officer.session))

    response = as_officer.post(reverse("report-new-check"))
    report = Report.objects.get(reference="NR/12345/26")
    assert response["Location"] == reverse("report-detail", args=[report.pk])
    assert report.officer == officer
    assert report.team == officer.team
    assert report.behaviours == ["following", "loitering"]
    assert report.sdash_answers["frightened"] is True
    assert report.sdash_answers["substances"] is None
    assert report.occurred_to is None
    victim = report.report_parties.get(role=PartyRole.VICTIM).person
    detail = ProtectedDetail.objects.get(person=victim)
    assert detail.value == ADDRESS
    assert detail.postcode == POSTCODE
    page = as_officer.get(response["Location"]).content.decode()
    assert "Report NR/12345/26 recorded" in page
    assert "Home address: recorded, hidden" in page
    assert ADDRESS not in page
    assert POSTCODE not in page
    assert "report_draft" not in as_officer.session  # the draft is gone once recorded


def test_the_first_page_says_what_to_fix(as_officer):
    as_officer.post(reverse("report-new"))
    response = as_officer.post(
        step("offence"),
        {**date_parts("reported_on", None), **date_parts("occurred_from", None)},
    )
    assert response.status_code == 200
    assert errors(response) == [
        "Enter the crime reference",
        "Select the offence",
        "Enter the date it was reported",
        "Enter the date the conduct started",
        "Enter what happened",
    ]
    body = response.content.decode()
    assert "<title>Error: " in body
    assert 'href="#id_offence_code_0"' in body
    assert 'href="#id_reported_on_0"' in body
    assert "govuk-form-group--error" in body
    assert "govuk-input--error" in body


def test_dates_must_be_whole_and_real(as_officer):
    as_officer.post(reverse("report-new"))
    response = as_officer.post(
        step("offence"),
        offence_data(
            **{"reported_on_1": ""},
            **{"occurred_from_0": "31", "occurred_from_1": "2", "occurred_from_2": "2026"},
            **{"occurred_to_0": "x", "occurred_to_1": "1", "occurred_to_2": "2026"},
        ),
    )
    assert errors(response) == [
        "The date it was reported must include a month",
        "The date the conduct started must be a real date",
        "The date the conduct ended must be a real date",
    ]


def test_the_services_rules_show_on_the_field_they_are_about(as_officer, force, officer):
    """check_report's problems (a report in the future, conduct ending before it started) and a
    reference the force already has are shown on their own fields."""
    new_report(force, officer, "NR/TAKEN/26")
    as_officer.post(reverse("report-new"))
    today = timezone.localdate()
    response = as_officer.post(
        step("offence"),
        offence_data(
            reference="NR/TAKEN/26",
            **date_parts("reported_on", today + dt.timedelta(days=3)),
        ),
    )
    assert errors(response) == [
        "A report with this crime reference already exists: check the reference",
        "A report cannot be made in the future",
    ]
    response = as_officer.post(
        step("offence"),
        offence_data(**date_parts("occurred_to", today - dt.timedelta(days=60))),
    )
    assert errors(response) == ["The conduct cannot end before it started (occurred_from)"]
    assert 'id="id_occurred_to-error"' in response.content.decode()


def test_people_need_a_name_and_an_address_with_a_postcode(as_officer):
    as_officer.post(reverse("report-new"))
    as_officer.post(step("offence"), offence_data())
    response = as_officer.post(
        step("victim"),
        party_data("", "", postcode=POSTCODE, **date_parts("date_of_birth", dt.date(2099, 1, 1))),
    )
    assert errors(response) == [
        "Give the person's surname or given name (or both)",
        "A date of birth cannot be in the future",
        "Enter the home address as well, or leave the postcode blank",
    ]
    assert POSTCODE in response.content.decode()  # what they typed, back to them on this page


def test_every_sdash_question_needs_an_answer(as_officer):
    fill_in(as_officer)
    response = as_officer.post(step("risk"), {"frightened": "yes"})
    found = errors(response)
    assert len(found) == len(SDASH_KEYS) - 1
    assert found[0] == (
        "Select yes, no or not known: has the suspect harassed this victim or others before?"
    )


def test_pages_cannot_be_skipped(as_officer):
    as_officer.post(reverse("report-new"))
    assert as_officer.get(step("risk"))["Location"] == step("offence")
    assert as_officer.get(reverse("report-new-check"))["Location"] == step("offence")
    assert as_officer.get(step("nonsense")).status_code == 404


def test_a_change_from_the_check_page_returns_to_it(as_officer):
    fill_in(as_officer)
    response = as_officer.post(
        step("suspect") + "?back=check", party_data("Danny", "Reeve", sex="M")
    )
    assert response["Location"] == reverse("report-new-check")
    assert "Danny Reeve" in as_officer.get(reverse("report-new-check")).content.decode()


def test_a_problem_found_when_recording_goes_back_to_its_field(as_officer, force, officer):
    """The reference was free when typed but taken before the report was recorded: the check
    page says so and links to the field, which shows the error."""
    fill_in(as_officer)
    new_report(force, officer, "NR/12345/26")
    response = as_officer.post(reverse("report-new-check"))
    assert response.status_code == 200
    assert errors(response) == [f"NR/12345/26 already exists in {force}"]
    assert f'href="{step("offence")}?back=check"' in response.content.decode()
    page = as_officer.get(step("offence"))
    assert errors(page) == [f"NR/12345/26 already exists in {force}"]
    assert Report.objects.filter(reference="NR/12345/26").count() == 1


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.ANALYST, Role.SUPERVISOR, Role.LEGAL])
def test_roles_that_may_not_create_reports_are_refused(make_user, force, role):
    client = signed_in(make_user(role, force))
    assert client.get(reverse("report-new")).status_code == 403
    assert client.post(step("offence"), offence_data()).status_code == 403
    assert not Report.objects.exists()


# --- The report page ---------------------------------------------------------------------------


def test_the_report_page_shows_parties_masked_and_the_sdash_result(as_officer, force, officer):
    report = new_report(force, officer, "NR/1/26", address=ADDRESS)
    body = as_officer.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Vicky Marsh" in body
    assert "Daniel Reeve" in body
    assert "Home address: recorded, hidden" in body
    assert ADDRESS not in body
    assert POSTCODE not in body
    assert "Following the person" in body
    assert '1 of 11 answers are "yes"' in body
    assert "Not asked" in body
    assert "Not known" in body


def test_the_timeline_joins_reports_linked_by_screening_and_orders(
    as_officer, force, officer, make_user, other_team
):
    from safeguard.screening.models import PersonIdentity
    from tests.web import builders

    first = new_report(force, officer, "NR/1/26", occurred=dt.date(2026, 6, 1))
    # The same two people, recorded again with other spellings: linked by screening.
    second = new_report(
        force,
        officer,
        "NR/2/26",
        occurred=dt.date(2026, 8, 1),
        victim=("Victoria", "Marsh"),
        suspect=("Dan", "Reeve"),
    )
    unrelated = new_report(force, officer, "NR/3/26", suspect=("Other", "Person"))
    other_teams = new_report(
        force, make_user(Role.OFFICER, force, team=other_team), "NR/4/26", team=other_team
    )
    for role, key in ((PartyRole.SUSPECT, "P-suspect"), (PartyRole.VICTIM, "P-victim")):
        for r in (first, second, other_teams):
            PersonIdentity.objects.create(
                person=r.report_parties.get(role=role).person, force=force, key=key
            )
    suspect = first.report_parties.get(role=PartyRole.SUSPECT).person
    victim = first.report_parties.get(role=PartyRole.VICTIM).person
    order = builders.create(force, "spo", suspect, victim, officer=officer, team=officer.team)

    body = as_officer.get(reverse("report-detail", args=[second.pk])).content.decode()
    timeline = body.split('id="timeline"', 1)[1].split("</table>")[0]
    assert timeline.index("NR/1/26") < timeline.index("NR/2/26")
    assert "This report" in timeline
    assert order.reference in timeline
    assert "NR/3/26" not in timeline  # another suspect
    assert "NR/4/26" not in timeline  # another team's report: beyond the officer's reach
    assert unrelated.reference not in timeline

    # A coordinator (force-wide) sees the other team's report in the same course of conduct.
    coordinator = signed_in(make_user(Role.COORDINATOR, force))
    body = coordinator.get(reverse("report-detail", args=[second.pk])).content.decode()
    assert "NR/4/26" in body.split('id="timeline"', 1)[1].split("</table>")[0]


def test_the_report_page_says_why_it_was_flagged(as_officer, force, officer):
    from safeguard.screening.models import Candidate

    report = new_report(force, officer, "NR/1/26")
    now = timezone.now()
    candidate = Candidate.objects.create(
        force=force,
        suspect_key="P1",
        victim_key="P2",
        suspect=report.report_parties.get(role=PartyRole.SUSPECT).person,
        victim=report.report_parties.get(role=PartyRole.VICTIM).person,
        score=7.5,
        summary="a course of conduct on 4 occasions",
        reasons=["a course of conduct on 4 occasions", "threats recorded on 2 occasion(s)"],
        evidence={
            "spo_tests": [
                {
                    "test": "Acts associated with stalking",
                    "basis": "s.2(1)(a)",
                    "indicated": True,
                    "evidence": ["following on 3 occasions"],
                }
            ]
        },
        last_report_at=now,
        first_flagged_at=now,
        updated_at=now,
    )
    candidate.reports.set([report])
    body = as_officer.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Flagged for a Stalking Protection Order" in body
    assert "A course of conduct on 4 occasions" in body
    assert "Threats recorded on 2 occasion(s)" in body
    assert "Following on 3 occasions" in body
    other = new_report(force, officer, "NR/2/26")
    assert (
        "Flagged" not in as_officer.get(reverse("report-detail", args=[other.pk])).content.decode()
    )


def test_reports_are_seen_only_within_reach(
    as_officer, force, officer, make_user, other_team, other_force
):
    mine = new_report(force, officer, "NR/1/26")
    theirs = new_report(
        force, make_user(Role.OFFICER, force, team=other_team), "NR/2/26", team=other_team
    )
    url = reverse("report-detail", args=[theirs.pk])
    assert as_officer.get(url).status_code == 404
    assert as_officer.get(reverse("report-detail", args=[mine.pk])).status_code == 200
    for client, status in (
        (signed_in(make_user(Role.COORDINATOR, force)), 200),
        (signed_in(make_user(Role.SUPERVISOR, force)), 200),
        (signed_in(make_user(Role.ADVOCATE, force)), 404),
        (signed_in(make_user(Role.ANALYST, force)), 404),
        (signed_in(make_user(Role.COORDINATOR, other_force)), 404),
    ):
        assert client.get(url).status_code == status
    listing = as_officer.get(reverse("report-list")).content.decode()
    assert "NR/1/26" in listing
    assert "NR/2/26" not in listing
    advocate = signed_in(make_user(Role.ADVOCATE, force))
    assert "NR/1/26" not in advocate.get(reverse("report-list")).content.decode()


def test_the_reports_list_filters_and_paginates_in_a_fixed_number_of_queries(
    as_officer, force, officer, django_assert_max_num_queries
):
    for i in range(30):
        new_report(force, officer, f"NR/{i:03d}/26")
    with django_assert_max_num_queries(12):
        body = as_officer.get(reverse("report-list")).content.decode()
    assert "Showing 1 to 25 of 30 reports" in body
    assert 'aria-label="Page 2"' in body
    body = as_officer.get(reverse("report-list") + "?q=NR/00&offence=8Q").content.decode()
    assert "Showing 1 to 10 of 10 reports" in body
    body = as_officer.get(reverse("report-list") + "?offence=8L").content.decode()
    assert "No reports found" in body


# --- Referring to the coordinator ------------------------------------------------------------------


def test_an_officer_refers_a_report_and_the_coordinator_decides(
    as_officer, force, officer, make_user, other_force, django_assert_max_num_queries
):
    report = new_report(force, officer, "NR/1/26")
    refer = reverse("report-refer", args=[report.pk])
    response = as_officer.post(refer, {"note": "  "})
    assert response.status_code == 400
    assert errors(response) == ["Enter why you are referring this report"]
    response = as_officer.post(refer, {"note": "Still following her after a warning."})
    assert response["Location"] == reverse("report-detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.REFERRED
    referral = Referral.objects.get(report=report)
    assert referral.referred_by == officer
    assert referral.status == ReferralStatus.OPEN
    page = as_officer.get(response["Location"]).content.decode()
    assert "Referred to the SPO coordinator on" in page
    assert "Refer to the SPO coordinator</button>" not in page  # no second referral
    again = as_officer.post(refer, {"note": "Again"})
    assert errors(again) == ["This report is already waiting for the SPO coordinator"]
    assert Referral.objects.count() == 1

    # The coordinator's list: open referrals of their force only.
    for i in range(30):
        r = new_report(force, officer, f"NR/X{i:02d}/26")
        services.refer_report(report=r, by=officer, note="Please look")
    coordinator = make_user(Role.COORDINATOR, force)
    as_coordinator = signed_in(coordinator)
    with django_assert_max_num_queries(12):
        listing = as_coordinator.get(reverse("referral-list")).content.decode()
    assert "Showing 1 to 25 of 31 referrals" in listing
    assert "NR/1/26" in listing
    assert "Still following her after a warning." in listing
    elsewhere = signed_in(make_user(Role.COORDINATOR, other_force))
    assert "NR/1/26" not in elsewhere.get(reverse("referral-list")).content.decode()

    decide = reverse("referral-decide", args=[referral.pk])
    assert as_officer.get(decide).status_code == 404  # officers refer; coordinators decide
    assert elsewhere.get(decide).status_code == 404
    response = as_coordinator.post(decide, {"decision": "decline", "note": ""})
    assert errors(response) == ["Enter why you are declining the referral"]
    response = as_coordinator.post(decide, {"decision": "accept", "note": "Starting work"})
    assert response["Location"] == reverse("referral-list")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decided_by == coordinator
    as_coordinator.get(reverse("referral-list"))  # shows the confirmation message once
    listing = as_coordinator.get(reverse("referral-list")).content.decode()
    assert "NR/1/26" not in listing
    assert "Showing 1 to 25 of 30 referrals" in listing


def test_who_may_refer(force, officer, make_user, other_team):
    report = new_report(force, officer, "NR/1/26")
    refer = reverse("report-refer", args=[report.pk])
    for role, team in ((Role.OFFICER, other_team), (Role.SUPERVISOR, None), (Role.LEGAL, None)):
        client = signed_in(make_user(role, force, team=team))
        assert client.post(refer, {"note": "Refer"}).status_code == 404
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.OFFICER, True),
        (Role.COORDINATOR, True),
        (Role.SUPERVISOR, True),
        (Role.ADVOCATE, False),
        (Role.ANALYST, False),
    ],
)
def test_the_menu_offers_reports_to_roles_that_see_them(make_user, force, role, shown):
    body = signed_in(make_user(role, force)).get(reverse("home")).content.decode()
    menu = body.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    assert (f'href="{reverse("report-list")}"' in menu) is shown


@pytest.mark.parametrize(
    ("role", "records", "exports"),
    [(Role.OFFICER, True, True), (Role.SUPERVISOR, False, True), (Role.LEGAL, False, False)],
)
def test_the_reports_list_offers_recording_importing_and_exporting_by_role(
    make_user, force, team, officer, role, records, exports
):
    new_report(force, officer, "NOR-LIST-1")
    user = officer if role == Role.OFFICER else make_user(role, force, team=team)
    page = signed_in(user).get(reverse("report-list"), {"offence": "8Q"}).content.decode()
    assert "NOR-LIST-1" in page
    assert (f'href="{reverse("report-new")}"' in page) is records
    assert (f'href="{reverse("import-list")}"' in page) is records
    export = reverse("export-list", args=["reports"])
    assert (f'href="{export}?offence_code=8Q"' in page) is exports


def test_the_report_page_leads_to_giving_a_notice_on_it(as_officer, force, officer):
    # Enough newer reports that this one is not among the 200 the notice form lists first.
    report = new_report(force, officer, "NOR-NOTICE-OLD", occurred=dt.date(2025, 1, 2))
    for n in range(201):
        Report.objects.create(
            force=force, reference=f"NOR-FILL-{n}", offence_code="8L", officer=officer,
            reported_at=report.reported_at + dt.timedelta(days=1, minutes=n),
            occurred_from=dt.date(2025, 1, 3),
        )  # fmt: skip
    page = as_officer.get(reverse("report-detail", args=[report.pk])).content.decode()
    link = f"{reverse('notice-new')}?order_type=dvpn&amp;report={report.pk}"
    assert f'href="{link}"' in page
    response = as_officer.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    # Straight to the second step: the people come from that report's parties.
    assert "Daniel Reeve" in response.content.decode()


def test_the_report_page_makes_a_fixed_number_of_queries(
    as_officer, force, officer, django_assert_max_num_queries
):
    """However long the course of conduct, the report page's queries stay the same."""
    from tests.web import builders

    reports = [
        new_report(force, officer, f"NR/{i:03d}/26", occurred=dt.date(2026, 1, 1 + i))
        for i in range(15)
    ]
    suspect = reports[0].report_parties.get(role=PartyRole.SUSPECT).person
    victim = reports[0].report_parties.get(role=PartyRole.VICTIM).person
    for _ in range(5):
        builders.create(force, "spo", suspect, victim, officer=officer, team=officer.team)
    from safeguard.screening.models import PersonIdentity

    for r in reports:
        for party in r.report_parties.all():
            PersonIdentity.objects.create(person=party.person, force=force, key=f"P-{party.role}")
    with django_assert_max_num_queries(18):
        body = as_officer.get(reverse("report-detail", args=[reports[0].pk])).content.decode()
    timeline = body.split('id="timeline"', 1)[1].split("</table>")[0]
    assert timeline.count("<tr") == 1 + 15 + 5
