"""Read queries for people: every one starts from access.restrict (DESIGN.md, Protecting victims).

A person's protected details are listed masked: these queries load which kinds of detail are
recorded, never their values (`.only()` leaves the encrypted columns unread, so a value cannot
reach a page, a log or an error report by accident). Values are read only by
people/services.reveal_protected_detail, with a reason.

Reports and orders are reached through the person's reverse relations, so people imports neither
app (DESIGN.md, Direction of dependence).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind
from safeguard.access.restrict import may, restrict
from safeguard.people import retention
from safeguard.people.models import Person, ProtectedDetail, RetentionReview
from safeguard.rules.orders import TERMINAL_STATES

MASKED_FIELDS = ("id", "person_id", "kind", "current", "recorded_at")


def masked_details(queryset: QuerySet[ProtectedDetail]) -> QuerySet[ProtectedDetail]:
    """Protected details without their values: safe to list."""
    return queryset.only(*MASKED_FIELDS).order_by("-current", "kind", "pk")


@dataclass(frozen=True)
class Appearance:
    """A report or order the person appears in, and in what role."""

    record: Any
    role: str


@dataclass(frozen=True)
class PersonPage:
    person: Person
    fields: frozenset[str]
    aliases: list[Any]
    identifiers: list[Any]
    details: list[ProtectedDetail]
    orders: list[Appearance]
    reports: list[Appearance]
    report_fields: frozenset[str]
    order_fields: frozenset[str]
    review: RetentionReview | None
    may_reveal: bool
    may_audit: bool
    may_erase: bool


def visible_person(user: Any, pk: int) -> Person:
    """The person, or Http404 if the user may not see them (the same answer as for a person who
    does not exist, so existence is not disclosed)."""
    return get_object_or_404(restrict(Person.objects.all(), user), pk=pk)


def person_page(user: Any, pk: int) -> PersonPage:
    """Everything a person's page shows, through restrict(). Opening it is a consultation, so it
    is logged in the audit trail (DPA 2018 s.62)."""
    person = visible_person(user, pk)
    audit.record(AuditKind.VIEW, user=user, table_name=Person._meta.db_table, object_id=person.pk)
    details = ProtectedDetail.objects.filter(person=person)

    reports: list[Appearance] = []
    report_fields = permissions.visible_fields(user, "report")
    parties = restrict(person.report_parties.all(), user)  # type: ignore[attr-defined]
    roles_in: dict[int, list[str]] = {}
    for party in parties:
        roles_in.setdefault(party.report_id, []).append(party.get_role_display())
    person_reports = person.reports.all().distinct()  # type: ignore[attr-defined]
    for report in restrict(person_reports, user).order_by("-reported_at"):
        reports.append(Appearance(report, ", ".join(roles_in.get(report.pk, []))))

    orders: list[Appearance] = []
    order_fields = permissions.visible_fields(user, "order")
    person_orders = person.orders_against.all() | person.protected_by_orders.all()  # type: ignore[attr-defined]
    for order in restrict(person_orders.distinct(), user).order_by("-created_at"):
        role = "Defendant" if order.defendant_id == person.pk else "Protected person"
        orders.append(Appearance(order, role))

    return PersonPage(
        person=person,
        fields=permissions.visible_fields(user, "person"),
        aliases=list(restrict(person.aliases.all(), user)),  # type: ignore[attr-defined]
        identifiers=list(restrict(person.identifiers.all(), user)),  # type: ignore[attr-defined]
        details=list(masked_details(restrict(details, user))),
        orders=orders,
        reports=reports,
        report_fields=report_fields,
        order_fields=order_fields,
        review=restrict(RetentionReview.objects.filter(person=person), user).first(),
        may_reveal=restrict(details, user, "reveal").exists(),
        may_audit=may(user, person, "audit"),
        may_erase=may(user, person, "erase"),
    )


def detail_to_reveal(user: Any, person_pk: int, detail_pk: int) -> ProtectedDetail:
    """One protected detail, masked, for its reveal form: Http404 if the user may not see the
    person, PermissionDenied if their role may not reveal."""
    details = ProtectedDetail.objects.filter(pk=detail_pk, person_id=person_pk)
    detail = masked_details(restrict(details, user, "reveal")).select_related("person").first()
    if detail is None:
        if restrict(details, user, "view").exists():
            raise PermissionDenied("Your role may not reveal protected details")
        raise Http404("No such record")
    return detail


@dataclass(frozen=True)
class ErasurePlan:
    person: Person
    parts: list[tuple[str, str, int]]  # (part, what it is, how many the person has)
    group_title: str
    review: RetentionReview | None


def erasure_plan(user: Any, pk: int) -> ErasurePlan:
    """What an erasure of this person's record would remove under their retention rule."""
    person = visible_person(user, pk)
    if not may(user, person, "erase"):
        raise PermissionDenied("Your role may not erase records")
    counts = {
        "protected_details": ProtectedDetail.objects.filter(person=person).count(),
        "aliases": person.aliases.count(),  # type: ignore[attr-defined]
        "identifiers": person.identifiers.count(),  # type: ignore[attr-defined]
        "date_of_birth": 1 if person.date_of_birth else 0,
    }
    parts = [(p, retention.ERASABLE_PARTS[p], counts[p]) for p in erasure_parts(person)]
    group_title = retention.configured_rules().groups[retention_group(person)].title
    review = RetentionReview.objects.filter(person=person).first()
    return ErasurePlan(person, parts, group_title, review)


