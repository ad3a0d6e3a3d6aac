"""Pages of the application builder, the legal review and the hearing (issue 4).

Thin: reads and writes through orders/services/applications.py (restrict; its writes call
orders.services). Every change is a POST with CSRF and the order's version, in the one flow of
views/changes.py: a stale form comes back with a clear error and everything the user typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguard.access import permissions
from safeguard.compliance import deadlines as compliance_deadlines
from safeguard.govuk import paginate
from safeguard.orders.forms.application import (
    ApplicationForm,
    ConditionForm,
    CourtForm,
    DecisionForm,
    EvidenceForm,
    HearingOutcomeForm,
    ReviewRequestForm,
    VersionForm,
    VictimViewsForm,
)
from safeguard.orders.models import ConditionKind, Order, ReviewDecision
from safeguard.orders.services import applications
from safeguard.orders.views.changes import form_view, save
from safeguard.rules.orders import State

QUEUE_PAGE_SIZE = 10
DEADLINE_DAYS = 7  # the work queue shows deadlines due within a week, and every missed one

TASK_URLS = {
    "chronology": "application-chronology",
    "victim-views": "application-victim-views",
    "conditions": "application-conditions",
    "interim": "application-interim",
    "court": "application-court",
}


def _task_url(order: Order, key: str) -> str:
    if key.startswith("test-"):
        return reverse("application-test", args=[order.pk, int(key.removeprefix("test-"))])
    return reverse(TASK_URLS[key], args=[order.pk])


def _builder_order(request: HttpRequest, pk: int) -> Order:
    return applications.application_order(request.user, pk, "change")


def _in_builder(order: Order) -> bool:
    """An application the builder prepares, not yet made to the court."""
    return order.order_type in applications.APPLICATION_TYPES and order.state == State.DRAFT


def _not_editable(order: Order) -> str | None:
    """Why the builder cannot change this order now, or None."""
    if order.order_type not in applications.APPLICATION_TYPES:
        return f"A {order.spec.title} is not prepared with the application builder."
    if order.state != State.DRAFT:
        return "The application has been made to the court."
    if applications.waiting_review(order):
        return "The application is with the legal adviser for review."
    return None


def _context(order: Order, **extra: Any) -> dict[str, Any]:
    return {
        "order": order,
        "spec": order.spec,
        "review": applications.latest_review(order),
        "waiting": applications.waiting_review(order),
        "locked_reason": _not_editable(order),
        **extra,
    }


# --- Work queue -----------------------------------------------------------------------------


@require_safe
@login_required
@never_cache
def work_queue(request: HttpRequest) -> HttpResponse:
    """The coordinator's day: cases screening flagged, applications in progress and returned,
    and deadlines due within a week or missed. Each section paginates on its own."""
    user = request.user
    if not permissions.allows(user, "order", "change"):
        raise PermissionDenied
    from safeguard.screening import selectors as screening

    now = timezone.now()
    sections: dict[str, Any] = {}
    if permissions.allows(user, "screening", "view"):
        sections["candidates"] = screening.queue_for(user, "open")
    from safeguard.reports import selectors as reports

    if reports.sees_referrals(user) and permissions.allows(user, "screening", "change"):
        sections["referrals"] = reports.referrals_for(user)
    for name, decision in (
        ("drafts", None),
        ("returned", ReviewDecision.CHANGES_REQUESTED),
        ("with_legal", ReviewDecision.PENDING),
    ):
        sections[name] = applications.drafts_for(user, decision)
    rows = compliance_deadlines.queue_for(
        user, compliance_deadlines.Scope.ALL, now, horizon_days=DEADLINE_DAYS
    )
    sections["deadlines"] = rows
    pages = {
        name: paginate(items, QUEUE_PAGE_SIZE, request, f"{name}_page")
        for name, items in sections.items()
    }
    return render(
        request,
        "orders/application/work_queue.html",
        {"pages": pages, "now": now, "deadline_days": DEADLINE_DAYS},
    )


# --- The builder ----------------------------------------------------------------------------


@require_safe
@login_required
@never_cache
def builder(request: HttpRequest, pk: int) -> HttpResponse:
    order = _builder_order(request, pk)
    if not _in_builder(order):
        return redirect("order-detail", order.pk)
    tasks = [(t, _task_url(order, t.key)) for t in applications.tasks_for(order)]
    missing = applications.missing_tasks(order)
    return render(
        request,
        "orders/application/builder.html",
        _context(
            order,
            tasks=tasks,
            missing=missing,
            done=sum(1 for t, _ in tasks if t.status == applications.TaskStatus.COMPLETED),
        ),
    )


def _task_page(
    request: HttpRequest,
    pk: int,
    form_class: type[ApplicationForm],
    template: str,
    initial: Callable[[Order], dict[str, Any]],
    write: Callable[..., Any],
    **extra: Any,
) -> HttpResponse:
    """One task's page: GET shows the form, POST saves it through the service
    (`write(order, data, expected_version=..., by=...)`) and returns to the task list, or shows
    the form again with the error."""
    order = _builder_order(request, pk)
    if not _in_builder(order):
        return redirect("order-detail", order.pk)
    extra_context = {k: v(order) if callable(v) else v for k, v in extra.items()}
    form = form_class(request.POST or None, order=order, initial=initial(order))
    done = save(
        request,
        form,
        lambda data, **who: write(order, data, **who),
        success="Saved",
        to=reverse("application-builder", args=[order.pk]),
    )
    return done or render(request, template, _context(order, form=form, **extra_context))


@form_view
def test_evidence(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    def initial(order: Order) -> dict[str, Any]:
        text, refs = applications.split_evidence(applications.evidence_for(order, number))
        return {"evidence": text, "reports": refs}

    def write(order: Order, data: dict[str, Any], **who: Any) -> Any:
        return applications.save_evidence(order, number, data["evidence"], data["reports"], **who)

    def test(order: Order) -> Any:
        if not 1 <= number <= len(order.spec.tests):
            raise Http404("No such test")
        return order.spec.tests[number - 1]

    return _task_page(
        request,
        pk,
        EvidenceForm,
        "orders/application/test.html",
        initial,
        write,
        test=test,
        number=number,
    )


@form_view
def victim_views(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(
        request,
        pk,
        VictimViewsForm,
        "orders/application/victim_views.html",
        lambda order: {"victim_views": order.victim_views},
        lambda order, data, **who: applications.save_victim_views(
            order, data["victim_views"], **who
        ),
    )


@form_view
def court(request: HttpRequest, pk: int) -> HttpResponse:
    def initial(order: Order) -> dict[str, Any]:
        hearing = applications.pending_hearing(order)
        local = timezone.localtime(hearing.scheduled_for) if hearing else None
        return {
            "court": order.court,
            "hearing_date": local.date() if local else None,
            "hearing_time": f"{local:%H:%M}" if local else "",
        }

    return _task_page(
        request,
        pk,
        CourtForm,
        "orders/application/court.html",
        initial,
        lambda order, data, **who: applications.save_court(
            order, data["court"], data.get("hearing_at"), **who
        ),
    )


@require_safe
@login_required
@never_cache
def chronology(request: HttpRequest, pk: int) -> HttpResponse:
    order = _builder_order(request, pk)
    return render(request, "orders/application/chronology.html", _context(order))


@form_view
def conditions(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed conditions; POST removes one (`remove`: its id)."""
    order = _builder_order(request, pk)
    if not _in_builder(order):
        return redirect("order-detail", order.pk)
    form = VersionForm(request.POST or None, order=order)
    try:
        condition_id = int(request.POST.get("remove", ""))
    except ValueError:
        condition_id = 0
    done = save(
        request,
        form,
        lambda _, **who: applications.remove_condition(order, condition_id, **who),
        success="Condition removed",
        to=reverse("application-conditions", args=[order.pk]),
    )
    if done:
        return done
    if request.method == "POST" and form.is_valid():  # refused: show the order as it is now
        order = _builder_order(request, pk)
    proposed = list(order.conditions.all())
    return render(
        request,
        "orders/application/conditions.html",
        _context(
            order,
            form=form,
            prohibitions=[c for c in proposed if c.kind == ConditionKind.PROHIBITION],
            requirements=[c for c in proposed if c.kind == ConditionKind.REQUIREMENT],
        ),
    )


