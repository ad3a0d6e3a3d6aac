"""People as recorded in reports, with their aliases, identifiers and protected contact details.

A Person is one record of a person as a report gives it; the same human being may appear as
several Person records spelled differently (screening links them into identities). Contact
details never live on Person: they live in ProtectedDetail, which only the roles that need them
can read, each read logged (DESIGN.md, Protecting victims).
"""

from __future__ import annotations

from django.db import models

from safeguard.access.crypto import EncryptedTextField
from safeguard.access.models import Force


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not recorded"


class Person(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surname", "given_name"]
        indexes = [models.Index(fields=["force", "surname", "given_name"])]

    def __str__(self) -> str:
        return self.full_name or f"Person {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.middle_names, self.surname) if p)


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname"
    PREVIOUS = "previous", "Previous name"
    ONLINE = "online", "Online name or handle"


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.ALIAS)
    given_name = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.given_name} {self.surname}".strip()


class IdentifierScheme(models.TextChoices):
    PNC = "pnc", "PNC ID"
    CRO = "cro", "CRO number"
    NI = "ni", "National Insurance number"
    DRIVING_LICENCE = "driving_licence", "Driving licence number"
    LOCAL = "local", "Force system ID"


class Identifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=20, choices=IdentifierScheme.choices)
    value = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scheme", "value"], name="identifier_unique_per_person"
            )
        ]
        indexes = [models.Index(fields=["scheme", "value"])]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.value}"


class DetailKind(models.TextChoices):
    HOME_ADDRESS = "home_address", "Home address"
    WORKPLACE = "workplace", "Workplace"
    PHONE = "phone", "Phone number"
    EMAIL = "email", "E-mail address"


class ProtectedDetail(models.Model):
    """A contact detail or address: masked by default, read only by roles that need it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="protected_details")
    kind = models.CharField(max_length=20, choices=DetailKind.choices)
    # Encrypted at rest with a key apart from SECRET_KEY (access/crypto.py); never searchable.
    value = EncryptedTextField(help_text="The address, number or e-mail address in full.")
    postcode = EncryptedTextField(blank=True)
    current = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["person", "kind", "current"])]

    def __str__(self) -> str:
        # Never the value: a str() of this object may reach a log or an error page.
        return f"{self.get_kind_display()} of person {self.person_id} (protected)"


class RetentionGroup(models.TextChoices):
    """MoPI review groups (DOMAIN.md 7.2). What each means in years is configuration:
    people/retention.py and docs/retention.md."""

    PUBLIC_PROTECTION = "public_protection", "Group 1: certain public protection matters"
    SERIOUS = "serious", "Group 2: other sexual, violent or serious offences"
    OTHER = "other", "Group 3: all other offences"


class RetentionReview(models.Model):
    """When a person's record must next be reviewed under the retention rules, and why.

    Computed by people/services.py from the reports and orders the person appears in; never
    typed in. Erasure leaves the date it happened here and its who/what/why in the audit trail.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="retention_review")
    group = models.CharField(max_length=20, choices=RetentionGroup.choices)
    basis = models.CharField(max_length=200, help_text="Why the record is in this group")
    last_activity_on = models.DateField(help_text="The latest report or order event")
    review_on = models.DateField()
    retain_until = models.DateField(
        null=True, blank=True, help_text="Kept at least until this day, whatever the review"
    )
    computed_at = models.DateTimeField(auto_now=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"Retention review of person {self.person_id} on {self.review_on:%d %b %Y}"
