"""Signing in: password, then a second factor (every role), its set-up, recovery codes, the
administrator's reset, lockout after repeated failures, and what the audit trail records."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access import otp
from safeguard.access.models import AuditEvent, Role, User
from safeguard.access.sessions.models import UserSession
from tests.access.signing_in import sign_in_fully, sign_in_password_only

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests/conftest.py make_user


def head_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(last_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=last_id).order_by("id"))


def password_step(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def page_text(response) -> str:
    return response.content.decode()


def make_any_role(make_user, force, role: str) -> User:
    return make_user(role, None if role == Role.NATIONAL_ADMIN else force)


# --- The second factor is required ---------------------------------------------------------------


PAGES = ["/", "/orders/", "/orders/1/", "/admin/", "/admin/access/user/"]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_a_password_alone_reaches_no_page_in_any_role(client, make_user, force, role):
    user = make_any_role(make_user, force, role)
    user.is_staff = user.is_superuser = True  # even an administrator of everything
    user.save()
    otp.provision_totp(user)
    sign_in_password_only(client, user)
    refused = 0
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{reverse('two-factor')}?next={path.replace('/', '%2F')}"
        refused += 1
    print(f"\n{role}: {refused}/{len(PAGES)} pages refused to a password-only session")
    # The same session, once the code is given, reaches them.
    response = client.post(reverse("two-factor"), {"code": otp.current_code(otp.app_device(user))})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_gets_a_readable_refusal_from_the_api(client, coordinator):
    sign_in_password_only(client, coordinator)
    response = client.get("/api/v1/orders/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Sign in with your second factor first."}


def test_the_admin_sign_in_page_is_replaced_by_ours(client, make_user, force, sign_in):
    response = client.get("/admin/login/?next=/admin/access/user/")
    assert response["Location"] == "/sign-in/?next=%2Fadmin%2Faccess%2Fuser%2F"
    # Fully signed in but not staff: refused, not sent round between two sign-in pages.
    sign_in(client, make_user(Role.COORDINATOR, force))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You do not have permission to see this page" in page_text(response)


def test_the_second_factor_page_shows_only_sign_out(client, coordinator):
    otp.provision_totp(coordinator)
    password_step(client, coordinator.username)
    page = page_text(client.get(reverse("two-factor")))
    assert "Enter your security code" in page
    assert "Sign out" in page
    assert 'href="/orders/"' not in page
    assert coordinator.display_name not in page


def test_password_then_code_signs_in_and_both_steps_are_audited(client, coordinator):
    device = otp.provision_totp(coordinator)
    start = head_id()
    response = password_step(client, coordinator.username)
    assert response["Location"] == reverse("two-factor")
    assert client.get("/").status_code == 302  # not yet
    response = client.post(reverse("two-factor"), {"code": "000000"})
    assert "Enter the code your authenticator app shows now" in page_text(response)
    # django-otp's back-off: straight after a wrong code, the next must wait a second.
    with time_machine.travel(time.time() + 2):
        response = client.post(reverse("two-factor"), {"code": otp.current_code(device)})
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200
    events = [(e.kind, (e.changes or {}).get("event")) for e in events_since(start)]
    login_events = [name for kind, name in events if name and kind.startswith("login")]
    assert login_events == ["password accepted", "code refused", "code accepted"]


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_after_a_wrong_code_the_next_waits_and_a_code_not_checked_is_not_a_failure(
    client, coordinator
):
    device = otp.provision_totp(coordinator)
    password_step(client, coordinator.username)
    client.post(reverse("two-factor"), {"code": "000000"})
    response = client.post(reverse("two-factor"), {"code": otp.current_code(device)})
    assert "Wait 1 second before you try another code" in page_text(response)
    assert AccessAttempt.objects.get(username=coordinator.username).failures_since_start == 1


def test_a_code_works_only_once(client, coordinator):
    device = otp.provision_totp(coordinator)
    code = otp.current_code(device)
    password_step(client, coordinator.username)
    assert client.post(reverse("two-factor"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    other = Client()
    password_step(other, coordinator.username)
    with time_machine.travel(time.time() + 2):  # past the back-off, still within the step
        response = other.post(reverse("two-factor"), {"code": code})
    assert response.status_code == 200
    assert other.get("/").status_code == 302


# --- Setting up the authenticator app ------------------------------------------------------------


def secret_on(page: str) -> str:
    match = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert match, "the set-up page shows the secret as text"
    return match.group(1).replace(" ", "")


def test_first_sign_in_sets_up_the_app_and_shows_ten_recovery_codes_once(client, coordinator):
    start = head_id()
    password_step(client, coordinator.username)
    response = client.get(reverse("two-factor"))
    assert response["Location"] == reverse("two-factor-set-up")
    page = page_text(client.get(reverse("two-factor-set-up")))
    assert "Set up two-factor authentication" in page
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page)
    assert "https://" not in page.split("<main")[1]  # no QR service, no other site
    secret = secret_on(page)
    # Reloading keeps the secret the phone may already have scanned.
    assert secret_on(page_text(client.get(reverse("two-factor-set-up")))) == secret
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert otp.secret_for_display(device).replace(" ", "") == secret
    assert client.get("/").status_code == 302  # still not signed in

    response = client.post(reverse("two-factor-set-up"), {"code": "12345"})
    assert "Enter the code as 6 digits" in page_text(response)
    response = client.post(reverse("two-factor-set-up"), {"code": otp.current_code(device)})
    assert response["Location"] == reverse("recovery-codes")

    page = page_text(client.get(reverse("recovery-codes")))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10 == len(set(codes))
    print(f"\nset-up: 1 authenticator app confirmed, {len(codes)} recovery codes shown once")
    again = page_text(client.get(reverse("recovery-codes")))
    assert not any(code in again for code in codes)
    assert "You have 10 recovery codes left" in again
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert "authenticator app set up" in [
        (e.changes or {}).get("event") for e in events_since(start)
    ]


def test_nobody_with_only_a_password_can_replace_an_app(client, coordinator):
    otp.provision_totp(coordinator)
    password_step(client, coordinator.username)
    response = client.get(reverse("two-factor-set-up"))
    assert response["Location"] == reverse("two-factor")
    response = client.post(reverse("two-factor-set-up"), {"code": "123456"})
    assert response["Location"] == reverse("two-factor")
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


# --- Recovery codes ------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client, coordinator):
    otp.provision_totp(coordinator)
    code = otp.new_recovery_codes(coordinator)[3]
    password_step(client, coordinator.username)
    typed = f"{code[:4].upper()}-{code[4:].upper()}"  # as people copy them
    response = client.post(reverse("two-factor"), {"code": typed}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "You used a recovery code: it will not work again. You have 9 left" in page_text(
        response
    )
    client.post(reverse("logout"))

    password_step(client, coordinator.username)
    with time_machine.travel(time.time() + 2):
        response = client.post(reverse("two-factor"), {"code": code})
    assert response.status_code == 200
    assert "a recovery code you have not used before" in page_text(response)
    assert client.get("/").status_code == 302
    assert otp.recovery_codes_left(coordinator) == 9


def test_new_recovery_codes_replace_the_old(client, coordinator, sign_in):
    old = otp.new_recovery_codes(coordinator)
    sign_in(client, coordinator)
    page = page_text(client.post(reverse("recovery-codes")))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10
    assert not set(old) & set(new)
    assert otp.recovery_codes_left(coordinator) == 10


# --- An administrator's reset --------------------------------------------------------------------


def test_an_administrator_resets_a_users_second_factor_from_the_admin(
    make_user, force, coordinator, sign_in
):
    administrator = make_user(Role.FORCE_ADMIN, force, is_staff=True, is_superuser=True)
    admin_client, their_client = Client(), Client()
    sign_in(admin_client, administrator)
    sign_in(their_client, coordinator)
    otp.new_recovery_codes(coordinator)
    assert their_client.get("/").status_code == 200
    start = head_id()

    changelist = reverse("admin:access_user_changelist")
    page = page_text(admin_client.get(changelist))
    assert "reset_two_factor_action" in page, (
        "UserAdmin offers no 'Reset two-factor authentication' action: access/admin.py needs "
        "`actions = [reset_two_factor_action]` (from safeguard.access.otp)"
    )
    response = admin_client.post(
        changelist,
        {"action": "reset_two_factor_action", "_selected_action": [coordinator.pk]},
        follow=True,
    )
    assert "Two-factor authentication reset for 1 user" in page_text(response)
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    # They are signed out everywhere, and set the app up again at their next sign-in.
    assert their_client.get("/").status_code == 302
    password_step(their_client, coordinator.username)
    assert their_client.get(reverse("two-factor"))["Location"] == reverse("two-factor-set-up")
    resets = [e for e in events_since(start) if (e.changes or {}).get("event") == "reset"]
    assert len(resets) == 1
    assert resets[0].actor_id == administrator.pk
    assert resets[0].object_id == str(coordinator.pk)


def test_reset_removes_every_device_and_session(coordinator, sign_in, force, make_user):
    sign_in(Client(), coordinator)
    otp.new_recovery_codes(coordinator)
    assert UserSession.objects.filter(user=coordinator).count() == 1
    removed = otp.reset_two_factor(coordinator, by=make_user(Role.FORCE_ADMIN, force))
    assert removed == 2
    assert not otp.has_app_device(coordinator)
    assert otp.recovery_codes_left(coordinator) == 0
    assert UserSession.objects.filter(user=coordinator).count() == 0


# --- Lockout -------------------------------------------------------------------------------------

LOCKED = re.compile(
    r"Signing in with this username is locked for 30 minutes, after 5 wrong passwords or codes\. "
    r"Try again after (\d{1,2}:\d{2}[ap]m|midday|midnight)\. If you cannot wait, ask your force "
    r"administrator"
)


def test_five_wrong_passwords_lock_the_username_for_thirty_minutes(client, coordinator):
    otp.provision_totp(coordinator)
    statuses = [password_step(client, coordinator.username, "wrong").status_code for _ in range(4)]
    assert statuses == [200] * 4
    fifth = password_step(client, coordinator.username, "wrong")
    assert fifth.status_code == 429
    match = LOCKED.search(page_text(fifth))
    assert match, page_text(fifth)
    until = match.group(1)
    # Now even the right password is refused, and says the same.
    right = password_step(client, coordinator.username)
    assert right.status_code == 429
    assert LOCKED.search(page_text(right)).group(1) == until
    assert client.get("/").status_code == 302
    # Another address is not locked (the lock is on username and address together).
    elsewhere = password_step(Client(), coordinator.username, REMOTE_ADDR="192.0.2.9")
    assert elsewhere.status_code == 302
    # 30 minutes after the fifth failure, the right password works again.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)):
        assert password_step(client, coordinator.username).status_code == 302
    print(f"\nlockout: 5 failures -> 429 until {until} (30 minutes)")


@time_machine.travel(dt.datetime(2026, 3, 2, 14, 50, tzinfo=dt.UTC), tick=False)
def test_the_lockout_page_reads_the_same_for_a_username_nobody_has(client, coordinator):
    for _ in range(5):
        real = password_step(client, coordinator.username, "wrong")
    for _ in range(5):
        made_up = password_step(client, "nobody-by-this-name", "wrong")
    assert "Try again after 3:20pm" in page_text(real)  # 14:50 UTC + 30 minutes, in London
    assert real.status_code == made_up.status_code == 429
    real_page = page_text(real).replace(coordinator.username, "USERNAME")
    made_up_page = page_text(made_up).replace("nobody-by-this-name", "USERNAME")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", real_page) == strip.sub("", made_up_page)


def test_wrong_codes_count_towards_the_lockout_and_end_the_half_signed_in_session(
    client, coordinator
):
    otp.provision_totp(coordinator)
    password_step(client, coordinator.username, "wrong")
    password_step(client, coordinator.username)
    now = time.time()
    responses = []
    for n in range(4):  # 1 wrong password + 4 wrong codes = 5 failures
        with time_machine.travel(now + 100 * (n + 1)):  # past django-otp's back-off each time
            responses.append(client.post(reverse("two-factor"), {"code": "000000"}))
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert LOCKED.search(page_text(responses[-1]))
    assert client.get("/").status_code == 302
    assert client.get(reverse("two-factor")).status_code == 302  # signed out: back to the start
    assert not UserSession.objects.filter(user=coordinator).exists()


def test_an_administrator_unlocks_with_axes_reset_username(client, coordinator):
    otp.provision_totp(coordinator)
    for _ in range(5):
        password_step(client, coordinator.username, "wrong")
    assert password_step(client, coordinator.username).status_code == 429
    call_command("axes_reset_username", coordinator.username)
    assert password_step(client, coordinator.username).status_code == 302


def test_a_full_sign_in_clears_earlier_failures(client, coordinator):
    device = otp.provision_totp(coordinator)
    for _ in range(4):
        password_step(client, coordinator.username, "wrong")
    password_step(client, coordinator.username)
    assert AccessAttempt.objects.filter(username=coordinator.username).exists()
    client.post(reverse("two-factor"), {"code": otp.current_code(device)})
    assert not AccessAttempt.objects.filter(username=coordinator.username).exists()


# --- What the audit trail keeps of a refused sign-in ---------------------------------------------


def test_a_refused_sign_in_is_audited_without_the_password_or_the_typed_name(client, coordinator):
    start = head_id()
    password_step(client, coordinator.username, "my-secret-guess")
    password_step(client, "Hunter2-typed-in-the-wrong-box", "whatever-password")
    events = [e for e in events_since(start) if (e.changes or {}).get("event")]
    refused = [e for e in events if e.changes["event"] == "password refused"]
    assert len(refused) == 2
    known, unknown = refused
    assert known.object_id == str(coordinator.pk)
    assert known.table_name == "access_user"
    assert known.actor_label == "anonymous"
    assert unknown.object_id == ""
    assert known.changes["username_hash"] != unknown.changes["username_hash"]
    text = " ".join(
        f"{e.actor_label} {e.purpose} {e.object_id} {e.changes}" for e in events_since(start)
    )
    for secret in ("my-secret-guess", "whatever-password", "Hunter2-typed-in-the-wrong-box"):
        assert secret not in text


def test_sign_in_and_sign_out_through_the_admin_are_audited_too(client, make_user, force):
    administrator = make_user(Role.FORCE_ADMIN, force, is_staff=True)
    device = otp.provision_totp(administrator)
    start = head_id()
    password_step(client, administrator.username)
    client.post(reverse("two-factor"), {"code": otp.current_code(device)})
    client.post(reverse("admin:logout"))
    names = [(e.kind, (e.changes or {}).get("event")) for e in events_since(start)]
    assert ("login", "password accepted") in names
    assert ("login", "code accepted") in names
    assert ("logout", "signed out") in names


# --- Development helpers -------------------------------------------------------------------------

RFC_6238_KEY = b"12345678901234567890".hex()  # RFC 6238 appendix B test secret (SHA-1)


def test_provision_totp_with_a_known_secret_gives_the_rfc_6238_codes(coordinator):
    device = otp.provision_totp(coordinator, key_hex=RFC_6238_KEY)
    assert device.confirmed
    assert otp.current_code(device, at=59) == "287082"  # RFC 6238: 94287082, 6 digits
    assert otp.current_code(device, at=1111111109) == "081804"  # 07081804
    assert otp.provision_totp(coordinator).pk != device.pk
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_otp_code_prints_the_code_in_development_only(coordinator, settings, capsys):
    device = otp.provision_totp(coordinator, key_hex=RFC_6238_KEY)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only in development"):
        call_command("otp_code", coordinator.username)
    settings.DEBUG = True
    with time_machine.travel(59, tick=False):
        call_command("otp_code", coordinator.username)
    assert capsys.readouterr().out.strip() == "287082"
    with pytest.raises(CommandError, match="no user called"):
        call_command("otp_code", "nobody")
    device.delete()
    with pytest.raises(CommandError, match="no authenticator app"):
        call_command("otp_code", coordinator.username)


def test_a_signed_in_client_from_the_fixture_is_fully_signed_in(client, coordinator):
    sign_in_fully(client, coordinator)
    assert client.get("/").status_code == 200
