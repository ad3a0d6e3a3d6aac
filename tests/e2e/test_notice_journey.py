"""A police notice, in a real browser: an officer gives a DVPN on an incident report, first
naming an inspector (refused: the Act needs a superintendent), then a superintendent; sees the
hearing deadline as a plain phrase ticking down (refreshed by htmx); applies to the magistrates'
court for the DVPO; records it made, and sees when it expires. Every page passes axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguard.access.models import Role
from safeguard.orders.models import Order
from safeguard.reports.models import PartyRole, Report, ReportParty
from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS, AxeReport, sign_in
from tests.web import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def check(axe: AxeReport, page: Page, name: str) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"


def fill_date(page: Page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


@pytest.fixture
def officer(force, team, make_user):
    return make_user(Role.OFFICER, force, team=team, first_name="Sam", last_name="Okafor")


@pytest.fixture
def incident(force, team, officer, make_person) -> Report:
    report = Report.objects.create(
        force=force,
        reference="NFK-26-DA-042",
        offence_code="8N",
        reported_at=timezone.now() - dt.timedelta(hours=2),
        occurred_from=timezone.localdate(),
        summary="Pushed his partner against a wall and threatened her",
        officer=officer,
        team=team,
    )
    ReportParty.objects.create(
        report=report, person=make_person(force, "Gary", "Stone"), role=PartyRole.SUSPECT
    )
    ReportParty.objects.create(
        report=report, person=make_person(force, "Helen", "Stone"), role=PartyRole.VICTIM
    )
    return report


def test_give_a_dvpn_then_the_dvpo_is_made(
    page: Page, axe_report: AxeReport, officer, incident: Report
):
    sign_in(page, officer, start="/orders/notices/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Give a notice")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose which notice to give")
    check(axe_report, page, "give a notice: step 1 with errors")
    page.get_by_label("Domestic Violence Protection Notice").check()
    page.get_by_label("Incident report").select_option(
        label="NFK-26-DA-042: 8N Assault with injury"
    )
    page.get_by_role("button", name="Continue").click()

    # Step 2: the people from the report, the condition, and an authoriser of too low a rank.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Give a Domestic Violence Protection Notice"
    )
    page.get_by_label("Gary Stone (suspect)").first.check()
    page.locator("input[name=protected]").nth(1).check()  # Helen Stone (victim)
    expect(page.get_by_label("Not to molest the protected person")).to_be_checked()
    page.get_by_label("Authorising officer", exact=True).fill("3150 Mark Lewis")
    page.get_by_label("Rank of the authorising officer").select_option("inspector")
    given = timezone.localtime() - dt.timedelta(minutes=20)
    fill_date(page, "given_on", given.date())
    page.get_by_label("Time given").fill(f"{given:%H:%M}")
    check(axe_report, page, "give a notice: step 2")
    page.get_by_role("button", name="Give the notice").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "must be authorised by an officer not below the rank of superintendent"
    )
    expect(summary).to_be_focused()
    expect(page.get_by_label("Authorising officer", exact=True)).to_have_value("3150 Mark Lewis")
    check(axe_report, page, "give a notice: authoriser refused")
    assert not Order.objects.filter(order_type="dvpn").exists()

    page.get_by_label("Authorising officer", exact=True).fill("4410 Ruth Adeyemi")
    page.get_by_label("Rank of the authorising officer").select_option("superintendent")
    page.get_by_role("button", name="Give the notice").click()

    # The notice page: the hearing deadline as a phrase, with the time left, refreshed by htmx.
    notice = Order.objects.get(order_type="dvpn")
    expect(page).to_have_url(re.compile(rf"/orders/{notice.pk}/notice/$"))
    deadline = page.locator("#hearing-deadline")
    expect(deadline).to_contain_text("The hearing must start by")
    expect(deadline).to_contain_text(re.compile(r"(day|hour)s? .*left"))
    expect(deadline).to_have_attribute("hx-trigger", "every 30s")
    with page.expect_response(re.compile(r"/notice/countdown/$"), timeout=40_000) as refreshed:
        pass  # htmx asks the server again within 30 seconds
    assert refreshed.value.status == 200
    expect(page.locator("#hearing-deadline")).to_contain_text("Checked at")
    check(axe_report, page, "notice with its hearing deadline")
    if SCREENSHOTS:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "notice-hearing-deadline.png"), full_page=True)

    # The application to the magistrates' court.
    page.get_by_role("link", name="Apply for a Domestic Violence Protection Order").click()
    page.get_by_label("Magistrates' court").fill(builders.COURT)
    hearing = timezone.localdate() + dt.timedelta(days=1)
    fill_date(page, "hearing_on", hearing)
    page.get_by_label("Hearing time").fill("10:00")
    check(axe_report, page, "apply for the DVPO")
    page.get_by_role("button", name="Make the application").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Application for a Domestic Violence Protection Order made"
    )
    expect(page.locator("#following ~ dl").first).to_contain_text(builders.COURT)

    # The court makes the DVPO for 28 days counting the day made.
    page.get_by_role("link", name="Record the court's decision").click()
    page.get_by_label("The order was made").check()
    today = timezone.localdate()
    fill_date(page, "decided_on", today)
    page.get_by_label("Time of the decision").fill("00:05")
    fill_date(page, "ends_on", today + dt.timedelta(days=40))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("may last at most 28 days")
    check(axe_report, page, "DVPO decision with the term refused")
    ends = today + dt.timedelta(days=27)
    fill_date(page, "ends_on", ends)
    page.get_by_role("button", name="Record the decision").click()

    # The DVPO page: in force, its expiry and what happens next; the notice has ended.
    expect(page.get_by_role("heading", level=1)).to_contain_text("In force")
    expiry = page.locator("#expiry ~ p").first
    expect(expiry).to_contain_text(f"Ends at the end of {ends:%A} {ends.day} {ends:%B %Y}")
    expect(expiry).to_contain_text("27 days left")
    expect(page.get_by_text("cannot be renewed")).to_be_visible()
    check(axe_report, page, "DVPO made")
    page.goto(f"/orders/{notice.pk}/notice/")
    expect(page.locator("#hearing-deadline")).to_contain_text("No hearing deadline runs")
    expect(page.locator("#following ~ dl").first).to_contain_text(
        f"At the end of {ends:%A} {ends.day} {ends:%B %Y}"
    )
    check(axe_report, page, "notice after the DVPO")
