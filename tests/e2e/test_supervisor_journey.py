"""A supervisor signs in (with their second factor) to the force overview, sees the overdue
deadline and each officer's workload, searches for a person and opens their page with every
report and order they appear in. Every page passes axe-core's WCAG 2.x A/AA rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguard.access import otp
from safeguard.access.models import Role, User
from safeguard.reports.models import PartyRole, Report, ReportParty
from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS, VIEWPORT, AxeReport, sign_in
from tests.web import builders
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def assert_accessible(axe: AxeReport, page: Page, name: str) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"


@pytest.fixture
def e2e_supervisor(force, team) -> User:
    user = User.objects.create_user(
        username="supervisor",
        password=PASSWORD,
        role=Role.SUPERVISOR,
        force=force,
        team=team,
        first_name="Ruth",
        last_name="Adeyemi",
    )
    otp.provision_totp(user)
    return user


def test_supervisor_reviews_the_force_and_finds_a_person(
    page: Page, axe_report: AxeReport, e2e_supervisor, e2e_cases: builders.Cases
):
    # A report naming the defendant of the SPO served yesterday, as the person page lists it.
    defendant = e2e_cases.served_recently.defendant
    report = Report.objects.create(
        force=defendant.force,
        reference="NOR-36-1001-26",
        offence_code="8Q",
        reported_at=timezone.now() - dt.timedelta(days=40),
        occurred_from=timezone.localdate() - dt.timedelta(days=60),
        summary="Followed her to work on six mornings",
    )
    ReportParty.objects.create(report=report, person=defendant, role=PartyRole.SUSPECT)

    sign_in(page, e2e_supervisor)

    # The force overview
    expect(page.get_by_role("heading", level=1)).to_have_text("Force overview")
    expect(page.locator(".govuk-warning-text")).to_contain_text("1 statutory deadline has passed")
    figures = page.locator(".app-figures")
    expect(figures).to_contain_text("6 open cases")
    expect(figures).to_contain_text("2 applications in progress")
    overdue = page.locator("tbody tr", has_text=e2e_cases.notification_overdue.reference)
    expect(overdue.locator(".govuk-tag")).to_have_text("Overdue")
    workload = page.locator("table", has=page.get_by_role("columnheader", name="Officer"))
    expect(workload.last).to_contain_text("Sam Okafor")
    assert_accessible(axe_report, page, "supervisor overview")
    if SCREENSHOTS:
        page.set_viewport_size(VIEWPORT)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "supervisor-overview.png"), full_page=True)

    # Search: a short query first, to check the error, then a surname in the wrong case.
    menu(page).get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    assert_accessible(axe_report, page, "search")
    box = page.get_by_label("Search for a person, crime reference, offence or order")
    box.fill("r")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter at least 2 characters to search for"
    )
    assert_accessible(axe_report, page, "search with an error")
    box = page.get_by_label("Search for a person, crime reference, offence or order")
    box.fill("REEVE")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\d+ results? for .REEVE.$"))
    assert_accessible(axe_report, page, "search results")

    # The person's page: the order naming them.
    page.get_by_role("link", name="Daniel Reeve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daniel Reeve")
    orders = page.locator("#orders + table")
    expect(orders).to_contain_text(e2e_cases.served_recently.reference)
    expect(orders).to_contain_text("Defendant")
    reports = page.locator("#reports + table")
    expect(reports).to_contain_text("NOR-36-1001-26")
    expect(reports).to_contain_text("Suspect")
    assert_accessible(axe_report, page, "person page")

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
