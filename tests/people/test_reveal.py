"""Revealing a protected detail: masked by default, a reason required, only for roles the
permission table lets reveal, in their reach; logged with the reason; the value on that response
only (POST, never cached, never in a URL)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse

from safeguard.access.models import AuditEvent, AuditKind, Role
from safeguard.people import services
from safeguard.people.models import DetailKind, ProtectedDetail
from tests.web.world import CANARY_ADDRESS, CANARY_PHONE, build_world, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.urls")]


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def address(world):
    return ProtectedDetail.objects.get(
        person=world.cases["in"].victim, kind=DetailKind.HOME_ADDRESS
    )


def client_for(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def reveals() -> int:
    return AuditEvent.objects.filter(kind=AuditKind.REVEAL).count()


def test_the_person_page_masks_every_detail_and_offers_reveal(world, sign_in, address):
    victim = world.cases["in"].victim
    page = (
        client_for(sign_in, world.users[Role.COORDINATOR])
        .get(reverse("person-detail", args=[victim.pk]))
        .content.decode()
    )
    assert "Home address" in page
    assert "Phone number" in page
    assert "E-mail address" in page
    assert page.count(">hidden<") == 3
    assert reverse("person-reveal", args=[victim.pk, address.pk]) in page
    assert CANARY_ADDRESS not in page
    assert CANARY_PHONE not in page


def test_a_role_that_may_not_reveal_sees_no_reveal_link_and_is_refused(world, sign_in, address):
    victim = world.cases["in"].victim
    legal = client_for(sign_in, world.users[Role.LEGAL])
    page = legal.get(reverse("person-detail", args=[victim.pk])).content.decode()
    assert "hidden" in page
    assert "/reveal/" not in page
    url = reverse("person-reveal", args=[victim.pk, address.pk])
    assert legal.get(url).status_code == 403
    response = legal.post(url, {"reason": "safety_visit", "explanation": "x"})
    assert response.status_code == 403
    assert CANARY_ADDRESS not in response.content.decode()
    assert reveals() == 0


def test_out_of_reach_is_page_not_found(world, sign_in, address):
    victim = world.cases["in"].victim
    url = reverse("person-reveal", args=[victim.pk, address.pk])
    for user in (
        make_user(Role.COORDINATOR, world.far_force),
        make_user(Role.OFFICER, world.force),  # no team, nothing assigned
    ):
        client = client_for(sign_in, user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "safety_visit"}).status_code == 404
    # A detail id under another person's id is not found either.
    other = world.cases["other"].victim
    coordinator = client_for(sign_in, world.users[Role.COORDINATOR])
    assert coordinator.get(reverse("person-reveal", args=[other.pk, address.pk])).status_code == 404
    assert reveals() == 0


def test_a_reason_is_required_and_other_needs_words(world, sign_in, address):
    victim = world.cases["in"].victim
    client = client_for(sign_in, world.users[Role.SUPERVISOR])
    url = reverse("person-reveal", args=[victim.pk, address.pk])
    page = client.post(url, {}).content.decode()
    assert '<a href="#id_reason">Select why you need to see this detail</a>' in page
    page = client.post(url, {"reason": "other"}).content.decode()
    assert '<a href="#id_explanation">Explain why you need to see this detail</a>' in page
    page = client.post(url, {"reason": "curiosity"}).content.decode()
    assert "Select why you need to see this detail" in page
    assert CANARY_ADDRESS not in page
    assert reveals() == 0


def test_a_get_never_reveals_even_with_a_reason_in_the_url(world, sign_in, address):
    victim = world.cases["in"].victim
    client = client_for(sign_in, world.users[Role.OFFICER])
    url = reverse("person-reveal", args=[victim.pk, address.pk])
    response = client.get(url, {"reason": "safety_visit", "explanation": "via GET"})
    assert response.status_code == 200
    assert CANARY_ADDRESS not in response.content.decode()
    assert 'method="post"' in response.content.decode()
    assert reveals() == 0


def test_a_reveal_shows_the_value_once_and_logs_why(world, sign_in, address):
    victim = world.cases["in"].victim
    officer = world.users[Role.OFFICER]
    client = client_for(sign_in, officer)
    url = reverse("person-reveal", args=[victim.pk, address.pk])
    response = client.post(url, {"reason": "safeguarding_referral", "explanation": "MARAC 4 May"})
    body = response.content.decode()
    assert response.status_code == 200
    assert CANARY_ADDRESS in body
    assert "no-store" in response["Cache-Control"]
    assert CANARY_ADDRESS not in response.get("Location", "")
    event = AuditEvent.objects.get(kind=AuditKind.REVEAL)
    assert (event.actor_id, event.table_name, event.object_id) == (
        officer.pk,
        "people_protecteddetail",
        str(address.pk),
    )
    assert event.purpose == (
        "safeguarding_referral: To make a safeguarding or MARAC referral. MARAC 4 May"
    )
    assert event.changes == {"person": victim.pk, "kind": "home_address"}
    print("\nreveal: value on the POST response only, no-store, REVEAL logged with the reason")


def test_the_service_refuses_without_a_reason_or_the_right(world, address):
    victim = world.cases["in"].victim
    with pytest.raises(services.InvalidRequest):
        services.reveal_protected_detail(
            world.users[Role.OFFICER], victim.pk, address.pk, reason=""
        )
    with pytest.raises(PermissionDenied):
        services.reveal_protected_detail(
            world.users[Role.LEGAL], victim.pk, address.pk, reason="safety_visit"
        )
    for role in (Role.ADVOCATE, Role.ANALYST, Role.NATIONAL_ADMIN):
        with pytest.raises(Http404):
            services.reveal_protected_detail(
                world.users[role], victim.pk, address.pk, reason="safety_visit"
            )
    assert reveals() == 0
