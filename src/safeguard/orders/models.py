"""Protective orders from application to end: applications, hearings, conditions, service,
variations, renewals, discharges and appeals. Only orders/services/ changes their state."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.access.models import Force, Team
from safeguard.people.models import Person
from safeguard.reports.models import Report
from safeguard.rules.orders import ORDER_TYPES, TERMINAL_STATES, OrderSpec, State

ORDER_TYPE_CHOICES = [(key, spec.title) for key, spec in ORDER_TYPES.items()]
STATE_CHOICES = [(s.value, s.value.replace("_", " ").capitalize()) for s in State]


class Order(models.Model):
    """One protective order (or notice), from the draft application to its end."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="orders")
    reference = models.CharField(max_length=40)
    order_type = models.CharField(max_length=20, choices=ORDER_TYPE_CHOICES)
    state = models.CharField(max_length=12, choices=STATE_CHOICES, default=State.DRAFT)
    # Optimistic locking: every change bumps it; a writer holding an older version gets a
    # conflict, never a silent overwrite (orders/services/, ConcurrentEdit).
    version = models.PositiveIntegerField(default=1)

    defendant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="orders_against")
    protected_persons = models.ManyToManyField(Person, related_name="protected_by_orders")
    reports = models.ManyToManyField(Report, blank=True, related_name="orders")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="For an interim order, the main application; for an order after a notice, "
        "the notice.",
    )

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    court = models.CharField(max_length=200, blank=True)
    authorised_by = models.CharField(max_length=200, blank=True)
    authoriser_rank = models.CharField(max_length=40, blank=True)

    grounds = models.JSONField(
        default=dict, blank=True, help_text="Evidence for each statutory test, by test number"
    )
    victim_views = models.TextField(blank=True)

    applied_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True, help_text="When a notice was given")
    made_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    served_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["force", "reference"], name="order_unique_reference"),
            models.CheckConstraint(
                condition=~(models.Q(until_further_order=True) & models.Q(ends_on__isnull=False)),
                name="order_end_date_or_until_further_order",
            ),
        ]
        indexes = [
            models.Index(fields=["force", "order_type", "state"]),
            models.Index(fields=["state", "ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_order_type_display()})"

    @property
    def spec(self) -> OrderSpec:
        return ORDER_TYPES[self.order_type]

    @property
    def is_live(self) -> bool:
        return self.state == State.IN_FORCE

    @property
    def is_closed(self) -> bool:
        return State(self.state) in TERMINAL_STATES


class StateChange(models.Model):
    """The order's own history of lawful moves; the audit trail records every write besides."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="state_changes")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_state} to {self.to_state}"


class HearingKind(models.TextChoices):
    APPLICATION = "application", "Application"
    INTERIM = "interim", "Interim application"
    VARIATION = "variation", "Variation"
    RENEWAL = "renewal", "Renewal"
    DISCHARGE = "discharge", "Discharge"
    APPEAL = "appeal", "Appeal"


class Outcome(models.TextChoices):
    PENDING = "pending", "Not yet heard"
    GRANTED = "granted", "Granted as asked"
    GRANTED_CHANGED = "granted_changed", "Granted with changed conditions"
    REFUSED = "refused", "Refused"
    ADJOURNED = "adjourned", "Adjourned"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Hearing(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(
        max_length=12, choices=HearingKind.choices, default=HearingKind.APPLICATION
    )
    scheduled_for = models.DateTimeField()
    court = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_for"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} hearing for {self.order} on {self.scheduled_for:%d %b %Y}"
        )


class ConditionKind(models.TextChoices):
    PROHIBITION = "prohibition", "Prohibition"
    REQUIREMENT = "requirement", "Requirement"


class Condition(models.Model):
    """A prohibition or requirement, as proposed and then as granted.

    A served order's conditions change only through a variation: the old condition is closed
    (removed_on) and a new one added, so the wording the defendant was served stays on record.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="conditions")
    code = models.CharField(max_length=40, help_text="From the order type's catalogue")
    kind = models.CharField(max_length=12, choices=ConditionKind.choices)
    wording = models.TextField()
    necessity = models.TextField(
        blank=True, help_text="Why this condition is necessary (SPA 2019 s.2(2))"
    )
    locality = models.CharField(max_length=200, blank=True)
    granted = models.BooleanField(default=False)
    added_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(
        null=True, blank=True, help_text="Where the condition has its own period"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.wording}"


class ServiceMethod(models.TextChoices):
    PERSONAL = "personal", "In person"
    IN_COURT = "in_court", "In court (defendant present)"
    POST = "post", "By post"
    OTHER = "other", "Other"


class Service(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="services")
    served_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=ServiceMethod.choices)
    served_by = models.CharField(max_length=200)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["served_at"]

    def __str__(self) -> str:
        return f"Service of {self.order} on {self.served_at:%d %b %Y}"


class ApplicationKind(models.TextChoices):
    VARIATION = "variation", "Variation"
    RENEWAL = "renewal", "Renewal"
    DISCHARGE = "discharge", "Discharge"


class Applicant(models.TextChoices):
    POLICE = "police", "Chief officer of police"
    DEFENDANT = "defendant", "Defendant"
    PROTECTED_PERSON = "protected_person", "Protected person"
    PROSECUTOR = "prosecutor", "Prosecutor"


class CourtApplication(models.Model):
    """An application to vary, renew or discharge an order in force."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="court_applications")
    kind = models.CharField(max_length=10, choices=ApplicationKind.choices)
    applicant = models.CharField(max_length=20, choices=Applicant.choices)
    made_on = models.DateField()
    grounds = models.TextField(blank=True)
    defendant_consents = models.BooleanField(default=False)
    chief_officer_consents = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.order} ({self.made_on:%d %b %Y})"


class Appellant(models.TextChoices):
    DEFENDANT = "defendant", "Defendant"
    CHIEF_OFFICER = "chief_officer", "Chief officer"


class AppealOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    ALLOWED = "allowed", "Allowed"
    DISMISSED = "dismissed", "Dismissed"
    ABANDONED = "abandoned", "Abandoned"


class Appeal(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="appeals")
    appellant = models.CharField(max_length=20, choices=Appellant.choices)
    against = models.CharField(max_length=200, help_text="The decision appealed against")
    lodged_on = models.DateField()
    court = models.CharField(max_length=200, default="Crown Court")
    outcome = models.CharField(
        max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["lodged_on"]

    def __str__(self) -> str:
        return f"Appeal by {self.get_appellant_display().lower()} in {self.order}"


class ProclaimedBankHoliday(models.Model):
    """A bank holiday proclaimed under the Banking and Financial Dealings Act 1971 s.1(3), added
    by an administrator: an extra day the statutory clock disregards like any other, or a usual
    bank holiday cancelled by proclamation (as 4 May 2020 was moved to 8 May)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    cancelled = models.BooleanField(
        default=False, help_text="Tick if this proclamation cancels a usual bank holiday"
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %B %Y})"


class AdvocateLink(models.Model):
    """A victim advocate (partner agency) linked to an order to support the person it protects.

    The only way an advocate sees an order: their rules reach linked orders only, and only the
    fields safety planning needs (access.permissions, Reach.LINKED, SAFETY_PLANNING).
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="advocate_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advocate_links"
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "user"], name="advocate_link_unique")
        ]

    def __str__(self) -> str:
        return f"Advocate {self.user_id} linked to {self.order_id}"


class ReviewDecision(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class LegalReview(models.Model):
    """A force legal adviser's review of a draft application before it goes to court (issue 4).

    The coordinator asks for it; the adviser approves it (and the application is then made to
    the court through orders.services.submit_application) or sends it back with comments. An
    application has at most one review waiting at a time; earlier ones stay as its history.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="legal_reviews")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    # The order's version when review was asked for: what the adviser reads is what is approved.
    order_version = models.PositiveIntegerField()
    note = models.TextField(blank=True, help_text="The coordinator's note to the adviser")
    decision = models.CharField(
        max_length=20, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    comments = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(decision="pending"),
                name="legal_review_one_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Legal review of {self.order} ({self.get_decision_display().lower()})"
