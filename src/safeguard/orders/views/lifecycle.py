"""Pages for an order's life after it is made, and for police notices (issue 4).

Thin: reads are in orders/selectors/lifecycle.py (through access.restrict); writes go through
orders/services and compliance/services.py with the order's version, in the one flow of
views/changes.py (a stale form is shown again with what the user typed, a refusal of the rules
as an error on the form).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from safeguard.access import permissions
from safeguard.access.models import User
from safeguard.access.restrict import restrict
from safeguard.compliance import services as compliance
from safeguard.compliance.models import Breach, Notification, NotificationKind
from safeguard.orders import selectors, services
from safeguard.orders.forms import lifecycle as f
from safeguard.orders.models import (
    Appeal,
    ApplicationKind,
    CourtApplication,
    Order,
    Outcome,
)
from safeguard.orders.selectors import lifecycle as sel
from safeguard.orders.services import InvalidStep, ProposedCondition
from safeguard.orders.views.changes import change_page, form_view, initial_for, order_url
from safeguard.reports.models import PartyRole, Report
from safeguard.reports.services import NewParty, NewReport, create_report


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is login_required)."""
    return cast(User, request.user)


# --- Service --------------------------------------------------------------------------------


@form_view
def service(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    form = f.ServiceForm(request.POST or None, initial=initial_for(order))
    return change_page(
        request,
        order,
        form,
        lambda d, **who: services.record_service(
            order,
            served_at=d["served_at"],
            method=d["method"],
            served_by=d["served_by"],
            notes=d["notes"],
            **who,
        ),
        success=f"Service of {order.reference} recorded",
        to=order_url(order, "summary"),
        title="Record service",
        intro="When, how and by whom the order was served on the defendant. Serving starts the "
        "defendant's duty to notify the police where the order imposes one.",
        button="Record service",
    )


# --- Notifications --------------------------------------------------------------------------


@form_view
def notification_change(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    kinds = sel.change_kinds(order)
    form = f.ChangeForm(request.POST or None, initial=initial_for(order), kinds=kinds)
    return change_page(
        request,
        order,
        form,
        lambda d, **who: compliance.record_change(
            order, d["kind"], changed_at=d["changed_at"], **who
        ),
        success=lambda _: (
            f"{NotificationKind(form.cleaned_data['kind']).label}: the "
            "defendant's new duty to notify is recorded"
        ),
        to=order_url(order, "notifications"),
        field="kind",
        title="Record a change the defendant must notify",
        intro="A new name or home address starts a new duty to notify the police, with its own "
        "deadline.",
        button="Record the change",
    )


def _notification(order: Order, user: Any, nid: int) -> Notification:
    found = restrict(Notification.objects.filter(order=order, pk=nid), user).first()
    if found is None:
        raise Http404("No such notification")
    return found


@form_view
def notification_made(request: HttpRequest, pk: int, nid: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    notification = _notification(order, request.user, nid)
    form = f.NotificationMadeForm(request.POST or None, initial=initial_for(order))

    def recorded(_: Any) -> str:
        notification.refresh_from_db()
        late = " It was made late." if notification.status().value == "late" else ""
        return f"{notification.get_kind_display()} recorded.{late}"

    row = sel.phrase("The defendant must notify", notification.due_at, timezone.now())
    return change_page(
        request,
        order,
        form,
        lambda d, **who: compliance.record_notification_made(
            notification,
            notified_at=d["notified_at"],
            police_station=d["police_station"],
            received_by=d["received_by"],
            details=d["details"],
            **who,
        ),
        success=recorded,
        to=order_url(order, "notifications"),
        field="notified_on",
        title=f"Record the notification: {notification.get_kind_display().lower()}",
        template="orders/lifecycle/notification_made.html",
        notification=notification,
        deadline=row,
        button="Record the notification",
    )


@form_view
def notification_acknowledge(request: HttpRequest, pk: int, nid: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    notification = _notification(order, request.user, nid)
    form = f.AcknowledgeForm(request.POST or None, initial=initial_for(order))
    return change_page(
        request,
        order,
        form,
        lambda d, **who: compliance.acknowledge(notification, at=d["acknowledged_at"], **who),
        success="Written acknowledgment recorded",
        to=order_url(order, "notifications"),
        field="acknowledged_on",
        title="Record the written acknowledgment",
        intro="The police must acknowledge each notification in writing (Stalking Protection "
        "Act 2019 s.10(4)).",
        button="Record the acknowledgment",
    )


# --- Breaches -------------------------------------------------------------------------------


def _new_breach_report(order: Order, user: Any, d: dict[str, Any]) -> Report:
    """A new crime report for the breach, naming the defendant as suspect and the protected
    persons as victims (recorded as the report gives them, as every report's people are)."""
    people = [(order.defendant, PartyRole.SUSPECT)] + [
        (p, PartyRole.VICTIM) for p in order.protected_persons.all()
    ]
    return create_report(
        force=order.force,
        report=NewReport(
            reference=d["new_reference"].strip(),
            offence_code=d["new_offence"],
            reported_at=timezone.now(),
            occurred_from=timezone.localdate(d["occurred_at"]),
            summary=f"Breach of {order.reference}: {d['description']}",
            officer=order.officer,
            team=order.team,
            parties=tuple(
                NewParty(
                    role=role,
                    given_name=p.given_name,
                    middle_names=p.middle_names,
                    surname=p.surname,
                    date_of_birth=p.date_of_birth,
                    sex=p.sex,
                )
                for p, role in people
            ),
        ),
        by=user,
    )


@form_view
def breach_new(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    reports = sel.defendant_reports(request.user, order)
    form = f.BreachForm(request.POST or None, initial=initial_for(order), reports=reports)

    def write(d: dict[str, Any], **who: Any) -> Breach:
        with transaction.atomic():
            report = None
            if d["report_choice"] == f.NEW and not permissions.allows(
                request.user, "report", "change"
            ):
                # Recording a crime report is not the role's (a legal adviser's): permission table.
                raise InvalidStep(
                    "Your role cannot record a crime report: choose an existing report, or "
                    "'No report yet'"
                )
            if d["report_choice"] == f.EXISTING:
                report = restrict(Report.objects.filter(pk=d["report"]), request.user).first()
                if report is None:
                    raise InvalidStep("Choose a report from the list")
            breach = compliance.record_breach(
                order,
                occurred_at=d["occurred_at"],
                description=d["description"],
                report=report,
                arrested_at=d.get("arrested_at"),
                **who,
            )
            if d["report_choice"] == f.NEW:
                breach.report = _new_breach_report(order, request.user, d)
                breach.save(update_fields=["report"])
            return breach

    return change_page(
        request,
        order,
        form,
        write,
        success="Breach recorded",
        to=order_url(order, "breaches"),
        field="occurred_on",
        title="Record a breach",
        template="orders/lifecycle/breach_form.html",
        button="Record the breach",
    )


@form_view
def breach_outcome(request: HttpRequest, pk: int, bid: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    breach = restrict(Breach.objects.filter(order=order, pk=bid), request.user).first()
    if breach is None:
        raise Http404("No such breach")
    form = f.BreachOutcomeForm(
        request.POST or None, initial=initial_for(order, outcome=breach.outcome)
    )
    return change_page(
        request,
        order,
        form,
        lambda d, **who: compliance.record_breach_outcome(breach, d["outcome"], **who),
        success="Outcome of the breach recorded",
        to=order_url(order, "breaches"),
        title="Record the outcome of a breach",
        intro=f"Breach on {breach.occurred_at.astimezone(sel.LONDON):%-d %B %Y at %H:%M}: "
        f"{breach.description or 'not described'}",
        button="Record the outcome",
    )


# --- Variation, renewal and discharge -------------------------------------------------------


@form_view
def court_application(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    life = sel.life_of(request.user, order)
    kinds = life.application_kinds
    wanted = request.GET.get("kind")
    initial = initial_for(
        order, kind=wanted if wanted in kinds else None, made_on=timezone.localdate()
    )
    form = f.CourtApplicationForm(request.POST or None, initial=initial, kinds=kinds)
    return change_page(
        request,
        order,
        form,
        lambda d, **who: services.apply_to_court(
            order,
            kind=d["kind"],
            applicant=d["applicant"],
            made_on=d["made_on"],
            grounds=d["grounds"],
            defendant_consents=d["defendant_consents"],
            chief_officer_consents=d["chief_officer_consents"],
            **who,
        ),
        success=lambda _: (
            f"Application to "
            f"{ApplicationKind(form.cleaned_data['kind']).label.lower()} the order recorded"
        ),
        to=order_url(order, "applications"),
        field="kind",
        title="Apply to the court to change the order",
        template="orders/lifecycle/court_application.html",
        kinds=kinds,
        button="Record the application",
    )


@form_view
def court_decision(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    application = restrict(
        CourtApplication.objects.filter(order=order, pk=aid), request.user
    ).first()
    if application is None:
        raise Http404("No such application")
    current = [(c.pk, c.wording) for c in order.conditions.filter(removed_on__isnull=True)]
    catalogue = [(c.code, c.title) for c in order.spec.conditions]
    form = f.CourtDecisionForm(
        request.POST or None,
        initial=initial_for(order),
        kind=application.kind,
        conditions=current,
        catalogue=catalogue,
    )
    decided = application.outcome not in (Outcome.PENDING, Outcome.ADJOURNED)

    def write(d: dict[str, Any], **who: Any) -> Any:
        add = (
            [
                ProposedCondition(
                    d["add_code"], necessity=d["add_necessity"], wording=d["add_wording"]
                )
            ]
            if d["add_code"]
            else []
        )
        return services.decide_court_application(
            application,
            d["outcome"],
            decided_on=d["decided_on"],
            reasons=d["reasons"],
            add_conditions=add,
            remove_condition_ids=[int(x) for x in d["remove"]],
            new_ends_on=d["new_ends_on"],
            until_further_order=True if d["until_further_order"] else None,
            **who,
        )

    return change_page(
        request,
        order,
        form,
        write,
        success="The court's decision is recorded",
        to=order_url(order, "applications"),
        field="outcome",
        saving=not decided,
        title=f"Record the decision: {application.get_kind_display().lower()}",
        template="orders/lifecycle/court_decision.html",
        application=application,
        decided=decided,
        button="Record the decision",
    )


# --- Appeals --------------------------------------------------------------------------------


@form_view
def appeal_new(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    form = f.AppealForm(request.POST or None, initial=initial_for(order))
    return change_page(
        request,
        order,
        form,
        lambda d, **who: services.lodge_appeal(
            order, appellant=d["appellant"], against=d["against"], lodged_on=d["lodged_on"], **who
        ),
        success="Appeal recorded",
        to=order_url(order, "applications"),
        field="appellant",
        title="Record an appeal",
        intro="; ".join(a.text + f" ({a.basis})" for a in order.spec.appeals)
        or f"No statutory appeal is recorded for a {order.spec.title}.",
        button="Record the appeal",
    )


@form_view
def appeal_decision(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    order = selectors.order_to_change(request.user, pk)
    appeal = restrict(Appeal.objects.filter(order=order, pk=aid), request.user).first()
    if appeal is None:
        raise Http404("No such appeal")
    form = f.AppealDecisionForm(request.POST or None, initial=initial_for(order))
    return change_page(
        request,
        order,
        form,
        lambda d, **who: services.decide_appeal(
            appeal, d["outcome"], decided_on=d["decided_on"], **who
        ),
        success="Outcome of the appeal recorded",
        to=order_url(order, "applications"),
        field="outcome",
        title="Record the outcome of an appeal",
        intro=f"Appeal by the {appeal.get_appellant_display().lower()} against: {appeal.against}",
        button="Record the outcome",
    )
