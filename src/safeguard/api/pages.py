"""Browser pages for exports: a list the user can see as CSV or XLSX, and an order's case file
for disclosure. The same code as the API's export endpoints (api/exports.py), behind a form
that asks why (and, for a disclosure, to whom), because every export is logged with its reason.

Link to a list's export with the list's filters in the query string, e.g.
`/exports/orders/?state=in_force`; the filters are the API's (docs/api.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

from safeguard.access import permissions
from safeguard.access.forms import GovukFormMixin
from safeguard.access.restrict import restrict
from safeguard.api import exports


class ExportForm(GovukFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Format", choices=[("xlsx", "Excel workbook (.xlsx)"), ("csv", "CSV")]
    )
    purpose = forms.CharField(
        label="Why are you exporting this?",
        max_length=500,
        help_text="This is recorded in the audit trail with your name and what you exported.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CaseFileForm(GovukFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Format", choices=[("xlsx", "Excel workbook (.xlsx)"), ("json", "JSON")]
    )
    recipients = forms.CharField(
        label="Who will receive it?",
        max_length=500,
        help_text="For example: CPS Eastern, lawyer J Smith. Recorded as a disclosure.",
    )
    purpose = forms.CharField(
        label="Why is it being disclosed?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _list_sources() -> dict[str, tuple[exports.ListSpec, Any, Any]]:
    from safeguard.orders.api import OrderFilter
    from safeguard.orders.models import Order
    from safeguard.people.api import PersonFilter
    from safeguard.people.models import Person
    from safeguard.reports.api import ReportFilter
    from safeguard.reports.models import Report

    return {
        "orders": (exports.ORDERS, Order, OrderFilter),
        "reports": (exports.REPORTS, Report, ReportFilter),
        "people": (exports.PEOPLE, Person, PersonFilter),
    }


def export_url(name: str, **filters: str | None) -> str:
    """The export page of a list, with the list's filters (the API filterset's names) applied:
    what a list page links to as "Export this list"."""
    url = reverse("export-list", args=[name])
    chosen = {key: value for key, value in filters.items() if value}
    return f"{url}?{urlencode(chosen)}" if chosen else url


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def export_list(request: HttpRequest, name: str) -> HttpResponse:
    sources = _list_sources()
    if name not in sources:
        raise Http404("No such list")
    spec, model, filterset_class = sources[name]
    try:
        columns = exports.export_columns(request.user, spec)
    except ApiPermissionDenied as error:
        return render(request, "403.html", {"exception": str(error.detail)}, status=403)
    filters = {k: v for k, v in request.GET.items() if k not in ("page", "sort")}
    form = ExportForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            filterset = filterset_class(
                filters, restrict(model.objects.all(), request.user), request=request
            )
            queryset = filterset.qs if filterset.is_valid() else model.objects.none()
            return exports.export_file(
                request.user,
                spec,
                queryset,
                fmt=form.cleaned_data["format"],
                purpose=form.cleaned_data["purpose"].strip(),
                filters=filters,
            )
        except (ApiPermissionDenied, ApiValidationError) as error:
            problem = str(getattr(error, "detail", error))
    return render(
        request,
        "exports/export_list.html",
        {"form": form, "spec": spec, "columns": columns, "filters": filters, "problem": problem},
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    from safeguard.orders.models import Order

    order = get_object_or_404(restrict(Order.objects.all(), request.user), pk=pk)
    if not permissions.allows(request.user, "order", "export"):
        return render(
            request, "403.html", {"exception": "Your role may not disclose orders"}, status=403
        )
    form = CaseFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return exports.case_file(
            request.user,
            order,
            fmt=form.cleaned_data["format"],
            purpose=form.cleaned_data["purpose"].strip(),
            recipients=form.cleaned_data["recipients"].strip(),
        )
    return render(request, "exports/case_file.html", {"form": form, "order": order})
