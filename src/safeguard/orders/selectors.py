"""Read queries for orders: every one starts from access.restrict (DESIGN.md, Protecting victims).

Views ask these functions and never build querysets of case data themselves. Each query fetches
its related rows up front (select_related/prefetch_related), so a page runs a fixed number of
queries however many orders it shows. People reached through an order (its defendant and
protected persons) are shown by name only; their protected details are never read here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OrderBy, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguard.access import audit, permissions
from safeguard.access.context_processors import capabilities_for
from safeguard.access.models import AuditKind, Role
from safeguard.access.restrict import FORCE_WIDE_ROLES, may, restrict
from safeguard.compliance.models import Breach, Notification
from safeguard.orders.models import (
    Condition,
    Hearing,
    Order,
    Service,
    StateChange,
)
from safeguard.orders.services import deadlines_for
from safeguard.people.models import Person
from safeguard.rules.clock import Deadline, end_of_day
from safeguard.rules.orders import ORDER_TYPES, State

# How far ahead the dashboard looks for fixed terms that are ending.
ENDING_WITHIN_DAYS = 90
BREACH_WINDOW_DAYS = 30

# Order types whose hearing deadline runs from the moment the notice is given (DVPN, DAPN): read
# from the rules specs, never hard-coded.
NOTICE_TYPES = tuple(key for key, s in ORDER_TYPES.items() if "issued" in s.clock_events)


def _nulls_last(field: str, descending: bool) -> OrderBy:
    return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)


# The list page's sort keys and what each orders by; "-key" sorts descending. The reference is
# the tie-breaker, so pages never shuffle between requests.
SORT_KEYS = ("reference", "type", "defendant", "state", "made_on", "ends_on")
DEFAULT_SORT = "-made_on"
SORT_CHOICES = tuple(key for k in SORT_KEYS for key in (k, f"-{k}"))


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        return _ordering(DEFAULT_SORT)
    fields = {
        "reference": ["reference"],
        "type": ["order_type"],
        "defendant": ["defendant__surname", "defendant__given_name"],
        "state": ["state"],
        "made_on": ["made_on"],
        "ends_on": ["ends_on"],
    }[key]
    return [*(_nulls_last(f, descending) for f in fields), "reference", "pk"]


def sees_case_records(user: Any) -> bool:
    """Whether the user's role includes case records at all (analysts and national
    administrators work with aggregates only): the same answer the navigation uses."""
    return capabilities_for(user).sees_case_records


def case_scope(user: Any) -> str:
    """In words for the dashboard, which case records restrict() gives the user: "force" (every
    record of their force), "own" (those assigned to them or their team) or "linked" (only cases
    they are linked to: victim advocates, issue 3)."""
    if user.role in FORCE_WIDE_ROLES:
        return "force"
    return "own" if user.role == Role.OFFICER else "linked"


def orders_for(
    user: Any, *, order_type: str = "", state: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[Order]:
    """The orders the user may see, filtered and sorted for the list page."""
    orders = restrict(Order.objects.all(), user).select_related("defendant")
    if order_type:
        orders = orders.filter(order_type=order_type)
    if state:
        orders = orders.filter(state=state)
    return orders.order_by(*_ordering(sort))


def order_detail(user: Any, pk: int) -> Order:
    """One order with everything its page shows, or Http404 if the user may not see it: the
    same answer as for an order that does not exist, so existence is not disclosed.

    Opening an order is a consultation, so it is logged in the audit trail (DPA 2018 s.62).
    """
    orders = (
        restrict(Order.objects.all(), user)
        .select_related("defendant", "officer", "team", "force")
        .prefetch_related(
            "protected_persons",
            Prefetch("conditions", queryset=restrict(Condition.objects.all(), user)),
            Prefetch("hearings", queryset=restrict(Hearing.objects.all(), user)),
            Prefetch("services", queryset=restrict(Service.objects.all(), user)),
            Prefetch(
                "state_changes",
                queryset=restrict(StateChange.objects.select_related("by"), user),
            ),
            Prefetch("notifications", queryset=restrict(Notification.objects.all(), user)),
            Prefetch("breaches", queryset=restrict(Breach.objects.all(), user)),
            Prefetch("children", queryset=restrict(Order.objects.order_by("created_at"), user)),
        )
    )
    order = get_object_or_404(orders, pk=pk)
    audit.record(AuditKind.VIEW, user=user, table_name=Order._meta.db_table, object_id=order.pk)
    return order


@dataclass(frozen=True)
class OrderAccess:
    """What the user may see and do on an order's page, from the permission table."""

    fields: frozenset[str]  # the order's fields the page may show (permissions.visible_fields)
    people: frozenset[int]  # the defendant and protected persons whose page the user may open
    may_audit: bool

    @property
    def restricted(self) -> bool:
        """Whether this is a partial view (e.g. a victim advocate's safety-planning view)."""
        return self.fields != frozenset(permissions.OBJECTS["order"].fields)


