"""Making documents: ask, render (through the job queue), store a new version, log the
disclosure. The only code that writes Document and CalendarFeed rows.

A request is checked when it is made and again when it is rendered (the user may have lost the
case in between): the order through restrict() with the `change` right, the fields the kind
shows through the permission table, and protected details only with the `reveal` right and a
reason. Rendering is idempotent: a document is rendered once, by whichever worker takes its row
first (SELECT ... FOR UPDATE SKIP LOCKED); a second run of the same job finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind, User
from safeguard.compliance import services as compliance
from safeguard.compliance.models import Notification
from safeguard.documents import content as builders
from safeguard.documents import render
from safeguard.documents.models import CalendarFeed, Document, DocumentKind, DocumentStatus
from safeguard.documents.redaction import redact
from safeguard.documents.selectors import (
    AUDIENCE,
    DOCX_KINDS,
    REQUIRED_FIELDS,
    case_file,
    kinds_for,
    order_for,
)
from safeguard.orders.models import Order
from safeguard.people.models import ProtectedDetail

log = logging.getLogger(__name__)


class InvalidRequest(ValueError):
    """A request that cannot be acted on; the message names the field and the fix."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# What the form offers by default for each kind: (recipients, purpose). Both are logged.
DEFAULTS: dict[str, tuple[str, str]] = {
    DocumentKind.SPO_APPLICATION: (
        "The magistrates' court; the defendant on service",
        "Application to the court for a stalking protection order",
    ),
    DocumentKind.INTERIM_SPO_APPLICATION: (
        "The magistrates' court; the defendant on service",
        "Application to the court for an interim stalking protection order",
    ),
    DocumentKind.DRAFT_ORDER: (
        "The magistrates' court; the defendant",
        "Draft order for the court to make, and to serve on the defendant",
    ),
    DocumentKind.NOTIFICATION_ACKNOWLEDGMENT: (
        "The defendant",
        "Written acknowledgment of a notification (Stalking Protection Act 2019 s.10(4))",
    ),
    DocumentKind.NOTICE: ("The person the notice is given to", "Notice to be given in person"),
    DocumentKind.CASE_SUMMARY: (
        "The agencies at the MARAC meeting",
        "Case summary for a multi-agency risk assessment conference",
    ),
}


@dataclass(frozen=True)
class Built:
    content: builders.Content
    redactions: int


def build(
    user: Any,
    order: Order,
    kind: str,
    *,
    notification_id: int | None = None,
    include_protected: Iterable[int] = (),
    prepared_at: dt.datetime | None = None,
) -> Built:
    """The content of one document as `user` may see it, with withheld values taken out."""
    case = case_file(user, order, include_protected=include_protected, prepared_at=prepared_at)
    if kind in (DocumentKind.SPO_APPLICATION, DocumentKind.INTERIM_SPO_APPLICATION):
        made = builders.spo_application(case)
    elif kind == DocumentKind.DRAFT_ORDER:
        made = builders.draft_order(case)
    elif kind == DocumentKind.NOTICE:
        made = builders.notice(case)
    elif kind == DocumentKind.CASE_SUMMARY:
        made = builders.case_summary(case)
    elif kind == DocumentKind.NOTIFICATION_ACKNOWLEDGMENT:
        notification = next((n for n in case.notifications if n.id == notification_id), None)
        if notification is None:
            raise InvalidRequest("Choose a notification of this order", "notification")
        made = builders.acknowledgment(case, notification)
    else:
        raise InvalidRequest(f"Unknown kind of document {kind!r}", "kind")
    content, count = redact(made, case.withheld_values)
    return Built(content, count)


# --- Asking for a document ---------------------------------------------------------------------


