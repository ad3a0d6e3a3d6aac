"""An analyst reads the force dashboard (charts drawn by Chart.js from the JSON endpoint, each
with its table), the national league table and the definitions, then exports figures for an FOI
answer. Every page passes axe-core's WCAG 2.x A/AA rules, and the browser reports no
Content-Security-Policy violation (no inline script or style, no eval)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safeguard.access.models import Role
from safeguard.oversight.opendata import SHIPPED_DIR
from safeguard.oversight.services import load_file
from tests.e2e.conftest import AxeReport, sign_in
from tests.oversight.conftest import build_dataset

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("SAFEGUARD_OVERSIGHT_SCREENSHOTS", "")


@pytest.fixture
def analyst(force, other_force, make_user, make_person):
    build_dataset(force, other_force, make_person)
    for name in (
        "spo-bbc-sdu-2021/spo_foi_by_force_2020-2021.csv",
        "spo-bbc-sdu-2021/stalking_offences_by_force_2015-2021.csv",
        "ons-pfa-tables/pfatablesdec19.xlsx",
    ):
        load_file(SHIPPED_DIR / name)
    return make_user(Role.ANALYST, force, first_name="Ana", last_name="Lyst")


def check(axe: AxeReport, page: Page, name: str) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"


def test_analyst_reads_dashboards_and_exports(page: Page, axe_report: AxeReport, analyst):
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    sign_in(page, analyst, start="/oversight/")
    page.goto("/oversight/?date_from=2021-01-01&date_to=2021-06-30&by=quarter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stalking Protection Orders in Norfolk"
    )
    expect(page.locator("html[data-charts-drawn='true']")).to_have_count(1)
    for chart in ("reports", "spo-trend", "funnel", "families", "notifications", "national"):
        expect(page.locator(f"canvas[data-chart='{chart}'][data-drawn='true']")).to_have_count(1)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/oversight-dashboard.png", full_page=True)
    check(axe_report, page, "oversight dashboard")

    # Each chart's table alternative, through the GOV.UK tabs.
    reports = page.locator("#reports")
    reports.get_by_role("tab", name="Table").click()
    table = reports.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_contain_text("Jan to Mar 2021")
    expect(table.locator("tbody tr").first).to_contain_text("3")
    check(axe_report, page, "oversight dashboard, table tab")

    # The national league table.
    page.get_by_role("navigation", name="Oversight").get_by_role(
        "link", name="National league table"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stalking Protection Orders by police force"
    )
    expect(page.locator("canvas[data-chart='league'][data-drawn='true']")).to_have_count(1)
    every = page.locator("table.app-league")
    norfolk = every.locator("tr", has_text="Norfolk")
    expect(norfolk).to_contain_text("Your force")
    expect(every.locator("tr", has_text="Lincolnshire")).to_contain_text("Did not answer")
    expect(every.locator("tfoot")).to_contain_text("427")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/oversight-league.png", full_page=True)
    check(axe_report, page, "national league table")
    every.get_by_role("link", name="SPOs applied for").click()
    expect(every.locator("th[aria-sort='ascending']")).to_contain_text("SPOs applied for")

    page.get_by_role("navigation", name="Oversight").get_by_role("link", name="Definitions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How each figure is defined")
    check(axe_report, page, "oversight definitions")

    # Export for an FOI answer: XLSX, logged with its reason.
    page.goto("/oversight/export/?date_from=2021-01-01&date_to=2021-06-30&by=quarter")
    check(axe_report, page, "oversight export")
    page.get_by_role("button", name="Export").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are exporting")
    check(axe_report, page, "oversight export with an error")
    page.get_by_label("Why are you exporting these figures?").fill("FOI 2021/0042")
    page.get_by_label("Excel workbook (XLSX)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames == ["Data", "Metadata"]
    assert refused == [], refused
