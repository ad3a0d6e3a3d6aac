"""An SPO application from the coordinator's work queue to the court's order, in two browsers:

the coordinator builds the application (the three statutory tests with their evidence, the
victim's views, a condition with its necessity, the court and hearing date), checks the answers
and sends it for legal review; the legal adviser sends it back with changes; the coordinator
puts them right and sends it again; the adviser approves it (the application is made to the
court) and records the hearing: granted as asked. Each person signs in once, with their
password and second factor. Every page visited passes axe-core's WCAG 2.x A/AA rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from safeguard.access import otp
from safeguard.access.models import Role, User
from safeguard.orders import services
from safeguard.orders.models import Order, Outcome
from safeguard.reports.models import PartyRole, Report, ReportParty
from safeguard.rules.orders import State
from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS, VIEWPORT, AxeReport, sign_in
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def check(axe: AxeReport, page: Page, name: str) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


@pytest.fixture
def adviser_page(browser: Browser, live_server) -> Iterator[Page]:
    """The legal adviser's own browser."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def e2e_legal(force) -> User:
    user = User.objects.create_user(
        username="legal",
        password=PASSWORD,
        role=Role.LEGAL,
        force=force,
        first_name="Lena",
        last_name="Adler",
    )
    otp.provision_totp(user)
    return user


@pytest.fixture
def draft(force, e2e_coordinator, make_person) -> Order:
    defendant = make_person(force, "Daniel", "Reeve")
    victim = make_person(force, "Vicky", "Marsh")
    reports = []
    for reference, days, summary in (
        ("NFK-24-1001", 60, "Sent 140 messages in three weeks after she asked him to stop"),
        ("NFK-24-1187", 20, "Waited outside her workplace on six mornings"),
    ):
        report = Report.objects.create(
            force=force,
            reference=reference,
            offence_code="8Q",
            reported_at=timezone.now() - dt.timedelta(days=days),
            occurred_from=timezone.localdate() - dt.timedelta(days=days),
            summary=summary,
        )
        ReportParty.objects.create(report=report, person=victim, role=PartyRole.VICTIM)
        ReportParty.objects.create(report=report, person=defendant, role=PartyRole.SUSPECT)
        reports.append(report)
    return services.create_order(
        force=force,
        order_type="spo",
        defendant=defendant,
        protected_persons=[victim],
        by=e2e_coordinator,
        reports=reports,
        officer=e2e_coordinator,
    )


def open_task(page: Page, name: str) -> None:
    page.locator(".govuk-task-list").get_by_role("link", name=name).click()


def status_of(page: Page, name: str):
    item = page.locator(".govuk-task-list__item", has_text=name)
    return item.locator(".govuk-task-list__status")


