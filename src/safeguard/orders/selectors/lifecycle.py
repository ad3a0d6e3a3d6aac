"""Reads for an order's life after it is made and for police notices (issue 4). Every query
starts from access.restrict; the deadlines come from the statutory clock (orders.services.
deadlines_for) and the notification rows, never restated here.

Deadlines are shown as a plain phrase with a date and time ("Hearing must start by 10:00 on
Tuesday 8 December 2026") and the time left, or how long overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safeguard.access import permissions
from safeguard.access.restrict import restrict
from safeguard.compliance.models import Breach, Notification, NotificationStatus, ReviewTask
from safeguard.orders.models import (
    Appeal,
    AppealOutcome,
    ApplicationKind,
    CourtApplication,
    Order,
    Outcome,
)
from safeguard.orders.selectors import NOTICE_TYPES
from safeguard.orders.services import deadlines_for
from safeguard.reports.models import PartyRole, Report, ReportParty
from safeguard.rules.calendar import LONDON
from safeguard.rules.orders import ORDER_TYPES, Action, State

# The order that follows each notice type: from the rules specs (follows_notice).
FOLLOWING_TYPE = {s.follows_notice: key for key, s in ORDER_TYPES.items() if s.follows_notice}
ACTION_FOR_KIND = {
    ApplicationKind.VARIATION: Action.VARY,
    ApplicationKind.RENEWAL: Action.RENEW,
    ApplicationKind.DISCHARGE: Action.DISCHARGE,
}


# --- Deadlines in words ---------------------------------------------------------------------


def when_text(due: dt.datetime) -> str:
    """ "10:00 on Tuesday 8 December 2026"; a deadline at the end of a day is "the end of ..."
    (GOV.UK style avoids "23:59" and "12am")."""
    local = due.astimezone(LONDON)
    day = f"{local:%A} {local.day} {local:%B %Y}"
    if (local.hour, local.minute) == (23, 59):
        return f"the end of {day}"
    if (local.hour, local.minute) == (0, 0):
        return f"midnight at the start of {day}"
    if (local.hour, local.minute) == (12, 0):
        return f"midday on {day}"
    return f"{local:%H:%M} on {day}"


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes and days == 0:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if not parts:
        return "less than a minute"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class Phrase:
    sentence: str  # "Hearing must start by 10:00 on Tuesday 8 December 2026"
    due: dt.datetime
    overdue: bool
    remaining: str  # "1 day and 3 hours left" or "2 hours overdue"
    soon: bool  # within a day


def phrase(subject: str, due: dt.datetime, now: dt.datetime) -> Phrase:
    """`subject` is the start of the sentence, e.g. "Hearing must start" or "Must notify"."""
    overdue = now > due
    remaining = f"{_span(now - due)} overdue" if overdue else f"{_span(due - now)} left"
    return Phrase(
        sentence=f"{subject} by {when_text(due)}",
        due=due,
        overdue=overdue,
        remaining=remaining,
        soon=not overdue and due - now <= dt.timedelta(days=1),
    )


# --- Access ---------------------------------------------------------------------------------


def order_to_view(user: Any, pk: int) -> Order:
    order = (
        restrict(Order.objects.all(), user).select_related("defendant", "force").filter(pk=pk)
    ).first()
    if order is None:
        raise Http404("No such order")
    return order


def may_change(user: Any, order: Order, *, visible: bool = False) -> bool:
    """Whether the user may change the order. For an order already read through restrict()
    (`visible`), a change rule of the same reach as the view rule answers without a query."""
    if visible and user is not None and getattr(user, "is_authenticated", False):
        view = permissions.rule_for(user.role, "order", "view")
        change = permissions.rule_for(user.role, "order", "change")
        if change is None:
            return False
        if view is not None and view.reach == change.reach:
            return permissions.allows(user, "order", "change")
    return restrict(Order.objects.filter(pk=order.pk), user, "change").exists()


# --- Notifications --------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationRow:
    notification: Notification
    status: str
    phrase: Phrase | None  # while not made


def _related(order: Order, name: str, queryset: QuerySet[Any]) -> list[Any]:
    """Rows the order page's selector already fetched through restrict() (orders.selectors.
    order_detail prefetches them), or else `queryset`, which must itself be restricted."""
    cache = getattr(order, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else list(queryset)


def notification_rows(user: Any, order: Order, now: dt.datetime) -> list[NotificationRow]:
    rows = []
    restricted = restrict(Notification.objects.filter(order=order), user).order_by("due_at")
    for n in sorted(_related(order, "notifications", restricted), key=lambda n: n.due_at):
        status = n.status(now)
        open_ = status in (NotificationStatus.DUE, NotificationStatus.OVERDUE)
        rows.append(
            NotificationRow(
                n,
                status.value,
                phrase("The defendant must notify", n.due_at, now) if open_ else None,
            )
        )
    return rows


def change_kinds(order: Order) -> list[str]:
    """The changes this order type makes the defendant notify (its spec's clock events)."""
    from safeguard.compliance.services import _MOMENT_FOR_KIND

    return [k.value for k, moment in _MOMENT_FOR_KIND.items() if moment in order.spec.clock_events]


# --- Reports for breaches and notices -------------------------------------------------------


def defendant_reports(user: Any, order: Order) -> list[tuple[int, str]]:
    """Reports the user may see in which the order's defendant is a party."""
    reports = (
        restrict(Report.objects.filter(report_parties__person=order.defendant_id), user)
        .distinct()
        .order_by("-reported_at")
    )
    return [(r.pk, f"{r.reference}: {r.get_offence_code_display()}") for r in reports[:200]]


def reports_for_notice(user: Any) -> QuerySet[Report]:
    return restrict(Report.objects.all(), user, "change").order_by("-reported_at")


def report_parties(user: Any, report: Report) -> list[ReportParty]:
    return list(
        restrict(ReportParty.objects.filter(report=report), user)
        .select_related("person")
        .order_by("role", "pk")
    )


def party_label(party: ReportParty) -> str:
    return f"{party.person.full_name} ({PartyRole(party.role).label.lower()})"


# --- The order page's "after the order" panel -----------------------------------------------


@dataclass
class Life:
    may_change: bool
    can_serve: bool
    can_record_breach: bool
    change_kinds: list[str]
    application_kinds: list[str]  # vary, renew, discharge: lawful now for this type and state
    can_appeal: bool
    pending_applications: list[CourtApplication] = field(default_factory=list)
    applications: list[CourtApplication] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    notifications: list[NotificationRow] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    overdue_notifications: int = 0
    expiry: str = ""  # in words
    ends_in: str = ""
    next_steps: list[str] = field(default_factory=list)
    review: ReviewTask | None = None
    is_notice: bool = False
    hearing: Phrase | None = None


def _lawful(order: Order, action: Action) -> bool:
    from safeguard.rules.orders import RuleViolation, check_action

    try:
        check_action(order.order_type, order.state, action)
    except RuleViolation:
        return False
    return True


def notice_deadline(order: Order, now: dt.datetime) -> Phrase | None:
    """The hearing deadline of a notice in force, from the statutory clock (CSA 2010 s.27(3);
    DAA 2021 s.27)."""
    if order.order_type not in NOTICE_TYPES or order.issued_at is None:
        return None
    deadlines = deadlines_for(order.order_type, "issued", order.issued_at)
    if not deadlines:
        return None
    return phrase("The hearing must start", deadlines[0].due, now)


def life_of(user: Any, order: Order, now: dt.datetime | None = None) -> Life:
    now = now or timezone.now()
    fields = permissions.visible_fields(user, "order")
    change = may_change(user, order, visible=True)  # the order page read it through restrict()
    in_force = order.state == State.IN_FORCE
    s = order.spec
    life = Life(
        may_change=change,
        can_serve=change and in_force and order.order_type not in NOTICE_TYPES,
        can_record_breach=change and in_force,
        change_kinds=change_kinds(order) if change and in_force else [],
        application_kinds=[
            k.value
            for k, action in ACTION_FOR_KIND.items()
            if change and action in s.actions and _lawful(order, action)
        ],
        can_appeal=change and bool(s.appeals) and order.made_on is not None,
        is_notice=order.order_type in NOTICE_TYPES,
    )
    if "court_applications" in fields:
        life.applications = list(
            restrict(CourtApplication.objects.filter(order=order), user).order_by("made_on", "pk")
        )
        life.pending_applications = [
            a for a in life.applications if a.outcome in (Outcome.PENDING, Outcome.ADJOURNED)
        ]
    if "appeals" in fields and s.appeals:
        life.appeals = list(restrict(Appeal.objects.filter(order=order), user))
    if "notifications" in fields:
        life.notifications = notification_rows(user, order, now)
        life.overdue_notifications = sum(
            1 for r in life.notifications if r.status == NotificationStatus.OVERDUE
        )
    if "breaches" in fields:
        breaches = _related(
            order,
            "breaches",
            restrict(Breach.objects.filter(order=order), user).order_by("-occurred_at"),
        )
        life.breaches = sorted(breaches, key=lambda b: b.occurred_at, reverse=True)
        # The report's reference is intelligence: only for those who work the case, and only
        # the reports they may see (one query, and none when no breach names a report).
        ids = {b.report_id for b in breaches if b.report_id}
        if change and ids:
            references = dict(
                restrict(Report.objects.filter(pk__in=ids), user).values_list("pk", "reference")
            )
            for b in life.breaches:
                setattr(b, "report_reference", references.get(b.report_id, ""))  # noqa: B010
    if life.is_notice and in_force and "deadlines" in fields:  # not an advocate's or admin's
        life.hearing = notice_deadline(order, now)
    _expiry(life, order, now)
    return life


def _expiry(life: Life, order: Order, now: dt.datetime) -> None:
    """When the order ends, and what happens next (renew, let it end, vary)."""
    s = order.spec
    today = timezone.localdate(now)
    if order.state != State.IN_FORCE:
        if order.ended_on:
            life.expiry = f"Ended on {order.ended_on.day} {order.ended_on:%B %Y}"
        return
    if s.term.lasts_until_hearing:
        life.expiry = "Lasts until the court decides the application for the order that follows it"
        follows = FOLLOWING_TYPE.get(order.order_type)
        if follows:
            life.next_steps.append(
                f"Apply to the magistrates' court for a {ORDER_TYPES[follows].title}: the "
                "notice lapses if the application is not heard in time."
            )
        return
    if order.until_further_order or order.ends_on is None:
        life.expiry = "Runs until further order: it ends only if the court discharges it"
        if ApplicationKind.DISCHARGE in life.application_kinds:
            life.next_steps.append("If it is no longer needed, apply to discharge it.")
        return
    days = (order.ends_on - today).days
    life.expiry = f"Ends at the end of {order.ends_on:%A} {order.ends_on.day} {order.ends_on:%B %Y}"
    life.ends_in = "Ends today" if days == 0 else f"{days} day{'s' if days != 1 else ''} left"
    if ApplicationKind.RENEWAL in life.application_kinds:
        life.next_steps.append(
            "If the person still needs protection, apply to renew it before it ends."
        )
    else:
        life.next_steps.append(
            f"A {s.title} cannot be renewed: if the person still needs protection, consider "
            "applying for another order before it ends."
        )
    life.next_steps.append(
        "If it should end on its date, nothing needs doing: it ends automatically."
    )
    life.review = (
        ReviewTask.objects.filter(order=order, closed_at__isnull=True).order_by("due_on").first()
    )


def pending_appeals(appeals: list[Appeal]) -> list[Appeal]:
    return [a for a in appeals if a.outcome == AppealOutcome.PENDING]
