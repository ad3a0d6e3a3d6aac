"""The defendant's duties: notifications due, made, acknowledged; breaches recorded."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from safeguard.access.models import User
from safeguard.compliance.models import Breach, BreachOutcome, Notification, NotificationKind
from safeguard.orders.models import Order
from safeguard.orders.services import (
    InvalidStep,
    bump_version,
    deadlines_for,
    lock_order,
)
from safeguard.reports.models import Report
from safeguard.rules.orders import State

# Which lifecycle moment of an order starts which notification duty (rules specs' clock_events).
_MOMENT_FOR_KIND = {
    NotificationKind.NAME_CHANGED: "name-changed",
    NotificationKind.ADDRESS_CHANGED: "address-changed",
    NotificationKind.NO_HOME_ADDRESS: "no-home-address",
    NotificationKind.SOA_ENDED: "soa-notification-ended",
}


def _check_version(order_id: int, expected_version: int | None) -> Order:
    """Lock the order and, for a caller that read a version (the web forms), refuse a stale one
    and bump it: the order's version covers its notifications and breaches too, so a second
    person's form about the same order gets a ConcurrentEdit instead of overwriting unseen."""
    order = lock_order(order_id, expected_version)
    if expected_version is not None:
        bump_version(order)
    return order


def create_duty(order: Order, kind: str, moment: str, at: dt.datetime) -> Notification | None:
    deadlines = deadlines_for(order.order_type, moment, at)
    if not deadlines:
        return None
    first = deadlines[0]
    return Notification.objects.create(
        order=order, kind=kind, triggered_at=at, due_at=first.due, basis=first.basis
    )


@transaction.atomic
def record_change(
    order: Order,
    kind: str,
    *,
    changed_at: dt.datetime,
    by: User | None,
    expected_version: int | None = None,
) -> Notification:
    """The defendant started using a new name, moved, or left SOA 2003 notification: a new
    duty to notify runs from that day (SPA 2019 s.9(3)-(7); DAA 2021 s.41)."""
    kind = NotificationKind(kind)
    order = _check_version(order.pk, expected_version)
    if order.state != State.IN_FORCE:
        raise InvalidStep("Notification duties apply only while the order is in force")
    duty = create_duty(order, kind, _MOMENT_FOR_KIND[kind], changed_at)
    if duty is None:
        raise InvalidStep(f"A {order.spec.title} imposes no duty to notify {kind.label.lower()}")
    return duty


@transaction.atomic
def record_notification_made(
    notification: Notification,
    *,
    notified_at: dt.datetime,
    police_station: str,
    received_by: str,
    details: str = "",
    by: User | None,
    expected_version: int | None = None,
) -> Notification:
    _check_version(notification.order_id, expected_version)
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.notified_at is not None:
        raise InvalidStep("This notification has already been recorded")
    if notified_at < notification.triggered_at:
        raise InvalidStep("A notification cannot be made before the event that requires it")
    if not police_station.strip():
        # SPA 2019 s.10(1): in person at a police station in the defendant's local area.
        raise InvalidStep("Give the police station where the defendant notified in person")
    notification.notified_at = notified_at
    notification.police_station = police_station
    notification.received_by = received_by
    notification.details = details
    notification.save()
    return notification


@transaction.atomic
def acknowledge(
    notification: Notification,
    *,
    at: dt.datetime,
    by: User | None,
    expected_version: int | None = None,
) -> Notification:
    """SPA 2019 s.10(4): the police acknowledge a notification in writing."""
    _check_version(notification.order_id, expected_version)
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.notified_at is None:
        raise InvalidStep("Record the notification before acknowledging it")
    if at < notification.notified_at:
        raise InvalidStep("A notification cannot be acknowledged before it was made")
    notification.acknowledged_at = at
    notification.save(update_fields=["acknowledged_at"])
    return notification


@transaction.atomic
def record_breach_outcome(
    breach: Breach, outcome: str, *, by: User | None, expected_version: int | None = None
) -> Breach:
    """What became of a breach: charged, convicted, acquitted, no further action..."""
    _check_version(breach.order_id, expected_version)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    breach.outcome = BreachOutcome(outcome)
    breach.save(update_fields=["outcome"])
    return breach


@transaction.atomic
def record_breach(
    order: Order,
    *,
    occurred_at: dt.datetime,
    description: str,
    by: User | None,
    report: Report | None = None,
    arrested_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Breach:
    order = _check_version(order.pk, expected_version)
    if order.state != State.IN_FORCE:
        raise InvalidStep(
            f"{order.reference} was not in force; record the conduct as a new report instead"
        )
    if report is not None and report.force_id != order.force_id:
        raise InvalidStep("The breach report must belong to the same force as the order")
    court_by = None
    if arrested_at is not None:
        # Notices and DVPOs: court within 24 hours of arrest (CSA 2010 s.26; DAA 2021 s.26).
        deadlines = deadlines_for(order.order_type, "breach-arrest", arrested_at)
        court_by = deadlines[0].due if deadlines else None
    return Breach.objects.create(
        order=order,
        occurred_at=occurred_at,
        description=description,
        report=report,
        arrested_at=arrested_at,
        court_by=court_by,
    )