def _check(
    user: Any,
    order: Order,
    kind: str,
    *,
    recipients: str,
    purpose: str,
    include_protected: list[int],
    protected_reason: str,
    notification_id: int | None,
    with_docx: bool,
) -> None:
    if kind not in kinds_for(order):
        raise InvalidRequest(
            f"A {DocumentKind(kind).label.lower()} cannot be made for a {order.spec.title}",
            "kind",
        )
    if not REQUIRED_FIELDS[kind] <= permissions.visible_fields(user, "order"):
        raise PermissionDenied("Your role may not see everything this document contains")
    if not recipients.strip():
        raise InvalidRequest("Enter who the document is for", "recipients")
    if not purpose.strip():
        raise InvalidRequest("Enter why you are making the document", "purpose")
    if with_docx and kind not in DOCX_KINDS:
        raise InvalidRequest("This document is made as a PDF only", "with_docx")
    if include_protected:
        if not protected_reason.strip():
            raise InvalidRequest(
                "Give the reason for including protected details: it is recorded",
                "protected_reason",
            )
        if not permissions.allows(user, "protected_detail", "reveal"):
            raise PermissionDenied("Your role may not include protected details in a document")
    if kind == DocumentKind.NOTIFICATION_ACKNOWLEDGMENT:
        notification = Notification.objects.filter(pk=notification_id or 0, order=order).first()
        if notification is None:
            raise InvalidRequest("Choose the notification to acknowledge", "notification")
        if notification.notified_at is None:
            raise InvalidRequest(
                "Record the notification as made before acknowledging it", "notification"
            )


def request_document(
    user: User,
    order_id: int,
    kind: str,
    *,
    recipients: str,
    purpose: str,
    include_protected: Iterable[int] = (),
    protected_reason: str = "",
    notification_id: int | None = None,
    with_docx: bool = False,
    now: dt.datetime | None = None,
) -> Document:
    """Ask for a new version of a document. It is rendered by the job queue (or at once when
    SAFEGUARD_JOBS_EAGER); the returned row says whether it is ready yet."""
    from safeguard.documents import jobs
    from safeguard.jobs import defer

    order = order_for(user, order_id, "change")  # Http404 outside the user's scope
    include = sorted(set(include_protected))
    _check(
        user,
        order,
        kind,
        recipients=recipients,
        purpose=purpose,
        include_protected=include,
        protected_reason=protected_reason,
        notification_id=notification_id,
        with_docx=with_docx,
    )
    now = now or timezone.now()
    subject = f"notification:{notification_id}" if notification_id else ""
    with transaction.atomic():
        # One version number at a time per order: the order's row is the lock.
        Order.objects.select_for_update().filter(pk=order.pk).first()
        latest = Document.objects.filter(order=order, kind=kind, subject=subject).aggregate(
            v=Max("version")
        )["v"]
        if kind == DocumentKind.NOTIFICATION_ACKNOWLEDGMENT:
            notification = Notification.objects.get(pk=notification_id or 0)
            if notification.acknowledged_at is None:
                # Giving the written acknowledgment is the acknowledging (SPA 2019 s.10(4)).
                compliance.acknowledge(notification, at=now, by=user)
        document = Document.objects.create(
            order=order,
            kind=kind,
            subject=subject,
            version=(latest or 0) + 1,
            audience=AUDIENCE[kind],
            recipients=recipients.strip(),
            purpose=purpose.strip(),
            with_docx=with_docx,
            protected_people=include,
            protected_reason=protected_reason.strip(),
            requested_by=user,
            requested_at=now,
        )
        defer(jobs.render_document, document_id=document.pk)
    document.refresh_from_db()
    return document


def generate(user: User, order_id: int, kind: str, **kwargs: Any) -> Document:
    """Ask for a document and render it now, in this process (command line, tests)."""
    document = request_document(user, order_id, kind, **kwargs)
    if document.status == DocumentStatus.QUEUED:
        render_queued(document.pk, prepared_at=kwargs.get("now"))
        document.refresh_from_db()
    return document


# --- Rendering (the job) -----------------------------------------------------------------------


