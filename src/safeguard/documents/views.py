"""Pages for documents and the private calendar. Thin: reads through documents/selectors.py
(restrict()), writes through documents/services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.access import permissions
from safeguard.compliance.models import Notification
from safeguard.documents import calendar as ics
from safeguard.documents import selectors, services
from safeguard.documents.forms import DocumentForm
from safeguard.documents.models import DocumentKind, DocumentStatus

NEW_TOKEN = "safeguard_calendar_token"  # noqa: S105 - a session key: the new address, shown once


@require_safe
@login_required
@never_cache
def order_documents(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_for(request.user, order_id)
    may_make = permissions.allows(request.user, "order", "change")
    kinds = [
        (DocumentKind(k), selectors.may_read_kind(request.user, k))
        for k in selectors.kinds_for(order)
    ]
    return render(
        request,
        "documents/order_documents.html",
        {
            "order": order,
            "documents": selectors.documents_for(request.user, order),
            "kinds": kinds,
            "may_make": may_make,
        },
    )


def _notification_choices(order) -> list[tuple[int, str]]:
    made = Notification.objects.filter(order=order, notified_at__isnull=False).order_by(
        "notified_at"
    )
    return [
        (
            n.pk,
            f"{n.get_kind_display()}, made {timezone.localtime(n.notified_at):%d %B %Y at %H:%M}"
            + (" (acknowledged)" if n.acknowledged_at else ""),
        )
        for n in made
    ]


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def new_document(request: HttpRequest, order_id: int) -> HttpResponse:
    """Ask for a document: first which kind (one thing per page), then its details."""
    user: Any = request.user
    order = selectors.order_for(user, order_id, "change")
    kind = request.GET.get("kind", "")
    if not kind:
        kinds = [
            DocumentKind(k) for k in selectors.kinds_for(order) if selectors.may_read_kind(user, k)
        ]
        return render(request, "documents/choose_kind.html", {"order": order, "kinds": kinds})
    if kind not in DocumentKind.values or kind not in selectors.kinds_for(order):
        raise Http404("No such document for this order")
    if not selectors.may_read_kind(user, kind):
        raise PermissionDenied("Your role may not see everything this document contains")
    people = [(order.defendant_id, f"{order.defendant.full_name} (defendant)")] + [
        (p.pk, f"{p.full_name} (protected person)") for p in order.protected_persons.all()
    ]
    notifications = (
        _notification_choices(order) if kind == DocumentKind.NOTIFICATION_ACKNOWLEDGMENT else None
    )
    recipients, purpose = services.DEFAULTS[kind]
    form = DocumentForm(
        request.POST or None,
        initial={"recipients": recipients, "purpose": purpose},
        people=people,
        notifications=notifications,
        docx=kind in selectors.DOCX_KINDS,
        may_include=permissions.allows(user, "protected_detail", "reveal"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.request_document(
                user,
                order.pk,
                kind,
                recipients=data["recipients"],
                purpose=data["purpose"],
                include_protected=data.get("include_protected") or [],
                protected_reason=data.get("protected_reason") or "",
                notification_id=data.get("notification"),
                with_docx=bool(data.get("with_docx")),
            )
        except services.InvalidRequest as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return redirect("document-detail", document.pk)
    return render(
        request,
        "documents/new_document.html",
        {
            "order": order,
            "kind": DocumentKind(kind),
            "form": form,
            "no_notifications": notifications == [],
        },
    )


@require_safe
@login_required
@never_cache
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    template = "documents/document_detail.html"
    if request.headers.get("HX-Request"):
        template = "documents/includes/document_status.html"
    return render(
        request,
        template,
        {
            "document": document,
            "order": document.order,
            "queued": document.status == DocumentStatus.QUEUED,
        },
    )


@require_safe
@login_required
@never_cache
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404("No such format")
    document = selectors.document_for(request.user, pk, content=True)
    data = document.pdf if fmt == "pdf" else document.docx
    if document.status != DocumentStatus.READY or not data:
        raise Http404("This document is not ready")
    services.record_download(request.user, document, fmt)  # type: ignore[arg-type]
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename(fmt)}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def calendar_settings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_feeds(user)
            messages.success(request, "Your calendar address has been turned off")
        else:
            _, token = services.new_calendar_feed(user)
            request.session[NEW_TOKEN] = token
        return redirect("calendar-settings")
    token = request.session.pop(NEW_TOKEN, None)
    feed = user.calendar_feeds.filter(revoked_at__isnull=True).first()
    address = request.build_absolute_uri(reverse("calendar-feed", args=[token])) if token else None
    return render(request, "documents/calendar.html", {"feed": feed, "address": address})


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no sign-in (calendar programs cannot), the token is the key. A wrong,
    revoked or inactive user's token gets the same 404."""
    feed = services.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar")
    body, events = ics.build(feed.user, timezone.now())
    services.record_feed_fetch(feed, events)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="safeguard.ics"'
    return response
