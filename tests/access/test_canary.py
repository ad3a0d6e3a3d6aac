"""The canary leak test: a victim's address, phone and e-mail (unique canary strings) must reach
no one who has not revealed them, with a reason, under a role that may.

As every role, and as users of the same roles out of reach (another team, another force), crawl
every page reachable from the URL conf: each named URL with every record of the world as its
argument, then every link those pages give, and POST every reveal form. Look for the canaries in
every response body and header, in every log record (root logger at DEBUG, SQL included), in the
audit trail, in everything printed, and in every e-mail sent. Then, as a role with the right,
reveal with a reason: the canary is on that response only, and gone again on the next page.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from safeguard.access.models import AuditEvent, AuditKind, Role
from safeguard.people.models import DetailKind, ProtectedDetail
from safeguard.reports.models import Report
from tests.access.test_permissions_urls import (
    NO_RECORD_PAGES,
    PAGES,
    api_detail_page,
    api_pages,
    grant_admin_view,
    subjects,
)
from tests.web.world import (
    CANARIES,
    CANARY_ADDRESS,
    CANARY_POSTCODE,
    World,
    admin_model_names,
    build_world,
    make_user,
)

SITE_URLS = "tests.web.urls"
RESTRICTED_ADMIN_URLS = "tests.web.urls_restricted_admin"
MAX_PAGES_PER_USER = 600
LINK = re.compile(r'(?:href|action)="([^"#]*)"')
SKIP = ("/static/", "/sign-out/", "/admin/logout/")


@dataclass
class Findings:
    responses: int = 0
    bytes: int = 0
    leaks: list[str] = field(default_factory=list)
    canaries: tuple[str, ...] = CANARIES

    def look(self, where: str, text: str) -> None:
        for canary in self.canaries:
            if canary.lower() in text.lower():
                self.leaks.append(f"{canary!r} in {where}")


def seeds(world: World, urlconf: str, *, admin: bool) -> list[str]:
    """Every page of the URL conf with every record of the world, the REST API's lists and
    records included, and (for the admin) every case model's pages."""
    urls = ["/"]
    for name, arg_lists in NO_RECORD_PAGES.items():
        urls += [reverse(name, args=args, urlconf=urlconf) for args in arg_lists]
    for name, page in PAGES.items():
        urls += [reverse(name, args=a, urlconf=urlconf) for _, a in subjects(world, page.subject)]
    lists, retrieves, _ = api_pages(urlconf)
    urls += [reverse(name, urlconf=urlconf) for name in lists]
    for name, basename in retrieves.items():
        _, records = api_detail_page(world, basename)
        urls += [reverse(name, args=args, urlconf=urlconf) for _, args in records]
    if admin:
        urls.append("/admin/")
        for name, model in admin_model_names(urlconf).items():
            if name.endswith(("_changelist", "_add")):
                urls.append(reverse(name, urlconf=urlconf))
            else:
                for obj in model._default_manager.order_by("pk")[:6]:
                    with contextlib.suppress(NoReverseMatch):
                        urls.append(reverse(name, args=[obj.pk], urlconf=urlconf))
    return urls


def crawl(client: Client, start: list[str], findings: Findings, *, admin: bool) -> set[str]:
    seen: set[str] = set()
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES_PER_USER:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP) or (url.startswith("/admin/") and not admin):
            continue
        seen.add(url)
        response = client.get(url)
        body = response.content.decode(errors="replace")
        findings.responses += 1
        findings.bytes += len(body)
        findings.look(f"GET {url} ({response.status_code})", body)
        findings.look(f"headers of {url}", str(dict(response.headers)))
        for href in LINK.findall(body):
            href = html.unescape(href)
            if not href.startswith("/"):
                continue
            if href.startswith("/admin/"):
                href = href.split("?")[0]  # filters and sorting multiply admin lists endlessly
            if href not in seen:
                queue.append(href)
    return seen


def post_reveals(client: Client, world: World, urlconf: str, findings: Findings) -> None:
    """Ask to reveal every protected detail, on the web page and through the REST API."""
    api_reveal = "/api/v1/people/{}/protected-details/{}/reveal/"
    for _, args in subjects(world, "detail"):
        for url, kwargs in (
            (reverse("person-reveal", args=args, urlconf=urlconf), {}),
            (api_reveal.format(*args), {"content_type": "application/json"}),
        ):
            data = {"reason": "other", "explanation": "Canary test"}
            if kwargs:
                data = json.dumps(data)  # type: ignore[assignment]
            response = client.post(url, data, **kwargs)
            findings.responses += 1
            findings.look(f"POST {url} ({response.status_code})", response.content.decode())
            findings.look(f"headers of POST {url}", str(dict(response.headers)))


