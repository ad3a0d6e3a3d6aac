"""What a document may say, read through access.restrict (DESIGN.md, Protecting victims).

`case_file()` reads one order and everything a document about it needs into plain frozen
dataclasses (`CaseFile`), so the content builders (documents/content.py) and renderers work on
what they are given and never query the database. Every query starts from restrict(): the
order, its reports for the chronology, and (only when the user chose to include them, with a
reason) the protected details of named people, read with the `reveal` right.

Protected details that are *not* included are still read here, on the server, for one purpose:
the safety net in documents/redaction.py looks for them in free text (an officer's narrative,
the grounds) and takes them out before anything is rendered. They never leave this process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from safeguard.access import permissions
from safeguard.access.restrict import restrict
from safeguard.compliance.models import Breach, Notification
from safeguard.documents.models import Document, DocumentKind
from safeguard.orders.models import Condition, Hearing, Order
from safeguard.orders.services import deadlines_for
from safeguard.people.models import Person, ProtectedDetail
from safeguard.rules.clock import Deadline
from safeguard.rules.offences import BEHAVIOURS, OFFENCES
from safeguard.rules.orders import OrderSpec

# --- Which documents exist for which orders, and what each needs to show -----------------------

# The order's fields (access/permissions.py) a user must be granted to make or read each kind.
# A role that may not see the evidence may not take it out of the system in a document either.
REQUIRED_FIELDS: dict[str, frozenset[str]] = {
    DocumentKind.SPO_APPLICATION: frozenset(
        {
            "defendant",
            "defendant_date_of_birth",
            "protected_persons",
            "grounds",
            "victim_views",
            "conditions",
            "conditions_necessity",
            "court",
        }
    ),
    DocumentKind.DRAFT_ORDER: frozenset(
        {"defendant", "protected_persons", "conditions", "term", "made_on", "court", "law"}
    ),
    DocumentKind.NOTIFICATION_ACKNOWLEDGMENT: frozenset(
        {"defendant", "defendant_date_of_birth", "notifications"}
    ),
    DocumentKind.NOTICE: frozenset(
        {"defendant", "defendant_date_of_birth", "protected_persons", "conditions", "notice"}
    ),
    DocumentKind.CASE_SUMMARY: frozenset(
        {
            "defendant",
            "protected_persons",
            "conditions",
            "term",
            "hearings",
            "breaches",
            "notifications",
        }
    ),
}
REQUIRED_FIELDS[DocumentKind.INTERIM_SPO_APPLICATION] = REQUIRED_FIELDS[
    DocumentKind.SPO_APPLICATION
]

# Who each kind is for: the default recipients and purpose the form offers (both are logged).
AUDIENCE: dict[str, str] = {
    DocumentKind.SPO_APPLICATION: "court",
    DocumentKind.INTERIM_SPO_APPLICATION: "court",
    DocumentKind.DRAFT_ORDER: "court",
    DocumentKind.NOTIFICATION_ACKNOWLEDGMENT: "defendant",
    DocumentKind.NOTICE: "defendant",
    DocumentKind.CASE_SUMMARY: "multi-agency",
}
# Legal teams edit these before filing, so they come as DOCX too.
DOCX_KINDS = frozenset(
    {
        DocumentKind.SPO_APPLICATION,
        DocumentKind.INTERIM_SPO_APPLICATION,
        DocumentKind.DRAFT_ORDER,
        DocumentKind.CASE_SUMMARY,
    }
)


def kinds_for(order: Order) -> list[str]:
    """The kinds of document that make sense for this order's type (and state)."""
    s = order.spec
    kinds: list[str] = []
    if order.order_type == "spo":
        kinds.append(DocumentKind.SPO_APPLICATION)
    if order.order_type == "interim-spo":
        kinds.append(DocumentKind.INTERIM_SPO_APPLICATION)
    if s.court is not None:
        kinds.append(DocumentKind.DRAFT_ORDER)
    if s.term.lasts_until_hearing:
        kinds.append(DocumentKind.NOTICE)
    if order.order_type in ("spo", "interim-spo"):
        kinds.append(DocumentKind.NOTIFICATION_ACKNOWLEDGMENT)
    kinds.append(DocumentKind.CASE_SUMMARY)
    return kinds


def may_read_kind(user: Any, kind: str) -> bool:
    return REQUIRED_FIELDS[kind] <= permissions.visible_fields(user, "order")


