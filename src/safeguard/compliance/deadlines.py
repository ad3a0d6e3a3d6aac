"""Every open deadline of every live case, in one queue (issue 5, item 2; docs/reminders.md).

A deadline comes from one of:
- the statutory clock, for what has happened to an order (a notice's hearing deadline);
- a notification the defendant has not yet made (compliance.Notification.due_at);
- a breach arrest's latest court appearance (while it is still ahead);
- a hearing listed and not yet decided (after its date, until its outcome is recorded);
- the last day of a fixed term;
- an open review task (compliance/reviews.py).

Each has a stable key, so a reminder about it is sent once per stage (compliance/reminders.py).
When a reminder is due is its lead time before the deadline (settings.SAFEGUARD_REMINDER_LEAD_
TIMES), counted the way the deadline itself is counted: a 48-hour period that disregards
Sundays, Christmas Day, Good Friday and bank holidays has a lead time that disregards them too,
so "12 hours before a DVPO hearing deadline" that falls on the Tuesday after Easter is 22:00 on
the Saturday before, when a court can still be found, not 22:00 on Easter Monday.

Reads: `queue_for(user, ...)` starts from restrict(Order) and so shows only the user's cases;
`all_open_deadlines()` is the system's view, used only by the reminder job.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from safeguard.access.restrict import restrict
from safeguard.compliance.models import (
    Breach,
    Notification,
    NotificationKind,
    ReviewTask,
)
from safeguard.orders.models import Hearing, Order, Outcome
from safeguard.orders.services import clock_config, deadlines_for, statutory_calendar
from safeguard.rules.calendar import LONDON, Calendar
from safeguard.rules.clock import HoursDisregarding, end_of_day, get_event
from safeguard.rules.orders import State, spec

# The clock deadline name for each notification duty (rules/clock.py), for its lead time.
NOTIFICATION_DEADLINE = {
    NotificationKind.INITIAL: "initial-notification",
    NotificationKind.NAME_CHANGED: "name-notification",
    NotificationKind.ADDRESS_CHANGED: "address-notification",
    NotificationKind.NO_HOME_ADDRESS: "no-home-address-notification",
    NotificationKind.SOA_ENDED: "initial-notification",
}
LIVE_STATES = (State.DRAFT, State.APPLIED, State.IN_FORCE)


class Status(StrEnum):
    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"  # inside the reminder lead time
    ESCALATED = "escalated"  # inside the escalation lead time: the supervisor has been told
    MISSED = "missed"


STATUS_LABELS = {
    Status.UPCOMING: "Upcoming",
    Status.DUE_SOON: "Due soon",
    Status.ESCALATED: "Near: escalated",
    Status.MISSED: "Missed",
}


@dataclass(frozen=True)
class LeadTimes:
    remind: float  # hours before the deadline
    escalate: float


def lead_times(name: str) -> LeadTimes:
    table: dict[str, dict[str, float]] = {
        k: dict(v) for k, v in settings.SAFEGUARD_REMINDER_LEAD_TIMES.items()
    }
    override = getattr(settings, "SAFEGUARD_REMINDER_LEAD_TIMES_OVERRIDE", "")
    if override:
        for key, value in json.loads(override).items():
            table.setdefault(key, {}).update(value)
    chosen = {**table["default"], **table.get(name, {})}
    return LeadTimes(remind=float(chosen["remind"]), escalate=float(chosen["escalate"]))


def subtract_hours_disregarding(end: dt.datetime, hours: float, calendar: Calendar) -> dt.datetime:
    """The instant `hours` counted hours before `end`, not counting time on a disregarded day
    (Sunday, Christmas Day, Good Friday, bank holiday): add_hours_disregarding run backwards.
    Counted time is real elapsed time, so clock changes (always on a Sunday) do not matter."""
    cursor = end.astimezone(UTC)
    remaining = dt.timedelta(hours=hours)
    while remaining > dt.timedelta(0):
        day = cursor.astimezone(LONDON).date()
        day_start = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON).astimezone(UTC)
        if day_start == cursor:  # at midnight the time before belongs to the day before
            day -= dt.timedelta(days=1)
            day_start = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON).astimezone(UTC)
        if not calendar.is_disregarded(day):
            available = cursor - day_start
            if remaining <= available:
                return (cursor - remaining).astimezone(LONDON)
            remaining -= available
        cursor = day_start
    return cursor.astimezone(LONDON)


@dataclass(frozen=True)
class Deadline:
    key: str  # stable: the same deadline has the same key on every run
    name: str  # for its lead time: a clock deadline name, "hearing", "term-end" or "review"
    what: str
    basis: str
    due: dt.datetime
    order: Order
    disregarding: bool = False  # counted disregarding Sundays and holidays (so its lead time)
    date_only: bool = False
    can_be_missed: bool = True
    link: str = ""  # what to do: the order page unless another page does it

    @property
    def review_id(self) -> int | None:
        return int(self.link.split(":")[1]) if self.link.startswith("review:") else None

    def lead(self) -> LeadTimes:
        return lead_times(self.name)

    def stage_at(self, hours: float, calendar: Calendar) -> dt.datetime:
        if self.disregarding:
            return subtract_hours_disregarding(self.due, hours, calendar)
        return (self.due.astimezone(UTC) - dt.timedelta(hours=hours)).astimezone(LONDON)

    def remind_at(self, calendar: Calendar) -> dt.datetime:
        return self.stage_at(self.lead().remind, calendar)

    def escalate_at(self, calendar: Calendar) -> dt.datetime:
        return self.stage_at(self.lead().escalate, calendar)

    def status(self, now: dt.datetime, calendar: Calendar) -> Status:
        if now > self.due:
            return Status.MISSED if self.can_be_missed else Status.ESCALATED
        if now >= self.escalate_at(calendar):
            return Status.ESCALATED
        if now >= self.remind_at(calendar):
            return Status.DUE_SOON
        return Status.UPCOMING


def _counting_disregards(order_type: str, moment: str, name: str) -> bool:
    event = spec(order_type).clock_events.get(moment)
    if event is None:
        return False
    for rule in get_event(event).deadlines:
        if rule.name == name and isinstance(rule.counting, HoursDisregarding):
            return rule.counting.disregards(clock_config())
    return False


def _prefetched(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related("defendant", "officer", "team", "force").prefetch_related(
        Prefetch(
            "notifications",
            queryset=Notification.objects.filter(notified_at__isnull=True),
            to_attr="open_notifications",
        ),
        Prefetch(
            "hearings",
            queryset=Hearing.objects.filter(outcome=Outcome.PENDING),
            to_attr="pending_hearings",
        ),
        Prefetch(
            "breaches",
            queryset=Breach.objects.filter(court_by__isnull=False),
            to_attr="arrest_breaches",
        ),
        Prefetch(
            "review_tasks",
            queryset=ReviewTask.objects.filter(closed_at__isnull=True),
            to_attr="open_reviews",
        ),
        Prefetch(
            "children",
            queryset=Order.objects.prefetch_related(
                Prefetch(
                    "hearings",
                    queryset=Hearing.objects.filter(decided_at__isnull=False),
                    to_attr="decided_hearings",
                )
            ),
            to_attr="followers",
        ),
    )


def _prefetched_list(obj: Any, name: str) -> list[Any]:
    """A list that _prefetched() attached to an order (Prefetch to_attr)."""
    return list(getattr(obj, name))


def deadlines_of(order: Order, now: dt.datetime, calendar: Calendar) -> list[Deadline]:
    """The open deadlines of one order (prefetched by _prefetched)."""
    found: list[Deadline] = []
    s = order.spec
    in_force = order.state == State.IN_FORCE
    if in_force and order.issued_at and "issued" in s.clock_events:
        heard = any(
            _prefetched_list(child, "decided_hearings")
            for child in _prefetched_list(order, "followers")
        )
        if not heard:
            for d in deadlines_for(order.order_type, "issued", order.issued_at, calendar=calendar):
                found.append(
                    Deadline(
                        key=f"order:{order.pk}:{d.name}",
                        name=d.name,
                        what=d.description,
                        basis=d.basis,
                        due=d.due,
                        order=order,
                        disregarding=_counting_disregards(order.order_type, "issued", d.name),
                    )
                )
    if in_force:
        for n in _prefetched_list(order, "open_notifications"):
            found.append(
                Deadline(
                    key=f"notification:{n.pk}",
                    name=NOTIFICATION_DEADLINE.get(NotificationKind(n.kind), "default"),
                    what=f"{n.get_kind_display()}: the defendant must notify the police",
                    basis=n.basis,
                    due=n.due_at,
                    order=order,
                )
            )
    for b in _prefetched_list(order, "arrest_breaches"):
        if b.court_by and b.court_by >= now:
            found.append(
                Deadline(
                    key=f"breach:{b.pk}:court-appearance",
                    name="court-appearance",
                    what="Latest time the arrested person must be brought before the court",
                    basis=f"{s.act}: breach arrest",
                    due=b.court_by,
                    order=order,
                    disregarding=_counting_disregards(
                        order.order_type, "breach-arrest", "court-appearance"
                    ),
                    can_be_missed=False,  # the appearance itself is not recorded here
                )
            )
    for h in _prefetched_list(order, "pending_hearings"):
        found.append(
            Deadline(
                key=f"hearing:{h.pk}",
                name="hearing",
                what=f"{h.get_kind_display()} hearing at {h.court or order.court or 'court'}"
                + (": record the outcome" if h.scheduled_for < now else ""),
                basis=s.court.basis if s.court else s.act,
                due=h.scheduled_for,
                order=order,
            )
        )
    if in_force and order.ends_on and not order.until_further_order:
        due = end_of_day(order.ends_on)
        if due >= now:
            found.append(
                Deadline(
                    key=f"order:{order.pk}:term-end:{order.ends_on.isoformat()}",
                    name="term-end",
                    what="Fixed term ends",
                    basis=s.term.basis,
                    due=due,
                    order=order,
                    date_only=True,
                    can_be_missed=False,  # the order simply ends (orders: expire_orders)
                )
            )
    for task in _prefetched_list(order, "open_reviews"):
        found.append(
            Deadline(
                key=f"review:{task.pk}",
                name="review",
                what=f"Review: {task.get_kind_display().lower()}",
                basis="Review task",
                due=end_of_day(task.due_on),
                order=order,
                date_only=True,
                link=f"review:{task.pk}",
            )
        )
    return found


def _collect(orders: QuerySet[Order], now: dt.datetime, calendar: Calendar) -> list[Deadline]:
    found: list[Deadline] = []
    for order in _prefetched(orders.filter(state__in=LIVE_STATES)):
        found.extend(deadlines_of(order, now, calendar))
    return sorted(found, key=lambda d: (d.due, d.key))


def all_open_deadlines(
    now: dt.datetime | None = None,
    *,
    calendar: Calendar | None = None,
    orders: QuerySet[Order] | None = None,
) -> list[Deadline]:
    """Every open deadline of every live order, across forces: for the reminder job only.
    Pages use queue_for(), which reads through restrict()."""
    now = now or timezone.now()
    calendar = calendar or statutory_calendar()
    return _collect(orders if orders is not None else Order.objects.all(), now, calendar)


class Scope(StrEnum):
    MINE = "mine"
    TEAM = "team"
    ALL = "all"


@dataclass(frozen=True)
class Row:
    deadline: Deadline
    status: Status
    remind_at: dt.datetime
    escalate_at: dt.datetime

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def scoped_orders(user: Any, scope: str) -> QuerySet[Order]:
    """The user's orders for a scope, always within restrict()."""
    orders = restrict(Order.objects.all(), user)
    if scope == Scope.MINE:
        return orders.filter(officer=user)
    if scope == Scope.TEAM:
        return orders.filter(team_id=user.team_id) if user.team_id else orders.none()
    return orders


