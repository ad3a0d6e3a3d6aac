"""A small, fixed case for the document tests: every name, date and reference is set, so a
rendered document's text is the same on every run (the golden files in golden/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from safeguard.access.models import Force, Role, Team, User
from safeguard.compliance import services as compliance
from safeguard.compliance.models import Notification
from safeguard.orders import services
from safeguard.orders.models import Order, Outcome, ServiceMethod
from safeguard.orders.services import ProposedCondition
from safeguard.people.models import DetailKind, Person, ProtectedDetail
from safeguard.reports.models import PartyRole, Relationship, Report, ReportParty

LONDON = ZoneInfo("Europe/London")
VICTIM_ADDRESS = "14 Hidden Lane, Secretown"
VICTIM_POSTCODE = "SX1 9ZZ"
VICTIM_PHONE = "07700 900123"
DEFENDANT_ADDRESS = "3 Mill Row, Dereham"
NOW = dt.datetime(2026, 3, 10, 15, 30, tzinfo=LONDON)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def eager_jobs(settings):
    settings.SAFEGUARD_JOBS_EAGER = True
    # Argon2 is slow on purpose; these tests make several users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SAFEGUARD_BASE_URL = "https://safeguard.example"


@dataclass
class World:
    force: Force
    team: Team
    officer: User
    coordinator: User
    supervisor: User
    legal: User
    advocate: User
    defendant: Person
    victim: Person
    application: Order  # full SPO application, applied
    interim: Order  # interim SPO application on it
    spo: Order  # an SPO in force, served, notification made
    notification: Notification
    dvpn: Order  # a DVPN given
    dapn: Order  # a DAPN given


def _user(username, role, force, team, first, last, rank=""):
    return User.objects.create_user(
        username=username,
        password="a-long-test-password",
        role=role,
        force=force,
        team=team,
        first_name=first,
        last_name=last,
        rank=rank,
        collar_number="1234" if rank else "",
        email=f"{username}@example.invalid",
    )


def _person(force, given, surname, born):
    return Person.objects.create(force=force, given_name=given, surname=surname, date_of_birth=born)


@pytest.fixture
def world(db) -> World:
    force = Force.objects.create(code="norfolk", name="Norfolk", ons_code="E23000026")
    team = Team.objects.create(force=force, name="Norwich Safeguarding")
    officer = _user("pc-shah", Role.OFFICER, force, team, "Priya", "Shah", "constable")
    coordinator = _user("ps-okafor", Role.COORDINATOR, force, team, "Sam", "Okafor", "sergeant")
    supervisor = _user("insp-reid", Role.SUPERVISOR, force, team, "Alex", "Reid", "inspector")
    legal = _user("legal-hale", Role.LEGAL, force, None, "Morgan", "Hale")
    advocate = _user("idva-cole", Role.ADVOCATE, force, None, "Jess", "Cole")
    defendant = _person(force, "Daniel", "Reeve", dt.date(1984, 2, 29))
    victim = _person(force, "Vicky", "Marsh", dt.date(1990, 7, 14))
    for kind, value, postcode in (
        (DetailKind.HOME_ADDRESS, VICTIM_ADDRESS, VICTIM_POSTCODE),
        (DetailKind.PHONE, VICTIM_PHONE, ""),
    ):
        ProtectedDetail.objects.create(person=victim, kind=kind, value=value, postcode=postcode)
    ProtectedDetail.objects.create(
        person=defendant, kind=DetailKind.HOME_ADDRESS, value=DEFENDANT_ADDRESS, postcode="NR19 1AA"
    )
    reports = []
    for n, (day, summary, behaviours) in enumerate(
        (
            (
                dt.date(2025, 11, 3),
                "He sent 40 messages in one evening after being blocked.",
                ["contact"],
            ),
            (
                dt.date(2025, 12, 12),
                # An officer typed the victim's address into the narrative: it must not reach
                # a document (documents/redaction.py).
                f"He waited outside her home at {VICTIM_ADDRESS} {VICTIM_POSTCODE} for two hours.",
                ["loitering", "watching"],
            ),
            (
                dt.date(2026, 1, 20),
                "He followed her from the station to her workplace.",
                ["following"],
            ),
        ),
        start=1,
    ):
        report = Report.objects.create(
            force=force,
            reference=f"NF/26/00{n}",
            offence_code="8Q",
            reported_at=dt.datetime.combine(day, dt.time(9), tzinfo=LONDON),
            occurred_from=day,
            summary=summary,
            behaviours=behaviours,
            sdash_answers={"q1": True, "q2": True, "q3": False},
            officer=officer,
            team=team,
        )
        ReportParty.objects.create(
            report=report,
            person=victim,
            role=PartyRole.VICTIM,
            relationship_to_victim=Relationship.EX_PARTNER,
        )
        ReportParty.objects.create(report=report, person=defendant, role=PartyRole.SUSPECT)
        reports.append(report)
    conditions = (
        ProposedCondition(
            "no-contact",
            necessity="He contacted her 140 times after being told to stop.",
        ),
        ProposedCondition(
            "exclusion-zone",
            necessity="He waited near her home and workplace on six occasions.",
            locality="Norwich city centre, inside the inner ring road",
        ),
        ProposedCondition(
            "perpetrator-programme",
            necessity="The fixation has lasted over a year despite warnings.",
        ),
    )
    grounds = {
        "1": "Reports NF/26/001 to NF/26/003: messages, loitering, following; victim statement.",
        "2": "Escalation from messages to following over three months; S-DASH 2 of 3.",
        "3": "A police warning in December did not stop the conduct.",
    }
    views = "Supports the application; asked for the exclusion zone to include her workplace."

    def create(
        order_type, reference, parent=None, court="Norwich Magistrates' Court", conds=conditions
    ):
        return services.create_order(
            force=force,
            order_type=order_type,
            defendant=defendant,
            protected_persons=[victim],
            by=officer,
            reports=reports,
            officer=officer,
            team=team,
            parent=parent,
            court=court,
            reference=reference,
            conditions=conds,
            grounds=grounds,
            victim_views=views,
        )

    application = create("spo", "NOR-SPO-00042")
    application = services.submit_application(
        application,
        expected_version=application.version,
        by=officer,
        at=at(2026, 3, 2, 10),
        hearing_at=at(2026, 3, 16, 10),
    )
    interim = create("interim-spo", "NOR-INTERIM-SPO-00007", parent=application)
    spo = create("spo", "NOR-SPO-00031")
    spo = services.submit_application(
        spo, expected_version=spo.version, by=officer, at=at(2026, 2, 2, 10)
    )
    spo = services.record_outcome(
        spo,
        Outcome.GRANTED,
        expected_version=spo.version,
        by=officer,
        decided_at=at(2026, 2, 9, 11),
        made_on=dt.date(2026, 2, 9),
        ends_on=dt.date(2028, 2, 8),
    )
    services.record_service(
        spo,
        served_at=at(2026, 2, 9, 15),
        method=ServiceMethod.PERSONAL,
        served_by="PC 1234 Priya Shah",
        expected_version=Order.objects.get(pk=spo.pk).version,
        by=officer,
    )
    notification = Notification.objects.get(order=spo)
    notification = compliance.record_notification_made(
        notification,
        notified_at=at(2026, 2, 10, 11, 15),
        police_station="Norwich Police Station, Bethel Street",
        received_by="PC 2210 Jo Winters",
        details=f"Name: Daniel Reeve. Home address: {DEFENDANT_ADDRESS} NR19 1AA.",
        by=officer,
    )
    notice_conditions = (
        ProposedCondition("no-molestation"),
        ProposedCondition("keep-distance", locality="50 metres of the victim's home"),
    )
    dvpn = create("dvpn", "NOR-DVPN-00003", court="", conds=notice_conditions)
    dvpn = services.issue_notice(
        dvpn,
        authorised_by="Supt Ruth Adeyemi",
        authoriser_rank="superintendent",
        issued_at=at(2026, 4, 2, 10),
        expected_version=dvpn.version,
        by=officer,
    )  # Thursday before Good Friday 2026 (3 April): the hearing deadline skips the Easter weekend
    dapn = create("dapn", "NOR-DAPN-00002", court="", conds=notice_conditions[:1])
    dapn = services.issue_notice(
        dapn,
        authorised_by="Insp Tom Lake",
        authoriser_rank="inspector",
        issued_at=at(2025, 12, 24, 15),
        expected_version=dapn.version,
        by=officer,
    )
    return World(
        force,
        team,
        officer,
        coordinator,
        supervisor,
        legal,
        advocate,
        defendant,
        victim,
        application,
        interim,
        Order.objects.get(pk=spo.pk),
        notification,
        dvpn,
        dapn,
    )
