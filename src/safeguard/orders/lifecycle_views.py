"""Pages for an order's life after it is made, and for police notices (issue 4).

Thin: reads are in orders/lifecycle_selectors.py (through access.restrict), writes go through
orders/services.py and compliance/services.py with the order's version, and the rules' refusals
(RuleViolation, InvalidStep) are shown as errors on the form. A stale form (ConcurrentEdit)
is shown again with what the user typed and a clear error; submitting it again then applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.access import permissions
from safeguard.access.models import User
from safeguard.access.restrict import restrict
from safeguard.compliance import services as compliance
from safeguard.compliance.models import Breach, Notification, NotificationKind
from safeguard.orders import lifecycle_forms as f
from safeguard.orders import lifecycle_selectors as sel
from safeguard.orders import services
from safeguard.orders.models import (
    Appeal,
    ApplicationKind,
    CourtApplication,
    Order,
    Outcome,
)
from safeguard.orders.services import ConcurrentEdit, InvalidStep, ProposedCondition
from safeguard.reports.models import PartyRole, Report
from safeguard.reports.services import NewParty, NewReport, ReportInvalid, create_report
from safeguard.rules.orders import ORDER_TYPES, RuleViolation, State

FORM_PAGE = "orders/lifecycle/form_page.html"


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is login_required)."""
    return cast(User, request.user)


def _stale(form: Any, order: Order, exc: ConcurrentEdit) -> None:
    """Keep what the user typed, take the order's new version (so a second submit, after
    checking, goes through), and say what happened."""
    data = form.data.copy()
    data["version"] = str(exc.order.version)
    form.data = data
    form.add_error(
        None,
        f"{order.reference} was changed by someone else while you were filling in this form. "
        "Open the order in a new tab to check what changed, then submit again: what you typed "
        "has been kept",
    )


def _attempt(form: Any, order: Order, write: Callable[[], Any], field: str | None = None) -> bool:
    """Run a service call; turn its refusals into form errors. True if it succeeded."""
    try:
        write()
    except ConcurrentEdit as exc:
        _stale(form, order, exc)
    except (InvalidStep, RuleViolation, ReportInvalid) as exc:
        form.add_error(field, str(exc))
    else:
        return True
    return False


def _initial(order: Order, **extra: Any) -> dict[str, Any]:
    return {"version": order.version, **extra}


def _page(request: HttpRequest, order: Order, form: Any, title: str, **extra: Any) -> HttpResponse:
    return render(
        request,
        extra.pop("template", FORM_PAGE),
        {"order": order, "form": form, "title": title, **extra},
    )


def _done(request: HttpRequest, order: Order, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("order-detail", args=[order.pk]) + (f"#{anchor}" if anchor else ""))