def crawlers(world: World) -> dict[str, Any]:
    """Every role of the victim's force, and the same roles where the victim is out of reach."""
    users: dict[str, Any] = dict(world.users)
    users["officer of another team"] = make_user(
        Role.OFFICER, world.force, team=world.cases["other"].order.team
    )
    for role in (Role.OFFICER, Role.COORDINATOR, Role.SUPERVISOR, Role.FORCE_ADMIN):
        users[f"{role} of another force"] = make_user(
            role, world.far_force, is_staff=role == Role.FORCE_ADMIN
        )
    return users


# Roles that may reveal the canary victim's details: they still see them masked unless they do.
MAY_REVEAL = {Role.OFFICER, Role.COORDINATOR, Role.SUPERVISOR}


def run_crawl(
    world: World,
    sign_in,
    urlconf: str,
    *,
    admin: bool,
    caplog,
    capsys,
    mailoutbox,
    staff_only: bool = False,
):
    findings = Findings()
    users = crawlers(world)
    if staff_only:  # only staff reach the admin: the others are sent to its sign-in page
        users = {label: u for label, u in users.items() if u.is_staff}
    grant_admin_view(world.users[Role.FORCE_ADMIN])
    start = seeds(world, urlconf, admin=admin)
    if staff_only:
        start = [url for url in start if url.startswith("/admin/")]
    caplog.set_level(logging.DEBUG)
    for name in ("django.db.backends", "django.request", "django.security"):
        caplog.set_level(logging.DEBUG, logger=name)  # Django's own loggers stop at INFO
    connection.force_debug_cursor = True  # every SQL statement and its parameters is logged
    try:
        if not staff_only:
            crawl(Client(), start, findings, admin=admin)  # not signed in
        for label, user in users.items():
            client = Client()
            sign_in(client, type(user).objects.get(pk=user.pk))
            crawl(client, start, findings, admin=admin)
            if label not in MAY_REVEAL:
                post_reveals(client, world, urlconf, findings)
    finally:
        connection.force_debug_cursor = False
    for record in caplog.records:
        findings.look(f"log record {record.name}", record.getMessage())
    printed = capsys.readouterr()
    findings.look("stdout", printed.out)
    findings.look("stderr", printed.err)
    for message in mailoutbox:
        findings.look(f"e-mail {message.subject!r}", f"{message.subject}\n{message.body}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT purpose || ' ' || coalesce(changes::text, '') FROM access_auditevent"
        )
        for (text,) in cursor.fetchall():
            findings.look("the audit trail", text)
    return findings, users, len(caplog.records), len(mailoutbox)


@pytest.mark.django_db
@pytest.mark.urls(SITE_URLS)
def test_canary_reaches_no_one_without_a_reveal(sign_in, caplog, capsys, mailoutbox):
    world = build_world()
    findings, users, logs, mails = run_crawl(
        world, sign_in, SITE_URLS, admin=False, caplog=caplog, capsys=capsys, mailoutbox=mailoutbox
    )
    print(
        f"\ncanary leak test (site): {len(users) + 1} users incl. anonymous, "
        f"{findings.responses} responses ({findings.bytes:,} characters), {logs} log records, "
        f"{mails} e-mails: {len(findings.leaks)} occurrences"
    )
    assert findings.leaks == []


@pytest.mark.django_db
@pytest.mark.urls(RESTRICTED_ADMIN_URLS)
def test_canary_reaches_no_one_through_the_restricted_admin(sign_in, caplog, capsys, mailoutbox):
    world = build_world()
    findings, users, logs, mails = run_crawl(
        world,
        sign_in,
        RESTRICTED_ADMIN_URLS,
        admin=True,
        caplog=caplog,
        capsys=capsys,
        mailoutbox=mailoutbox,
    )
    print(
        f"\ncanary leak test (site and admin with RestrictedAdminMixin): {len(users) + 1} users, "
        f"{findings.responses} responses, {logs} log records, {mails} e-mails: "
        f"{len(findings.leaks)} occurrences"
    )
    assert findings.leaks == []


