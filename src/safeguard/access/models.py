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
    PCC = "pcc", "Police and Crime Commissioner's staff"
    FORCE_ADMIN = "force_admin", "Force administrator"
    NATIONAL_ADMIN = "national_admin", "National administrator"


# Roles that see no personal data at all, only aggregates (issue 3: Roles and scope).
AGGREGATE_ONLY_ROLES = frozenset({Role.ANALYST, Role.PCC})
NATIONAL_ROLES = frozenset({Role.NATIONAL_ADMIN})
# Roles that see their own force's oversight dashboards (issue 7); national roles see any force.
FORCE_OVERSIGHT_ROLES = frozenset(
    {Role.SUPERVISOR, Role.COORDINATOR, Role.ANALYST, Role.FORCE_ADMIN, Role.PCC}
)


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
    LOGIN_FAILED = "login_failed", "Sign-in refused"
    LOGOUT = "logout", "Signed out"
    TWO_FACTOR = "two_factor", "Two-factor authentication changed"


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


class ApiToken(models.Model):
    """A key for another system to call the REST API (issue 8): scoped to one force and one role,
    held by a service account, revocable and expiring.

    Only a SHA-256 digest of the key is stored; the key itself is shown once, when it is made
    (`safeguard api_token create`). A key that is high-entropy random needs no slow hash: nobody
    can guess one from its digest. `prefix` (the key's first characters) finds the row without
    scanning. The token works only while its account is active and still has the force and the
    role the token was made for, so moving or demoting the account ends its tokens at once.
    """

    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'Niche RMS nightly feed'")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="api_tokens")
    role = models.CharField(max_length=20, choices=Role.choices)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now  # type: ignore[operator]


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a caller sent with a creating request (issue 8), and what it made.

    Written in the same transaction as the thing created, so a retry either finds the first
    result or (if the first attempt failed and rolled back) is carried out afresh; two requests
    racing with one key are serialised by the unique constraint. Only a reference to the result
    is kept, never a copy of the response: a replay re-reads the record through restrict().
    """

    actor_key = models.CharField(max_length=40, help_text="user:<id> or token:<id>")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    resource = models.CharField(max_length=60, blank=True, help_text="app_label.model")
    resource_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor_key", "key"], name="idempotency_key_unique")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.actor_key})"
