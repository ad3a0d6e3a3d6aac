"""Audit pages for supervisors and force administrators: who looked at a record, what changed
on it. Only roles the permission table lets read audit events, only for records of their own
force they may audit (access/permissions.py); anyone else gets "page not found"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safeguard.access import audit_selectors as selectors

PAGE_SIZE = 50


def _page(request: HttpRequest, events) -> object:  # type: ignore[no-untyped-def]
    return Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
@login_required
@never_cache
def access_log(request: HttpRequest, subject: str, pk: int) -> HttpResponse:
    audit_subject, obj = selectors.auditable(request.user, subject, pk)
    page = _page(request, selectors.access_events(audit_subject, pk))
    rows = selectors.present(list(page.object_list), with_changes=False)  # type: ignore[attr-defined]
    selectors.record_audit_view(request.user, audit_subject, pk, "access log")
    return render(
        request,
        "access/audit/access_log.html",
        {"subject": audit_subject, "record": obj, "page": page, "rows": rows},
    )


@require_safe
@login_required
@never_cache
def change_history(request: HttpRequest, subject: str, pk: int) -> HttpResponse:
    audit_subject, obj = selectors.auditable(request.user, subject, pk)
    page = _page(request, selectors.change_events(audit_subject, pk))
    rows = selectors.present(list(page.object_list), with_changes=True)  # type: ignore[attr-defined]
    selectors.record_audit_view(request.user, audit_subject, pk, "change history")
    return render(
        request,
        "access/audit/change_history.html",
        {"subject": audit_subject, "record": obj, "page": page, "rows": rows},
    )