@pytest.mark.django_db
@pytest.mark.urls(SITE_URLS)
def test_canary_reaches_no_one_through_the_admin_as_wired(sign_in, caplog, capsys, mailoutbox):
    world = build_world()
    findings, users, *_ = run_crawl(
        world,
        sign_in,
        SITE_URLS,
        admin=True,
        caplog=caplog,
        capsys=capsys,
        mailoutbox=mailoutbox,
        staff_only=True,
    )
    print(
        f"\ncanary leak test (admin as wired, staff users): {len(users)} users, "
        f"{findings.responses} responses: {len(findings.leaks)} occurrences"
    )
    assert findings.leaks == []


@pytest.mark.django_db
@pytest.mark.urls(SITE_URLS)
def test_a_role_with_the_right_sees_the_canary_only_after_a_reveal_with_a_reason(sign_in, caplog):
    world = build_world()
    officer = world.users[Role.OFFICER]
    victim = world.cases["in"].victim
    address = ProtectedDetail.objects.get(person=victim, kind=DetailKind.HOME_ADDRESS)
    client = Client()
    sign_in(client, officer)
    caplog.set_level(logging.DEBUG)

    page = client.get(reverse("person-detail", args=[victim.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert CANARY_ADDRESS not in body
    assert "Home address" in body
    assert "hidden" in body
    assert "Reveal" in body

    url = reverse("person-reveal", args=[victim.pk, address.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert CANARY_ADDRESS not in form.content.decode()
    no_reason = client.post(url, {})
    assert no_reason.status_code == 200
    assert CANARY_ADDRESS not in no_reason.content.decode()
    assert "Select why you need to see this detail" in no_reason.content.decode()

    revealed = client.post(url, {"reason": "safety_visit", "explanation": "Home visit today"})
    assert revealed.status_code == 200
    assert CANARY_ADDRESS in revealed.content.decode()
    assert CANARY_POSTCODE in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    event = AuditEvent.objects.filter(kind=AuditKind.REVEAL).latest("id")
    assert event.actor_id == officer.pk
    assert event.object_id == str(address.pk)
    assert "safety_visit" in event.purpose
    assert "Home visit today" in event.purpose
    assert CANARY_ADDRESS not in event.purpose

    again = client.get(reverse("person-detail", args=[victim.pk]))
    assert CANARY_ADDRESS not in again.content.decode()
    assert not any(CANARY_ADDRESS in r.getMessage() for r in caplog.records)
    print("\ncanary with the right: hidden before, shown on the reveal's response only, logged")


# --- A victim's address typed into the report-recording pages (issue 4) ---------------------

# Planted by typing, not in the world: it lives only in what the officer types, the session draft
# between pages, and then the protected detail the report creates.
TYPED_ADDRESS = "9 Marigold Tinderbox Yard, Dereham"
TYPED_POSTCODE = "NR19 4QZ"
TYPED = (TYPED_ADDRESS, TYPED_POSTCODE, "Marigold Tinderbox")

CASE_WORK_PAGES = (
    "report-detail",
    "report-refer",
    "application-builder",
    "application-check",
    "application-hearing",
    "legal-review",
    "order-service",
    "order-breach-new",
    "order-court-application",
    "order-advocates",
    "notice-detail",
    "notice-countdown",
)
CASE_WORK_LISTS = (
    "search",
    "application-work-queue",
    "legal-review-queue",
    "report-list",
    "referral-list",
    "report-new",
    "report-new-check",
    "notice-new",
)


@pytest.mark.django_db
@pytest.mark.urls(SITE_URLS)
def test_the_crawl_starts_from_every_case_work_page():
    """The issue-4 journeys' pages are among the crawl's seeds (with the world's records)."""
    world = build_world()
    start = set(seeds(world, SITE_URLS, admin=False))
    order, report = world.cases["in"].order, world.cases["in"].report
    for name in CASE_WORK_PAGES:
        arg = report.pk if name.startswith("report-") else order.pk
        assert reverse(name, args=[arg], urlconf=SITE_URLS) in start, name
    for name in CASE_WORK_LISTS:
        assert reverse(name, urlconf=SITE_URLS) in start, name


def _session_text() -> str:
    from safeguard.access.sessions.models import UserSession

    return "\n".join(
        f"{s.session_data}\n{json.dumps(s.get_decoded(), default=str)}"
        for s in UserSession.objects.all()
    )


@pytest.mark.django_db
@pytest.mark.urls(SITE_URLS)
def test_an_address_typed_into_a_report_reaches_no_page_session_or_log(
    sign_in, caplog, capsys, mailoutbox
):
    from tests.reports.test_case_pages import errors, offence_data, party_data, risk_data, step

    world = build_world()
    officer = world.users[Role.OFFICER]
    findings = Findings(canaries=TYPED)
    caplog.set_level(logging.DEBUG)
    for name in ("django.db.backends", "django.request", "django.security"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True
    client = Client()
    sign_in(client, officer)
    try:
        client.post(reverse("report-new"))
        pages = (
            ("offence", offence_data(reference="NOR-TYPED-1")),
            (
                "victim",
                party_data("Tamsin", "Typed", address=TYPED_ADDRESS, postcode=TYPED_POSTCODE),
            ),
            ("suspect", party_data("Simon", "Suspect")),
            ("behaviours", {"behaviours": ["following", "loitering"]}),
            ("risk", risk_data()),
        )
        for name, data in pages:
            response = client.post(step(name), data)
            assert response.status_code == 302, (name, errors(response))
            findings.look(f"POST {name} (headers)", str(dict(response.headers)))
            findings.look(f"session after {name}", _session_text())
        # Going back through the pages and to the check page: the address is "recorded", hidden.
        for name, _ in pages:
            findings.look(f"GET {name}", client.get(step(name)).content.decode())
        findings.look(
            "GET back to the victim page from the check page",
            client.get(step("victim") + "?back=check").content.decode(),
        )
        check = client.get(reverse("report-new-check"))
        assert "Recorded (hidden to protect the person)" in check.content.decode()
        findings.look("GET check", check.content.decode())
        recorded = client.post(reverse("report-new-check"))
        assert recorded.status_code == 302
        findings.look("session after recording", _session_text())
        report = Report.objects.get(reference="NOR-TYPED-1")
        victim = report.report_parties.get(role="victim").person
        detail = ProtectedDetail.objects.get(person=victim, kind=DetailKind.HOME_ADDRESS)
        assert (detail.value, detail.postcode) == (TYPED_ADDRESS, TYPED_POSTCODE)  # kept, encrypted
        # Every page reachable from the new report and its victim, as each role of the force.
        start = [
            reverse("report-detail", args=[report.pk], urlconf=SITE_URLS),
            reverse("person-detail", args=[victim.pk], urlconf=SITE_URLS),
            reverse("report-list", urlconf=SITE_URLS),
            reverse("referral-list", urlconf=SITE_URLS),
            reverse("application-work-queue", urlconf=SITE_URLS),
            "/",
            f"/api/v1/reports/{report.pk}/",
            f"/api/v1/people/{victim.pk}/",
        ]
        for role in (
            Role.OFFICER,
            Role.COORDINATOR,
            Role.SUPERVISOR,
            Role.LEGAL,
            Role.FORCE_ADMIN,
            Role.ADVOCATE,
        ):
            crawler = Client()
            sign_in(crawler, world.users[role])
            crawl(crawler, start, findings, admin=False)
    finally:
        connection.force_debug_cursor = False
    findings.look("session at the end", _session_text())
    for record in caplog.records:
        findings.look(f"log record {record.name}", record.getMessage())
    printed = capsys.readouterr()
    findings.look("stdout", printed.out + printed.err)
    for message in mailoutbox:
        findings.look(f"e-mail {message.subject!r}", f"{message.subject}\n{message.body}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT purpose || ' ' || coalesce(changes::text, '') FROM access_auditevent"
        )
        for (text,) in cursor.fetchall():
            findings.look("the audit trail", text)
    print(
        f"\ncanary typed into the report pages: {findings.responses} responses, "
        f"{len(caplog.records)} log records: {len(findings.leaks)} occurrences"
    )
    assert findings.leaks == []
    # Searching for the address finds nothing, for anyone (the query itself is echoed back to
    # the one who typed it, in the search box and the SQL log: that is not what is looked for).
    for user in (officer, world.users[Role.COORDINATOR], world.users[Role.SUPERVISOR]):
        searcher = Client()
        sign_in(searcher, user)
        for q in (TYPED_ADDRESS, TYPED_POSTCODE, "Marigold"):
            response = searcher.get(reverse("search"), {"q": q})
            assert response.context["total"] == 0, (user.role, q)
            assert reverse("person-detail", args=[victim.pk]) not in response.content.decode()
