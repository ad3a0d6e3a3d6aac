"""After the order, in a real browser: a coordinator records the service of an SPO, sees the
initial notification overdue (red, impossible to miss), records it made late, records a breach
with a new crime report and its outcome, applies to vary the order and records the court's
decision. Every page passes axe-core's WCAG 2.x A/AA rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguard.orders.models import Order
from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS, AxeReport, sign_in
from tests.web import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def check(axe: AxeReport, page: Page, name: str) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def fill_date(page: Page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


@pytest.fixture
def unserved_spo(force, team, e2e_coordinator, make_person) -> Order:
    today = timezone.localdate()
    return builders.spo_in_force(
        force,
        make_person(force, "Nathan", "Cole"),
        make_person(force, "Rosa", "Cole"),
        made_on=today - dt.timedelta(days=6),
        conditions=(builders.NO_CONTACT, builders.EXCLUSION),
        officer=e2e_coordinator,
        team=team,
    )


def test_serve_notify_breach_and_vary_an_spo(
    page: Page, axe_report: AxeReport, e2e_coordinator, unserved_spo: Order
):
    order = unserved_spo
    today = timezone.localdate()
    sign_in(page, e2e_coordinator, start=f"/orders/{order.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.reference)
    expect(page.locator("#notifications ~ p").first).to_contain_text("No notification is due")
    check(axe_report, page, "order before service")

    # Service, five days ago: the 3-day initial notification is then already overdue.
    page.get_by_role("link", name=re.compile("Record service")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record service")
    page.get_by_role("button", name="Record service").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the date it was served")
    expect(summary).to_contain_text("Choose how the order was served")
    check(axe_report, page, "record service with errors")
    served = today - dt.timedelta(days=5)
    fill_date(page, "served_on", served)
    page.get_by_label("Time served").fill("10:30")
    page.get_by_label("In person").check()
    page.get_by_label("Served by").fill("PC 1234 Sam Okafor")
    check(axe_report, page, "record service")
    page.get_by_role("button", name="Record service").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Service of")
    banner = page.locator("#overdue-alert")
    expect(banner).to_contain_text("The defendant has not made 1 notification in time")
    expect(banner.locator(".govuk-tag--red")).to_have_text("Overdue")
    row = page.locator("#notifications ~ table tbody tr").first
    expect(row).to_contain_text("The defendant must notify by the end of")
    expect(row).to_contain_text("overdue")
    expect(row.locator(".govuk-tag")).to_have_text("Overdue")
    check(axe_report, page, "order with an overdue notification")
    shot(page, "order-overdue-notification")

    # The notification, made today: late.
    row.get_by_role("link", name=re.compile("Record it made")).click()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Overdue. The defendant must notify"
    )
    check(axe_report, page, "record notification")
    fill_date(page, "notified_on", today)
    page.get_by_label("Time notified").fill(f"{timezone.localtime():%H:%M}")
    page.get_by_label("Police station").fill("Norwich, Bethel Street")
    page.get_by_label("Received by").fill("PC 2210 Jo Winters")
    page.get_by_role("button", name="Record the notification").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("made late")
    expect(page.locator("#overdue-alert")).to_have_count(0)
    expect(page.locator("#notifications ~ table .govuk-tag").first).to_have_text("Made late")
    check(axe_report, page, "order after the late notification")

    # A breach, with a new crime report, then its outcome.
    page.get_by_role("link", name="Record a breach").click()
    fill_date(page, "occurred_on", today - dt.timedelta(days=1))
    page.get_by_label("Time of the breach").fill("21:15")
    page.get_by_label("What happened").fill("Sent her a message through a friend's account")
    page.get_by_label("A new report").check()
    page.get_by_label("Crime reference of the new report").fill("NFK-26-BR-001")
    page.get_by_label("Offence").select_option(label="Stalking")
    check(axe_report, page, "record a breach")
    page.get_by_role("button", name="Record the breach").click()
    breaches = page.locator("#breaches + table")
    expect(breaches).to_contain_text("Sent her a message through a friend's account")
    expect(breaches).to_contain_text("Report NFK-26-BR-001")
    expect(breaches).to_contain_text("Under investigation")
    breaches.get_by_role("link", name=re.compile("Record the outcome")).click()
    page.get_by_label("Charged").check()
    check(axe_report, page, "breach outcome")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#breaches + table")).to_contain_text("Charged")

    # Apply to vary: the exclusion zone to be lifted; then the court's decision.
    page.get_by_role("link", name="Apply to vary, renew or discharge the order").click()
    page.get_by_label("Vary").check()
    page.get_by_label("Chief officer of police").check()
    page.get_by_label("Grounds").fill("The protected person has moved out of the area")
    check(axe_report, page, "apply to vary")
    page.get_by_role("button", name="Record the application").click()
    applications = page.locator("#applications + table")
    expect(applications).to_contain_text("Variation by the chief officer of police")
    applications.get_by_role("link", name=re.compile("Record the decision")).click()
    page.get_by_label("Granted").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose a condition removed or a condition added"
    )
    check(axe_report, page, "court decision with errors")
    fill_date(page, "decided_on", today)
    page.get_by_label(re.compile("Not to enter a defined area")).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The court's decision is recorded"
    )
    expect(page.locator("#applications + table")).to_contain_text("Granted as asked")
    conditions = page.locator("#conditions ~ table").first
    expect(conditions).to_contain_text("Removed")
    expect(page.locator("#expiry ~ p").first).to_contain_text("Runs until further order")
    check(axe_report, page, "order after variation")
    shot(page, "order-after-the-order")
