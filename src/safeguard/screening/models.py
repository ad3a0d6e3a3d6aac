"""Screening's own tables: identity linkage results, people's decisions on links, perpetrator
scores and the SPO candidate queue. Screening reads people, reports and orders; it writes only
these tables (DESIGN.md, Direction of dependence)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.access.models import Force
from safeguard.people.models import Person
from safeguard.reports.models import Report


class LinkageModel(models.Model):
    """A trained linkage model (Splink JSON: comparisons, levels, m and u probabilities)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="linkage_models")
    trained_at = models.DateTimeField(auto_now_add=True)
    records = models.PositiveIntegerField(help_text="How many person records it was trained on")
    settings = models.JSONField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-trained_at"]
        get_latest_by = "trained_at"

    def __str__(self) -> str:
        return f"Linkage model of {self.force} trained {self.trained_at:%Y-%m-%d %H:%M}"


class RunKind(models.TextChoices):
    FULL = "full", "Full (model retrained)"
    INCREMENTAL = "incremental", "Incremental (saved model)"


class ScreeningRun(models.Model):
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="screening_runs")
    kind = models.CharField(max_length=12, choices=RunKind.choices)
    engine = models.CharField(max_length=10, default="duckdb")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    identities = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    model = models.ForeignKey(LinkageModel, on_delete=models.SET_NULL, null=True, blank=True)
    threshold = models.FloatField()
    config = models.JSONField(default=dict, help_text="The screening configuration used")

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} screening of {self.force} at {self.started_at}"


class PersonIdentity(models.Model):
    """Which identity a person record belongs to. The key is "P<smallest person id in it>", so it
    stays the same from run to run while the identity's records stay together."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity_link")
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=24)
    run = models.ForeignKey(ScreeningRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["force", "key"])]

    def __str__(self) -> str:
        return f"Person {self.person_id} in identity {self.key}"


class PersonLink(models.Model):
    """A scored pair of person records with why it scored so (match weights per comparison)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    explanation = models.JSONField(default=list)
    run = models.ForeignKey(ScreeningRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"], name="person_link_unique_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="person_link_ordered"
            ),
        ]
        indexes = [models.Index(fields=["force", "person_b"])]

    def __str__(self) -> str:
        return f"Link {self.person_a_id}-{self.person_b_id} ({self.match_probability:.2f})"


class Decision(models.TextChoices):
    CONFIRM = "confirm", "Same person (confirmed)"
    SPLIT = "split", "Different people (split)"


class LinkDecision(models.Model):
    """A person's decision that two records are, or are not, the same human. Every later run
    respects it: confirmed records are always joined, split records never."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"], name="link_decision_unique_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="link_decision_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.person_a_id} and {self.person_b_id}"


class PerpetratorScore(models.Model):
    """Recency, frequency, gravity and victims (RFGV) of one suspect identity, with every input
    and the configuration used, so that the score can be recomputed by hand."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    identity_key = models.CharField(max_length=24)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", help_text="The latest record"
    )
    score = models.FloatField()
    recency = models.FloatField()
    frequency = models.FloatField()
    gravity = models.FloatField()
    victims = models.FloatField()
    inputs = models.JSONField()
    config = models.JSONField()
    computed_at = models.DateTimeField()
    run = models.ForeignKey(ScreeningRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-score", "identity_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "identity_key"], name="perpetrator_score_unique_identity"
            )
        ]

    def __str__(self) -> str:
        return f"RFGV {self.score:.0f} for {self.identity_key}"


class CandidateStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWING = "reviewing", "Being reviewed"
    APPLICATION = "application", "Application started"
    DISMISSED = "dismissed", "Dismissed"


class Candidate(models.Model):
    """A suspect and victim pair whose evidence crossed the threshold: a case that may need an
    SPO. Reasons are in plain words; evidence keeps the figures behind them."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="spo_candidates")
    suspect_key = models.CharField(max_length=24)
    victim_key = models.CharField(max_length=24)
    suspect = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    victim = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    summary = models.TextField()
    reasons = models.JSONField(default=list)
    evidence = models.JSONField(default=dict)
    reports = models.ManyToManyField(Report, related_name="+")
    last_report_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=CandidateStatus.choices, default=CandidateStatus.NEW
    )
    status_note = models.TextField(blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    below_threshold = models.BooleanField(
        default=False, help_text="Its evidence has since fallen below the threshold"
    )
    first_flagged_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-score", "-last_report_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "suspect_key", "victim_key"], name="candidate_unique_pair"
            )
        ]
        indexes = [models.Index(fields=["force", "status", "score"])]

    def __str__(self) -> str:
        return f"SPO candidate {self.suspect_key} -> {self.victim_key}"


class ScreeningState(models.Model):
    """Per force: whether reports have arrived since the last run (the worker's to-do list)."""

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="screening_state")
    pending_since = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Screening state of {self.force}"


class ScreeningSettings(models.Model):
    """A force's own screening configuration; anything not set here takes the default
    (screening/config.py)."""

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="screening_settings")
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "screening settings"

    def __str__(self) -> str:
        return f"Screening settings of {self.force}"
