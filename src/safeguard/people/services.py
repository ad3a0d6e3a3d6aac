"""Operations on people: revealing a protected detail, scheduling retention reviews, erasure.

Each checks the user's right through access.restrict and records what it did in the audit trail
(DPA 2018 s.62): a reveal with its reason, an erasure with who, what and why but never the
erased data. The database triggers record the row writes besides, with protected values redacted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from safeguard.access import audit
from safeguard.access.models import AuditKind
from safeguard.access.restrict import restrict
from safeguard.people import retention
from safeguard.people.models import (
    Alias,
    Identifier,
    Person,
    ProtectedDetail,
    RetentionReview,
)
from safeguard.people.selectors import compute_review, erasure_parts

# Why someone may need to see a protected detail. The code and its words go into the audit trail
# with the user's own explanation.
REVEAL_REASONS: dict[str, str] = {
    "safety_visit": "To visit or contact the person to keep them safe",
    "immediate_risk": "To respond to an immediate risk to the person",
    "safeguarding_referral": "To make a safeguarding or MARAC referral",
    "serve_order": "To serve an order or notice on the defendant",
    "other": "Another policing purpose",
}


class InvalidRequest(ValueError):
    """Input that cannot be acted on; the message says what to fix."""


def reveal_purpose(reason: str, explanation: str) -> str:
    if reason not in REVEAL_REASONS:
        raise InvalidRequest("Select why you need to see this detail")
    explanation = explanation.strip()
    if reason == "other" and not explanation:
        raise InvalidRequest("Explain why you need to see this detail")
    words = f"{reason}: {REVEAL_REASONS[reason]}"
    return f"{words}. {explanation}" if explanation else words


@dataclass(frozen=True)
class Revealed:
    detail: ProtectedDetail
    value: str
    postcode: str
    event_id: int


def reveal_protected_detail(
    user: Any, person_id: int, detail_id: int, *, reason: str, explanation: str = ""
) -> Revealed:
    """The value of one protected detail, for this response only, after logging who, when and
    why. Http404 if the user may not see the person; PermissionDenied if they may see the
    person but their role may not reveal."""
    purpose = reveal_purpose(reason, explanation)
    details = ProtectedDetail.objects.filter(pk=detail_id, person_id=person_id)
    detail = restrict(details, user, "reveal").first()
    if detail is None:
        if restrict(details, user, "view").exists():
            raise PermissionDenied("Your role may not reveal protected details")
        raise Http404("No such record")
    event = audit.record(
        AuditKind.REVEAL,
        user=user,
        table_name=ProtectedDetail._meta.db_table,
        object_id=detail.pk,
        purpose=purpose,
        details={"person": detail.person_id, "kind": detail.kind},
    )
    return Revealed(detail, detail.value, detail.postcode, event.pk)


# --- Retention ------------------------------------------------------------------------------


@transaction.atomic
def schedule_review(person: Person, *, today: dt.date | None = None) -> RetentionReview:
    """Compute (or recompute) when the person's record must next be reviewed, and keep it."""
    result = compute_review(person, today=today)
    review, _ = RetentionReview.objects.update_or_create(
        person=person,
        defaults={
            "group": result.group,
            "basis": result.basis,
            "last_activity_on": result.last_activity_on,
            "review_on": result.review_on,
            "retain_until": result.retain_until,
        },
    )
    return review


def schedule_reviews(*, today: dt.date | None = None) -> int:
    """Recompute every person's review date (run it daily: `safeguard retention schedule`)."""
    count = 0
    with audit.acting_as(label="retention", purpose="Retention review dates recomputed"):
        for person in Person.objects.order_by("pk").iterator(chunk_size=500):
            schedule_review(person, today=today)
            count += 1
    return count


# --- Erasure --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    person_id: int
    parts: tuple[str, ...]
    counts: dict[str, int]
    event_id: int


@transaction.atomic
def erase_person_details(
    user: Any, person_id: int, *, purpose: str, parts: tuple[str, ...] | None = None
) -> Erasure:
    """Erase a person's protected details (and whatever else their retention rule says) in one
    transaction, and record who erased what and why, not the data (ICO: erasure logs).

    Http404 if the user may not see the person; PermissionDenied if their role may not erase.
    """
    purpose = purpose.strip()
    if not purpose:
        raise InvalidRequest("Give the reason for the erasure (the review decision)")
    people = Person.objects.filter(pk=person_id)
    person = restrict(people, user, "erase").select_for_update().first()
    if person is None:
        if restrict(people, user, "view").exists():
            raise PermissionDenied("Your role may not erase records")
        raise Http404("No such record")
    parts = tuple(parts) if parts is not None else erasure_parts(person)
    unknown = set(parts) - set(retention.ERASABLE_PARTS)
    if unknown:
        raise InvalidRequest(f"Unknown part(s) to erase: {sorted(unknown)}")
    counts: dict[str, int] = {}
    with audit.acting_as(user, purpose=purpose):
        if "protected_details" in parts:
            counts["protected_details"] = ProtectedDetail.objects.filter(person=person).delete()[0]
        if "aliases" in parts:
            counts["aliases"] = Alias.objects.filter(person=person).delete()[0]
        if "identifiers" in parts:
            counts["identifiers"] = Identifier.objects.filter(person=person).delete()[0]
        if "date_of_birth" in parts:
            counts["date_of_birth"] = Person.objects.filter(
                pk=person.pk, date_of_birth__isnull=False
            ).update(date_of_birth=None)
        RetentionReview.objects.filter(person=person).update(erased_at=timezone.now())
        event = audit.record(
            AuditKind.ERASE,
            user=user,
            table_name=Person._meta.db_table,
            object_id=person.pk,
            purpose=purpose,
            details={"person": person.pk, "parts": list(parts), "counts": counts},
        )
    return Erasure(person.pk, parts, counts, event.pk)
