"""An investigating officer signs in (password and second factor), records a stalking report page
by page (with a mistake on the first page, to see the error summary), checks the answers, records
it, reads the report with its timeline and why screening has flagged it, and refers it to the SPO
coordinator; the coordinator finds the referral in their list and accepts it. Every page passes
axe-core's WCAG 2.x A/AA rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguard.access import otp
from safeguard.access.models import Role, User
from safeguard.reports import services
from safeguard.reports.models import PartyRole, Referral, ReferralStatus, Report
from safeguard.screening.models import Candidate, PersonIdentity
from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS, AxeReport, sign_in
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADDRESS = "22 Willow Road, Norwich"


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def checked(axe: AxeReport, page: Page, name: str, screenshot: str | None = None) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"
    if SCREENSHOTS and screenshot:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{screenshot}.png"), full_page=True)


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def e2e_officer(force, team) -> User:
    user = User.objects.create_user(
        username="officer",
        password=PASSWORD,
        role=Role.OFFICER,
        force=force,
        team=team,
        first_name="Sam",
        last_name="Okafor",
    )
    otp.provision_totp(user)
    return user


@pytest.fixture
def earlier_report(force, e2e_officer) -> Report:
    """An earlier report about the same two people, already flagged by screening."""
    report = services.create_report(
        force=force,
        by=e2e_officer,
        report=services.NewReport(
            reference="NR/00771/26",
            offence_code="8L",
            reported_at=timezone.now() - dt.timedelta(days=50),
            occurred_from=timezone.localdate() - dt.timedelta(days=60),
            summary="Repeated messages after the end of the relationship.",
            behaviours=("contact",),
            officer=e2e_officer,
            team=e2e_officer.team,
            parties=(
                services.NewParty(PartyRole.VICTIM, given_name="Vicky", surname="Marsh"),
                services.NewParty(PartyRole.SUSPECT, given_name="Daniel", surname="Reeve"),
            ),
        ),
    )
    now = timezone.now()
    candidate = Candidate.objects.create(
        force=force,
        suspect_key="P-reeve",
        victim_key="P-marsh",
        suspect=report.report_parties.get(role=PartyRole.SUSPECT).person,
        victim=report.report_parties.get(role=PartyRole.VICTIM).person,
        score=8.2,
        summary="a course of conduct on 2 occasions",
        reasons=["a course of conduct on 2 occasions", "escalating: new kinds of act: following"],
        evidence={},
        last_report_at=now,
        first_flagged_at=now,
        updated_at=now,
    )
    candidate.reports.set([report])
    for party in report.report_parties.all():
        key = "P-reeve" if party.role == PartyRole.SUSPECT else "P-marsh"
        PersonIdentity.objects.create(person=party.person, force=force, key=key)
    return report


def screen(report: Report) -> None:
    """What the screening worker does within a minute of a new report: link its people to the
    identities they belong to and add it to the flagged course of conduct."""
    for party in report.report_parties.all():
        key = "P-reeve" if party.role == PartyRole.SUSPECT else "P-marsh"
        PersonIdentity.objects.create(person=party.person, force=report.force, key=key)
    Candidate.objects.get(suspect_key="P-reeve").reports.add(report)


def test_officer_records_a_report_and_refers_it(
    page: Page, axe_report: AxeReport, e2e_officer, earlier_report, force, make_user
):
    sign_in(page, e2e_officer)
    expect(page).to_have_title(re.compile("Safeguard"))

    # The reports list, from the menu
    menu(page).get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_text("Showing 1 to 1 of 1 report")).to_be_visible()
    checked(axe_report, page, "reports list")

    page.get_by_role("button", name="Record a report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record a stalking or harassment report"
    )
    checked(axe_report, page, "record a report: start")
    page.get_by_role("button", name="Start now").click()

    # Page 1: a mistake first (no offence, a date without its year), then put right
    today = timezone.localdate()
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened")
    page.get_by_label("Crime reference").fill("NR/01234/26")
    group = page.get_by_role("group", name="When was it reported to the police?")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select the offence")
    expect(summary).to_contain_text("The date it was reported must include a year")
    expect(summary).to_contain_text("Enter the date the conduct started")
    checked(axe_report, page, "record a report: errors", "report-errors")
    summary.get_by_role("link", name="Select the offence").click()
    expect(page.get_by_label("8Q Stalking")).to_be_focused()

    page.get_by_label("8Q Stalking").check()
    fill_date(page, "When was it reported to the police?", today)
    fill_date(page, "When did the conduct start?", today - dt.timedelta(days=20))
    page.get_by_label("What happened?").fill(
        "He waited outside her flat three evenings running and followed her to work."
    )
    page.get_by_role("button", name="Continue").click()

    # Page 2: the victim, with a protected address
    expect(page.get_by_role("heading", level=1)).to_have_text("The victim")
    checked(axe_report, page, "record a report: victim")
    page.get_by_label("First name").fill("Vicky")
    page.get_by_label("Last name").fill("Marsh")
    fill_date(page, "Date of birth (if known)", dt.date(1991, 5, 14))
    page.get_by_label("Female").check()
    page.get_by_label("Home address (if known)").fill(ADDRESS)
    page.get_by_label("Postcode (if known)").fill("NR2 1AA")
    page.get_by_role("button", name="Continue").click()

    # The back button works, and the address is not shown again
    page.go_back()
    expect(page.get_by_label("Last name")).to_have_value("Marsh")
    expect(page.get_by_label("Home address (if known)")).to_have_value("")
    page.go_forward()

    # Page 3: the suspect
    expect(page.get_by_role("heading", level=1)).to_have_text("The suspect")
    page.get_by_label("First name").fill("Daniel")
    page.get_by_label("Last name").fill("Reeve")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Former partner").check()
    checked(axe_report, page, "record a report: suspect")
    page.get_by_role("button", name="Continue").click()

    # Page 4: the behaviours
    expect(page.get_by_role("heading", level=1)).to_have_text("What has the suspect done?")
    page.get_by_label("Following the person").check()
    page.get_by_label("Loitering in a public or private place").check()
    checked(axe_report, page, "record a report: behaviours")
    page.get_by_role("button", name="Continue").click()

    # Page 5: S-DASH
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stalking screening questions (S-DASH)"
    )
    for group in page.locator("fieldset").all():
        group.get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Is the victim very frightened?").get_by_label("Yes").check()
    page.get_by_role(
        "group", name="Has the suspect loitered around the victim's home or workplace?"
    ).get_by_label("Yes").check()
    page.get_by_role("group", name="Is the suspect known to abuse drugs or alcohol?").get_by_label(
        "Not known"
    ).check()
    checked(axe_report, page, "record a report: S-DASH", "report-sdash")
    page.get_by_role("button", name="Continue").click()

    # Check your answers, change one, record
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before recording the report"
    )
    expect(page.get_by_text("Recorded (hidden to protect the person)")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(ADDRESS)
    checked(axe_report, page, "record a report: check answers", "report-check-answers")
    page.get_by_role("link", name="Change behaviours").click()
    page.get_by_label("Threats of violence").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before recording the report"
    )
    expect(page.locator("main")).to_contain_text("Threats of violence")
    page.get_by_role("button", name="Record the report").click()

    # The report page
    expect(page.get_by_role("heading", level=1)).to_have_text("Report NR/01234/26")
    expect(
        page.locator(".govuk-notification-banner--success, .govuk-notification-banner")
    ).to_contain_text("Report NR/01234/26 recorded")
    expect(page.locator("#sdash-score")).to_have_text('2 of 11 answers are "yes"')
    expect(page.locator("main")).to_contain_text("Home address: recorded, hidden")
    expect(page.locator("main")).not_to_contain_text(ADDRESS)
    checked(axe_report, page, "report page")

    # Screening links it to the earlier report within a minute: the timeline and the flag
    report = Report.objects.get(reference="NR/01234/26")
    screen(report)
    page.reload()
    timeline = page.locator("#timeline + p + table")
    expect(timeline.locator("tbody tr")).to_have_count(2)
    expect(timeline.locator("tbody tr").first).to_contain_text("NR/00771/26")
    expect(timeline.locator("tbody tr").last).to_contain_text("This report")
    flag = page.locator("#flagged")
    expect(flag).to_contain_text("Flagged for a Stalking Protection Order")
    expect(flag).to_contain_text("A course of conduct on 2 occasions")
    checked(axe_report, page, "report page, flagged", "report-page")

    # Refer it: a note is needed
    page.get_by_role("button", name="Refer to the SPO coordinator").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are referring this report"
    )
    checked(axe_report, page, "refer: error")
    page.get_by_label("Why should the coordinator consider an order?").fill(
        "Second report in two months; now following and loitering, victim very frightened."
    )
    page.get_by_role("button", name="Refer to the SPO coordinator").click()
    expect(page.locator("#referral-status")).to_contain_text("waiting for a decision")
    checked(axe_report, page, "report page, referred")
    referral = Referral.objects.get(report=report)
    assert referral.status == ReferralStatus.OPEN
    assert referral.referred_by == e2e_officer
    page.get_by_role("button", name="Sign out").click()

    # The coordinator finds it and accepts it
    coordinator = make_user(Role.COORDINATOR, force, first_name="Alex", last_name="Morgan")
    sign_in(page, coordinator, start="/reports/referrals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals from officers")
    row = page.locator("tbody tr", has_text="NR/01234/26")
    expect(row).to_contain_text("victim very frightened")
    checked(axe_report, page, "referrals list", "referrals")
    row.get_by_role("link", name="NR/01234/26").click()
    page.get_by_role("link", name="Decide on this referral").click()
    checked(axe_report, page, "decide on a referral")
    page.get_by_label("Accept: consider an application").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("There are no referrals to show.")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
