"""Oversight's own tables: the public national data (ONS recorded crime, population, and the
per-force SPO figures from Freedom of Information requests), loaded by
`safeguard oversight load-open-data`. No personal data is held here, and nothing here is case
data: oversight reads case tables and writes only these (DESIGN.md, Direction of dependence).
"""

from __future__ import annotations

from django.db import models


class OpenDataFile(models.Model):
    """One public file as loaded: where it came from, its checksum, and when it was loaded."""

    name = models.CharField(max_length=200, unique=True, help_text="The file's name")
    kind = models.CharField(max_length=40, help_text="The format recognised (opendata.FORMATS)")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    licence = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0, help_text="Figures loaded from the file")
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PoliceForceArea(models.Model):
    """A territorial police force area (areas.AREAS), the unit of every national figure."""

    ons_code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    region = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OffenceGroup(models.TextChoices):
    STALKING_AND_HARASSMENT = "stalking_and_harassment", "Stalking and harassment"
    STALKING = "stalking", "Stalking"


class OffenceCount(models.Model):
    """Offences recorded by the police in one area over one period, from one file."""

    area = models.ForeignKey(PoliceForceArea, on_delete=models.CASCADE, related_name="offences")
    offence_group = models.CharField(max_length=30, choices=OffenceGroup.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    count = models.PositiveIntegerField()
    source = models.ForeignKey(OpenDataFile, on_delete=models.CASCADE, related_name="offences")

    class Meta:
        ordering = ["area__name", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "offence_group", "period_start", "period_end", "source"],
                name="offencecount_unique_per_source",
            )
        ]
        indexes = [models.Index(fields=["offence_group", "period_end"])]

    def __str__(self) -> str:
        return f"{self.area}: {self.count} {self.offence_group}, to {self.period_end}"


class Population(models.Model):
    """Mid-year resident population of an area (ONS, as given in the PFA tables, Table P3)."""

    area = models.ForeignKey(PoliceForceArea, on_delete=models.CASCADE, related_name="population")
    mid_year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    source = models.ForeignKey(OpenDataFile, on_delete=models.CASCADE, related_name="population")

    class Meta:
        ordering = ["area__name", "mid_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "mid_year", "source"], name="population_unique_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.count} (mid-{self.mid_year})"


class SpoFoiReturn(models.Model):
    """A force's answer to a Freedom of Information request about Stalking Protection Orders.

    A force that did not answer has answered=False and no figures: it is shown as not answering,
    never as zero. A figure the force did not give (e.g. "n/a") is None.
    """

    area = models.ForeignKey(PoliceForceArea, on_delete=models.CASCADE, related_name="spo_foi")
    source = models.ForeignKey(OpenDataFile, on_delete=models.CASCADE, related_name="spo_foi")
    answered = models.BooleanField()
    period_start = models.DateField()
    period_end = models.DateField(null=True, blank=True, help_text="The date of the answer")
    applied = models.PositiveIntegerField(null=True, blank=True)
    granted = models.PositiveIntegerField(null=True, blank=True)
    rejected = models.PositiveIntegerField(null=True, blank=True)
    not_heard = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["area__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "source"], name="spofoireturn_unique"),
            models.CheckConstraint(
                condition=models.Q(answered=True)
                | (
                    models.Q(applied__isnull=True)
                    & models.Q(granted__isnull=True)
                    & models.Q(rejected__isnull=True)
                    & models.Q(not_heard__isnull=True)
                ),
                name="spofoireturn_no_figures_unless_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {'answered' if self.answered else 'did not answer'}"
