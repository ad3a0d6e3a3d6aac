"""The defendant's duties: notification deadlines from the statutory clock, breaches."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from safeguard.compliance import services
from safeguard.compliance.models import Notification, NotificationKind, NotificationStatus
from safeguard.orders import services as orders
from safeguard.orders.models import Outcome, ProclaimedBankHoliday
from safeguard.orders.services import InvalidStep, ProposedCondition

LONDON = ZoneInfo("Europe/London")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def make_in_force(force, coordinator, defendant, victim):
    def make(order_type: str, code: str, made_on: dt.date, **term):
        order = orders.create_order(
            force=force,
            order_type=order_type,
            defendant=defendant,
            protected_persons=[victim],
            by=coordinator,
            conditions=[ProposedCondition(code, necessity="To stop the contact")],
        )
        order = orders.submit_application(order, expected_version=order.version, by=None)
        return orders.record_outcome(
            order,
            Outcome.GRANTED,
            expected_version=order.version,
            by=None,
            made_on=made_on,
            decided_at=dt.datetime.combine(made_on, dt.time(10), tzinfo=LONDON),
            **term,
        )

    return make


def test_dapo_initial_notification_runs_from_the_day_made_not_served(make_in_force):
    order = make_in_force("dapo", "no-contact", dt.date(2025, 12, 23), until_further_order=True)
    duty = Notification.objects.get(order=order, kind=NotificationKind.INITIAL)
    # DAA 2021 s.41: 3 days beginning with Tuesday 23 Dec: ends Thursday 25 Dec (Christmas
    # counts: the s.41 period disregards nothing).
    assert duty.due_at == at(2025, 12, 25, 23, 59, 59)


def test_late_notification_is_recorded_as_late(make_in_force):
    order = make_in_force("spo", "no-contact", dt.date(2025, 3, 10), until_further_order=True)
    orders.record_service(
        order,
        served_at=at(2025, 3, 10, 12),
        method="personal",
        served_by="PC Ellis",
        expected_version=order.version,
        by=None,
    )
    duty = Notification.objects.get(order=order)
    assert duty.status(now=at(2025, 3, 12, 20)) == NotificationStatus.DUE
    assert duty.status(now=at(2025, 3, 13, 0, 0, 1)) == NotificationStatus.OVERDUE
    with pytest.raises(InvalidStep, match="police station"):
        services.record_notification_made(
            duty, notified_at=at(2025, 3, 13, 9), police_station="", received_by="PC", by=None
        )
    duty = services.record_notification_made(
        duty,
        notified_at=at(2025, 3, 13, 9),
        police_station="Bethel Street, Norwich",
        received_by="PC Ali",
        by=None,
    )
    assert duty.status() == NotificationStatus.LATE


def test_change_of_address_starts_a_new_duty(make_in_force):
    order = make_in_force("spo", "no-contact", dt.date(2025, 3, 10), until_further_order=True)
    duty = services.record_change(
        order, NotificationKind.ADDRESS_CHANGED, changed_at=at(2025, 7, 4, 18), by=None
    )
    assert duty.due_at == at(2025, 7, 6, 23, 59, 59)  # Fri, Sat, Sun: weekends count


def test_spo_has_no_no_home_address_duty(make_in_force):
    order = make_in_force("spo", "no-contact", dt.date(2025, 3, 10), until_further_order=True)
    with pytest.raises(InvalidStep, match="imposes no duty"):
        services.record_change(
            order, NotificationKind.NO_HOME_ADDRESS, changed_at=at(2025, 7, 4, 18), by=None
        )


def test_dapn_breach_arrest_court_deadline_skips_a_proclaimed_bank_holiday(
    force, coordinator, defendant, victim
):
    notice = orders.create_order(
        force=force,
        order_type="dapn",
        defendant=defendant,
        protected_persons=[victim],
        by=coordinator,
        conditions=[ProposedCondition("no-molestation")],
    )
    notice = orders.issue_notice(
        notice,
        authorised_by="Insp Kay",
        authoriser_rank="inspector",
        issued_at=at(2026, 5, 1, 9),
        expected_version=notice.version,
        by=None,
    )
    # Arrested Friday 5 June 2026 at 20:00; 24 hours disregarding days (DAA 2021 s.26(4)).
    breach = services.record_breach(
        notice,
        occurred_at=at(2026, 6, 5, 19),
        description="Came to the house",
        by=None,
        arrested_at=at(2026, 6, 5, 20),
    )
    assert breach.court_by == at(2026, 6, 6, 20)  # Saturday counts
    ProclaimedBankHoliday.objects.create(date=dt.date(2026, 6, 6), name="Proclaimed holiday")
    breach = services.record_breach(
        notice,
        occurred_at=at(2026, 6, 5, 19),
        description="Again",
        by=None,
        arrested_at=at(2026, 6, 5, 20),
    )
    # Saturday now disregarded and Sunday always is: 4h on Friday, then 20h on Monday.
    assert breach.court_by == at(2026, 6, 8, 20)


def test_breach_of_an_order_not_in_force_is_refused(make_in_force):
    order = make_in_force("spo", "no-contact", dt.date(2025, 3, 10), ends_on=dt.date(2027, 3, 9))
    orders.expire_orders(dt.date(2027, 4, 1))
    order.refresh_from_db()
    with pytest.raises(InvalidStep, match="not in force"):
        services.record_breach(order, occurred_at=at(2027, 4, 2, 9), description="x", by=None)
