"""A digest of a force's demo rows, to prove that the same seed gives the same data.

Primary keys differ between runs, so rows are compared by content: every foreign key is
replaced by something stable (a report's reference, an order's reference, a user's username,
a person's position among the force's people), and the columns that record when a row was
written (created_at, updated_at, recorded_at) are left out. Encrypted fields are compared
decrypted, since each encryption uses a fresh random IV.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from safeguard.access.models import Force, Team, User
from safeguard.compliance.models import Breach, Notification
from safeguard.demo.staff import demo_users
from safeguard.orders.models import (
    Appeal,
    Condition,
    CourtApplication,
    Hearing,
    LegalReview,
    Order,
    Service,
    StateChange,
)
from safeguard.people.models import Alias, Identifier, Person, ProtectedDetail
from safeguard.reports.models import Referral, Report, ReportParty


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    return value


def table_digests(force: Force) -> dict[str, str]:
    """One SHA-256 per table, so a test failure says which table differs."""
    people = {
        pk: n
        for n, pk in enumerate(
            Person.objects.filter(force=force).order_by("pk").values_list("pk", flat=True)
        )
    }
    reports = dict(Report.objects.filter(force=force).values_list("pk", "reference"))
    orders = dict(Order.objects.filter(force=force).values_list("pk", "reference"))
    users = dict(User.objects.values_list("pk", "username"))
    teams = dict(Team.objects.filter(force=force).values_list("pk", "name"))

    def rows(queryset, fields: list[str], remap: dict[str, dict]) -> Iterable[tuple]:
        for row in queryset.order_by("pk").values_list(*fields):
            yield tuple(
                _norm(remap[f].get(v) if f in remap and v is not None else v)
                for f, v in zip(fields, row, strict=True)
            )

    tables: dict[str, Iterable[tuple]] = {
        "users": (
            (u.username, u.role, u.rank, u.collar_number, u.first_name, u.last_name,
             u.force.code if u.force else None, u.team.name if u.team else None)
            for u in demo_users().order_by("username")
        ),
        "people": rows(
            Person.objects.filter(force=force),
            ["given_name", "middle_names", "surname", "date_of_birth", "sex"],
            {},
        ),
        "identifiers": rows(
            Identifier.objects.filter(person__force=force), ["person", "scheme", "value"], {"person": people}
        ),
        "aliases": rows(
            Alias.objects.filter(person__force=force),
            ["person", "kind", "given_name", "surname"],
            {"person": people},
        ),
        "protected details": (
            (people[d.person_id], d.kind, d.value, d.postcode, d.current)
            for d in ProtectedDetail.objects.filter(person__force=force).order_by("pk")
        ),
        "reports": rows(
            Report.objects.filter(force=force),
            ["reference", "offence_code", "reported_at", "occurred_from", "occurred_to", "summary",
             "behaviours", "sdash_answers", "status", "officer", "team"],
            {"officer": users, "team": teams},
        ),
        "report parties": rows(
            ReportParty.objects.filter(report__force=force),
            ["report", "person", "role", "relationship_to_victim"],
            {"report": reports, "person": people},
        ),
        "orders": (
            (*row, sorted(people[p.pk] for p in o.protected_persons.all()), sorted(r.reference for r in o.reports.all()))
            for o, row in (
                (o, tuple(_norm(v) for v in (
                    o.reference, o.order_type, o.state, o.version, people[o.defendant_id],
                    orders[o.parent_id] if o.parent_id else None, users.get(o.officer_id or 0), teams.get(o.team_id or 0), o.court,
                    o.authorised_by, o.authoriser_rank, o.grounds, o.victim_views, o.applied_at,
                    o.issued_at, o.made_on, o.ends_on, o.until_further_order, o.served_at,
                    o.ended_on, o.end_reason,
                )))
                for o in Order.objects.filter(force=force).order_by("pk").prefetch_related("protected_persons", "reports")
            )
        ),
        "state changes": rows(
            StateChange.objects.filter(order__force=force),
            ["order", "action", "from_state", "to_state", "at", "by", "note"],
            {"order": orders, "by": users},
        ),
        "hearings": rows(
            Hearing.objects.filter(order__force=force),
            ["order", "kind", "scheduled_for", "court", "outcome", "reasons", "decided_at"],
            {"order": orders},
        ),
        "conditions": rows(
            Condition.objects.filter(order__force=force),
            ["order", "code", "kind", "wording", "necessity", "locality", "granted", "added_on",
             "removed_on", "ends_on"],
            {"order": orders},
        ),
        "services": rows(
            Service.objects.filter(order__force=force),
            ["order", "served_at", "method", "served_by", "notes"],
            {"order": orders},
        ),
        "court applications": rows(
            CourtApplication.objects.filter(order__force=force),
            ["order", "kind", "applicant", "made_on", "grounds", "defendant_consents",
             "chief_officer_consents", "outcome", "decided_on", "reasons"],
            {"order": orders},
        ),
        "appeals": rows(
            Appeal.objects.filter(order__force=force),
            ["order", "appellant", "against", "lodged_on", "court", "outcome", "decided_on"],
            {"order": orders},
        ),
        "notifications": rows(
            Notification.objects.filter(order__force=force),
            ["order", "kind", "triggered_at", "due_at", "basis", "notified_at", "police_station",
             "received_by", "acknowledged_at", "details"],
            {"order": orders},
        ),
        "breaches": rows(
            Breach.objects.filter(order__force=force),
            ["order", "occurred_at", "description", "report", "arrested_at", "court_by", "outcome"],
            {"order": orders, "report": reports},
        ),
        "legal reviews": rows(
            LegalReview.objects.filter(order__force=force),
            ["order", "requested_by", "requested_at", "order_version", "note", "decision",
             "comments", "decided_by", "decided_at"],
            {"order": orders, "requested_by": users, "decided_by": users},
        ),
        "referrals": rows(
            Referral.objects.filter(report__force=force),
            ["report", "referred_by", "referred_at", "note", "status", "decided_by", "decided_at",
             "decision_note"],
            {"report": reports, "referred_by": users, "decided_by": users},
        ),
    }  # fmt: skip
    digests = {}
    for name, table in tables.items():
        h = hashlib.sha256()
        for row in table:
            h.update(repr(row).encode())
            h.update(b"\n")
        digests[name] = h.hexdigest()
    return digests


def digest(force: Force) -> str:
    """One SHA-256 over every table's digest."""
    return hashlib.sha256(json.dumps(table_digests(force), sort_keys=True).encode()).hexdigest()