def form_view(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return require_http_methods(["GET", "POST"])(login_required(never_cache(func)))


# --- Service --------------------------------------------------------------------------------


@form_view
def service(request: HttpRequest, pk: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    form = f.ServiceForm(request.POST or None, initial=_initial(order))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: services.record_service(
                order,
                served_at=d["served_at"],
                method=d["method"],
                served_by=d["served_by"],
                notes=d["notes"],
                expected_version=d["version"],
                by=_user(request),
            ),
        ):
            return _done(request, order, f"Service of {order.reference} recorded", "summary")
    return _page(
        request,
        order,
        form,
        "Record service",
        intro="When, how and by whom the order was served on the defendant. Serving starts the "
        "defendant's duty to notify the police where the order imposes one.",
        button="Record service",
    )


# --- Notifications --------------------------------------------------------------------------


@form_view
def notification_change(request: HttpRequest, pk: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    kinds = sel.change_kinds(order)
    form = f.ChangeForm(request.POST or None, initial=_initial(order), kinds=kinds)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: compliance.record_change(
                order,
                d["kind"],
                changed_at=d["changed_at"],
                by=_user(request),
                expected_version=d["version"],
            ),
            "kind",
        ):
            return _done(
                request,
                order,
                f"{NotificationKind(d['kind']).label}: the defendant's new duty to notify is "
                "recorded",
                "notifications",
            )
    return _page(
        request,
        order,
        form,
        "Record a change the defendant must notify",
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
    order = sel.order_to_change(request.user, pk)
    notification = _notification(order, request.user, nid)
    form = f.NotificationMadeForm(request.POST or None, initial=_initial(order))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: compliance.record_notification_made(
                notification,
                notified_at=d["notified_at"],
                police_station=d["police_station"],
                received_by=d["received_by"],
                details=d["details"],
                by=_user(request),
                expected_version=d["version"],
            ),
            "notified_on",
        ):
            notification.refresh_from_db()
            late = " It was made late." if notification.status().value == "late" else ""
            return _done(
                request,
                order,
                f"{notification.get_kind_display()} recorded.{late}",
                "notifications",
            )
    row = sel.phrase("The defendant must notify", notification.due_at, timezone.now())
    return _page(
        request,
        order,
        form,
        f"Record the notification: {notification.get_kind_display().lower()}",
        template="orders/lifecycle/notification_made.html",
        notification=notification,
        deadline=row,
        button="Record the notification",
    )


@form_view
def notification_acknowledge(request: HttpRequest, pk: int, nid: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    notification = _notification(order, request.user, nid)
    form = f.AcknowledgeForm(request.POST or None, initial=_initial(order))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: compliance.acknowledge(
                notification,
                at=d["acknowledged_at"],
                by=_user(request),
                expected_version=d["version"],
            ),
            "acknowledged_on",
        ):
            return _done(request, order, "Written acknowledgment recorded", "notifications")
    return _page(
        request,
        order,
        form,
        "Record the written acknowledgment",
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
    order = sel.order_to_change(request.user, pk)
    reports = sel.defendant_reports(request.user, order)
    form = f.BreachForm(request.POST or None, initial=_initial(order), reports=reports)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write() -> Breach:
            with transaction.atomic():
                report = None
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
                    by=_user(request),
                    expected_version=d["version"],
                )
                if d["report_choice"] == f.NEW:
                    breach.report = _new_breach_report(order, request.user, d)
                    breach.save(update_fields=["report"])
                return breach

        if _attempt(form, order, write, "occurred_on"):
            return _done(request, order, "Breach recorded", "breaches")
    return _page(
        request,
        order,
        form,
        "Record a breach",
        template="orders/lifecycle/breach_form.html",
        button="Record the breach",
    )


@form_view
def breach_outcome(request: HttpRequest, pk: int, bid: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    breach = restrict(Breach.objects.filter(order=order, pk=bid), request.user).first()
    if breach is None:
        raise Http404("No such breach")
    form = f.BreachOutcomeForm(
        request.POST or None, initial=_initial(order, outcome=breach.outcome)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: compliance.record_breach_outcome(
                breach, d["outcome"], by=_user(request), expected_version=d["version"]
            ),
        ):
            return _done(request, order, "Outcome of the breach recorded", "breaches")
    return _page(
        request,
        order,
        form,
        "Record the outcome of a breach",
        intro=f"Breach on {breach.occurred_at.astimezone(sel.LONDON):%-d %B %Y at %H:%M}: "
        f"{breach.description or 'not described'}",
        button="Record the outcome",
    )


# --- Variation, renewal and discharge -------------------------------------------------------


@form_view
def court_application(request: HttpRequest, pk: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    life = sel.life_of(request.user, order)
    kinds = life.application_kinds
    wanted = request.GET.get("kind")
    initial = _initial(
        order, kind=wanted if wanted in kinds else None, made_on=timezone.localdate()
    )
    form = f.CourtApplicationForm(request.POST or None, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: services.apply_to_court(
                order,
                kind=d["kind"],
                applicant=d["applicant"],
                made_on=d["made_on"],
                grounds=d["grounds"],
                defendant_consents=d["defendant_consents"],
                chief_officer_consents=d["chief_officer_consents"],
                expected_version=d["version"],
                by=_user(request),
            ),
            "kind",
        ):
            return _done(
                request,
                order,
                f"Application to {ApplicationKind(d['kind']).label.lower()} the order recorded",
                "applications",
            )
    return _page(
        request,
        order,
        form,
        "Apply to the court to change the order",
        template="orders/lifecycle/court_application.html",
        kinds=kinds,
        button="Record the application",
    )


@form_view
def court_decision(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    application = restrict(
        CourtApplication.objects.filter(order=order, pk=aid), request.user
    ).first()
    if application is None:
        raise Http404("No such application")
    current = [(c.pk, c.wording) for c in order.conditions.filter(removed_on__isnull=True)]
    catalogue = [(c.code, c.title) for c in order.spec.conditions]
    form = f.CourtDecisionForm(
        request.POST or None,
        initial=_initial(order),
        kind=application.kind,
        conditions=current,
        catalogue=catalogue,
    )
    decided = application.outcome not in (Outcome.PENDING, Outcome.ADJOURNED)
    if request.method == "POST" and not decided and form.is_valid():
        d = form.cleaned_data
        add = (
            [
                ProposedCondition(
                    d["add_code"], necessity=d["add_necessity"], wording=d["add_wording"]
                )
            ]
            if d["add_code"]
            else []
        )
        if _attempt(
            form,
            order,
            lambda: services.decide_court_application(
                application,
                d["outcome"],
                decided_on=d["decided_on"],
                reasons=d["reasons"],
                add_conditions=add,
                remove_condition_ids=[int(x) for x in d["remove"]],
                new_ends_on=d["new_ends_on"],
                until_further_order=True if d["until_further_order"] else None,
                expected_version=d["version"],
                by=_user(request),
            ),
            "outcome",
        ):
            return _done(request, order, "The court's decision is recorded", "applications")
    return _page(
        request,
        order,
        form,
        f"Record the decision: {application.get_kind_display().lower()}",
        template="orders/lifecycle/court_decision.html",
        application=application,
        decided=decided,
        button="Record the decision",
    )


# --- Appeals --------------------------------------------------------------------------------


@form_view
def appeal_new(request: HttpRequest, pk: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    form = f.AppealForm(request.POST or None, initial=_initial(order))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: services.lodge_appeal(
                order,
                appellant=d["appellant"],
                against=d["against"],
                lodged_on=d["lodged_on"],
                expected_version=d["version"],
                by=_user(request),
            ),
            "appellant",
        ):
            return _done(request, order, "Appeal recorded", "applications")
    return _page(
        request,
        order,
        form,
        "Record an appeal",
        intro="; ".join(a.text + f" ({a.basis})" for a in order.spec.appeals)
        or f"No statutory appeal is recorded for a {order.spec.title}.",
        button="Record the appeal",
    )


@form_view
def appeal_decision(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    order = sel.order_to_change(request.user, pk)
    appeal = restrict(Appeal.objects.filter(order=order, pk=aid), request.user).first()
    if appeal is None:
        raise Http404("No such appeal")
    form = f.AppealDecisionForm(request.POST or None, initial=_initial(order))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            order,
            lambda: services.decide_appeal(
                appeal,
                d["outcome"],
                decided_on=d["decided_on"],
                expected_version=d["version"],
                by=_user(request),
            ),
            "outcome",
        ):
            return _done(request, order, "Outcome of the appeal recorded", "applications")
    return _page(
        request,
        order,
        form,
        "Record the outcome of an appeal",
        intro=f"Appeal by the {appeal.get_appellant_display().lower()} against: {appeal.against}",
        button="Record the outcome",
    )


# --- Police notices (DVPN, DAPN) ------------------------------------------------------------


def _notice_types() -> list[tuple[str, str]]:
    return [(key, ORDER_TYPES[key].title) for key in sel.NOTICE_TYPES]


@form_view
def notice_new(request: HttpRequest) -> HttpResponse:
    """Give a notice: step 1 chooses the type and the report (GET); step 2 the people, the
    conditions and the authorising officer (POST creates the notice and gives it, in one
    transaction: a refused authoriser leaves nothing behind)."""
    user = _user(request)
    if not permissions.allows(user, "order", "change"):
        raise PermissionDenied("Your role cannot give notices")
    reports = sel.reports_for_notice(user)
    report_choices = [
        (r.pk, f"{r.reference}: {r.get_offence_code_display()}") for r in reports[:200]
    ]
    start = f.NoticeStartForm(
        request.GET if "report" in request.GET else None,
        types=_notice_types(),
        reports=report_choices,
    )
    if not start.is_bound or not start.is_valid():
        return render(request, "orders/lifecycle/notice_start.html", {"form": start})
    order_type = start.cleaned_data["order_type"]
    report = reports.get(pk=start.cleaned_data["report"])
    s = ORDER_TYPES[order_type]
    parties = sel.report_parties(user, report)
    suspects = [(p.person_id, sel.party_label(p)) for p in parties if p.role == PartyRole.SUSPECT]
    everyone = [(p.person_id, sel.party_label(p)) for p in parties]
    catalogue = [(c.code, c.title) for c in s.conditions]
    form = f.NoticeForm(
        request.POST if request.method == "POST" else None,
        initial={"conditions": list(s.mandatory_conditions)},
        parties=everyone,
        suspects=suspects or everyone,
        catalogue=catalogue,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        people = {p.person_id: p.person for p in parties}

        def write() -> Order:
            with transaction.atomic():
                notice = services.create_order(
                    force=report.force,
                    order_type=order_type,
                    defendant=people[int(d["suspect"])],
                    protected_persons=[people[int(pk)] for pk in d["protected"]],
                    reports=[report],
                    officer=user,
                    team=user.team,
                    conditions=[ProposedCondition(code) for code in d["conditions"]],
                    by=user,
                )
                return services.issue_notice(
                    notice,
                    authorised_by=d["authorised_by"],
                    authoriser_rank=d["authoriser_rank"],
                    issued_at=d["given_at"],
                    expected_version=notice.version,
                    by=user,
                )

        result: list[Order] = []
        try:
            result.append(write())
        except RuleViolation as exc:
            field = "authoriser_rank" if "authorised" in str(exc) else "conditions"
            form.add_error(field, str(exc))
        except InvalidStep as exc:
            form.add_error("protected", str(exc))
        else:
            messages.success(request, f"{s.title} {result[0].reference} given")
            return redirect("notice-detail", result[0].pk)
    return render(
        request,
        "orders/lifecycle/notice_form.html",
        {"form": form, "spec": s, "report": report, "start": start, "order_type": order_type},
    )


def _sees_notice(user: Any) -> bool:
    """The notice page shows the notice, its deadline, people and conditions: only for roles
    granted those fields (a force administrator or advocate gets the order page instead)."""
    needed = {"notice", "deadlines", "defendant", "protected_persons", "conditions", "related"}
    return needed <= permissions.visible_fields(user, "order")


def _notice_context(user: Any, notice: Order) -> dict[str, Any]:
    now = timezone.now()
    follower = restrict(notice.children.order_by("-created_at"), user).first()
    return {
        "order": notice,
        "spec": notice.spec,
        "deadline": sel.notice_deadline(notice, now) if notice.state == State.IN_FORCE else None,
        "follower": follower,
        "following_spec": ORDER_TYPES[sel.FOLLOWING_TYPE[notice.order_type]],
        "may_change": sel.may_change(user, notice),
        "now": now,
    }


@require_safe
@login_required
@never_cache
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = sel.order_to_view(request.user, pk)
    if notice.order_type not in sel.NOTICE_TYPES or not _sees_notice(request.user):
        return redirect("order-detail", notice.pk)
    return render(request, "orders/lifecycle/notice.html", _notice_context(request.user, notice))


@require_safe
@login_required
@never_cache
def notice_countdown(request: HttpRequest, pk: int) -> HttpResponse:
    """The hearing deadline panel alone, for htmx to refresh every 30 seconds."""
    notice = sel.order_to_view(request.user, pk)
    if notice.order_type not in sel.NOTICE_TYPES or not _sees_notice(request.user):
        return redirect("order-detail", notice.pk)
    return render(request, "orders/lifecycle/countdown.html", _notice_context(request.user, notice))


@form_view
def notice_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The application to the magistrates' court for the order that follows the notice
    (CSA 2010 s.27(1): a DVPO application must follow a DVPN; DAA 2021 s.27: a DAPO one a DAPN)."""
    notice = sel.order_to_change(request.user, pk)
    if notice.order_type not in sel.NOTICE_TYPES:
        return redirect("order-detail", notice.pk)
    following = ORDER_TYPES[sel.FOLLOWING_TYPE[notice.order_type]]
    form = f.FollowingApplicationForm(
        request.POST or None, initial=_initial(notice, court=notice.court)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created: list[Order] = []

        def write() -> None:
            with transaction.atomic():
                # Only one application follows a notice: lock the notice and check its version.
                current = Order.objects.select_for_update().get(pk=notice.pk)
                if current.version != d["version"]:
                    raise ConcurrentEdit(current, d["version"])
                if current.state != State.IN_FORCE:
                    raise InvalidStep(
                        f"{notice.reference} is {current.get_state_display().lower()}: an "
                        "application can follow only a notice in force"
                    )
                if current.children.exists():
                    raise InvalidStep(f"An application already follows {notice.reference}")
                order = services.create_order(
                    force=notice.force,
                    order_type=following.key,
                    defendant=notice.defendant,
                    protected_persons=list(notice.protected_persons.all()),
                    reports=list(notice.reports.all()),
                    officer=notice.officer or _user(request),
                    team=notice.team,
                    parent=notice,
                    court=d["court"],
                    conditions=[
                        ProposedCondition(c.code, wording=c.wording, locality=c.locality)
                        for c in notice.conditions.all()
                        if any(o.code == c.code for o in following.conditions)
                    ],
                    by=_user(request),
                )
                created.append(
                    services.submit_application(
                        order,
                        expected_version=order.version,
                        by=_user(request),
                        hearing_at=d["hearing_at"],
                    )
                )

        if _attempt(form, notice, write, "court"):
            messages.success(
                request, f"Application for a {following.title} made: {created[0].reference}"
            )
            return redirect("notice-detail", notice.pk)
    return _page(
        request,
        notice,
        form,
        f"Apply for a {following.title}",
        intro=f"The application is made to the magistrates' court ({following.court.basis if following.court else following.act}). "
        "It carries the notice's conditions; the court may change them.",
        button="Make the application",
    )


@form_view
def following_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """What the magistrates decided on the order that follows a notice: made (with its end
    date), refused or adjourned. Through orders.services.record_outcome, which ends the notice."""
    order = sel.order_to_change(request.user, pk)
    if not order.spec.follows_notice:
        return redirect("order-detail", order.pk)
    form = f.OrderMadeForm(request.POST or None, initial=_initial(order))
    if request.method == "POST" and order.state == State.APPLIED and form.is_valid():
        d = form.cleaned_data
        granted = d["outcome"] == Outcome.GRANTED
        if _attempt(
            form,
            order,
            lambda: services.record_outcome(
                order,
                d["outcome"],
                decided_at=d["decided_at"],
                made_on=d["decided_on"] if granted else None,
                ends_on=d["ends_on"] if granted and not d["until_further_order"] else None,
                until_further_order=granted and d["until_further_order"],
                reasons=d["reasons"],
                expected_version=d["version"],
                by=_user(request),
            ),
            "ends_on" if granted else "outcome",
        ):
            return _done(request, order, "The court's decision is recorded", "summary")
    return _page(
        request,
        order,
        form,
        f"Record the decision on the {order.spec.title}",
        template="orders/lifecycle/following_decision.html",
        applied=order.state == State.APPLIED,
        button="Record the decision",
    )