def queue_for(
    user: Any,
    scope: str = Scope.MINE,
    now: dt.datetime | None = None,
    *,
    horizon_days: int | None = None,
    calendar: Calendar | None = None,
) -> list[Row]:
    """The deadlines queue a user sees: missed first, then by when they fall due."""
    now = now or timezone.now()
    calendar = calendar or statutory_calendar()
    rows = []
    for d in _collect(scoped_orders(user, scope), now, calendar):
        if horizon_days is not None and d.due > now + dt.timedelta(days=horizon_days):
            continue
        rows.append(Row(d, d.status(now, calendar), d.remind_at(calendar), d.escalate_at(calendar)))
    order = {Status.MISSED: 0, Status.ESCALATED: 1, Status.DUE_SOON: 2, Status.UPCOMING: 3}
    return sorted(rows, key=lambda r: (order[r.status], r.deadline.due, r.deadline.key))


def hearings_for(user: Any, now: dt.datetime, *, since_days: int = 30) -> Iterable[Hearing]:
    """Hearings of the user's own cases (officer or team) from a month ago on, for the
    calendar feed; through restrict()."""
    orders = restrict(Order.objects.all(), user)
    mine = orders.filter(officer=user)
    if user.team_id:
        mine = mine | orders.filter(team_id=user.team_id)
    return (
        Hearing.objects.filter(
            order__in=mine.values("pk"),
            scheduled_for__gte=now - dt.timedelta(days=since_days),
        )
        .select_related("order")
        .order_by("scheduled_for")
    )


def deadlines_for_feed(
    user: Any, now: dt.datetime, *, calendar: Calendar | None = None, since_days: int = 30
) -> list[Deadline]:
    """The user's own deadlines (their cases and their team's, through restrict()) from a
    month ago on, for the calendar feed."""
    calendar = calendar or statutory_calendar()
    orders = restrict(Order.objects.all(), user)
    mine = orders.filter(officer=user)
    if user.team_id:
        mine = mine | orders.filter(team_id=user.team_id)
    found = _collect(mine, now, calendar)
    return [d for d in found if d.due >= now - dt.timedelta(days=since_days)]
