"""Pages for orders: the home page (by role: dashboard, force overview, an advocate's "Your
cases"), the list, one order, linking victim advocates, and search. Thin: the queries are in
orders/selectors.py (all through access.restrict), the rules in safeguard.rules; these views
only read the request and choose what to render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind, Role
from safeguard.api.pages import export_url
from safeguard.govuk import paginate
from safeguard.orders import advocates, selectors
from safeguard.orders.forms.pages import OrderFilterForm
from safeguard.orders.models import ConditionKind, Order
from safeguard.orders.selectors.lifecycle import life_of
from safeguard.orders.services import ConcurrentEdit, InvalidStep
from safeguard.people.forms import AdvocateLinkForm, SearchForm

PAGE_SIZE = 50
CASES_PAGE_SIZE = 20  # an advocate's cases, each shown in full
SEARCH_PAGE_SIZE = 20  # per kind of record

# What each step in an order's history is called on its page (rules.orders.Action values).
ACTION_LABELS = {
    "submit": "Application made to the court",
    "issue": "Notice given",
    "grant": "Order made",
    "refuse": "Application refused",
    "adjourn": "Hearing adjourned",
    "withdraw": "Withdrawn",
    "vary": "Varied",
    "renew": "Renewed",
    "discharge": "Discharged",
    "expire": "Fixed term ended",
    "end": "Ended",
    "lapse": "Lapsed: not heard in time",
    "quash": "Quashed on appeal",
}

# The list's columns: (sort key, heading). Keys are orders.selectors.SORT_KEYS.
COLUMNS = (
    ("reference", "Reference"),
    ("type", "Type"),
    ("defendant", "Defendant"),
    ("state", "State"),
    ("made_on", "Made on"),
    ("ends_on", "Ends on"),
)


@dataclass(frozen=True)
class SortColumn:
    key: str
    heading: str
    aria_sort: str  # "ascending", "descending" or "none"
    link_sort: str  # the sort its heading link asks for


def _sort_columns(current: str) -> list[SortColumn]:
    columns = []
    for key, heading in COLUMNS:
        if current == key:
            columns.append(SortColumn(key, heading, "ascending", f"-{key}"))
        elif current == f"-{key}":
            columns.append(SortColumn(key, heading, "descending", key))
        else:
            columns.append(SortColumn(key, heading, "none", key))
    return columns


@require_safe
@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """The home page follows the role: figures and deadlines for case workers, the force
    overview for supervisors, "Your cases" for victim advocates (their linked orders only)."""
    user = request.user
    if not selectors.sees_case_records(user):
        return render(request, "orders/home_no_cases.html")
    now = timezone.now()
    scope = selectors.case_scope(user)
    context = {
        "counts": selectors.dashboard_counts(user, now),
        "scope": scope,
        "ending_within_days": selectors.ENDING_WITHIN_DAYS,
        "breach_window_days": selectors.BREACH_WINDOW_DAYS,
        "now": now,
        "fields": permissions.visible_fields(user, "order"),
    }
    if scope == "linked":
        page = paginate(selectors.linked_cases(user), CASES_PAGE_SIZE, request)
        # Each order is shown in full (its safety-planning view): each is a consultation, as
        # opening the order's own page is (DPA 2018 s.62), recorded in one insert.
        audit.record_many(
            AuditKind.VIEW,
            user=user,
            table_name=Order._meta.db_table,
            object_ids=[order.pk for order in page.object_list],
            details={"page": "your cases"},
        )
        return render(request, "orders/home_advocate.html", {**context, "page": page})
    context["deadlines"] = selectors.upcoming_deadlines(user, now)
    if user.role == Role.SUPERVISOR:  # type: ignore[union-attr]
        context["overview"] = selectors.overview(user, now)
        context["due_soon_days"] = selectors.DUE_SOON_DAYS
        return render(request, "orders/home_supervisor.html", context)
    return render(request, "orders/home.html", context)


@require_safe
@login_required
@never_cache
def order_list(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET)
    filters = form.filters()
    orders = selectors.orders_for(request.user, **filters)
    page = paginate(orders, PAGE_SIZE, request)
    return render(
        request,
        "orders/order_list.html",
        {
            "form": form,
            "page": page,
            "columns": _sort_columns(filters["sort"]),
            "filtered": bool(filters.get("order_type") or filters.get("state")),
            "fields": permissions.visible_fields(request.user, "order"),
            # The export page takes the API's filters, which these two share by name.
            "export_url": export_url(
                "orders", order_type=filters.get("order_type"), state=filters.get("state")
            )
            if permissions.allows(request.user, "order", "export")
            else "",
        },
    )


@require_safe
@login_required
@never_cache
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    order = selectors.order_detail(user, pk)  # Http404 outside the user's scope
    access = selectors.order_access(user, order)
    now = timezone.now()
    conditions = list(order.conditions.all())
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "spec": order.spec,
            "parent": selectors.parent_order(user, order),
            "prohibitions": [c for c in conditions if c.kind == ConditionKind.PROHIBITION],
            "requirements": [c for c in conditions if c.kind == ConditionKind.REQUIREMENT],
            "notifications": [(n, n.status(now)) for n in order.notifications.all()],
            "history": [
                (change, ACTION_LABELS.get(change.action, change.action.capitalize()))
                for change in order.state_changes.all()
            ],
            "clock": selectors.clock_deadlines(order) if "deadlines" in access.fields else [],
            # After the order (service, notifications, breaches, applications, appeals, expiry):
            # from the rows order_detail prefetched, through restrict.
            "life": life_of(user, order, now),
            "now": now,
            "access": access,
            "show_necessity": "conditions_necessity" in access.fields,
            "fields": access.fields,
        },
    )


# --- Victim advocates linked to an order (orders/advocates.py) --------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def order_advocates(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a victim advocate of the force to the order: 404 outside the user's scope, 403 for a
    role that may see but not change it."""
    user = request.user
    order = selectors.order_to_change(user, pk)
    form = AdvocateLinkForm(
        request.POST if request.method == "POST" else None,
        advocates=advocates.linkable_advocates(order),
        initial={"version": order.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            advocate = form.cleaned_data["advocate"]
            advocates.link_advocate(
                order,
                advocate,
                by=user,  # type: ignore[arg-type]  # login_required: a User
                expected_version=form.cleaned_data["version"],
            )
        except ConcurrentEdit as error:
            form.add_error(None, str(error))
        except InvalidStep as error:
            form.add_error("advocate", str(error))
        else:
            messages.success(
                request,
                f"{advocate.display_name} is linked to {order.reference}. They can now see what "
                "safety planning needs from it.",
            )
            return redirect("order-detail", pk=order.pk)
    return render(
        request,
        "orders/order_advocates.html",
        {"order": order, "form": form, "links": selectors.advocate_links(user, order)},
    )


@require_POST
@login_required
@never_cache
def order_advocate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an advocate's link (a button on the order page: POST only)."""
    user = request.user
    order = selectors.order_to_change(user, pk)
    try:
        version = int(request.POST.get("version", ""))
        advocate = advocates.unlink_advocate(
            order,
            request.POST.get("link", ""),
            by=user,  # type: ignore[arg-type]  # login_required: a User
            expected_version=version,
        )
    except ValueError:  # includes InvalidStep: no such link, or a form that was tampered with
        messages.error(request, "That advocate is no longer linked to this order.")
    except ConcurrentEdit as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{advocate.display_name} is no longer linked to {order.reference} and can no "
            "longer see it.",
        )
    return redirect("order-detail", pk=order.pk)


# --- Search -----------------------------------------------------------------------------------


@require_safe
@login_required
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    """Search people, orders and reports, among the records the user may see (each result
    section is restrict()ed and paginated on its own)."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    sections: list[dict[str, Any]] = []
    if form.is_valid():
        results = selectors.search(request.user, form.cleaned_data["q"])
        for key, title, queryset in (
            ("people", "People", results.people),
            ("orders", "Orders", results.orders),
            ("reports", "Reports", results.reports),
        ):
            page = paginate(queryset, SEARCH_PAGE_SIZE, request, f"{key}-page")
            sections.append({"key": key, "title": title, "page": page})
    return render(
        request,
        "orders/search.html",
        {
            "form": form,
            "sections": sections,
            "total": sum(s["page"].paginator.count for s in sections),
            "person_fields": permissions.visible_fields(request.user, "person"),
            "order_fields": permissions.visible_fields(request.user, "order"),
            "report_fields": permissions.visible_fields(request.user, "report"),
        },
    )
