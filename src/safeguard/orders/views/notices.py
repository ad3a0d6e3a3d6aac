"""Police notices (DVPN, DAPN, issue 4): giving one, its page with the hearing deadline, and
the application to the magistrates' court for the order that follows it, with the court's
decision. Writes go through orders/services in the one flow of views/changes.py.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind, User
from safeguard.access.restrict import restrict
from safeguard.orders import selectors, services
from safeguard.orders.forms import notices as f
from safeguard.orders.models import (
    Order,
    Outcome,
)
from safeguard.orders.selectors import lifecycle as sel
from safeguard.orders.services import InvalidStep, ProposedCondition
from safeguard.orders.views.changes import change_page, form_view, initial_for, order_url
from safeguard.reports.models import PartyRole
from safeguard.rules.orders import ORDER_TYPES, RuleViolation, State

# --- Police notices (DVPN, DAPN) ------------------------------------------------------------


def _notice_types() -> list[tuple[str, str]]:
    return [(key, ORDER_TYPES[key].title) for key in selectors.NOTICE_TYPES]


@form_view
def notice_new(request: HttpRequest) -> HttpResponse:
    """Give a notice: step 1 chooses the type and the report (GET); step 2 the people, the
    conditions and the authorising officer (POST creates the notice and gives it, in one
    transaction: a refused authoriser leaves nothing behind)."""
    user = cast(User, request.user)  # signed in: login_required
    if not permissions.allows(user, "order", "change"):
        raise PermissionDenied("Your role cannot give notices")
    reports = sel.reports_for_notice(user)
    offered = list(reports[:200])
    chosen = request.GET.get("report", "")
    if chosen.isdigit() and all(r.pk != int(chosen) for r in offered):
        # Arriving from an older report's page ("Give a notice"): offer that report too, if the
        # user may give a notice on it (the same scoped queryset).
        offered += list(reports.filter(pk=int(chosen)))
    report_choices = [(r.pk, f"{r.reference}: {r.get_offence_code_display()}") for r in offered]
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
    if notice.order_type not in selectors.NOTICE_TYPES or not _sees_notice(request.user):
        return redirect("order-detail", notice.pk)
    # A consultation of the order, logged as the order page's is (DPA 2018 s.62). The countdown
    # fragment below, polled every 30 seconds, shows no one's details and is not logged.
    audit.record(
        AuditKind.VIEW, user=request.user, table_name=Order._meta.db_table, object_id=notice.pk
    )
    return render(request, "orders/lifecycle/notice.html", _notice_context(request.user, notice))


@require_safe
@login_required
@never_cache
def notice_countdown(request: HttpRequest, pk: int) -> HttpResponse:
    """The hearing deadline panel alone, for htmx to refresh every 30 seconds."""
    notice = sel.order_to_view(request.user, pk)
    if notice.order_type not in selectors.NOTICE_TYPES or not _sees_notice(request.user):
        return redirect("order-detail", notice.pk)
    return render(request, "orders/lifecycle/countdown.html", _notice_context(request.user, notice))


@form_view
def notice_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The application to the magistrates' court for the order that follows the notice
    (CSA 2010 s.27(1): a DVPO application must follow a DVPN; DAA 2021 s.27: a DAPO one a DAPN)."""
    notice = selectors.order_to_change(request.user, pk)
    if notice.order_type not in selectors.NOTICE_TYPES:
        return redirect("order-detail", notice.pk)
    following = ORDER_TYPES[sel.FOLLOWING_TYPE[notice.order_type]]
    form = f.FollowingApplicationForm(
        request.POST or None, initial=initial_for(notice, court=notice.court)
    )

    def write(d: dict[str, Any], expected_version: int, by: Any) -> Order:
        return services.apply_after_notice(
            notice,
            following.key,
            court=d["court"],
            hearing_at=d["hearing_at"],
            expected_version=expected_version,
            by=by,
        )

    return change_page(
        request,
        notice,
        form,
        write,
        success=lambda created: f"Application for a {following.title} made: {created.reference}",
        to=reverse("notice-detail", args=[notice.pk]),
        field="court",
        title=f"Apply for a {following.title}",
        intro=f"The application is made to the magistrates' court ({following.court.basis if following.court else following.act}). "
        "It carries the notice's conditions; the court may change them.",
        button="Make the application",
    )


@form_view
def following_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """What the magistrates decided on the order that follows a notice: made (with its end
    date), refused or adjourned. Through orders.services.record_outcome, which ends the notice."""
    order = selectors.order_to_change(request.user, pk)
    if not order.spec.follows_notice:
        return redirect("order-detail", order.pk)
    form = f.OrderMadeForm(request.POST or None, initial=initial_for(order))

    def write(d: dict[str, Any], **who: Any) -> Any:
        granted = d["outcome"] == Outcome.GRANTED
        return services.record_outcome(
            order,
            d["outcome"],
            decided_at=d["decided_at"],
            made_on=d["decided_on"] if granted else None,
            ends_on=d["ends_on"] if granted and not d["until_further_order"] else None,
            until_further_order=granted and d["until_further_order"],
            reasons=d["reasons"],
            **who,
        )

    granted = request.POST.get("outcome") == Outcome.GRANTED
    return change_page(
        request,
        order,
        form,
        write,
        success="The court's decision is recorded",
        to=order_url(order, "summary"),
        field="ends_on" if granted else "outcome",
        saving=order.state == State.APPLIED,
        title=f"Record the decision on the {order.spec.title}",
        template="orders/lifecycle/following_decision.html",
        applied=order.state == State.APPLIED,
        button="Record the decision",
    )
