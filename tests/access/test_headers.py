"""Security headers: a strict Content-Security-Policy on every page (with no inline script or
style in any template for it to have to allow), Permissions-Policy, Referrer-Policy, COOP, no
framing, and no caching of pages shown to a signed-in user."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from safeguard.access import security
from safeguard.access.models import Role

SRC = Path(__file__).resolve().parents[2] / "src" / "safeguard"
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";") if part.strip())


def assert_strict(header: str) -> None:
    found = directives(header)
    for name, value in STRICT.items():
        assert found.get(name) == value, f"{name}: {found.get(name)!r}"
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_strict_policy_and_the_other_headers(
    make_user, force, sign_in
):
    client = Client()
    pages = {"sign-in": client.get(reverse("login")), "not found": client.get("/no-such-page/")}
    sign_in(client, make_user(Role.COORDINATOR, force))
    pages["dashboard"] = client.get("/")
    pages["orders"] = client.get("/orders/")
    for name, response in pages.items():
        assert_strict(response["Content-Security-Policy"])
        assert "camera=()" in response["Permissions-Policy"], name
        assert "geolocation=()" in response["Permissions-Policy"], name
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
    for name in ("dashboard", "orders"):
        assert "no-store" in pages[name]["Cache-Control"], name
    print(f"\nCSP: strict policy on {len(pages)} kinds of page, 0 with 'unsafe-inline'")


@pytest.mark.django_db
def test_the_admin_policy_adds_only_the_hash_of_djangos_one_inline_style(make_user, force, sign_in):
    client = Client()
    sign_in(client, make_user(Role.FORCE_ADMIN, force, is_staff=True, is_superuser=True))
    header = client.get(reverse("admin:index"))["Content-Security-Policy"]
    found = directives(header)
    assert found.pop("style-src") == "'self' " + " ".join(security.ADMIN_STYLE_HASHES)
    assert_strict("; ".join(f"{k} {v}" for k, v in found.items()) + "; style-src 'self'")
    # The hash is of the <style> element in the installed Django's change list template: if a
    # Django upgrade changes it, this test says so.
    template = Path(django.contrib.admin.__file__).parent / "templates/admin/change_list.html"
    styles = re.findall(r"<style>(.*?)</style>", template.read_text(), re.S)
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in styles
    ]
    assert hashes == security.ADMIN_STYLE_HASHES


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def _without_comments(text: str) -> str:
    # Template comments never reach the page; keep their lines so line numbers stay right.
    return COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def test_no_template_of_ours_has_inline_script_or_style():
    # Every template a browser is served. Those under pdf/ are turned into PDF documents on the
    # server and never reach a browser as HTML, so no page policy applies to them.
    templates = sorted(p for p in SRC.glob("**/templates/**/*.html") if "pdf" not in p.parts)
    assert len(templates) > 10
    problems = [
        f"{path.relative_to(SRC)}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for path in templates
        for text in [_without_comments(path.read_text())]
        for pattern, what in INLINE
        for m in pattern.finditer(text)
    ]
    print(
        f"\ntemplates checked for inline script or style: {len(templates)}, found {len(problems)}"
    )
    assert problems == []


@pytest.mark.django_db
def test_the_set_up_page_needs_nothing_the_policy_forbids(client, coordinator):
    client.post(
        reverse("login"), {"username": coordinator.username, "password": "a-long-test-password"}
    )
    response = client.get(reverse("two-factor-set-up"))
    page = response.content.decode()
    assert_strict(response["Content-Security-Policy"])
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page
    # The QR code is a data: image (allowed by img-src), not a request to anyone else.
    assert re.search(r'<img src="data:image/svg\+xml;base64,', page)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "198.51.100.1, 203.0.113.7", "10.0.0.2", "203.0.113.7"),  # the proxy's own entry
        (1, "", "10.0.0.2", "10.0.0.2"),
        (2, "203.0.113.7", "10.0.0.2", "10.0.0.2"),  # fewer entries than proxies: distrust
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    proxies, forwarded, remote, expected
):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(SAFEGUARD_TRUSTED_PROXIES=proxies):
        assert security.client_ip(request) == expected
