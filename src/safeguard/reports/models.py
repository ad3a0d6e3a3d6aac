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


class StreetCrime(models.Model):
    """One row of a data.police.uk street-level crime file: public, anonymised area context
    (docs/data-formats.md). No personal data: the location is a snap point, the month is all the
    date there is, and the Crime ID is a one-way hash.

    `row_key` makes an import idempotent: it is the SHA-256 of the row's twelve fields and of how
    many identical rows came before it in the same file, because police.uk files do hold
    identical rows (incidents at the same snap point in the same month) and rows that share a
    Crime ID.
    """

    row_key = models.CharField(max_length=64, unique=True)
    crime_id = models.CharField(
        max_length=64, blank=True, help_text="Blank for anti-social behaviour"
    )
    month = models.DateField(help_text="The first day of the month the crime was recorded in")
    reported_by = models.CharField(max_length=100)
    falls_within = models.CharField(max_length=100)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    crime_type = models.CharField(max_length=60)
    last_outcome = models.CharField(max_length=120, blank=True)
    context = models.TextField(blank=True)
    source = models.ForeignKey(
        "ImportRun", on_delete=models.PROTECT, related_name="street_crimes", null=True, blank=True
    )

    class Meta:
        ordering = ["-month", "pk"]
        indexes = [
            models.Index(fields=["falls_within", "month", "crime_type"]),
            models.Index(fields=["lsoa_code", "month"]),
            models.Index(fields=["crime_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.crime_type}, {self.location or 'no location'} ({self.month:%b %Y})"


class ImportKind(models.TextChoices):
    CRIME_REPORTS = "crime-reports", "Crime reports (Safeguard CSV or XLSX)"
    POLICE_UK_STREET = "police-uk-street", "data.police.uk street-level crime (CSV)"
    OPEN_DATA = "open-data", "ONS and FOI open data (oversight)"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    INVALID = "invalid", "Has errors: nothing imported"
    READY = "ready", "Checked: ready to import"
    QUEUED = "queued", "Waiting to start"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Stopped: can be resumed"


class ImportRun(models.Model):
    """One file being imported: its checks, its preview, and its progress (reports/importers).

    The file's SHA-256 makes importing it twice a no-op; `rows_done` is committed with each batch,
    so an import stopped by a crash resumes where it stopped instead of leaving half a file.
    """

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, null=True, blank=True, related_name="imports"
    )
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    last_row = models.PositiveIntegerField(
        default=0, help_text="The last row written: a resumed import starts after it"
    )
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "sha256", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.total_rows) if self.total_rows else 0


class ReferralStatus(models.TextChoices):
    OPEN = "open", "Waiting for the coordinator"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Referral(models.Model):
    """An officer's referral of a report to the force's SPO coordinator, to consider applying for
    a Stalking Protection Order (Stalking Protection Act 2019 s.1: the chief officer applies).

    Read only through the reports it is about (reports/selectors.py restricts the reports first),
    so whoever cannot see the report cannot see its referrals. Written only by reports/services.py;
    the audit triggers record every change (the reports app is audited: access/audit.py).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="referrals")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField()
    note = models.TextField(help_text="Why the officer thinks an order may be needed")
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_at", "-pk"]
        constraints = [
            # One open referral per report: a second click refers nothing twice.
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(status="open"),
                name="referral_one_open_per_report",
            )
        ]
        indexes = [models.Index(fields=["status", "referred_at"])]

    def __str__(self) -> str:
        return f"Referral of report {self.report_id} ({self.get_status_display()})"