def order_access(user: Any, order: Order) -> OrderAccess:
    named = [order.defendant_id, *(p.pk for p in order.protected_persons.all())]
    people = restrict(Person.objects.filter(pk__in=named), user).values_list("pk", flat=True)
    return OrderAccess(
        fields=permissions.visible_fields(user, "order"),
        people=frozenset(people),
        may_audit=permissions.allows(user, "audit_event", "view") and may(user, order, "audit"),
    )


def parent_order(user: Any, order: Order) -> Order | None:
    """The order's parent (the main application, or the notice it follows), if the user may see
    it; None otherwise, so a parent outside the user's scope is not disclosed."""
    if order.parent_id is None:
        return None
    return restrict(Order.objects.filter(pk=order.parent_id), user).first()


@dataclass(frozen=True)
class ClockDeadline:
    moment: str  # the lifecycle moment that started it: "issued", "served" or "made"
    started_at: dt.datetime
    deadline: Deadline


def clock_deadlines(order: Order) -> list[ClockDeadline]:
    """The deadlines the statutory clock gives for what has happened to the order so far."""
    tz = timezone.get_current_timezone()
    moments: dict[str, dt.datetime | None] = {
        "issued": order.issued_at,
        "served": order.served_at,
        # The statutes count "beginning with the day made": any time on that day gives the same
        # result; noon keeps clear of midnight on a clock-change day.
        "made": dt.datetime.combine(order.made_on, dt.time(12), tzinfo=tz)
        if order.made_on
        else None,
    }
    found: list[ClockDeadline] = []
    for moment, at in moments.items():
        if at is None or moment not in order.spec.clock_events:
            continue
        found.extend(
            ClockDeadline(moment, at, d) for d in deadlines_for(order.order_type, moment, at)
        )
    return sorted(found, key=lambda c: c.deadline.due)


@dataclass(frozen=True)
class DashboardCounts:
    in_force: int
    applications_pending: int
    notifications_overdue: int
    breaches_recent: int


def dashboard_counts(user: Any, now: dt.datetime | None = None) -> DashboardCounts:
    now = now or timezone.now()
    orders = restrict(Order.objects.all(), user).aggregate(
        in_force=Count("pk", filter=Q(state=State.IN_FORCE)),
        pending=Count("pk", filter=Q(state=State.APPLIED)),
    )
    overdue = restrict(
        Notification.objects.filter(
            notified_at__isnull=True, due_at__lt=now, order__state=State.IN_FORCE
        ),
        user,
    ).count()
    breaches = restrict(
        Breach.objects.filter(occurred_at__gte=now - dt.timedelta(days=BREACH_WINDOW_DAYS)), user
    ).count()
    return DashboardCounts(
        in_force=orders["in_force"],
        applications_pending=orders["pending"],
        notifications_overdue=overdue,
        breaches_recent=breaches,
    )


@dataclass(frozen=True)
class UpcomingDeadline:
    due: dt.datetime
    what: str
    basis: str
    order: Order
    overdue: bool
    date_only: bool = False  # a day (a fixed term's last day), not a moment


def upcoming_deadlines(
    user: Any, now: dt.datetime | None = None, *, limit: int = 20
) -> list[UpcomingDeadline]:
    """The nearest deadlines across the user's live orders, soonest (or most overdue) first:
    notifications not yet made, notices' hearing deadlines, and fixed terms ending soon."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found: list[UpcomingDeadline] = []

    notifications = (
        restrict(
            Notification.objects.filter(notified_at__isnull=True, order__state=State.IN_FORCE),
            user,
        )
        .select_related("order__defendant")
        .order_by("due_at")[:limit]
    )
    found += [
        UpcomingDeadline(
            due=n.due_at,
            what=f"{n.get_kind_display()} due",
            basis=n.basis,
            order=n.order,
            overdue=n.due_at < now,
        )
        for n in notifications
    ]

    notices = restrict(
        Order.objects.filter(
            state=State.IN_FORCE, order_type__in=NOTICE_TYPES, issued_at__isnull=False
        ),
        user,
    ).select_related("defendant")
    for notice in notices:
        found += [
            UpcomingDeadline(
                due=d.due, what=d.description, basis=d.basis, order=notice, overdue=d.due < now
            )
            for d in deadlines_for(notice.order_type, "issued", notice.issued_at)
        ]

    ending = (
        restrict(
            Order.objects.filter(
                state=State.IN_FORCE,
                ends_on__gte=today,
                ends_on__lte=today + dt.timedelta(days=ENDING_WITHIN_DAYS),
            ),
            user,
        )
        .select_related("defendant")
        .order_by("ends_on", "reference")[:limit]
    )
    found += [
        UpcomingDeadline(
            due=end_of_day(o.ends_on),
            what="Fixed term ends",
            basis=o.spec.term.basis,
            order=o,
            overdue=False,
            date_only=True,
        )
        for o in ending
    ]
    return sorted(found, key=lambda u: u.due)[:limit]
