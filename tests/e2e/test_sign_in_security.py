"""In a real browser: a new user sets up two-factor authentication from the QR page's key and
sees their recovery codes; and every page, the Django admin's included, runs under the
Content-Security-Policy with no violation (scripts still work: GOV.UK Frontend's, the admin's).
"""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from safeguard.access.models import Role, User
from tests.e2e.conftest import AxeReport, sign_in
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs (through the DevTools protocol, so the policy under test
# does not block it): every violation the browser reports is kept for the test to read.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} ${e.sample || ""}`);
});
"""


def watch_csp(page: Page) -> list[str]:
    messages: list[str] = []
    page.add_init_script(WATCH_CSP)
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def assert_accessible(axe: AxeReport, page: Page, name: str) -> None:
    found = axe.check(page, name)
    assert found == [], f"{name}: {found}"


def code_for(secret_text: str) -> str:
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_a_new_user_sets_up_two_factor_and_keeps_their_recovery_codes(
    page: Page, axe_report: AxeReport, force, team
):
    console = watch_csp(page)
    user = User.objects.create_user(
        username="newcomer", password=PASSWORD, role=Role.COORDINATOR, force=force, team=team
    )
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/sign-in/two-factor/set-up/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    qr = page.get_by_role("img", name="QR code that adds Safeguard to an authenticator app")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth > 0", qr.element_handle())  # data: allowed
    assert_accessible(axe_report, page, "two-factor set-up")
    page.get_by_text("If you cannot scan the QR code").click()
    secret = page.locator("#totp-secret").inner_text()

    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend ran under the policy
    assert_accessible(axe_report, page, "two-factor set-up with an error")

    page.wait_for_timeout(1_100)  # django-otp's back-off after a wrong code: 1 second
    page.get_by_label("Code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(axe_report, page, "recovery codes")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your orders at a glance")

    assert violations(page) == []
    assert console == []


def test_the_second_factor_page_is_accessible(page: Page, axe_report: AxeReport, e2e_coordinator):
    watch_csp(page)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(e2e_coordinator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(axe_report, page, "second factor")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(axe_report, page, "second factor with an error")
    assert violations(page) == []


def test_the_admin_works_under_the_content_security_policy(page: Page, force, team):
    console = watch_csp(page)
    administrator = User.objects.create_user(
        username="administrator",
        password=PASSWORD,
        role=Role.FORCE_ADMIN,
        force=force,
        is_staff=True,
        is_superuser=True,
    )
    sign_in(page, administrator, start="/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    checked, found = ["/admin/"], violations(page)
    for path in (
        "/admin/access/user/",
        f"/admin/access/user/{administrator.pk}/change/",
        "/admin/access/user/add/",
        "/admin/access/force/",
        "/admin/otp_totp/totpdevice/",
        "/admin/axes/accessattempt/",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        checked.append(path)
        found += violations(page)
    # The admin's own scripts run: "select all" on the user list ticks every row (actions.js).
    page.goto("/admin/access/user/")
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select").first).to_be_checked()
    found += violations(page)
    print(f"\nadmin under the CSP: {len(checked)} pages, {len(found) + len(console)} violations")
    assert found == []
    assert console == []