def reviews_due(user: Any, on: Any) -> QuerySet[RetentionReview]:
    """Records due for review on or before `on`, that the user may erase."""
    erasable = restrict(Person.objects.all(), user, "erase")
    return (
        restrict(RetentionReview.objects.filter(review_on__lte=on), user)
        .filter(person__in=erasable)
        .select_related("person")
        .order_by("review_on", "pk")
    )


# --- Retention -------------------------------------------------------------------------------


def _last_activity(person: Person, today: dt.date) -> tuple[dt.date, list[str], bool]:
    """The person's latest report or order event, their offence codes, and whether an order
    names them. A live order counts as activity today: nothing is due for review while it runs.

    Reports and orders are reached through the person's reverse relations: people imports
    neither app (DESIGN.md, Direction of dependence)."""
    reports = person.reports.all()  # type: ignore[attr-defined]
    codes = list(reports.values_list("offence_code", flat=True).distinct())
    latest_report = reports.aggregate(at=Max("reported_at"))["at"]
    orders = (
        person.orders_against.all() | person.protected_by_orders.all()  # type: ignore[attr-defined]
    ).distinct()
    dates = [timezone.localdate(person.created_at)]
    if latest_report:
        dates.append(timezone.localdate(latest_report))
    in_orders = False
    terminal = {s.value for s in TERMINAL_STATES}
    for order in orders.only("state", "made_on", "ended_on", "created_at"):
        in_orders = True
        if order.state not in terminal:
            dates.append(today)
        dates += [d for d in (order.made_on, order.ended_on) if d]
        dates.append(timezone.localdate(order.created_at))
    return max(dates), codes, in_orders


def compute_review(person: Person, *, today: dt.date | None = None) -> retention.Review:
    """The retention review the rules give the person's record now (nothing is saved)."""
    today = today or timezone.localdate()
    last, codes, in_orders = _last_activity(person, today)
    return retention.review(
        offence_codes=codes,
        in_orders=in_orders,
        last_activity_on=last,
        date_of_birth=person.date_of_birth,
        rules=retention.configured_rules(),
    )


def retention_group(person: Person) -> str:
    """The person's retention group: as scheduled, or as the rules give it now."""
    review = RetentionReview.objects.filter(person=person).first()
    return review.group if review else compute_review(person).group


def erasure_parts(person: Person) -> tuple[str, ...]:
    """What the retention rule for the person's group erases at disposal."""
    return retention.configured_rules().groups[retention_group(person)].erase
