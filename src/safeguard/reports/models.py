"""Crime reports and the people in them (victims, suspects, witnesses)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from safeguard.access.models import Force, Team
from safeguard.people.models import Person
from safeguard.rules.offences import BEHAVIOURS, OFFENCES

OFFENCE_CHOICES = [(code, f"{code} {o.title}") for code, o in OFFENCES.items()]
BEHAVIOUR_CHOICES = list(BEHAVIOURS.items())


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    REFERRED = "referred", "Referred to SPO coordinator"
    CLOSED = "closed", "Closed"


class Report(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="reports")
    reference = models.CharField(max_length=40, help_text="The force's crime reference")
    offence_code = models.CharField(max_length=8, choices=OFFENCE_CHOICES)
    reported_at = models.DateTimeField()
    occurred_from = models.DateField()
    occurred_to = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What happened, in the officer's words")
    behaviours = ArrayField(
        models.CharField(max_length=20, choices=BEHAVIOUR_CHOICES), default=list, blank=True
    )
    sdash_answers = models.JSONField(
        default=dict, blank=True, help_text="S-DASH screening answers by question key"
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    parties = models.ManyToManyField(Person, through="ReportParty", related_name="reports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(fields=["force", "reference"], name="report_unique_reference")
        ]
        indexes = [
            models.Index(fields=["force", "offence_code", "reported_at"]),
            models.Index(fields=["force", "reported_at"]),
        ]

    def __str__(self) -> str:
        return self.reference


class PartyRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"


class Relationship(models.TextChoices):
    EX_PARTNER = "ex_partner", "Former partner"
    PARTNER = "partner", "Partner"
    FAMILY = "family", "Family member"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    COLLEAGUE = "colleague", "Colleague"
    NEIGHBOUR = "neighbour", "Neighbour"
    ONLINE = "online", "Known online only"
    STRANGER = "stranger", "Stranger"
    UNKNOWN = "unknown", "Not known"


class ReportParty(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="report_parties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="report_parties")
    role = models.CharField(max_length=10, choices=PartyRole.choices)
    relationship_to_victim = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.UNKNOWN, blank=True
    )

    class Meta:
        verbose_name_plural = "report parties"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "person", "role"], name="report_party_unique_role"
            )
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.report_id}"