@form_view
def condition_add(request: HttpRequest, pk: int) -> HttpResponse:
    order = _builder_order(request, pk)
    if not _in_builder(order):
        return redirect("order-detail", order.pk)
    form = ConditionForm(request.POST or None, order=order)
    done = save(
        request,
        form,
        lambda data, **who: applications.add_condition(
            order,
            data["code"],
            necessity=data["necessity"],
            wording=data["wording"],
            locality=data["locality"],
            **who,
        ),
        success="Condition added",
        to=reverse("application-conditions", args=[order.pk]),
    )
    return done or render(
        request, "orders/application/condition_add.html", _context(order, form=form)
    )


@form_view
def interim(request: HttpRequest, pk: int) -> HttpResponse:
    """SPA 2019 s.5: ask for an interim SPO with the main application."""
    order = _builder_order(request, pk)
    if order.order_type != "spo" or order.state != State.DRAFT:
        return redirect("order-detail", order.pk)
    form = VersionForm(request.POST or None, order=order)
    done = save(
        request,
        form,
        lambda _, **who: applications.start_interim(order, **who),
        success=lambda interim: f"Interim application {interim.reference} started",
        to=lambda interim: reverse("application-builder", args=[interim.pk]),
    )
    interims = [c for c in order.children.all() if c.order_type == "interim-spo"]
    return done or render(
        request,
        "orders/application/interim.html",
        _context(order, form=form, interims=interims),
    )


