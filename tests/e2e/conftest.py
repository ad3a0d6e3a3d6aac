"""Browser journeys: Playwright (sync API) driving Debian's chromium against pytest-django's
live_server. Playwright never downloads a browser here: it launches /usr/bin/chromium.

axe-core (from npm, node_modules/axe-core) checks each page for WCAG 2.x A/AA failures.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told it is safe (it is: the test thread, not an async view, makes these queries).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, expect, sync_playwright

from safeguard.access import otp
from safeguard.access.models import Role, User
from tests.web import builders
from tests.web.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOTS = os.environ.get("SAFEGUARD_SCREENSHOTS") == "1"
SCREENSHOT_DIR = ROOT / "docs" / "images"


# Package scope: Playwright's event loop stops when the browser tests end, so the rest of the
# suite runs without a running loop.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (make test does this)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm install (make install does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@dataclass
class AxeReport:
    """WCAG 2.x A/AA results of every page checked in the session."""

    pages: list[str] = field(default_factory=list)
    violations: dict[str, list[dict]] = field(default_factory=dict)

    def check(self, page: Page, name: str) -> list[dict]:
        # Evaluated through the DevTools protocol, not added as an inline <script>: the page's
        # Content-Security-Policy (rightly) refuses inline script.
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.evaluate(AXE.read_text())
        result = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
                .then(r => ({violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ")) }))}))""",
            WCAG_TAGS,
        )
        self.pages.append(name)
        self.violations[name] = result["violations"]
        return result["violations"]


_AXE_REPORT = AxeReport()


@pytest.fixture(scope="session")
def axe_report() -> AxeReport:
    return _AXE_REPORT


def pytest_terminal_summary(terminalreporter) -> None:
    report = _AXE_REPORT
    if report.pages:
        failing = [name for name, found in report.violations.items() if found]
        terminalreporter.write_line(
            f"axe-core ({', '.join(WCAG_TAGS)}): checked {len(report.pages)} pages "
            f"({'; '.join(report.pages)}): "
            + (f"violations on {', '.join(failing)}" if failing else "no violations")
        )


def sign_in(page: Page, user: User, start: str = "/") -> None:
    """Sign in as a person would: password, then the code their authenticator app shows (the
    user's device is made for them if they have none)."""
    device = otp.app_device(user) or otp.provision_totp(user)
    page.goto(start)
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor/"))
    page.get_by_label("Code", exact=True).fill(otp.current_code(device))
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def e2e_coordinator(force, team) -> User:
    user = User.objects.create_user(
        username="coordinator",
        password=PASSWORD,
        role=Role.COORDINATOR,
        force=force,
        team=team,
        first_name="Alex",
        last_name="Morgan",
    )
    otp.provision_totp(user)
    return user


@pytest.fixture
def e2e_cases(force, team, make_user, make_person) -> builders.Cases:
    from safeguard.access.models import Team

    other_team = Team.objects.create(force=force, name="Public Protection South")
    names = [
        ("Daniel", "Reeve"),
        ("Vicky", "Marsh"),
        ("Liam", "Carter"),
        ("Sophie", "Hale"),
        ("Marcus", "Bell"),
        ("Hannah", "Price"),
        ("Owen", "Fletcher"),
        ("Grace", "Lowe"),
        ("Connor", "Walsh"),
        ("Emma", "Dixon"),
        ("Ryan", "Moss"),
        ("Chloe", "Ward"),
    ]
    people = [make_person(force, given, surname) for given, surname in names]
    return builders.build_cases(
        force=force,
        team=team,
        officer=make_user(Role.OFFICER, force, team=team, first_name="Sam", last_name="Okafor"),
        other_officer=make_user(Role.OFFICER, force, team=other_team),
        other_team=other_team,
        people=people,
    )