def render_queued(document_id: int, *, prepared_at: dt.datetime | None = None) -> bool:
    """Render a queued document, store it and log the disclosure. False if there was nothing
    to do: already rendered, or being rendered by another worker right now."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("order", "requested_by")
            .filter(pk=document_id, status=DocumentStatus.QUEUED)
            .first()
        )
        if document is None:
            return False
        user = document.requested_by
        try:
            with transaction.atomic():
                _render(document, user, prepared_at or document.requested_at)
        except (PermissionDenied, InvalidRequest, Http404) as exc:
            # The user lost the case, or the right to these fields, since asking: say so.
            document.status = DocumentStatus.FAILED
            document.error = str(exc) or "You may no longer see this order"
            document.save(update_fields=["status", "error"])
        # Anything else propagates: the transaction rolls back, the row stays queued, and the
        # job queue retries the job.
    return True


def _render(document: Document, user: User, prepared_at: dt.datetime) -> None:
    order = order_for(user, document.order_id, "change")
    if not REQUIRED_FIELDS[document.kind] <= permissions.visible_fields(user, "order"):
        raise PermissionDenied("Your role may no longer see everything this document contains")
    notification_id = (
        int(document.subject.split(":")[1])
        if document.subject.startswith("notification:")
        else None
    )
    built = build(
        user,
        order,
        document.kind,
        notification_id=notification_id,
        include_protected=document.protected_people,
        prepared_at=prepared_at,
    )
    pdf = render.pdf(built.content)
    document.pdf = pdf
    document.docx = render.docx(built.content) if document.with_docx else None
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.pages = render.page_count(pdf)
    document.title = built.content.title
    document.redactions = built.redactions
    document.generated_at = timezone.now()
    for person_id in document.protected_people:
        for detail_id in ProtectedDetail.objects.filter(
            person_id=person_id, current=True
        ).values_list("pk", flat=True):
            audit.record(
                AuditKind.REVEAL,
                user=user,
                table_name=ProtectedDetail._meta.db_table,
                object_id=detail_id,
                purpose=f"Included in a document: {document.protected_reason}",
                details={"document": document.pk, "person": person_id},
            )
    event = audit.record(
        AuditKind.DISCLOSE,
        user=user,
        table_name=Order._meta.db_table,
        object_id=order.pk,
        purpose=document.purpose,
        recipients=document.recipients,
        details={
            "document": document.pk,
            "kind": document.kind,
            "version": document.version,
            "formats": ["pdf", "docx"] if document.with_docx else ["pdf"],
            "sha256": document.sha256,
            "protected_details_of": document.protected_people,
            "protected_reason": document.protected_reason,
            "withheld_from_free_text": document.redactions,
        },
    )
    document.disclosure_event_id = event.pk
    document.status = DocumentStatus.READY
    document.error = ""
    document.save()


def record_download(user: User, document: Document, fmt: str) -> None:
    """Opening a stored document is a consultation of the case (DPA 2018 s.62)."""
    audit.record(
        AuditKind.VIEW,
        user=user,
        table_name=Order._meta.db_table,
        object_id=document.order_id,
        details={"document": document.pk, "version": document.version, "format": fmt},
    )


# --- Private calendar feeds --------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_calendar_feed(user: User) -> tuple[CalendarFeed, str]:
    """A new private calendar address for the user; any earlier one stops working. The token
    is returned once, to be shown once: only its hash is kept."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    return feed, token


def revoke_calendar_feeds(user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed the token opens, or None (unknown, revoked, or its user inactive)."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed


def record_feed_fetch(feed: CalendarFeed, events: int) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    audit.record(
        AuditKind.EXPORT,
        user=feed.user,
        table_name=CalendarFeed._meta.db_table,
        object_id=feed.pk,
        purpose="Private calendar feed of the user's hearings and deadlines (no victim details)",
        details={"events": events},
    )