@form_view
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then send the application to the legal adviser."""
    order = _builder_order(request, pk)
    if not _in_builder(order):
        return redirect("order-detail", order.pk)
    form = ReviewRequestForm(request.POST or None, order=order)
    done = save(
        request,
        form,
        lambda data, **who: applications.request_review(order, data["note"], **who),
        success=f"{order.reference} has been sent to the legal adviser",
        to=reverse("application-builder", args=[order.pk]),
    )
    return done or render(
        request,
        "orders/application/check.html",
        _context(order, form=form, **_summary(order)),
    )


def _summary(order: Order) -> dict[str, Any]:
    """What the check-answers and review pages show of the application."""
    tests = []
    for number, test in enumerate(order.spec.tests, start=1):
        text, refs = applications.split_evidence(applications.evidence_for(order, number))
        tests.append({"number": number, "test": test, "evidence": text, "reports": refs})
    proposed = list(order.conditions.all())
    return {
        "tests": tests,
        "missing": applications.missing_tasks(order),
        "prohibitions": [c for c in proposed if c.kind == ConditionKind.PROHIBITION],
        "requirements": [c for c in proposed if c.kind == ConditionKind.REQUIREMENT],
        "hearing": applications.pending_hearing(order),
        "interims": [c for c in order.children.all() if c.order_type == "interim-spo"],
    }


# --- Legal review ---------------------------------------------------------------------------


def _require_reviewer(request: HttpRequest) -> None:
    if not applications.may_decide_reviews(request.user):
        raise PermissionDenied


@require_safe
@login_required
@never_cache
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    page = paginate(applications.reviews_waiting(request.user), QUEUE_PAGE_SIZE, request)
    return render(request, "orders/application/review_queue.html", {"page": page})


@form_view
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    order = applications.application_order(request.user, pk, "view")
    waiting = applications.waiting_review(order)
    form = DecisionForm(request.POST or None, order=order)

    def decided(_: Any) -> str:
        if form.cleaned_data["decision"] == ReviewDecision.APPROVED:
            return f"Approved: the application for {order.reference} has been made to the court"
        return f"{order.reference} has been sent back to the coordinator"

    done = None
    if waiting:
        done = save(
            request,
            form,
            lambda data, **who: applications.decide_review(
                order, data["decision"], data["comments"], **who
            ),
            success=decided,
            to=reverse("legal-review-queue"),
        )
    return done or render(
        request,
        "orders/application/review.html",
        _context(order, form=form, **_summary(order)),
    )


# --- The hearing ----------------------------------------------------------------------------


def _outcome_message(order: Order) -> str:
    """What was recorded, in words: the order's state after the hearing (the service's result)."""
    what = f"Hearing outcome recorded for {order.reference}"
    if order.state == State.IN_FORCE:
        made = f"{order.made_on:%-d %B %Y}" if order.made_on else "today"
        if order.until_further_order:
            return f"{what}: {order.spec.title} made on {made}, until further order"
        if order.ends_on:
            return f"{what}: {order.spec.title} made on {made}, in force until the end of {order.ends_on:%-d %B %Y}"
        return f"{what}: {order.spec.title} made on {made}"
    if order.state == State.REFUSED:
        return f"{what}: the application was refused"
    hearing = order.hearings.filter(outcome="pending").order_by("scheduled_for").first()
    if hearing:
        at = timezone.localtime(hearing.scheduled_for)
        return f"{what}: adjourned to {at:%H:%M} on {at:%A} {at.day} {at:%B %Y}"
    return what


@form_view
def hearing(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the outcome of the application's hearing."""
    order = _builder_order(request, pk)
    form = HearingOutcomeForm(request.POST or None, order=order)
    done = None
    if order.state == State.APPLIED:
        done = save(
            request,
            form,
            lambda data, **who: applications.record_hearing(
                order,
                data["outcome"],
                decided_at=data["decided_at"],
                reasons=data["reasons"],
                ends_on=data.get("ends_on"),
                until_further_order=data.get("term") == "until_further_order",
                granted_condition_ids=[int(c) for c in data.get("conditions") or []],
                next_hearing_at=data.get("next_hearing_at"),
                **who,
            ),
            success=_outcome_message,
            to=reverse("order-detail", args=[order.pk]),
        )
    return done or render(
        request,
        "orders/application/hearing.html",
        _context(order, form=form, hearing=applications.pending_hearing(order)),
    )
