"""A person's page lists every report and every order the person appears in, as far as the
user's role reaches (restrict()), in a fixed number of queries however many there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import Role
from safeguard.reports.models import PartyRole, Report, ReportParty
from tests.web import builders
from tests.web.world import CANARIES, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.urls")]


@pytest.fixture
def world():
    return build_world()


def client_for(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def report_naming(person, reference, *, officer=None, team=None, role=PartyRole.WITNESS):
    report = Report.objects.create(
        force=person.force,
        reference=reference,
        offence_code="8L",
        reported_at=timezone.now() - dt.timedelta(days=5),
        occurred_from=timezone.localdate() - dt.timedelta(days=6),
        officer=officer,
        team=team,
    )
    ReportParty.objects.create(report=report, person=person, role=role)
    return report


def test_every_report_and_order_the_person_appears_in(world, sign_in):
    case = world.cases["in"]
    victim = case.victim
    # She is also a witness in another team's report, and protected by a second order.
    other_case = world.cases["other"]
    witness_in = report_naming(victim, "NOR-WIT-1", officer=other_case.report.officer)
    second = builders.create(world.force, "spo", other_case.defendant, victim)
    page = (
        client_for(sign_in, world.users[Role.COORDINATOR])
        .get(reverse("person-detail", args=[victim.pk]))
        .content.decode()
    )
    for reference in (case.report.reference, witness_in.reference):
        assert reference in page
    for order in (case.order, second):
        assert reverse("order-detail", args=[order.pk]) in page
    assert "Protected person" in page
    assert "Witness" in page  # her part in the other team's report
    assert reverse("report-detail", args=[case.report.pk]) in page
    assert not any(c in page for c in CANARIES)


def test_an_officer_sees_only_the_reports_and_orders_of_their_cases(world, sign_in):
    case = world.cases["in"]
    victim = case.victim
    theirs = report_naming(
        victim, "NOR-THEIRS-1", officer=world.cases["other"].report.officer, role=PartyRole.VICTIM
    )
    other_order = builders.create(
        world.force,
        "spo",
        world.cases["other"].defendant,
        victim,
        officer=world.cases["other"].order.officer,
        team=world.cases["other"].order.team,
    )
    page = (
        client_for(sign_in, world.users[Role.OFFICER])
        .get(reverse("person-detail", args=[victim.pk]))
        .content.decode()
    )
    assert case.report.reference in page
    assert reverse("order-detail", args=[case.order.pk]) in page
    assert theirs.reference not in page
    assert other_order.reference not in page


def test_the_page_makes_a_fixed_number_of_queries(world, sign_in, django_assert_max_num_queries):
    victim = world.cases["in"].victim
    client = client_for(sign_in, world.users[Role.COORDINATOR])
    url = reverse("person-detail", args=[victim.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(12):
        report_naming(victim, f"NOR-MANY-{n}")
        builders.create(world.force, "spo", world.cases["in"].defendant, victim)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "NOR-MANY-11" in page
