"""Read queries for the report pages (issue 4): every one starts from access.restrict on reports,
so a report, its parties, its timeline and its referrals are read only within the user's force
and reach (officers: their own and their team's; coordinators, supervisors, legal advisers: the
force's). Protected details are read masked (kind only, never the value). Opening a report is a
consultation, logged (DPA 2018 s.62).

The report page shows what later stages made of a report (orders sought, screening's flag), so
these read-only queries import orders and screening models: a page-level view across apps, not
a dependency of the reports domain (models and services import neither)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind
from safeguard.access.restrict import may, restrict
from safeguard.orders.models import Order
from safeguard.people.models import ProtectedDetail
from safeguard.people.selectors import masked_details
from safeguard.reports.models import (
    PartyRole,
    Referral,
    ReferralStatus,
    Report,
    ReportParty,
)
from safeguard.rules.risk import SDASH_KEYS, SDASH_QUESTIONS, sdash_applies, sdash_score
from safeguard.screening.models import Candidate, PersonIdentity


def _parties(user: Any) -> Prefetch:
    return Prefetch(
        "report_parties",
        queryset=restrict(ReportParty.objects.select_related("person"), user).order_by(
            "role", "pk"
        ),
    )


def reports_for(user: Any, *, reference: str = "", offence: str = "") -> QuerySet[Report]:
    """The reports the user may see (an officer's own and their team's; the force's for the
    force-wide roles), newest first, with their parties in one more query."""
    qs = restrict(Report.objects.all(), user).select_related("officer", "team")
    if reference.strip():
        qs = qs.filter(reference__icontains=reference.strip())
    if offence:
        qs = qs.filter(offence_code=offence)
    return qs.prefetch_related(_parties(user)).order_by("-reported_at", "-pk")


def report_detail(user: Any, pk: int) -> Report:
    """One report, or Http404 outside the user's reach (as for a report that does not exist)."""
    report = get_object_or_404(
        restrict(Report.objects.select_related("officer", "team", "force"), user).prefetch_related(
            _parties(user)
        ),
        pk=pk,
    )
    audit.record(AuditKind.VIEW, user=user, table_name=Report._meta.db_table, object_id=pk)
    return report


def report_for_change(user: Any, pk: int) -> Report:
    """The report, if the user may act on it (refer it); Http404 otherwise."""
    return get_object_or_404(restrict(Report.objects.all(), user, "change"), pk=pk)


def may_refer(user: Any, report: Report) -> bool:
    return may(user, report, "change")


def may_decide(user: Any) -> bool:
    """The SPO coordinator's part: who may act on screening may decide referrals."""
    return permissions.allows(user, "screening", "change")


# --- The report page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    link: ReportParty
    details: list[ProtectedDetail]  # masked: kind, current and when only


def parties_of(user: Any, report: Report) -> list[Party]:
    links = list(report.report_parties.all())  # prefetched through restrict
    ids = [p.person_id for p in links]
    details: dict[int, list[ProtectedDetail]] = {}
    for d in masked_details(restrict(ProtectedDetail.objects.filter(person_id__in=ids), user)):
        details.setdefault(d.person_id, []).append(d)
    return [Party(p, details.get(p.person_id, [])) for p in links]


@dataclass(frozen=True)
class Risk:
    answers: list[tuple[str, str]]  # (question, "Yes" / "No" / "Not known" / "Not asked")
    score: int
    asked: bool
    applies: bool  # S-DASH applies: 2 or more incidents or a very frightened victim


def risk_of(report: Report, incidents: int) -> Risk:
    answers = {k: v for k, v in (report.sdash_answers or {}).items() if k in SDASH_KEYS}
    words = {True: "Yes", False: "No", None: "Not known"}
    return Risk(
        answers=[
            (q, words[answers[k]] if k in answers else "Not asked") for k, q in SDASH_QUESTIONS
        ],
        score=sdash_score(answers),
        asked=bool(answers),
        applies=sdash_applies(incidents, answers.get("frightened") is True),
    )


@dataclass(frozen=True)
class Event:
    on: dt.date
    kind: str  # "report" or "order"
    title: str
    record: Any
    current: bool = False
    notes: list[str] = field(default_factory=list)


def _same_people(report: Report, role: str) -> QuerySet[Any]:
    """The person records of the report's `role` parties, with every record screening has linked
    into the same identity (screening.PersonIdentity: same force, same key)."""
    own = ReportParty.objects.filter(report=report, role=role).values("person_id")
    keys = PersonIdentity.objects.filter(force_id=report.force_id, person_id__in=own).values("key")
    linked = PersonIdentity.objects.filter(force_id=report.force_id, key__in=keys).values(
        "person_id"
    )
    return ReportParty.objects.filter(
        Q(person_id__in=own) | Q(person_id__in=linked), report__force_id=report.force_id
    ).values("person_id")


