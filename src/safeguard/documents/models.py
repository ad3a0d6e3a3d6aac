"""Court documents as generated, stored and versioned; private calendar feeds.

A Document row is written once, when it is rendered, and never changed afterwards: a new
generation is a new version. Its content stays in the database with the case (PostgreSQL only:
docs/adr/0001), so a backup of the database is a backup of every document ever disclosed.
Not in the audit trail's trigger list (access/audit.py AUDITED_APPS): a trigger would copy the
document bytes into the trail. Each generation is logged there instead as a disclosure, with its
purpose and recipients (documents/services.py), and each download as a consultation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.orders.models import Order


class DocumentKind(models.TextChoices):
    SPO_APPLICATION = "spo-application", "Application for a stalking protection order"
    INTERIM_SPO_APPLICATION = (
        "interim-spo-application",
        "Application for an interim stalking protection order",
    )
    DRAFT_ORDER = "draft-order", "Draft order as granted"
    NOTIFICATION_ACKNOWLEDGMENT = (
        "notification-acknowledgment",
        "Written acknowledgment of a notification",
    )
    NOTICE = "notice", "Protection notice (DVPN or DAPN)"
    CASE_SUMMARY = "case-summary", "Case summary for a multi-agency meeting (MARAC)"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Document(models.Model):
    """One version of one document about one order (and, for an acknowledgment, one
    notification)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=40, choices=DocumentKind.choices)
    # What the document is about within the order: "" or "notification:<id>". Versions count
    # per order, kind and subject.
    subject = models.CharField(max_length=60, blank=True, default="")
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    title = models.CharField(max_length=300, blank=True)
    audience = models.CharField(max_length=40, help_text="court, defendant or multi-agency")
    recipients = models.TextField(help_text="Who it is for: logged with the disclosure")
    purpose = models.TextField(help_text="Why it was made: logged with the disclosure")
    with_docx = models.BooleanField(default=False)
    # People whose protected details the user chose to include, and why (never by default).
    protected_people = models.JSONField(default=list, blank=True)
    protected_reason = models.TextField(blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents_requested"
    )
    requested_at = models.DateTimeField()
    generated_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    docx = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Of the PDF")
    pages = models.PositiveIntegerField(null=True, blank=True)
    # Protected values found in free text (an officer's narrative, say) and taken out before
    # rendering: the safety net under the rule that they never reach a document by default.
    redactions = models.PositiveIntegerField(default=0)
    disclosure_event_id = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "kind", "subject", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "subject", "version"], name="document_unique_version"
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} for order {self.order_id}"

    def filename(self, extension: str) -> str:
        return f"{self.order.reference}-{self.kind}-v{self.version}.{extension}"


class CalendarFeed(models.Model):
    """A private calendar address for one user. Only a hash of its token is kept: the address
    is shown once, when it is made; revoking it stops it at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed {self.pk} of user {self.user_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
