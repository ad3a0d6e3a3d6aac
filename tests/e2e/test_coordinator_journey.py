"""A coordinator signs in, reads the dashboard, filters the orders to SPOs in force, and opens
one to check its conditions and notification deadline. Every page passes axe-core's WCAG 2.x
A/AA rules."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS, VIEWPORT, AxeReport, sign_in
from tests.web import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def assert_accessible(axe: AxeReport, page: Page, name: str) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"


def test_coordinator_finds_an_spo_and_its_notification_deadline(
    page: Page, axe_report: AxeReport, e2e_coordinator, e2e_cases: builders.Cases
):
    # Sign in: a wrong password first, to check the error summary.
    page.goto("/sign-in/")
    expect(page).to_have_title("Sign in \N{EN DASH} Safeguard")
    assert_accessible(axe_report, page, "sign in")
    page.get_by_label("Username").fill(e2e_coordinator.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's ErrorSummary ran: app.js works
    assert_accessible(axe_report, page, "sign in with an error")

    sign_in(page, e2e_coordinator)

    # Dashboard
    expect(page).to_have_title("Home \N{EN DASH} Safeguard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your orders at a glance")
    expect(page.locator(".app-figure").first).to_contain_text("4 orders in force")
    deadlines = page.locator("table").first
    expect(deadlines).to_contain_text(e2e_cases.notification_overdue.reference)
    expect(deadlines).to_contain_text("Overdue")
    assert_accessible(axe_report, page, "dashboard")

    # The list, filtered to SPOs in force
    menu(page).get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orders")
    expect(page.get_by_text("Showing 1 to 6 of 6 orders")).to_be_visible()
    page.get_by_label("Order type").select_option(label="Stalking Protection Order")
    page.get_by_label("State").select_option(label="In force")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"order_type=spo&state=in_force"))
    expect(page.get_by_text("Showing 1 to 3 of 3 orders")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row).to_contain_text("In force")
        expect(row).to_contain_text("Stalking Protection Order")
    assert_accessible(axe_report, page, "order list")

    # One order: its conditions and the notification deadline
    order = e2e_cases.served_recently
    page.get_by_role("link", name=order.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.reference)
    conditions = page.locator("#conditions ~ table").first
    expect(conditions).to_contain_text("Not to contact the protected person")
    expect(page.get_by_text(builders.EXCLUSION.necessity)).to_be_visible()
    due = order.notifications.get().due_at.astimezone(builders.LONDON)
    notifications = page.locator("#notifications + table")
    expect(notifications).to_contain_text("Initial notification")
    expect(notifications).to_contain_text(f"{due:%-d %B %Y} at {due:%H:%M}")
    expect(notifications.locator(".govuk-tag")).to_have_text("Due")
    assert_accessible(axe_report, page, "order detail")

    # Back to the dashboard for its picture in the README (only when asked).
    if SCREENSHOTS:
        page.set_viewport_size(VIEWPORT)
        menu(page).get_by_role("link", name="Home").click()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "dashboard.png"))

    # Sign out
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")


def test_not_found_page_is_accessible_and_says_nothing_of_the_request(
    page: Page, axe_report: AxeReport, e2e_coordinator
):
    sign_in(page, e2e_coordinator)
    response = page.goto("/orders/999999/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(axe_report, page, "page not found")
