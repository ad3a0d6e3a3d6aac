"""Review tasks: decisions an order needs by a date (issue 5, item 4; docs/reminders.md).

- An order in force with a fixed term gets a task when its last day is near (how near, per
  order type: settings.SAFEGUARD_REVIEW_BEFORE_EXPIRY_DAYS): renew, let it lapse, or vary.
- An interim order in force whose main application has no hearing listed gets a task to have it
  listed (an interim order ends only when the main application is determined: SPA 2019 s.5(6)).

`sweep(today)` opens the tasks that are due and closes, as no longer needed, those whose reason
has gone (the order ended or was renewed; a hearing was listed). It is idempotent: the unique key
(order, kind, the date it is about) stops a second task for the same thing. The worker runs it
every hour (compliance/jobs.py); open tasks are deadlines in the queue, with reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safeguard.access.restrict import restrict
from safeguard.compliance.models import ReviewDecision, ReviewKind, ReviewTask
from safeguard.orders.models import Order, Outcome
from safeguard.orders.services import InvalidStep
from safeguard.rules.orders import State

# Which decisions fit which task.
DECISIONS = {
    ReviewKind.EXPIRY: (ReviewDecision.RENEW, ReviewDecision.LAPSE, ReviewDecision.VARY),
    ReviewKind.INTERIM_UNLISTED: (ReviewDecision.LIST_HEARING, ReviewDecision.WITHDRAW),
}


def review_days(order_type: str) -> int:
    table = settings.SAFEGUARD_REVIEW_BEFORE_EXPIRY_DAYS
    return int(table.get(order_type, table["default"]))


@dataclass
class SweepResult:
    opened: int = 0
    closed: int = 0


def _close(task: ReviewTask, note: str, now: dt.datetime) -> None:
    task.decision, task.note, task.closed_at = ReviewDecision.RESOLVED, note, now
    task.save(update_fields=["decision", "note", "closed_at"])


@transaction.atomic
def sweep(today: dt.date | None = None, *, orders: Any = None) -> SweepResult:
    now = timezone.now()
    today = today or timezone.localdate()
    result = SweepResult()
    orders = orders if orders is not None else Order.objects.all()
    live = orders.filter(state=State.IN_FORCE)

    # Orders nearing the end of a fixed term.
    for order in live.filter(ends_on__isnull=False, until_further_order=False):
        opens = order.ends_on - dt.timedelta(days=review_days(order.order_type))
        if today < opens or order.ends_on < today:
            continue
        # Decide a week before the end, or half way for short orders (a 14-day DVPO).
        days = min(7, max(1, (order.ends_on - opens).days // 2))
        _, created = ReviewTask.objects.get_or_create(
            order=order,
            kind=ReviewKind.EXPIRY,
            about_on=order.ends_on,
            defaults={"due_on": order.ends_on - dt.timedelta(days=days), "opened_at": now},
        )
        result.opened += created

    # Interim orders whose main application has no hearing listed.
    grace = dt.timedelta(days=settings.SAFEGUARD_INTERIM_UNLISTED_GRACE_DAYS)
    for interim in live.filter(order_type="interim-spo", parent__isnull=False).select_related(
        "parent"
    ):
        listed = interim.parent.hearings.filter(
            outcome=Outcome.PENDING, scheduled_for__gte=now
        ).exists()
        if listed or interim.parent.state not in (State.DRAFT, State.APPLIED):
            continue
        about = interim.made_on or today
        _, created = ReviewTask.objects.get_or_create(
            order=interim,
            kind=ReviewKind.INTERIM_UNLISTED,
            about_on=about,
            defaults={"due_on": max(about + grace, today), "opened_at": now},
        )
        result.opened += created

    # Close the tasks whose reason has gone.
    for task in ReviewTask.objects.filter(closed_at__isnull=True, order__in=orders).select_related(
        "order", "order__parent"
    ):
        order = task.order
        if order.state != State.IN_FORCE:
            _close(task, f"The order is {order.get_state_display().lower()}", now)
        elif task.kind == ReviewKind.EXPIRY and (
            order.until_further_order or order.ends_on != task.about_on
        ):
            _close(task, "The term was changed", now)
        elif (
            task.kind == ReviewKind.INTERIM_UNLISTED
            and order.parent is not None
            and order.parent.hearings.filter(
                outcome=Outcome.PENDING, scheduled_for__gte=now
            ).exists()
        ):
            _close(task, "The main application has a hearing date", now)
        else:
            continue
        result.closed += 1
    return result


def open_tasks_for(user: Any, scope_orders: QuerySet[Order] | None = None) -> list[ReviewTask]:
    """Open review tasks of the cases the user may see (through restrict())."""
    orders = scope_orders if scope_orders is not None else restrict(Order.objects.all(), user)
    return list(
        ReviewTask.objects.filter(closed_at__isnull=True, order__in=orders)
        .select_related("order", "order__officer")
        .order_by("due_on", "pk")
    )


def task_for(user: Any, pk: int, action: str = "view") -> ReviewTask:
    orders = restrict(Order.objects.all(), user, action).values("pk")
    task = ReviewTask.objects.filter(pk=pk, order__in=orders).select_related("order").first()
    if task is None:
        raise Http404("No such review task")
    return task


@transaction.atomic
def decide(user: Any, pk: int, decision: str, note: str = "") -> ReviewTask:
    """Record the decision on a review task. Renewing or varying then takes an application to
    the court, made on the order's page; letting an order lapse needs nothing more."""
    task = task_for(user, pk, "change")
    task = ReviewTask.objects.select_for_update().get(pk=task.pk)
    if task.closed_at is not None:
        raise InvalidStep("This review has already been decided")
    allowed = DECISIONS[ReviewKind(task.kind)]
    if decision not in allowed:
        raise InvalidStep("Choose one of the decisions offered")
    if decision != ReviewDecision.LAPSE and not note.strip():
        raise InvalidStep("Say what happens next (for example, when the application will be made)")
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    task.decision, task.note = decision, note.strip()
    task.decided_by, task.closed_at = user, timezone.now()
    task.save()
    return task
