"""Read queries for screening pages: every one starts from access.restrict. Person records are
shown by name and date of birth only; protected details (addresses, postcodes) are never read
here. Opening a candidate, an identity or a link is a consultation, logged (DPA 2018 s.62)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind
from safeguard.access.restrict import may, restrict
from safeguard.people.models import Person
from safeguard.reports.models import Report, ReportParty
from safeguard.screening.models import (
    Candidate,
    CandidateStatus,
    LinkDecision,
    PerpetratorScore,
    PersonIdentity,
    PersonLink,
    ScreeningRun,
)

QUEUE_STATUSES = (CandidateStatus.NEW, CandidateStatus.REVIEWING)


def queue_for(user: Any, status: str = "open") -> QuerySet[Candidate]:
    qs = restrict(Candidate.objects.all(), user).select_related("suspect", "victim")
    if status == "open":
        qs = qs.filter(status__in=QUEUE_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("below_threshold", "-score", "-last_report_at", "pk")


def latest_run(user: Any) -> ScreeningRun | None:
    return restrict(ScreeningRun.objects.all(), user).order_by("-started_at").first()


def candidate_detail(user: Any, pk: int) -> Candidate:
    cand = get_object_or_404(
        restrict(Candidate.objects.select_related("suspect", "victim", "order"), user), pk=pk
    )
    audit.record(AuditKind.VIEW, user=user, table_name=Candidate._meta.db_table, object_id=pk)
    return cand


def candidate_for_application(user: Any, pk: int) -> Candidate:
    """The candidate, if the user may both act on it and create an order (an application)."""
    if not permissions.allows(user, "order", "change"):
        raise Http404("No such case")
    return candidate_for_change(user, pk)


def candidate_for_change(user: Any, pk: int) -> Candidate:
    """The candidate, if the user may act on it (start an application, change its status)."""
    return get_object_or_404(
        restrict(Candidate.objects.select_related("suspect", "victim", "force"), user, "change"),
        pk=pk,
    )


def may_change(user: Any, obj: Any) -> bool:
    return may(user, obj, "change")


def may_apply(user: Any, cand: Candidate) -> bool:
    return permissions.allows(user, "order", "change") and may(user, cand, "change")


def candidate_reports(user: Any, cand: Candidate) -> list[Report]:
    return list(
        restrict(Report.objects.filter(pk__in=cand.reports.values("pk")), user)
        .prefetch_related("report_parties__person")
        .order_by("occurred_from", "reference")
    )


@dataclass(frozen=True)
class IdentityRecord:
    person: Person
    reports: list[tuple[str, str]]  # (reference, role)


def identity_records(user: Any, key: str) -> list[IdentityRecord]:
    """The person records linked into one identity, with the reports each appears on."""
    ids = restrict(PersonIdentity.objects.filter(key=key), user).values("person_id")
    people = list(restrict(Person.objects.filter(pk__in=ids), user).order_by("pk"))
    if not people:
        raise Http404("No such identity")
    parties = restrict(
        ReportParty.objects.filter(person__in=people).select_related("report"), user
    ).order_by("report__occurred_from")
    by_person: dict[int, list[tuple[str, str]]] = {}
    for party in parties:
        by_person.setdefault(party.person_id, []).append(
            (party.report.reference, party.get_role_display())
        )
    audit.record(AuditKind.VIEW, user=user, table_name=PersonIdentity._meta.db_table, object_id=key)
    return [IdentityRecord(p, by_person.get(p.pk, [])) for p in people]


def links_within(user: Any, people: list[Person]) -> QuerySet[PersonLink]:
    ids = [p.pk for p in people]
    return (
        restrict(PersonLink.objects.all(), user)
        .filter(Q(person_a__in=ids) | Q(person_b__in=ids))
        .select_related("person_a", "person_b")
        .order_by("-match_probability")
    )


def link_detail(user: Any, pk: int) -> PersonLink:
    link = get_object_or_404(
        restrict(PersonLink.objects.select_related("person_a", "person_b"), user), pk=pk
    )
    audit.record(AuditKind.VIEW, user=user, table_name=PersonLink._meta.db_table, object_id=pk)
    return link


def link_for_change(user: Any, pk: int) -> PersonLink:
    """The scored pair, if the user may confirm or split it."""
    return get_object_or_404(
        restrict(PersonLink.objects.select_related("person_a", "person_b"), user, "change"), pk=pk
    )


def decisions_for(user: Any, people: list[Person]) -> dict[tuple[int, int], LinkDecision]:
    ids = [p.pk for p in people]
    rows = restrict(LinkDecision.objects.all(), user).filter(
        Q(person_a__in=ids) | Q(person_b__in=ids)
    )
    return {(d.person_a_id, d.person_b_id): d for d in rows.select_related("decided_by")}


def person_for_decision(user: Any, pk: int) -> Person:
    return get_object_or_404(restrict(Person.objects.all(), user), pk=pk)


def identity_key_of(user: Any, person: Person) -> str | None:
    row = restrict(PersonIdentity.objects.filter(person=person), user).first()
    return row.key if row else None


def perpetrators_for(user: Any) -> QuerySet[PerpetratorScore]:
    return restrict(PerpetratorScore.objects.all(), user).select_related("person")


def perpetrator_detail(user: Any, pk: int) -> PerpetratorScore:
    row = get_object_or_404(
        restrict(PerpetratorScore.objects.select_related("person"), user), pk=pk
    )
    audit.record(
        AuditKind.VIEW, user=user, table_name=PerpetratorScore._meta.db_table, object_id=pk
    )
    return row