def order_for(user: Any, pk: int, action: str = "view") -> Order:
    """The order, if the user may `action` it; Http404 otherwise (existence not disclosed)."""
    order = (
        restrict(Order.objects.all(), user, action)
        .select_related("defendant", "force", "officer", "team", "parent")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404("No such order")
    return order


def documents_for(user: Any, order: Order) -> list[Document]:
    """The stored documents of an order the user may see (the order through restrict(), and
    only the kinds whose contents the user's role may read), newest first, without content."""
    visible = restrict(Order.objects.filter(pk=order.pk), user).values("pk")
    readable = [k for k in DocumentKind.values if may_read_kind(user, k)]
    return list(
        Document.objects.filter(order__in=visible, kind__in=readable)
        .defer("pdf", "docx")
        .select_related("requested_by")
        .order_by("kind", "subject", "-version")
    )


def document_for(user: Any, pk: int, *, content: bool = False) -> Document:
    visible = restrict(Order.objects.all(), user).values("pk")
    documents = Document.objects.filter(order__in=visible).select_related("order", "requested_by")
    if not content:
        documents = documents.defer("pdf", "docx")
    document = documents.filter(pk=pk).first()
    if document is None or not may_read_kind(user, document.kind):
        raise Http404("No such document")
    return document


# --- The case file: a frozen snapshot for the content builders ---------------------------------


@dataclass(frozen=True)
class ProtectedFact:
    kind: str  # "Home address"
    value: str
    postcode: str


@dataclass(frozen=True)
class PersonFacts:
    id: int
    name: str
    date_of_birth: dt.date | None
    aliases: tuple[str, ...] = ()
    included: tuple[ProtectedFact, ...] = ()  # only what the user chose to include


@dataclass(frozen=True)
class ConditionFacts:
    kind: str  # "prohibition" or "requirement"
    code: str
    wording: str
    necessity: str
    locality: str
    ends_on: dt.date | None
    granted: bool


@dataclass(frozen=True)
class IncidentFacts:
    reference: str
    offence: str
    occurred_from: dt.date
    occurred_to: dt.date | None
    reported_at: dt.datetime
    summary: str
    behaviours: tuple[str, ...]
    sdash_yes: int


@dataclass(frozen=True)
class HearingFacts:
    kind: str
    scheduled_for: dt.datetime
    court: str
    outcome: str
    pending: bool


@dataclass(frozen=True)
class NotificationFacts:
    id: int
    kind: str
    triggered_at: dt.datetime
    due_at: dt.datetime
    basis: str
    notified_at: dt.datetime | None
    police_station: str
    received_by: str
    details: str
    acknowledged_at: dt.datetime | None


@dataclass(frozen=True)
class BreachFacts:
    occurred_at: dt.datetime
    description: str
    outcome: str
    arrested_at: dt.datetime | None


@dataclass(frozen=True)
class CaseFile:
    reference: str
    order_type: str
    spec: OrderSpec
    state: str
    force_name: str
    court: str
    officer: str
    team: str
    defendant: PersonFacts
    protected: tuple[PersonFacts, ...]
    grounds: dict[str, str]
    victim_views: str
    conditions: tuple[ConditionFacts, ...]
    incidents: tuple[IncidentFacts, ...]
    incidents_withheld: int  # linked reports the user may not see (so not in the chronology)
    hearings: tuple[HearingFacts, ...]
    notifications: tuple[NotificationFacts, ...]
    breaches: tuple[BreachFacts, ...]
    made_on: dt.date | None
    ends_on: dt.date | None
    until_further_order: bool
    applied_at: dt.datetime | None
    issued_at: dt.datetime | None
    served_at: dt.datetime | None
    authorised_by: str
    authoriser_rank: str
    parent_reference: str
    parent_title: str
    deadlines: tuple[Deadline, ...]  # the statutory clock's, for what has happened so far
    prepared_by: str
    prepared_at: dt.datetime
    # Protected values of the people named that the user did not include: for the redaction
    # safety net only, never rendered.
    withheld_values: tuple[str, ...] = field(default=(), repr=False)


def _name(person: Person) -> str:
    return person.full_name or "Name not recorded"


def user_label(user: Any) -> str:
    if user is None:
        return "the system"
    rank = getattr(user, "rank", "") or ""
    collar = getattr(user, "collar_number", "") or ""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    parts = [rank.title() if rank else "", collar, name or user.get_username()]
    return " ".join(p for p in parts if p)


def _details(people: Iterable[Person]) -> dict[int, list[ProtectedDetail]]:
    found: dict[int, list[ProtectedDetail]] = {}
    for detail in ProtectedDetail.objects.filter(person__in=list(people)).order_by("pk"):
        found.setdefault(detail.person_id, []).append(detail)
    return found


def _include(
    user: Any, person: Person, details: list[ProtectedDetail]
) -> tuple[ProtectedFact, ...]:
    """The person's current protected details, read with the reveal right (the caller has
    checked it and logs the reveal)."""
    allowed = set(
        restrict(
            ProtectedDetail.objects.filter(pk__in=[d.pk for d in details], current=True),
            user,
            "reveal",
        ).values_list("pk", flat=True)
    )
    if not allowed and any(d.current for d in details):
        raise PermissionDenied("Your role may not include protected details in a document")
    return tuple(
        ProtectedFact(d.get_kind_display(), d.value, d.postcode) for d in details if d.pk in allowed
    )


def case_file(
    user: Any,
    order: Order,
    *,
    include_protected: Iterable[int] = (),
    prepared_at: dt.datetime | None = None,
    prepared_by: Any = None,
) -> CaseFile:
    """Everything a document about `order` may say, as `user` may see it."""
    order = order_for(user, order.pk)
    include = set(include_protected)
    protected_people = list(order.protected_persons.order_by("pk"))
    named = [order.defendant, *protected_people]
    unknown = include - {p.pk for p in named}
    if unknown:
        raise PermissionDenied("Protected details can be included only for people on the order")
    details = _details(named)
    withheld: list[str] = []

    def facts(person: Person) -> PersonFacts:
        mine = details.get(person.pk, [])
        included = _include(user, person, mine) if person.pk in include else ()
        if person.pk not in include:
            for d in mine:
                withheld.extend(v for v in (d.value, d.postcode) if v)
        return PersonFacts(
            id=person.pk,
            name=_name(person),
            date_of_birth=person.date_of_birth,
            aliases=tuple(str(a) for a in person.aliases.all() if str(a)),
            included=included,
        )

    defendant = facts(order.defendant)
    protected = tuple(facts(p) for p in protected_people)
    # A value the user chose to include (a shared address, say) is not withheld elsewhere.
    shown = {
        v for p in (defendant, *protected) for f in p.included for v in (f.value, f.postcode) if v
    }

    conditions = tuple(
        ConditionFacts(
            kind=c.kind,
            code=c.code,
            wording=c.wording,
            necessity=c.necessity,
            locality=c.locality,
            ends_on=c.ends_on,
            granted=c.granted,
        )
        for c in restrict(Condition.objects.filter(order=order, removed_on__isnull=True), user)
    )
    linked = order.reports.all()
    visible_reports = list(restrict(linked, user).order_by("occurred_from", "reported_at"))
    incidents = tuple(
        IncidentFacts(
            reference=r.reference,
            offence=f"{r.offence_code} {OFFENCES[r.offence_code].title}"
            if r.offence_code in OFFENCES
            else r.offence_code,
            occurred_from=r.occurred_from,
            occurred_to=r.occurred_to,
            reported_at=r.reported_at,
            summary=r.summary,
            behaviours=tuple(BEHAVIOURS.get(b, b) for b in r.behaviours),
            sdash_yes=sum(1 for v in (r.sdash_answers or {}).values() if v is True),
        )
        for r in visible_reports
    )
    hearings = tuple(
        HearingFacts(
            kind=h.get_kind_display(),
            scheduled_for=h.scheduled_for,
            court=h.court,
            outcome=h.get_outcome_display(),
            pending=h.outcome == "pending",
        )
        for h in restrict(Hearing.objects.filter(order=order), user)
    )
    notifications = tuple(
        NotificationFacts(
            id=n.pk,
            kind=n.get_kind_display(),
            triggered_at=n.triggered_at,
            due_at=n.due_at,
            basis=n.basis,
            notified_at=n.notified_at,
            police_station=n.police_station,
            received_by=n.received_by,
            details=n.details,
            acknowledged_at=n.acknowledged_at,
        )
        for n in restrict(Notification.objects.filter(order=order), user)
    )
    breaches = tuple(
        BreachFacts(
            occurred_at=b.occurred_at,
            description=b.description,
            outcome=b.get_outcome_display(),
            arrested_at=b.arrested_at,
        )
        for b in restrict(Breach.objects.filter(order=order), user).order_by("occurred_at")
    )
    deadlines: list[Deadline] = []
    for moment, at in (("issued", order.issued_at), ("served", order.served_at)):
        if at is not None:
            deadlines += deadlines_for(order.order_type, moment, at)
    parent = (
        restrict(Order.objects.filter(pk=order.parent_id), user).first()
        if order.parent_id
        else None
    )
    officer = order.officer
    return CaseFile(
        reference=order.reference,
        order_type=order.order_type,
        spec=order.spec,
        state=order.get_state_display(),
        force_name=order.force.name,
        court=order.court,
        officer=user_label(officer) if officer else "Not assigned",
        team=order.team.name if order.team else "",
        defendant=defendant,
        protected=protected,
        grounds=dict(order.grounds or {}),
        victim_views=order.victim_views,
        conditions=conditions,
        incidents=incidents,
        incidents_withheld=linked.count() - len(visible_reports),
        hearings=hearings,
        notifications=notifications,
        breaches=breaches,
        made_on=order.made_on,
        ends_on=order.ends_on,
        until_further_order=order.until_further_order,
        applied_at=order.applied_at,
        issued_at=order.issued_at,
        served_at=order.served_at,
        authorised_by=order.authorised_by,
        authoriser_rank=order.authoriser_rank,
        parent_reference=parent.reference if parent else "",
        parent_title=parent.spec.title if parent else "",
        deadlines=tuple(deadlines),
        prepared_by=user_label(prepared_by if prepared_by is not None else user),
        prepared_at=prepared_at or timezone.now(),
        withheld_values=tuple(sorted(set(withheld) - shown, key=len, reverse=True)),
    )
