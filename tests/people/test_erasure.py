"""Retention review dates from configurable rules, and erasure: the rule's parts removed in one
transaction, an ERASE event with who, what and why, never the erased data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.access import audit
from safeguard.access.models import AuditEvent, AuditKind, Role
from safeguard.people import retention, services
from safeguard.people.models import Alias, Person, ProtectedDetail, RetentionReview
from safeguard.reports.models import PartyRole, Report, ReportParty
from tests.web.world import CANARIES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def erase_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=AuditKind.ERASE).order_by("id"))


def test_erasure_removes_the_rules_parts_and_logs_who_what_why_not_the_data(world):
    victim = world.cases["in"].victim
    supervisor = world.users[Role.SUPERVISOR]
    assert RetentionReview.objects.get(person=victim).group == retention.PUBLIC_PROTECTION
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    erasure = services.erase_person_details(
        supervisor, victim.pk, purpose="Review 2031/07: no longer necessary"
    )

    assert erasure.parts == ("protected_details",)  # group 1's rule
    assert erasure.counts == {"protected_details": 3}
    assert not ProtectedDetail.objects.filter(person=victim).exists()
    assert RetentionReview.objects.get(person=victim).erased_at is not None
    (event,) = erase_events()
    assert (event.actor_id, event.table_name, event.object_id) == (
        supervisor.pk,
        "people_person",
        str(victim.pk),
    )
    assert event.purpose == "Review 2031/07: no longer necessary"
    assert event.changes == {
        "person": victim.pk,
        "parts": ["protected_details"],
        "counts": {"protected_details": 3},
    }
    # The row deletions are in the trail too, attributed and with the values redacted.
    deletes = AuditEvent.objects.filter(
        id__gt=start, kind=AuditKind.DELETE, table_name="people_protecteddetail"
    )
    assert deletes.count() == 3
    assert all(e.actor_id == supervisor.pk for e in deletes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT purpose || coalesce(changes::text, '') FROM access_auditevent")
        trail = " ".join(row[0] for row in cursor.fetchall())
    assert not any(canary in trail for canary in CANARIES)
    print(f"\nerasure: {erasure.counts} erased, 1 ERASE event with who/what/why, no data")


def test_a_group_3_disposal_erases_more(world):
    person = world.cases["in"].defendant
    services.erase_person_details(
        world.users[Role.FORCE_ADMIN],
        person.pk,
        purpose="Test of parts",
        parts=("protected_details", "aliases", "identifiers", "date_of_birth"),
    )
    person.refresh_from_db()
    assert person.date_of_birth is None
    assert not Alias.objects.filter(person=person).exists()
    assert not person.identifiers.exists()
    assert person.surname  # the name stays on the orders and reports naming them


def test_erasure_is_one_transaction(world, monkeypatch):
    victim = world.cases["in"].victim

    def fail(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(audit, "record", fail)
    with pytest.raises(RuntimeError):
        services.erase_person_details(
            world.users[Role.SUPERVISOR], victim.pk, purpose="Review decision"
        )
    assert ProtectedDetail.objects.filter(person=victim).count() == 3
    assert RetentionReview.objects.get(person=victim).erased_at is None


def test_only_roles_with_the_right_in_their_force_may_erase(world):
    victim = world.cases["in"].victim
    for role in (Role.OFFICER, Role.COORDINATOR, Role.LEGAL):
        with pytest.raises(PermissionDenied):
            services.erase_person_details(world.users[role], victim.pk, purpose="x")
    for role in (Role.ADVOCATE, Role.ANALYST, Role.NATIONAL_ADMIN):
        with pytest.raises(Http404):
            services.erase_person_details(world.users[role], victim.pk, purpose="x")
    with pytest.raises(Http404):  # another force's supervisor: not found
        services.erase_person_details(
            world.users[Role.SUPERVISOR], world.cases["far"].victim.pk, purpose="x"
        )
    with pytest.raises(services.InvalidRequest):
        services.erase_person_details(world.users[Role.SUPERVISOR], victim.pk, purpose="  ")
    assert erase_events() == []
    assert ProtectedDetail.objects.filter(person=victim).count() == 3


@pytest.mark.urls("tests.web.urls")
def test_the_erasure_page(world, sign_in):
    victim = world.cases["in"].victim
    client = Client()
    sign_in(client, world.users[Role.FORCE_ADMIN])
    url = reverse("person-erase", args=[victim.pk])
    page = client.get(url).content.decode()
    assert "Addresses, workplaces, phone numbers and e-mail addresses: 3 recorded" in page
    assert "Group 1: certain public protection matters" in page.replace("group 1", "Group 1")
    assert "Enter why these details are being erased" in client.post(url, {}).content.decode()
    response = client.post(url, {"purpose": "Review decision 14"}, follow=True)
    assert "3 details erased" in response.content.decode()
    assert "erased on" in response.content.decode()
    assert len(erase_events()) == 1
    officer = Client()
    sign_in(officer, world.users[Role.OFFICER])
    assert officer.get(url).status_code == 403


# --- Review dates ----------------------------------------------------------------------------


def person_with_report(force, offence: str, reported: dt.date, dob: dt.date | None = None):
    person = Person.objects.create(
        force=force, given_name="Rita", surname="Review", date_of_birth=dob
    )
    report = Report.objects.create(
        force=force,
        reference=f"R-{offence}-{reported}",
        offence_code=offence,
        reported_at=dt.datetime.combine(reported, dt.time(12), tzinfo=dt.UTC),
        occurred_from=reported,
    )
    ReportParty.objects.create(report=report, person=person, role=PartyRole.VICTIM)
    Person.objects.filter(pk=person.pk).update(
        created_at=dt.datetime.combine(reported, dt.time(12), tzinfo=dt.UTC)
    )
    person.refresh_from_db()
    return person


def test_review_dates_follow_the_group(world):
    force = world.force
    other = person_with_report(force, "58C", dt.date(2020, 2, 29))
    review = services.schedule_review(other, today=dt.date(2024, 1, 1))
    assert review.group == retention.OTHER
    assert review.review_on == dt.date(2026, 2, 28)  # 6 years on; no 29 February in 2026
    serious = person_with_report(force, "8N", dt.date(2021, 3, 1))
    assert services.schedule_review(serious).review_on == dt.date(2031, 3, 1)
    stalking = person_with_report(force, "8Q", dt.date(2021, 3, 1), dob=dt.date(1970, 5, 6))
    review = services.schedule_review(stalking)
    assert review.group == retention.PUBLIC_PROTECTION
    assert review.retain_until == dt.date(2070, 5, 6)
    # Anyone named in a live order: activity is today, so the review is 10 years from today.
    victim = world.cases["in"].victim
    assert services.schedule_review(victim).review_on == timezone.localdate().replace(
        year=timezone.localdate().year + 10
    )


def test_the_rules_are_configuration(world, settings):
    settings.SAFEGUARD_RETENTION = {
        "groups": {"other": {"review_every_years": 3, "erase": ["protected_details"]}},
        "serious_offences": [],
        "other_offences": ["58C", "9A", "8N"],
    }
    person = person_with_report(world.force, "8N", dt.date(2021, 3, 1))
    review = services.schedule_review(person)
    assert (review.group, review.review_on) == (retention.OTHER, dt.date(2024, 3, 1))
    assert retention.configured_rules().groups["other"].erase == ("protected_details",)


@pytest.mark.parametrize(
    "setting",
    [
        {"grups": {}},
        {"groups": {"group4": {}}},
        {"groups": {"other": {"review_every_years": 0}}},
        {"groups": {"other": {"erase": ["the_lot"]}}},
        {"serious_offences": ["XX"]},
        {"unlisted_offence_group": "never"},
        {"other_offences": ["58C", "9A", "8N"]},  # 8N is in serious_offences too
    ],
)
def test_a_mistake_in_the_rules_is_refused_by_name(setting):
    with pytest.raises(retention.RetentionConfigError):
        retention.from_setting(setting)


def test_an_unlisted_offence_is_kept_longer_not_shorter():
    rules = retention.DEFAULT_RULES
    assert retention.classify(["ZZ9"], in_orders=False, rules=rules)[0] == retention.SERIOUS


def test_the_schedule_command(world, capsys):
    call_command("retention", "schedule")
    assert f"{Person.objects.count()} review dates computed" in capsys.readouterr().out
    assert RetentionReview.objects.count() == Person.objects.count()
    call_command("retention", "rules")
    assert "Group 3: all other offences" in capsys.readouterr().out


@pytest.mark.urls("tests.web.urls")
def test_records_due_for_review_are_listed_for_roles_that_may_erase(world, sign_in):
    person = person_with_report(world.force, "58C", dt.date(2015, 1, 10))
    services.schedule_review(person)
    far = person_with_report(world.far_force, "58C", dt.date(2015, 1, 10))
    services.schedule_review(far)
    admin = Client()
    sign_in(admin, world.users[Role.FORCE_ADMIN])
    page = admin.get(reverse("reviews-due")).content.decode()
    assert reverse("person-detail", args=[person.pk]) in page
    assert reverse("person-detail", args=[far.pk]) not in page
    officer = Client()
    sign_in(officer, world.users[Role.OFFICER])
    assert (
        "No record you may erase is due for review"
        in officer.get(reverse("reviews-due")).content.decode()
    )
