"""Pages for orders: the dashboard, the list and one order. Thin: the queries are in
orders/selectors.py (all through access.restrict), the rules in safeguard.rules; these views
only read the request and choose what to render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguard.access import permissions
from safeguard.orders import selectors
from safeguard.orders.forms import OrderFilterForm
from safeguard.orders.models import ConditionKind

PAGE_SIZE = 50

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
    user = request.user
    if not selectors.sees_case_records(user):
        return render(request, "orders/home_no_cases.html")
    now = timezone.now()
    return render(
        request,
        "orders/home.html",
        {
            "counts": selectors.dashboard_counts(user, now),
            "deadlines": selectors.upcoming_deadlines(user, now),
            "scope": selectors.case_scope(user),
            "ending_within_days": selectors.ENDING_WITHIN_DAYS,
            "breach_window_days": selectors.BREACH_WINDOW_DAYS,
        },
    )


@require_safe
@login_required
@never_cache
def order_list(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET)
    filters = form.filters()
    orders = selectors.orders_for(request.user, **filters)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/order_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "ellipsis": Paginator.ELLIPSIS,
            "columns": _sort_columns(filters["sort"]),
            "filtered": bool(filters.get("order_type") or filters.get("state")),
            "fields": permissions.visible_fields(request.user, "order"),
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
            "now": now,
            "access": access,
            "show_necessity": "conditions_necessity" in access.fields,
            "fields": access.fields,
        },
    )
