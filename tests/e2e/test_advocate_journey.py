"""A coordinator links a victim advocate to an SPO; the advocate signs in (with their second
factor) and finds the case on "Your cases": its status, conditions, expiry and breaches in plain
language for safety planning, and nothing else. Every page passes axe-core's WCAG 2.x A/AA
rules."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from safeguard.access import otp
from safeguard.access.models import Role, User
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
def e2e_advocate(force) -> User:
    user = User.objects.create_user(
        username="advocate",
        password=PASSWORD,
        role=Role.ADVOCATE,
        force=force,
        first_name="Jo",
        last_name="Bright",
    )
    otp.provision_totp(user)
    return user


def test_a_linked_advocate_sees_the_case_for_safety_planning(
    page: Page,
    axe_report: AxeReport,
    e2e_coordinator,
    e2e_advocate,
    e2e_cases: builders.Cases,
):
    order = e2e_cases.notification_overdue  # in force, with a breach
    victim = order.protected_persons.get()

    # The coordinator links the advocate to the order.
    sign_in(page, e2e_coordinator)
    page.goto(f"/orders/{order.pk}/")
    expect(page.get_by_role("heading", name="Victim advocates")).to_be_visible()
    expect(page.get_by_text("No victim advocate is linked to this order")).to_be_visible()
    assert_accessible(axe_report, page, "order with no advocate")
    page.get_by_role("link", name="Link a victim advocate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link a victim advocate")
    assert_accessible(axe_report, page, "link an advocate")
    page.get_by_role("button", name="Link advocate").click()  # nothing chosen
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the advocate to link to this order")
    expect(summary).to_be_focused()
    assert_accessible(axe_report, page, "link an advocate with an error")
    page.get_by_label("Which advocate supports the person this order protects?").select_option(
        label="Jo Bright"
    )
    page.get_by_role("button", name="Link advocate").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Jo Bright is linked to {order.reference}"
    )
    expect(page.locator(".govuk-summary-list__key", has_text="Jo Bright")).to_be_visible()
    assert_accessible(axe_report, page, "order with an advocate")
    page.get_by_role("button", name="Sign out").click()

    # The advocate signs in and lands on "Your cases".
    sign_in(page, e2e_advocate)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cases")
    expect(menu(page).get_by_role("link", name="Your cases")).to_have_attribute(
        "aria-current", "page"
    )
    card = page.locator(".govuk-summary-card", has_text=order.reference)
    expect(card).to_contain_text("The order is in force")
    expect(card).to_contain_text(victim.full_name)
    expect(card).to_contain_text("The defendant must not:")
    expect(card).to_contain_text("Not to contact the protected person")
    expect(card).to_contain_text("1 breach reported")
    expect(card).to_contain_text("Sent a message through a friend's social media account")
    expect(card).to_contain_text("Until further order")
    expect(page.locator(".govuk-summary-card")).to_have_count(1)  # their one linked case
    assert_accessible(axe_report, page, "your cases")
    if SCREENSHOTS:
        page.set_viewport_size(VIEWPORT)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "advocate-your-cases.png"), full_page=True)

    # The order's safety-planning view: no evidence, no notifications, no reports.
    card.get_by_role("link", name="View the order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.reference)
    expect(page.get_by_text("This page shows what your role needs from this order")).to_be_visible()
    expect(page.get_by_text(builders.NO_CONTACT.necessity)).to_have_count(0)
    expect(page.get_by_role("heading", name="Notifications")).to_have_count(0)
    assert_accessible(axe_report, page, "advocate's order view")

    # Another order of the force is simply not there for them.
    response = page.goto(f"/orders/{e2e_cases.served_recently.pk}/")
    assert response is not None
    assert response.status == 404
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
