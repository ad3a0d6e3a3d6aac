"""A small world for the authorisation matrix and the canary leak test: every role, and records
of every registered kind in three cases whose place in each role's reach is known by
construction, not by asking restrict():

- "in": force A, assigned to the officer and their team, the advocate linked to its order;
- "other": force A, another officer and team, no advocate;
- "far": force B.

So under the permission table, reach "force" covers {"in", "other"}, "assigned" covers {"in"}
and "linked" covers {"in"}; no reach covers "far".

Records are made through the services where services exist (orders, compliance); reports and
people have no creation services yet, so they are created directly.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from safeguard.access.models import Force, Role, Team, User
from safeguard.access.permissions import Reach
from safeguard.compliance import services as compliance
from safeguard.orders import services as orders
from safeguard.orders.models import AdvocateLink, Order
from safeguard.people import services as people
from safeguard.people.models import Alias, DetailKind, Identifier, Person, ProtectedDetail
from safeguard.reports.models import PartyRole, Report, ReportParty
from tests.web import builders

PASSWORD = "a-long-test-password"
CASES = ("in", "other", "far")
REACHES: dict[Reach, frozenset[str]] = {
    Reach.FORCE: frozenset({"in", "other"}),
    Reach.ASSIGNED: frozenset({"in"}),
    Reach.LINKED: frozenset({"in"}),
}

# The canary: a victim's address, phone and e-mail that must reach no one without the right.
CANARY_ADDRESS = "41 Kestrel Lantern Row, Wymondham"
CANARY_POSTCODE = "NR18 7QX"
CANARY_PHONE = "+44 7700 900483"
CANARY_EMAIL = "kestrel.lantern.8f3a@example.org"
CANARIES = (CANARY_ADDRESS, CANARY_POSTCODE, CANARY_PHONE, CANARY_EMAIL, "Kestrel Lantern")

_n = itertools.count(1)


@dataclass
class Case:
    name: str
    force: Force
    order: Order
    defendant: Person
    victim: Person
    report: Report
    objects: dict[type[Model], list[Any]] = field(default_factory=dict)


@dataclass
class World:
    force: Force
    far_force: Force
    users: dict[str, User]  # by role value, all of force A except the national administrator
    cases: dict[str, Case]

    def case_of(self, obj: Any) -> str:
        for name, case in self.cases.items():
            if any(obj in rows for rows in case.objects.values()):
                return name
        raise LookupError(f"{obj!r} is in no case")

    def objects(self, model: type[Model]) -> list[tuple[str, Any]]:
        return [(name, o) for name, case in self.cases.items() for o in case.objects.get(model, [])]


_password_hash: list[str] = []


def make_user(role: str, force: Force | None, **extra: Any) -> User:
    """A user of the role; the password is hashed once for them all (Argon2 is slow on purpose)."""
    from django.contrib.auth.hashers import make_password

    if not _password_hash:
        _password_hash.append(make_password(PASSWORD))
    return User.objects.create(
        username=f"w-{role}-{next(_n)}",
        password=_password_hash[0],
        role=role,
        force=force,
        first_name=role.replace("_", " ").title(),
        last_name="Tester",
        **extra,
    )


def _case(
    name: str,
    force: Force,
    *,
    officer: User | None,
    team: Team | None,
    canary: bool,
) -> Case:
    tag = name.capitalize()
    defendant = Person.objects.create(
        force=force,
        given_name="Derek",
        surname=f"Defendant{tag}",
        date_of_birth=dt.date(1980, 2, 3),
    )
    victim = Person.objects.create(
        force=force, given_name="Valerie", surname=f"Victim{tag}", date_of_birth=dt.date(1990, 4, 5)
    )
    alias = Alias.objects.create(person=defendant, given_name="Del", surname=f"Alias{tag}")
    identifier = Identifier.objects.create(
        person=defendant, scheme="pnc", value=f"2001/{next(_n):07d}X"
    )
    details = [
        ProtectedDetail.objects.create(
            person=victim,
            kind=DetailKind.HOME_ADDRESS,
            value=CANARY_ADDRESS if canary else f"{next(_n)} Ordinary Street",
            postcode=CANARY_POSTCODE if canary else "NR1 1AA",
        ),
        ProtectedDetail.objects.create(
            person=victim,
            kind=DetailKind.PHONE,
            value=CANARY_PHONE if canary else "+44 7700 900000",
        ),
        ProtectedDetail.objects.create(
            person=victim,
            kind=DetailKind.EMAIL,
            value=CANARY_EMAIL if canary else "someone@example.org",
        ),
        ProtectedDetail.objects.create(
            person=defendant, kind=DetailKind.HOME_ADDRESS, value=f"{next(_n)} Suspect Road"
        ),
    ]
    report = Report.objects.create(
        force=force,
        reference=f"{force.code[:3].upper()}-{tag}-{next(_n)}",
        offence_code="8Q",
        reported_at=timezone.now() - dt.timedelta(days=60),
        occurred_from=timezone.localdate() - dt.timedelta(days=90),
        summary=f"Followed the victim to work ({tag})",
        sdash_answers={"q1": "yes"},
        officer=officer,
        team=team,
    )
    parties = [
        ReportParty.objects.create(report=report, person=victim, role=PartyRole.VICTIM),
        ReportParty.objects.create(report=report, person=defendant, role=PartyRole.SUSPECT),
    ]
    now = timezone.now().astimezone(builders.LONDON)
    order = builders.create(
        force,
        "spo",
        defendant,
        victim,
        officer=officer,
        team=team,
        conditions=(builders.NO_CONTACT, builders.EXCLUSION),
    )
    order.reports.set([report])
    order = builders.apply(
        order, now - dt.timedelta(days=20), hearing_at=now - dt.timedelta(days=10)
    )
    order = builders.make(
        order, timezone.localdate() - dt.timedelta(days=10), until_further_order=True
    )
    order = builders.serve(order, now - dt.timedelta(days=9))
    breach = compliance.record_breach(
        order,
        occurred_at=now - dt.timedelta(days=2),
        description=f"Waited outside ({tag})",
        by=None,
    )
    application = orders.apply_to_court(
        order,
        kind="variation",
        applicant="police",
        made_on=timezone.localdate(),
        expected_version=order.version,
        by=None,
    )
    order.refresh_from_db()
    appeal = orders.lodge_appeal(
        order,
        appellant="defendant",
        against="The making of the order",
        lodged_on=timezone.localdate(),
        expected_version=order.version,
        by=None,
    )
    order.refresh_from_db()
    reviews = [people.schedule_review(defendant), people.schedule_review(victim)]
    case = Case(name, force, order, defendant, victim, report)
    case.objects.update(_screening(force, defendant, victim, report))
    case.objects.update(_documents_and_reviews(order))
    case.objects.update(_legal_review(order))
    case.objects |= {
        Person: [defendant, victim],
        Alias: [alias],
        Identifier: [identifier],
        ProtectedDetail: details,
        type(reviews[0]): reviews,
        Report: [report],
        ReportParty: parties,
        Order: [order],
        type(order.conditions.first()): list(order.conditions.all()),
        type(order.hearings.first()): list(order.hearings.all()),
        type(order.services.first()): list(order.services.all()),
        type(order.state_changes.first()): list(order.state_changes.all()),
        type(application): [application],
        type(appeal): [appeal],
        type(order.notifications.first()): list(order.notifications.all()),
        type(breach): [breach],
    }
    return case


def _screening(
    force: Force, defendant: Person, victim: Person, report: Report
) -> dict[type[Model], list[Any]]:
    """What screening would have derived from the case (its services need the linkage engine:
    the rows are written directly)."""
    from safeguard.screening import models as s

    now = timezone.now()
    model = s.LinkageModel.objects.create(force=force, records=2, settings={})
    run = s.ScreeningRun.objects.create(
        force=force, kind=s.RunKind.FULL, started_at=now, threshold=0.9, model=model
    )
    key = f"id{next(_n):06d}"
    identity = s.PersonIdentity.objects.create(person=defendant, force=force, key=key, run=run)
    first, second = sorted((defendant, victim), key=lambda p: p.pk)
    link = s.PersonLink.objects.create(
        force=force, person_a=first, person_b=second, match_probability=0.1, match_weight=-3
    )
    decider = User.objects.filter(force=force, role=Role.COORDINATOR).first() or make_user(
        Role.COORDINATOR, force
    )
    decision = s.LinkDecision.objects.create(
        force=force,
        person_a=first,
        person_b=second,
        decision=s.Decision.SPLIT,
        reason="Different people",
        decided_by=decider,
    )
    score = s.PerpetratorScore.objects.create(
        force=force,
        identity_key=key,
        person=defendant,
        score=80,
        recency=1,
        frequency=1,
        gravity=1,
        victims=1,
        inputs={},
        config={},
        computed_at=now,
        run=run,
    )
    candidate = s.Candidate.objects.create(
        force=force,
        suspect_key=key,
        victim_key=f"id{next(_n):06d}",
        suspect=defendant,
        victim=victim,
        score=0.95,
        summary="Repeated following",
        last_report_at=now,
        first_flagged_at=now,
        updated_at=now,
    )
    candidate.reports.set([report])
    return {
        s.LinkageModel: [model],
        s.ScreeningRun: [run],
        s.PersonIdentity: [identity],
        s.PersonLink: [link],
        s.LinkDecision: [decision],
        s.PerpetratorScore: [score],
        s.Candidate: [candidate],
    }


def _documents_and_reviews(order: Order) -> dict[type[Model], list[Any]]:
    """A draft order (which an advocate's fields cover) and an application (which they do not),
    ready to download, and an expiry review task. Written directly: rendering needs the job
    queue and the document templates, which are not what these tests are about."""
    from safeguard.compliance.models import ReviewKind, ReviewTask
    from safeguard.documents.models import Document, DocumentKind, DocumentStatus

    requester = User.objects.filter(force=order.force, role=Role.COORDINATOR).first()
    requester = requester or make_user(Role.COORDINATOR, order.force)
    documents = [
        Document.objects.create(
            order=order,
            kind=kind,
            version=1,
            status=DocumentStatus.READY,
            title=f"{kind} for {order.reference}",
            audience="court",
            recipients="The court",
            purpose="Test",
            requested_by=requester,
            requested_at=timezone.now(),
            generated_at=timezone.now(),
            pdf=b"%PDF-1.4\n% world\n",
        )
        for kind in (DocumentKind.DRAFT_ORDER, DocumentKind.SPO_APPLICATION)
    ]
    today = timezone.localdate()
    review = ReviewTask.objects.create(
        order=order, kind=ReviewKind.EXPIRY, about_on=today, due_on=today + dt.timedelta(days=7)
    )
    return {Document: documents, ReviewTask: [review]}


def _legal_review(order: Order) -> dict[type[Model], list[Any]]:
    """The legal adviser's approval the application had before it went to court (written
    directly: the order was applied for through the services, which is what approval leads to)."""
    from safeguard.orders.models import LegalReview, ReviewDecision

    assert order.applied_at is not None
    review = LegalReview.objects.create(
        order=order,
        requested_at=order.applied_at - dt.timedelta(days=1),
        order_version=1,
        decision=ReviewDecision.APPROVED,
        comments="Approved",
        decided_at=order.applied_at,
    )
    return {LegalReview: [review]}


def build_world() -> World:
    force = Force.objects.create(code="norfolk", name="Norfolk", ons_code="E23000026")
    far_force = Force.objects.create(code="suffolk", name="Suffolk", ons_code="E23000027")
    team = Team.objects.create(force=force, name="Public Protection North")
    other_team = Team.objects.create(force=force, name="Public Protection South")
    far_team = Team.objects.create(force=far_force, name="Suffolk PPU")
    users = {
        role.value: make_user(
            role,
            None if role == Role.NATIONAL_ADMIN else force,
            team=team if role == Role.OFFICER else None,
            # As the demo sets them: administrators reach the Django admin, the national one
            # as a superuser.
            is_staff=role in (Role.FORCE_ADMIN, Role.NATIONAL_ADMIN),
            is_superuser=role == Role.NATIONAL_ADMIN,
        )
        for role in Role
    }
    other_officer = make_user(Role.OFFICER, force, team=other_team)
    far_officer = make_user(Role.OFFICER, far_force, team=far_team)
    cases = {
        "in": _case("in", force, officer=users[Role.OFFICER], team=team, canary=True),
        "other": _case("other", force, officer=other_officer, team=other_team, canary=False),
        "far": _case("far", far_force, officer=far_officer, team=far_team, canary=False),
    }
    link = AdvocateLink.objects.create(
        order=cases["in"].order, user=users[Role.ADVOCATE], linked_by=users[Role.COORDINATOR]
    )
    cases["in"].objects[AdvocateLink] = [link]
    # The other and far orders have advocate links too, to other advocates: out of reach.
    for name in ("other", "far"):
        advocate = make_user(Role.ADVOCATE, cases[name].force)
        cases[name].objects[AdvocateLink] = [
            AdvocateLink.objects.create(order=cases[name].order, user=advocate)
        ]
    return World(force, far_force, users, cases)


# --- The URL conf, walked ------------------------------------------------------------------


def named_patterns(urlconf: str) -> list[str]:
    """Every named URL pattern of the URL conf, namespaced ("admin:index")."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns: list[Any], namespace: str) -> list[str]:
        found = []
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                found += walk(p.url_patterns, inner)
            elif p.name:
                found.append(f"{namespace}{p.name}")
        return found

    return sorted(set(walk(get_resolver(urlconf).url_patterns, "")))


def admin_model_names(urlconf: str) -> dict[str, type[Model]]:
    """Admin URL names of each registered model's pages, e.g. "admin:people_person_change"."""
    from django.apps import apps

    names = {}
    for name in named_patterns(urlconf):
        if not name.startswith("admin:"):
            continue
        for suffix in ("_changelist", "_add", "_change", "_delete", "_history"):
            if name.endswith(suffix):
                stem = name[len("admin:") : -len(suffix)]
                for model in apps.get_models():
                    if f"{model._meta.app_label}_{model._meta.model_name}" == stem:
                        names[name] = model
    return names


def routes(urlconf: str) -> dict[str, tuple[str, dict[str, str] | None]]:
    """Each named (non-admin) URL's route and, for a REST API route, its method -> action map."""
    from django.urls import URLResolver, get_resolver

    found: dict[str, tuple[str, dict[str, str] | None]] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif p.name and not namespace.startswith("admin"):
                found.setdefault(
                    f"{namespace}{p.name}",
                    (prefix + str(p.pattern), getattr(p.callback, "actions", None)),
                )

    walk(list(reversed(get_resolver(urlconf).url_patterns)), "", "")  # as reverse() sees them
    return found