def timeline_of(user: Any, report: Report) -> list[Event]:
    """This report, the other reports with the same suspect and victim (the same records, or
    records screening has linked into the same identities) and any orders made or sought
    against that suspect to protect that victim, in date order. Each read through restrict: an
    officer sees the course of conduct as far as their reach goes, and no further."""
    suspects = _same_people(report, PartyRole.SUSPECT)
    victims = _same_people(report, PartyRole.VICTIM)
    related = restrict(
        Report.objects.filter(
            pk__in=ReportParty.objects.filter(
                role=PartyRole.SUSPECT, person_id__in=suspects
            ).values("report_id")
        ).filter(
            pk__in=ReportParty.objects.filter(role=PartyRole.VICTIM, person_id__in=victims).values(
                "report_id"
            )
        )
        | Report.objects.filter(pk=report.pk),
        user,
    ).order_by("occurred_from", "reported_at", "pk")
    events = [
        Event(
            r.occurred_from,
            "report",
            f"{r.reference}: {r.get_offence_code_display()}",
            r,
            current=r.pk == report.pk,
            notes=[
                f"Reported {r.reported_at:%-d %B %Y}",
                *(
                    [f"Went on until {r.occurred_to:%-d %B %Y}"]
                    if r.occurred_to and r.occurred_to != r.occurred_from
                    else []
                ),
            ],
        )
        for r in related
    ]
    ids = [e.record.pk for e in events]
    orders = restrict(
        Order.objects.filter(
            Q(pk__in=Order.reports.through.objects.filter(report_id__in=ids).values("order_id"))
            | Q(
                defendant_id__in=suspects,
                pk__in=Order.protected_persons.through.objects.filter(person_id__in=victims).values(
                    "order_id"
                ),
            )
        ),
        user,
    )
    for order in orders:
        on = order.made_on or (order.issued_at or order.applied_at or order.created_at).date()
        events.append(
            Event(
                on,
                "order",
                f"{order.reference}: {order.get_order_type_display()}",
                order,
                notes=[order.get_state_display()],
            )
        )
    events.sort(key=lambda e: (e.on, e.kind != "report"))
    return events


def flags_of(user: Any, report: Report) -> list[Candidate]:
    """Why the report has been flagged for an SPO: the screening candidates (suspect and victim
    pairs over the threshold) whose course of conduct includes this report, with their reasons
    in plain words.

    Read through the report, not through the screening table's own rule: whoever may read the
    report's risk screening (`report.risk`: its officer and team, and the force-wide roles) may
    read why it was flagged. `report` comes from report_detail, so it is within the user's reach;
    the reasons are counts and kinds of act, never another report's people or details.

    But the reasons are drawn from every report of the course of conduct and count the
    suspect's other victims: screening's force-wide intelligence, which a role without the
    screening rule (an officer) may not read. For such a user a candidate's reasons and evidence
    are withheld (`reasons_withheld`: the page says the report is flagged, and who has the
    reasons) unless every report behind them is within the user's reach and no other victim is
    counted.
    """
    if not permissions.allows(user, "report", "view", "risk"):
        return []
    candidates = list(
        Candidate.objects.filter(force_id=report.force_id, reports=report).order_by("-score", "pk")
    )
    if not candidates or permissions.allows(user, "screening", "view", "candidates"):
        return candidates
    beyond = set(
        Candidate.reports.through.objects.filter(candidate_id__in=[c.pk for c in candidates])
        .exclude(report_id__in=restrict(Report.objects.all(), user).values("pk"))
        .values_list("candidate_id", flat=True)
    )
    for candidate in candidates:
        if candidate.pk in beyond or (candidate.evidence or {}).get("other_victims"):
            candidate.reasons, candidate.evidence, candidate.summary = [], {}, ""
            candidate.reasons_withheld = True  # type: ignore[attr-defined]
    return candidates


# --- Referrals -----------------------------------------------------------------------------


def sees_referrals(user: Any) -> bool:
    """A referral's note is the officer's account of the case: shown to whoever may read the
    report's own account (`summary`), not to roles that see a report's identification only."""
    return permissions.allows(user, "report", "view", "summary")


def referrals_of(user: Any, report: Report) -> list[Referral]:
    """The referrals of a report the user may see (report from report_detail)."""
    if not sees_referrals(user):
        return []
    return list(
        Referral.objects.filter(report=report)
        .select_related("referred_by", "decided_by")
        .order_by("-referred_at", "-pk")
    )


def referrals_for(user: Any, status: str = ReferralStatus.OPEN) -> QuerySet[Referral]:
    """Referrals of the reports the user may see, oldest waiting first."""
    if not sees_referrals(user):
        return Referral.objects.none()
    reports = restrict(Report.objects.all(), user).values("pk")
    qs = Referral.objects.filter(report_id__in=reports).select_related(
        "report", "referred_by", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("referred_at", "pk")


def referral_for_decision(user: Any, pk: int) -> Referral:
    """An open referral the user (a coordinator) may decide; Http404 otherwise."""
    if not may_decide(user):
        from django.http import Http404

        raise Http404("No such referral")
    reports = restrict(Report.objects.all(), user, "change").values("pk")
    return get_object_or_404(
        Referral.objects.filter(report_id__in=reports).select_related("report"), pk=pk
    )
