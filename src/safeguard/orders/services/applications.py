"""The application builder and the legal review (issue 4): the writes a coordinator and a legal
adviser make to a draft SPO application, and the reads their pages need.

Writes take the order's row lock and check the version the user's form was read at (through
orders.services), so a second writer gets ConcurrentEdit, never a silent overwrite; every state
change goes through orders.services (submit_application, schedule_hearing, record_outcome),
which asks the rules specs. Reads start from access.restrict.

The law (Stalking Protection Act 2019):
- s.1(1) and s.2(1): the three tests the application must show evidence for (the spec's tests);
- s.1(2): prohibitions and requirements; s.2(2): each must itself be necessary, so a condition
  without a necessity justification is refused here and again by submit_application;
- s.5: an interim SPO, applied for with the main application or later, while it is undetermined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind, User
from safeguard.access.restrict import restrict
from safeguard.orders import services
from safeguard.orders.models import (
    Condition,
    Hearing,
    HearingKind,
    LegalReview,
    Order,
    Outcome,
    ReviewDecision,
)
from safeguard.orders.services import ConcurrentEdit, InvalidStep, ProposedCondition
from safeguard.reports.models import Report
from safeguard.rules.orders import RuleViolation, State

__all__ = ["ConcurrentEdit", "InvalidStep", "RuleViolation"]

# The order types the builder prepares (SPA 2019 s.1 and s.5).
APPLICATION_TYPES = ("spo", "interim-spo")
# The reports cited for a test are kept as the evidence's last line, so Order.grounds stays
# {test number: text}, as the API, the documents and the demo read it.
REPORTS_LINE = "Reports relied on: "


# --- Evidence for each test (Order.grounds) --------------------------------------------------


def evidence_for(order: Order, number: int) -> str:
    """The evidence written against test `number` (1-based). Screening writes
    {"test": ..., "evidence": ...}; everything else a plain string."""
    value = (order.grounds or {}).get(str(number), "")
    if isinstance(value, dict):
        value = value.get("evidence", "")
    return str(value or "")


def split_evidence(text: str) -> tuple[str, list[str]]:
    """(the evidence in the writer's words, the report references cited for it)."""
    lines = text.rstrip().split("\n")
    if lines and lines[-1].startswith(REPORTS_LINE):
        refs = [r.strip() for r in lines[-1][len(REPORTS_LINE) :].split(",") if r.strip()]
        return "\n".join(lines[:-1]).rstrip(), refs
    return text.strip(), []


def join_evidence(text: str, refs: Sequence[str]) -> str:
    text = text.strip()
    if refs:
        text = (
            f"{text}\n{REPORTS_LINE}{', '.join(refs)}" if text else REPORTS_LINE + ", ".join(refs)
        )
    return text


# --- Task statuses --------------------------------------------------------------------------


class TaskStatus(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"
    OPTIONAL = "Optional"


@dataclass(frozen=True)
class Task:
    key: str  # the view's task key, e.g. "test-1", "conditions"
    title: str
    status: TaskStatus
    hint: str = ""
    required: bool = True


def tasks_for(order: Order) -> list[Task]:
    """The builder's tasks and their statuses, from an order read by application_order()."""
    s = order.spec
    found = []
    for number, test in enumerate(s.tests, start=1):
        text, _ = split_evidence(evidence_for(order, number))
        found.append(
            Task(
                f"test-{number}",
                f"Test {number}: {test.text[0].lower()}{test.text[1:]}",
                TaskStatus.COMPLETED if text else TaskStatus.NOT_STARTED,
                test.basis,
            )
        )
    reports = list(order.reports.all())
    found.append(
        Task(
            "chronology",
            "Chronology of incidents",
            TaskStatus.COMPLETED if reports else TaskStatus.NOT_STARTED,
            f"{len(reports)} linked report{'s' if len(reports) != 1 else ''}",
            required=False,
        )
    )
    found.append(
        Task(
            "victim-views",
            "The victim's views",
            TaskStatus.COMPLETED if order.victim_views.strip() else TaskStatus.NOT_STARTED,
        )
    )
    conditions = list(order.conditions.all())
    if not conditions:
        cond_status = TaskStatus.NOT_STARTED
    elif any(not c.necessity.strip() for c in conditions):
        cond_status = TaskStatus.IN_PROGRESS
    else:
        cond_status = TaskStatus.COMPLETED
    found.append(
        Task(
            "conditions",
            "Prohibitions and requirements",
            cond_status,
            "Each must be necessary to protect the person (Stalking Protection Act 2019 s.2(2))",
        )
    )
    if order.order_type == "spo":
        interims = [c for c in order.children.all() if c.order_type == "interim-spo"]
        found.append(
            Task(
                "interim",
                "Interim order",
                TaskStatus.COMPLETED if interims else TaskStatus.OPTIONAL,
                "Stalking Protection Act 2019 s.5",
                required=False,
            )
        )
    found.append(
        Task(
            "court",
            "Court and hearing date",
            TaskStatus.COMPLETED if order.court.strip() else TaskStatus.NOT_STARTED,
        )
    )
    return found


def missing_tasks(order: Order) -> list[Task]:
    return [t for t in tasks_for(order) if t.required and t.status != TaskStatus.COMPLETED]


def waiting_review(order: Order) -> LegalReview | None:
    """The review waiting for the adviser, from the order's prefetched reviews."""
    return next(
        (r for r in order.legal_reviews.all() if r.decision == ReviewDecision.PENDING), None
    )


def latest_review(order: Order) -> LegalReview | None:
    reviews = list(order.legal_reviews.all())
    return reviews[-1] if reviews else None


def pending_hearing(order: Order) -> Hearing | None:
    return next((h for h in order.hearings.all() if h.outcome == Outcome.PENDING), None)


# --- Reads ----------------------------------------------------------------------------------


def _application_orders(user: Any, action: str) -> QuerySet[Order]:
    return (
        restrict(Order.objects.all(), user, action)
        .select_related("defendant", "officer", "team", "parent")
        .prefetch_related(
            "protected_persons",
            Prefetch(
                "reports",
                queryset=restrict(Report.objects.all(), user).order_by(
                    "occurred_from", "reported_at", "pk"
                ),
            ),
            Prefetch("conditions", queryset=restrict(Condition.objects.all(), user)),
            Prefetch("hearings", queryset=restrict(Hearing.objects.all(), user)),
            Prefetch("children", queryset=restrict(Order.objects.order_by("created_at"), user)),
            Prefetch(
                "legal_reviews",
                queryset=restrict(LegalReview.objects.all(), user).select_related(
                    "requested_by", "decided_by"
                ),
            ),
        )
    )


def application_order(user: Any, pk: int, action: str = "change") -> Order:
    """One order with what the builder, review and hearing pages show, if the user may
    `action` it; Http404 otherwise (existence is not disclosed). Opening it is logged."""
    order = get_object_or_404(_application_orders(user, action), pk=pk)
    audit.record(AuditKind.VIEW, user=user, table_name=Order._meta.db_table, object_id=order.pk)
    return order


def _latest_decision() -> Subquery:
    return Subquery(
        LegalReview.objects.filter(order=OuterRef("pk"))
        .order_by("-requested_at", "-pk")
        .values("decision")[:1]
    )


def drafts_for(user: Any, decision: str | None) -> QuerySet[Order]:
    """Draft applications the user may change whose latest legal review has this decision
    (None: never sent for review), oldest first."""
    drafts = (
        restrict(Order.objects.all(), user, "change")
        .filter(state=State.DRAFT, order_type__in=APPLICATION_TYPES)
        .select_related("defendant", "officer")
        .alias(review_decision=_latest_decision())
    )
    if decision is None:
        drafts = drafts.filter(review_decision__isnull=True)
    else:
        drafts = drafts.filter(review_decision=decision)
    return drafts.order_by("created_at", "pk")


def reviews_waiting(user: Any) -> QuerySet[LegalReview]:
    """Reviews waiting for a decision that the user may decide, oldest first."""
    return (
        restrict(LegalReview.objects.filter(decision=ReviewDecision.PENDING), user, "change")
        .filter(order__in=restrict(Order.objects.all(), user).values("pk"))
        .select_related("order__defendant", "requested_by")
        .order_by("requested_at", "pk")
    )


def may_decide_reviews(user: Any) -> bool:
    return permissions.allows(user, "legal_review", "change")


# --- Writes ---------------------------------------------------------------------------------


def _check_editable(order: Order) -> None:
    if order.order_type not in APPLICATION_TYPES:
        raise InvalidStep(f"A {order.spec.title} is not prepared with the application builder")
    if order.state != State.DRAFT:
        raise InvalidStep(
            f"The application for {order.reference} has been made to the court; it can no "
            "longer be changed here"
        )
    if order.legal_reviews.filter(decision=ReviewDecision.PENDING).exists():
        raise InvalidStep(
            "The application is with the legal adviser for review. You can change it again "
            "when they have decided"
        )


@transaction.atomic
def save_evidence(
    order: Order,
    number: int,
    evidence: str,
    report_references: Sequence[str],
    *,
    expected_version: int | None,
    by: User | None,
) -> Order:
    """The evidence for statutory test `number` (SPA 2019 s.2(1)(a)-(c); s.5(3) for an
    interim order), with the linked reports it relies on."""
    order = services.lock_order(order, expected_version)
    _check_editable(order)
    if not 1 <= number <= len(order.spec.tests):
        raise InvalidStep(f"A {order.spec.title} has no test {number}")
    linked = set(order.reports.values_list("reference", flat=True))
    unknown = [r for r in report_references if r not in linked]
    if unknown:
        raise InvalidStep(f"Cite only reports linked to this application; not: {unknown}")
    grounds = dict(order.grounds or {})
    grounds[str(number)] = join_evidence(evidence, report_references)
    order.grounds = grounds
    services.bump_version(order, ["grounds"])
    return order


@transaction.atomic
def save_victim_views(
    order: Order, views: str, *, expected_version: int | None, by: User | None
) -> Order:
    order = services.lock_order(order, expected_version)
    _check_editable(order)
    order.victim_views = views.strip()
    services.bump_version(order, ["victim_views"])
    return order


@transaction.atomic
def save_court(
    order: Order,
    court: str,
    hearing_at: dt.datetime | None,
    *,
    expected_version: int | None,
    by: User | None,
) -> Order:
    """The court the application goes to and, if the court has given one, the hearing date.
    The hearing is listed on the draft (as orders.services.schedule_hearing lists any), so
    submitting the application does not list it again."""
    order = services.lock_order(order, expected_version)
    _check_editable(order)
    if not court.strip():
        raise InvalidStep("Enter the name of the magistrates' court")
    order.court = court.strip()
    kind = HearingKind.INTERIM if order.spec.interim_for else HearingKind.APPLICATION
    listed = order.hearings.filter(outcome=Outcome.PENDING, kind=kind).first()
    if listed and hearing_at:
        listed.scheduled_for, listed.court = hearing_at, order.court
        listed.save(update_fields=["scheduled_for", "court"])
    elif listed:
        listed.delete()
    elif hearing_at:
        Hearing.objects.create(order=order, kind=kind, scheduled_for=hearing_at, court=order.court)
    services.bump_version(order, ["court"])
    return order


@transaction.atomic
def add_condition(
    order: Order,
    code: str,
    *,
    necessity: str,
    wording: str = "",
    locality: str = "",
    expected_version: int | None,
    by: User | None,
) -> Condition:
    """Propose a prohibition or requirement from the order type's catalogue. SPA 2019 s.2(2):
    each must itself be necessary to protect the person, so one without a reason is refused."""
    order = services.lock_order(order, expected_version)
    _check_editable(order)
    if not necessity.strip():
        raise RuleViolation(
            "Explain why this condition is necessary to protect the person",
            basis="Stalking Protection Act 2019 s.2(2)",
        )
    proposed = ProposedCondition(
        code, necessity=necessity.strip(), wording=wording.strip(), locality=locality.strip()
    )
    return services.propose_condition(order, proposed, expected_version=order.version, by=by)


@transaction.atomic
def remove_condition(
    order: Order, condition_id: int, *, expected_version: int | None, by: User | None
) -> Order:
    order = services.lock_order(order, expected_version)
    _check_editable(order)
    deleted, _ = order.conditions.filter(pk=condition_id, granted=False).delete()
    if not deleted:
        raise InvalidStep("That condition is not proposed in this application")
    services.bump_version(order)
    return order


@transaction.atomic
def start_interim(order: Order, *, expected_version: int | None, by: User | None) -> Order:
    """A draft interim SPO application for this main application (SPA 2019 s.5(2): made with
    it or later, by the same chief officer), naming the same people and reports."""
    order = services.lock_order(order, expected_version)
    _check_editable(order)
    if order.order_type != "spo":
        raise InvalidStep("An interim order is asked for on a full SPO application")
    if order.children.filter(order_type="interim-spo").exists():
        raise InvalidStep("An interim application has already been started")
    interim = services.create_order(
        force=order.force,
        order_type="interim-spo",
        defendant=order.defendant,
        protected_persons=list(order.protected_persons.all()),
        by=by,
        reports=list(order.reports.all()),
        officer=order.officer,
        team=order.team,
        parent=order,
        court=order.court,
        victim_views=order.victim_views,
    )
    services.bump_version(order)
    return interim


@transaction.atomic
def request_review(
    order: Order,
    note: str,
    *,
    expected_version: int | None,
    by: User | None,
    at: dt.datetime | None = None,
) -> LegalReview:
    """Send the application to the force's legal advisers. Every required task must be done.
    `at`: when it was sent (default now; the demo gives its own clock's time)."""
    order = services.lock_order(order, expected_version)
    _check_editable(order)
    missing = missing_tasks(order)
    if missing:
        raise InvalidStep(
            "Complete every task before asking for review; still to do: "
            + "; ".join(t.title for t in missing)
        )
    services.bump_version(order)
    return LegalReview.objects.create(
        order=order,
        requested_by=by,
        requested_at=at or timezone.now(),
        order_version=order.version,
        note=note.strip(),
    )


@transaction.atomic
def decide_review(
    order: Order,
    decision: str,
    comments: str,
    *,
    expected_version: int | None,
    by: User | None,
    at: dt.datetime | None = None,
) -> LegalReview:
    """The adviser's decision. Changes requested: back to the coordinator with the comments.
    Approved: the application is made to the court (orders.services.submit_application, which
    checks it is complete); if the court cannot take it, nothing is recorded and the refusal is
    raised for the page to show."""
    order = services.lock_order(order, expected_version)
    at = at or timezone.now()
    review = order.legal_reviews.select_for_update().filter(decision=ReviewDecision.PENDING).first()
    if review is None:
        raise InvalidStep(f"No application for {order.reference} is waiting for review")
    if by is not None and review.requested_by_id == by.pk:
        # A review is someone else's check: whoever sent it (a legal adviser may use the
        # builder too) cannot decide it and so make the application to the court alone.
        raise InvalidStep("You sent this application for review: another legal adviser decides it")
    if decision not in (ReviewDecision.APPROVED, ReviewDecision.CHANGES_REQUESTED):
        raise InvalidStep("Choose whether to approve the application or ask for changes")
    if decision == ReviewDecision.CHANGES_REQUESTED and not comments.strip():
        raise InvalidStep("Say what needs to change, so the coordinator can put it right")
    review.decision, review.comments = decision, comments.strip()
    review.decided_by, review.decided_at = by, at
    review.save(update_fields=["decision", "comments", "decided_by", "decided_at"])
    if decision == ReviewDecision.APPROVED:
        services.submit_application(order, expected_version=order.version, by=by, at=at)
    else:
        services.bump_version(order)
    return review


@transaction.atomic
def record_hearing(
    order: Order,
    outcome: str,
    *,
    decided_at: dt.datetime,
    expected_version: int | None,
    by: User | None,
    reasons: str = "",
    ends_on: dt.date | None = None,
    until_further_order: bool = False,
    granted_condition_ids: Sequence[int] | None = None,
    next_hearing_at: dt.datetime | None = None,
) -> Order:
    """The outcome of the application's hearing (orders.services.record_outcome); for an
    adjournment, the new date is listed (orders.services.schedule_hearing)."""
    order = services.lock_order(order, expected_version)
    if order.state != State.APPLIED:
        raise InvalidStep(
            f"Only an application waiting for the court has a hearing to record; "
            f"{order.reference} is {order.get_state_display().lower()}"
        )
    granted: list[ProposedCondition] | None = None
    if outcome == Outcome.GRANTED_CHANGED:
        chosen = list(order.conditions.filter(pk__in=list(granted_condition_ids or [])))
        if not chosen:
            raise InvalidStep("Select the conditions the court granted")
        granted = [
            ProposedCondition(c.code, necessity=c.necessity, wording=c.wording, locality=c.locality)
            for c in chosen
        ]
    if outcome == Outcome.ADJOURNED and next_hearing_at is None:
        raise InvalidStep("Enter the date of the adjourned hearing")
    hearing = order.hearings.filter(outcome=Outcome.PENDING).order_by("scheduled_for").first()
    kind = hearing.kind if hearing else HearingKind.APPLICATION
    order = services.record_outcome(
        order,
        outcome,
        expected_version=order.version,
        by=by,
        decided_at=decided_at,
        made_on=timezone.localdate(decided_at),
        ends_on=None if until_further_order else ends_on,
        until_further_order=until_further_order,
        granted_conditions=granted,
        reasons=reasons,
        hearing=hearing,
    )
    if outcome == Outcome.ADJOURNED and next_hearing_at is not None:
        services.schedule_hearing(
            order,
            scheduled_for=next_hearing_at,
            kind=kind,
            court=order.court,
            expected_version=order.version,
            by=by,
        )
        order.refresh_from_db()
    return order