def test_application_from_work_queue_to_order(
    page: Page,
    adviser_page: Page,
    axe_report: AxeReport,
    e2e_coordinator: User,
    e2e_legal: User,
    draft: Order,
):
    coordinator, adviser = page, adviser_page

    # --- The coordinator: work queue to the task list ------------------------------------
    sign_in(coordinator, e2e_coordinator)
    menu(coordinator).get_by_role("link", name="Work queue").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Work queue")
    check(axe_report, coordinator, "work queue")
    coordinator.locator("#drafts ~ table").first.get_by_role("link", name=draft.reference).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Stalking Protection Order application"
    )
    expect(status_of(coordinator, "Test 1")).to_have_text("Not started")
    expect(status_of(coordinator, "Check your answers")).to_have_text("Cannot start yet")
    check(axe_report, coordinator, "application task list")

    # The three statutory tests, with the evidence and the reports it relies on
    evidence = {
        1: "Sent 140 messages and waited outside her workplace on six mornings",
        2: "S-DASH high risk; the contact escalated after she moved house",
        3: "A warning in January did not stop him; only an order with conditions will",
    }
    for number, text in evidence.items():
        open_task(coordinator, f"Test {number}")
        if number == 1:
            # Saved empty first: the error summary names the fix and links to the field
            coordinator.get_by_role("button", name="Save and return to the task list").click()
            summary = coordinator.locator(".govuk-error-summary")
            expect(summary).to_contain_text("Enter the evidence for this test")
            expect(summary).to_be_focused()
            check(axe_report, coordinator, "test evidence with an error")
        coordinator.get_by_label("Evidence for this test").fill(text)
        coordinator.get_by_label(re.compile("NFK-24-1001")).check()
        coordinator.get_by_role("button", name="Save and return to the task list").click()
        expect(status_of(coordinator, f"Test {number}")).to_have_text("Completed")

    # The chronology, drawn from the linked reports
    open_task(coordinator, "Chronology of incidents")
    rows = coordinator.locator("tbody tr")
    expect(rows.first).to_contain_text("NFK-24-1001")
    expect(rows.nth(1)).to_contain_text("NFK-24-1187")
    check(axe_report, coordinator, "chronology")
    coordinator.get_by_role("link", name="Return to the task list").click()

    open_task(coordinator, "The victim's views")
    coordinator.get_by_label(re.compile("victim's views")).fill(
        "She supports the application and wants him kept away from her workplace"
    )
    check(axe_report, coordinator, "victim's views")
    coordinator.get_by_role("button", name="Save and return to the task list").click()

    # A prohibition: refused without a necessity justification (s.2(2)), then added with one
    open_task(coordinator, "Prohibitions and requirements")
    coordinator.get_by_role("link", name="Add a prohibition or requirement").click()
    coordinator.get_by_label(re.compile("Not to contact the protected person by any means")).check()
    coordinator.get_by_role("button", name="Add this condition").click()
    expect(coordinator.locator(".govuk-error-summary")).to_contain_text(
        "Explain why this condition is necessary to protect the person"
    )
    check(axe_report, coordinator, "add a condition with an error")
    coordinator.get_by_label("Why is this condition necessary to protect the person?").fill(
        "He contacted her every day after being told to stop"
    )
    coordinator.get_by_role("button", name="Add this condition").click()
    expect(coordinator.locator(".govuk-summary-list")).to_contain_text(
        "He contacted her every day after being told to stop"
    )
    check(axe_report, coordinator, "conditions")
    coordinator.get_by_role("link", name="Return to the task list").click()
    expect(status_of(coordinator, "Prohibitions and requirements")).to_have_text("Completed")

    # The court and the hearing date (a three-part date input)
    hearing_day = timezone.localdate() + dt.timedelta(days=10)
    open_task(coordinator, "Court and hearing date")
    coordinator.get_by_label("Magistrates' court").fill("Norwich Magistrates' Court")
    coordinator.get_by_label("Day").fill(str(hearing_day.day))
    coordinator.get_by_label("Month").fill(str(hearing_day.month))
    coordinator.get_by_label("Year").fill(str(hearing_day.year))
    coordinator.get_by_label("Hearing time").fill("10:00")
    check(axe_report, coordinator, "court and hearing date")
    coordinator.get_by_role("button", name="Save and return to the task list").click()
    expect(status_of(coordinator, "Court and hearing date")).to_have_text("Completed")
    shot(coordinator, "application-task-list")

    # Check your answers, and send for legal review
    open_task(coordinator, "Check your answers and send for legal review")
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    expect(coordinator.locator("main")).to_contain_text(evidence[2])
    expect(coordinator.locator("main")).to_contain_text(f"10:00 on {hearing_day:%A} ")
    check(axe_report, coordinator, "check your answers")
    shot(coordinator, "application-check-answers")
    coordinator.get_by_role("button", name="Send for legal review").click()
    expect(coordinator.locator(".govuk-notification-banner")).to_contain_text(
        "has been sent to the legal adviser"
    )
    expect(status_of(coordinator, "Check your answers")).to_have_text("With legal adviser")

    # --- The legal adviser: changes needed ------------------------------------------------
    sign_in(adviser, e2e_legal)
    menu(adviser).get_by_role("link", name="Legal review").click()
    expect(adviser.get_by_role("heading", level=1)).to_have_text("Applications for legal review")
    check(axe_report, adviser, "legal review queue")
    adviser.get_by_role("link", name=draft.reference).click()
    expect(adviser.locator("main")).to_contain_text(evidence[3])
    adviser.get_by_label("Send it back with changes needed").check()
    adviser.get_by_role("button", name="Confirm decision").click()
    expect(adviser.locator(".govuk-error-summary")).to_contain_text("Say what needs to change")
    check(axe_report, adviser, "legal review with an error")
    adviser.get_by_label("Comments").fill("Test 2: give the S-DASH score and the date it was done")
    adviser.get_by_role("button", name="Confirm decision").click()
    expect(adviser.locator(".govuk-notification-banner")).to_contain_text(
        "sent back to the coordinator"
    )

    # --- The coordinator puts it right ----------------------------------------------------
    menu(coordinator).get_by_role("link", name="Work queue").click()
    coordinator.locator("#returned ~ table").first.get_by_role("link", name=draft.reference).click()
    expect(coordinator.locator(".govuk-notification-banner")).to_contain_text(
        "Test 2: give the S-DASH score"
    )
    check(axe_report, coordinator, "task list with changes requested")
    open_task(coordinator, "Test 2")
    coordinator.get_by_label("Evidence for this test").fill(
        "S-DASH high risk (score 14, 3 March); the contact escalated after she moved house"
    )
    coordinator.get_by_role("button", name="Save and return to the task list").click()
    open_task(coordinator, "Check your answers and send for legal review")
    coordinator.get_by_role("button", name="Send for legal review").click()
    expect(status_of(coordinator, "Check your answers")).to_have_text("With legal adviser")

    # --- The adviser approves: the application is made to the court ------------------------
    menu(adviser).get_by_role("link", name="Legal review").click()
    adviser.get_by_role("link", name=draft.reference).click()
    expect(adviser.locator("main")).to_contain_text("score 14, 3 March")
    expect(adviser.locator("main")).to_contain_text("Changes requested")  # the earlier review
    check(axe_report, adviser, "legal review")
    shot(adviser, "application-legal-review")
    adviser.get_by_label("Approve: make the application to the court").check()
    adviser.get_by_role("button", name="Confirm decision").click()
    expect(adviser.locator(".govuk-notification-banner")).to_contain_text(
        "has been made to the court"
    )
    draft.refresh_from_db()
    assert draft.state == State.APPLIED

    # --- The hearing: granted as asked ----------------------------------------------------
    adviser.goto(f"/orders/{draft.pk}/")
    adviser.get_by_role("link", name="Record the hearing").click()
    expect(adviser.get_by_role("heading", level=1)).to_have_text("Record the hearing")
    check(axe_report, adviser, "record the hearing")
    adviser.get_by_label("Granted as asked").check()
    decided = adviser.get_by_role("group", name="Date of the decision")
    decided.get_by_label("Day").fill(str(hearing_day.day))
    decided.get_by_label("Month").fill(str(hearing_day.month))
    decided.get_by_label("Year").fill(str(hearing_day.year))
    adviser.get_by_label("Time of the decision").fill("11:45")
    adviser.get_by_role("button", name="Record the outcome").click()
    summary = adviser.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date of the decision must be today or in the past")
    expect(summary).to_contain_text("Select how long the order lasts")
    check(axe_report, adviser, "record the hearing with errors")
    # The court heard it early: today
    today = timezone.localdate()
    decided.get_by_label("Day").fill(str(today.day))
    decided.get_by_label("Month").fill(str(today.month))
    decided.get_by_label("Year").fill(str(today.year))
    adviser.get_by_label("Until further order").check()
    shot(adviser, "application-hearing")
    adviser.get_by_role("button", name="Record the outcome").click()
    expect(adviser.locator(".govuk-notification-banner")).to_contain_text(
        f"Hearing outcome recorded for {draft.reference}: Stalking Protection Order made on "
        f"{today.day} {today:%B %Y}, until further order"
    )
    expect(adviser.get_by_role("heading", level=1)).to_contain_text("In force")
    expect(adviser.locator("#hearings + table")).to_contain_text("Granted as asked")
    check(axe_report, adviser, "order made")
    draft.refresh_from_db()
    assert draft.state == State.IN_FORCE
    assert draft.until_further_order
    assert draft.hearings.get().outcome == Outcome.GRANTED
