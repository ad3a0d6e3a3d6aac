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


# --- Reminders and review tasks (docs/reminders.md) -------------------------------------------


class ReminderStage(models.TextChoices):
    REMIND = "remind", "Reminder"
    ESCALATE = "escalate", "Escalated to a supervisor"
    MISSED = "missed", "Deadline missed"


class Reminder(models.Model):
    """One reminder about one deadline to one person. The unique key (deadline, due time,
    stage, recipient) is what makes a reminder impossible to send twice, however many workers
    run and however often they restart (compliance/reminders.py)."""

    deadline_key = models.CharField(max_length=120, help_text='e.g. "order:12:dvpo-hearing"')
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    recipient = models.ForeignKey("access.User", on_delete=models.CASCADE, related_name="reminders")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reminders")
    what = models.CharField(max_length=300)
    basis = models.CharField(max_length=200, blank=True)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline_key", "due_at", "stage", "recipient"],
                name="reminder_once_per_stage_and_recipient",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["emailed_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="reminder_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} to user {self.recipient_id}: {self.deadline_key}"


class ReviewKind(models.TextChoices):
    EXPIRY = "expiry", "Order nearing the end of its term"
    INTERIM_UNLISTED = "interim_unlisted", "Interim order: main application not listed"


class ReviewDecision(models.TextChoices):
    RENEW = "renew", "Apply to renew the order"
    LAPSE = "lapse", "Let the order end on its date"
    VARY = "vary", "Apply to vary the order"
    LIST_HEARING = "list_hearing", "Ask the court to list the main application"
    WITHDRAW = "withdraw", "Withdraw the main application"
    RESOLVED = "resolved", "No longer needed"


class ReviewTask(models.Model):
    """Something about an order that needs a person's decision by a date: an order nearing
    the end of its fixed term (renew, let lapse, vary), or an interim order whose main
    application has no hearing date. Opened and closed by compliance/reviews.py."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="review_tasks")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    # The date the task is about: the term's last day, or the day the interim order was made.
    # A renewed order gets a new end date and so, in time, a new task.
    about_on = models.DateField()
    due_on = models.DateField(help_text="Decide by this day")
    opened_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices, blank=True)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "about_on"], name="review_task_once_per_subject"
            )
        ]
        indexes = [models.Index(fields=["closed_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for order {self.order_id} by {self.due_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
