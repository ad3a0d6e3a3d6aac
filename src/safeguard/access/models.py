"""Forces, teams and users. Access imports none of the other apps (DESIGN.md, Direction)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OFFICER = "officer", "Investigating officer"
    COORDINATOR = "coordinator", "SPO coordinator"
    SUPERVISOR = "supervisor", "Supervisor"
    LEGAL = "legal", "Force legal adviser"
    ADVOCATE = "advocate", "Victim advocate"
    ANALYST = "analyst", "Analyst"
    FORCE_ADMIN = "force_admin", "Force administrator"
    NATIONAL_ADMIN = "national_admin", "National administrator"


# Roles that see no personal data at all, only aggregates (issue 3: Roles and scope).
AGGREGATE_ONLY_ROLES = frozenset({Role.ANALYST})
NATIONAL_ROLES = frozenset({Role.NATIONAL_ADMIN})


class Force(models.Model):
    """A police force. Every case belongs to one; a national deployment holds many."""

    code = models.SlugField(max_length=40, unique=True, help_text="Short code, e.g. norfolk")
    name = models.CharField(max_length=100, unique=True)
    ons_code = models.CharField(
        max_length=9, blank=True, help_text="ONS police force area code, e.g. E23000026"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["force__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="team_unique_name_in_force")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.force.code})"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Empty only for national roles.",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    rank = models.CharField(
        max_length=40, blank=True, help_text="Police rank, where the user is an officer."
    )
    collar_number = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="national_admin") | models.Q(force__isnull=False),
                name="user_has_force_unless_national",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AuditKind(models.TextChoices):
    # Writes, recorded by database triggers on every case table.
    INSERT = "insert", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    TRUNCATE = "truncate", "Table emptied"
    # Reads and disclosures, recorded by the application (DPA 2018 s.62).
    VIEW = "view", "Consulted"
    REVEAL = "reveal", "Protected detail revealed"
    EXPORT = "export", "Exported"
    DISCLOSE = "disclose", "Disclosed"
    ERASE = "erase", "Erased"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail.

    The table, its chain trigger and its refusal of UPDATE, DELETE and TRUNCATE are created in SQL
    (migration 0002), so Django does not manage it: a test flush cannot empty it, and neither can
    anything else. `hash` and `prev_hash` are set by the database under a lock; `occurred_at` is
    the database clock. See access/audit.py.
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    table_name = models.CharField(max_length=100, blank=True, default="")
    object_id = models.CharField(max_length=100, blank=True, default="")
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True, default="")
    request_id = models.CharField(max_length=64, blank=True, default="")
    purpose = models.TextField(blank=True, default="")
    recipients = models.TextField(blank=True, default="")
    changes = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        managed = False
        db_table = "access_auditevent"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.table_name}:{self.object_id} by {self.actor_label}"
