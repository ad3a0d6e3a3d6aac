"""Reminders and escalation: who is told about which deadline, when, once (docs/reminders.md).

`run(now)` is the job the worker runs every few minutes (compliance/jobs.py):
1. it takes every open deadline (compliance/deadlines.py) and the latest stage it has reached:
   - remind: inside the reminder lead time: the officer in the case;
   - escalate: inside the escalation lead time (e.g. 12 hours before a DVPO hearing deadline):
     the supervisors, and the officer;
   - missed: the deadline passed and is still open: the supervisors, and the officer;
2. it records one Reminder row per (deadline, due time, stage, person). The table's unique key
   makes a second row impossible, so however many workers run, and however often they restart,
   nobody is told twice. A missed deadline older than SAFEGUARD_REMINDER_MISSED_WINDOW_DAYS is
   not announced (it shows on the queue page): switching reminders on does not send the history;
3. it sends the e-mails not yet sent, each row locked (FOR UPDATE SKIP LOCKED) while it is
   sent and marked sent in the same transaction.

Reminders show in the UI on the deadlines page. E-mails name the order's reference and what is
due, never a person: e-mail is less safe than the service.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import Role, User
from safeguard.compliance.deadlines import Deadline, all_open_deadlines
from safeguard.compliance.models import Reminder, ReminderStage
from safeguard.orders.services import statutory_calendar
from safeguard.rules.calendar import LONDON, Calendar

log = logging.getLogger(__name__)

MISSED_WINDOW_DAYS_DEFAULT = 7


@dataclass
class RunResult:
    deadlines: int = 0
    created: int = 0
    emailed: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def stage_for(
    deadline: Deadline, now: dt.datetime, calendar: Calendar, missed_window: dt.timedelta
) -> str | None:
    """The latest stage the deadline has reached at `now`, or None."""
    if now > deadline.due:
        if deadline.can_be_missed and now - deadline.due <= missed_window:
            return ReminderStage.MISSED
        return None
    if now >= deadline.escalate_at(calendar):
        return ReminderStage.ESCALATE
    if now >= deadline.remind_at(calendar):
        return ReminderStage.REMIND
    return None


class Recipients:
    """Who is told, per order: the officer in the case (or, with none, the force's
    coordinators); for escalations, the supervisors of the order's team (or, with none, every
    supervisor of the force)."""

    def __init__(self) -> None:
        users = User.objects.filter(
            is_active=True, role__in=[Role.SUPERVISOR, Role.COORDINATOR], force__isnull=False
        )
        self._by_force: dict[int, list[User]] = {}
        for user in users:
            self._by_force.setdefault(user.force_id, []).append(user)  # type: ignore[arg-type]

    def owners(self, deadline: Deadline) -> list[User]:
        officer = deadline.order.officer
        if officer is not None and officer.is_active:
            return [officer]
        return [
            u for u in self._by_force.get(deadline.order.force_id, []) if u.role == Role.COORDINATOR
        ]

    def supervisors(self, deadline: Deadline) -> list[User]:
        force = [
            u for u in self._by_force.get(deadline.order.force_id, []) if u.role == Role.SUPERVISOR
        ]
        team = [u for u in force if deadline.order.team_id and u.team_id == deadline.order.team_id]
        return team or force

    def for_stage(self, deadline: Deadline, stage: str) -> list[User]:
        people = list(self.owners(deadline))
        if stage != ReminderStage.REMIND:
            people += self.supervisors(deadline)
        unique: dict[int, User] = {u.pk: u for u in people}
        return list(unique.values())


def run(now: dt.datetime | None = None, *, send: bool = True) -> RunResult:
    """Record the reminders due at `now` and send their e-mails. Safe to run at any time, as
    often as you like, in as many workers as you like."""
    started = timezone.now()
    now = now or timezone.now()
    calendar = statutory_calendar()
    window = dt.timedelta(
        days=getattr(settings, "SAFEGUARD_REMINDER_MISSED_WINDOW_DAYS", MISSED_WINDOW_DAYS_DEFAULT)
    )
    result = RunResult()
    deadlines = all_open_deadlines(now, calendar=calendar)
    result.deadlines = len(deadlines)
    recipients = Recipients()
    rows: list[Reminder] = []
    for deadline in deadlines:
        stage = stage_for(deadline, now, calendar, window)
        if stage is None:
            continue
        for person in recipients.for_stage(deadline, stage):
            rows.append(
                Reminder(
                    deadline_key=deadline.key,
                    stage=stage,
                    recipient=person,
                    order=deadline.order,
                    what=deadline.what[:300],
                    basis=deadline.basis[:200],
                    due_at=deadline.due,
                    created_at=now,
                )
            )
    if rows:
        keys = {r.deadline_key for r in rows}
        before = Reminder.objects.filter(deadline_key__in=keys).count()
        # The unique key turns a second insert of the same reminder into nothing at all.
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        result.created = Reminder.objects.filter(deadline_key__in=keys).count() - before
        for r in rows:
            result.by_stage[r.stage] = result.by_stage.get(r.stage, 0) + 1
    if send:
        result.emailed = send_pending()
    result.seconds = (timezone.now() - started).total_seconds()
    return result


def _absolute(path: str) -> str:
    return settings.SAFEGUARD_BASE_URL.rstrip("/") + path


def email_for(reminder: Reminder) -> tuple[str, str]:
    due = reminder.due_at.astimezone(LONDON)
    when = f"{due:%H:%M} on {due:%A} {due.day} {due:%B %Y}"
    heading = {
        ReminderStage.REMIND: "Deadline coming up",
        ReminderStage.ESCALATE: "Deadline near: escalated to a supervisor",
        ReminderStage.MISSED: "Deadline missed",
    }[ReminderStage(reminder.stage)]
    subject = f"Safeguard: {heading.split(':')[0]}, {reminder.order.reference}"
    body = "\n".join(
        [
            f"{heading}.",
            "",
            f"Order: {reminder.order.reference}",
            f"What: {reminder.what}",
            f"{'Was due' if reminder.stage == ReminderStage.MISSED else 'Due'}: {when}",
            f"Law: {reminder.basis}" if reminder.basis else "",
            "",
            f"Open the order: {_absolute(reverse('order-detail', args=[reminder.order_id]))}",
            f"Your deadlines: {_absolute(reverse('deadlines'))}",
            "",
            "You get this because you are the officer in the case or their supervisor. Names "
            "are never put in e-mails: sign in to see the case.",
        ]
    )
    return subject, body


def send_pending(limit: int | None = None) -> int:
    """Send the e-mails of reminders not yet e-mailed, one row lock each. Rows whose recipient
    has no e-mail address stay on the page only."""
    sent = 0
    pending = Q(emailed_at__isnull=True) & ~Q(recipient__email="")
    while limit is None or sent < limit:
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "order")
                .filter(pending)
                .order_by("pk")
                .first()
            )
            if reminder is None:
                break
            subject, body = email_for(reminder)
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [reminder.recipient.email],
                fail_silently=False,
            )
            reminder.emailed_at = timezone.now()
            reminder.save(update_fields=["emailed_at"])
            sent += 1
    return sent


# --- In the UI ---------------------------------------------------------------------------------


def unread_for(user: Any, *, limit: int = 50) -> list[Reminder]:
    """The user's unread reminders about cases they may still see (through restrict())."""
    from safeguard.access.restrict import restrict
    from safeguard.orders.models import Order

    visible = restrict(Order.objects.all(), user).values("pk")
    return list(
        Reminder.objects.filter(recipient=user, read_at__isnull=True, order__in=visible)
        .select_related("order")
        .order_by("-created_at", "-pk")[:limit]
    )


def mark_read(user: Any, reminder_ids: list[int] | None = None) -> int:
    """Mark the user's own reminders read (all of them, or those given)."""
    mine = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    if reminder_ids is not None:
        mine = mine.filter(pk__in=reminder_ids)
    return mine.update(read_at=timezone.now())
