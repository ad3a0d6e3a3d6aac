"""The defendant's duties once an order is made: notifications and breaches."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from safeguard.orders.models import Order
from safeguard.reports.models import Report


class NotificationKind(models.TextChoices):
    INITIAL = "initial", "Initial notification (name and home address)"
    NAME_CHANGED = "name_changed", "New name"
    ADDRESS_CHANGED = "address_changed", "New home address"
    NO_HOME_ADDRESS = "no_home_address", "No longer has a home address"
    SOA_ENDED = "soa_ended", "Sex offender notification ended"


class NotificationStatus(models.TextChoices):
    DUE = "due", "Due"
    OVERDUE = "overdue", "Overdue"
    ON_TIME = "on_time", "Made on time"
    LATE = "late", "Made late"


class Notification(models.Model):
    """A notification the defendant must make, its deadline from the statutory clock, and
    whether and when it was made (SPA 2019 ss.9-10; DAA 2021 s.41)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    triggered_at = models.DateTimeField(help_text="Service, making, or the change notified")
    due_at = models.DateTimeField()
    basis = models.CharField(max_length=200)
    notified_at = models.DateTimeField(null=True, blank=True)
    police_station = models.CharField(max_length=200, blank=True)
    received_by = models.CharField(max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="Written acknowledgment given (SPA 2019 s.10(4))"
    )
    details = models.TextField(blank=True, help_text="What was notified")

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["notified_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.order} due {self.due_at:%d %b %Y %H:%M}"

    def status(self, now: datetime | None = None) -> NotificationStatus:
        now = now or timezone.now()
        if self.notified_at is None:
            return NotificationStatus.OVERDUE if now > self.due_at else NotificationStatus.DUE
        return (
            NotificationStatus.ON_TIME
            if self.notified_at <= self.due_at
            else NotificationStatus.LATE
        )


class BreachOutcome(models.TextChoices):
    UNDER_INVESTIGATION = "investigating", "Under investigation"
    CHARGED = "charged", "Charged"
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"
    NO_FURTHER_ACTION = "nfa", "No further action"
    CONTEMPT_FOUND = "contempt", "Contempt found (civil)"


class Breach(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="breaches")
    occurred_at = models.DateTimeField()
    description = models.TextField(blank=True)
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        help_text="The new report the breach produced",
    )
    arrested_at = models.DateTimeField(null=True, blank=True)
    court_by = models.DateTimeField(
        null=True, blank=True, help_text="Latest court appearance after a notice breach arrest"
    )
    outcome = models.CharField(
        max_length=20, choices=BreachOutcome.choices, default=BreachOutcome.UNDER_INVESTIGATION
    )

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"Breach of {self.order} on {self.occurred_at:%d %b %Y}"
