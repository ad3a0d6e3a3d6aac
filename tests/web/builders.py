"""Orders for page tests, made the way the service makes them: through orders/services/ and
compliance/services.py, never by writing models directly. Shared by tests/web and tests/e2e."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from safeguard.access.models import Force, Team, User
from safeguard.compliance import services as compliance
from safeguard.orders import services
from safeguard.orders.models import Order, Outcome, ServiceMethod
from safeguard.orders.services import ProposedCondition
from safeguard.people.models import Person
from safeguard.rules.clock import end_of_period_beginning_with

LONDON = ZoneInfo("Europe/London")
COURT = "Norwich Magistrates' Court"

NO_CONTACT = ProposedCondition(
    "no-contact", necessity="He sent her 140 messages in three weeks after she asked him to stop"
)
EXCLUSION = ProposedCondition(
    "exclusion-zone",
    necessity="He waited outside her workplace on six mornings",
    locality="Norwich city centre, inside the inner ring road",
)
PROGRAMME = ProposedCondition(
    "perpetrator-programme", necessity="The behaviour has continued for two years"
)
NO_MOLESTATION = ProposedCondition("no-molestation")


def create(
    force: Force,
    order_type: str,
    defendant: Person,
    victim: Person,
    *,
    officer: User | None = None,
    team: Team | None = None,
    conditions: tuple[ProposedCondition, ...] = (NO_CONTACT,),
    reference: str | None = None,
) -> Order:
    return services.create_order(
        force=force,
        order_type=order_type,
        defendant=defendant,
        protected_persons=[victim],
        by=officer,
        officer=officer,
        team=team,
        court=COURT,
        conditions=conditions,
        reference=reference,
    )


def apply(order: Order, at: dt.datetime, hearing_at: dt.datetime | None = None) -> Order:
    return services.submit_application(
        order, expected_version=order.version, by=None, at=at, hearing_at=hearing_at
    )


def make(
    order: Order, made_on: dt.date, *, ends_on: dt.date | None = None, until_further_order=False
) -> Order:
    return services.record_outcome(
        order,
        Outcome.GRANTED,
        expected_version=order.version,
        by=None,
        decided_at=dt.datetime.combine(made_on, dt.time(11), tzinfo=LONDON),
        made_on=made_on,
        ends_on=ends_on,
        until_further_order=until_further_order,
    )


def serve(order: Order, served_at: dt.datetime) -> Order:
    services.record_service(
        order,
        served_at=served_at,
        method=ServiceMethod.PERSONAL,
        served_by="PC 1234 Sam Okafor",
        expected_version=order.version,
        by=None,
    )
    order.refresh_from_db()
    return order


def give_notice(order: Order, issued_at: dt.datetime) -> Order:
    return services.issue_notice(
        order,
        authorised_by="Supt Ruth Adeyemi",
        authoriser_rank="superintendent",
        issued_at=issued_at,
        expected_version=order.version,
        by=None,
    )


def spo_in_force(
    force: Force,
    defendant: Person,
    victim: Person,
    *,
    made_on: dt.date,
    served_at: dt.datetime | None = None,
    ends_on: dt.date | None = None,
    **kwargs,
) -> Order:
    """An SPO applied for, made (until further order unless `ends_on`), and served if asked."""
    order = create(force, "spo", defendant, victim, **kwargs)
    order = apply(order, dt.datetime.combine(made_on, dt.time(9), tzinfo=LONDON))
    order = make(order, made_on, ends_on=ends_on, until_further_order=ends_on is None)
    return serve(order, served_at) if served_at else order


@dataclass
class Cases:
    """A small force's worth of orders, all relative to `now`."""

    served_recently: Order  # SPO served yesterday: initial notification due in the next days
    notification_overdue: Order  # SPO served a week ago, never notified
    ending_soon: Order  # fixed-term SPO whose two years end within 90 days
    applied: Order  # SPO application waiting for the court
    notice: Order  # DVPN given two hours ago: hearing deadline running
    draft: Order  # a draft owned by another officer and team


def build_cases(
    *,
    force: Force,
    team: Team,
    officer: User,
    other_officer: User,
    other_team: Team,
    people: list[Person],
    now: dt.datetime | None = None,
) -> Cases:
    """Six orders: five held by `officer`/`team`, one by `other_officer`/`other_team`.

    `people` needs twelve Person records of `force` (a defendant and a victim per order).
    """
    now = (now or timezone.now()).astimezone(LONDON)
    today = now.date()
    mine = {"officer": officer, "team": team}
    p = iter(people)

    served_recently = spo_in_force(
        force,
        next(p),
        next(p),
        made_on=today - dt.timedelta(days=2),
        served_at=now - dt.timedelta(days=1),
        conditions=(NO_CONTACT, EXCLUSION, PROGRAMME),
        **mine,
    )
    notification_overdue = spo_in_force(
        force,
        next(p),
        next(p),
        made_on=today - dt.timedelta(days=9),
        served_at=now - dt.timedelta(days=7),
        **mine,
    )
    compliance.record_breach(
        notification_overdue,
        occurred_at=now - dt.timedelta(days=3),
        description="Sent a message through a friend's social media account",
        by=None,
    )
    made_on = today - dt.timedelta(days=700)
    ending_soon = spo_in_force(
        force,
        next(p),
        next(p),
        made_on=made_on,
        ends_on=end_of_period_beginning_with(made_on, years=2),
        served_at=dt.datetime.combine(made_on, dt.time(15), tzinfo=LONDON),
        **mine,
    )
    compliance.record_notification_made(
        ending_soon.notifications.get(),
        notified_at=dt.datetime.combine(made_on + dt.timedelta(days=1), dt.time(10), tzinfo=LONDON),
        police_station="Norwich Police Station, Bethel Street",
        received_by="PC 2210 Jo Winters",
        by=None,
    )
    applied = apply(
        create(force, "spo", next(p), next(p), **mine),
        now - dt.timedelta(days=3),
        hearing_at=now + dt.timedelta(days=10),
    )
    notice = give_notice(
        create(force, "dvpn", next(p), next(p), conditions=(NO_MOLESTATION,), **mine),
        now - dt.timedelta(hours=2),
    )
    draft = create(force, "spo", next(p), next(p), officer=other_officer, team=other_team)
    return Cases(served_recently, notification_overdue, ending_soon, applied, notice, draft)
