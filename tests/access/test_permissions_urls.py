"""The authorisation matrix: every role (and an anonymous visitor) x every named URL of the URL
conf x records in and out of scope x every method the page accepts, against the permission table.

- A page about one record (an order, a person, a protected detail) must answer only when the
  table grants the role what the page needs and the record is within the rule's reach; otherwise
  403, 404, 405 or the sign-in page. A 2xx outside that is an unexpected allow; a refusal inside
  it an unexpected denial. Both must be 0.
- A page about no one record (home, lists, figures) must not name a record out of the role's
  reach: its order references and people's names are looked for in the page.
- Admin pages of case models are checked the same way (Django permissions and the table must
  both allow). The Django admin does not read through restrict() until its ModelAdmins use
  access.restrict.RestrictedAdminMixin: that test is an expected failure until then, and the same
  admin with the mixin applied is checked here to pass.

A new URL fails this test until it is added to PAGES or NO_RECORD_PAGES below: say what it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.access import permissions
from safeguard.people.models import ProtectedDetail
from tests.web.world import (
    REACHES,
    World,
    admin_model_names,
    build_world,
    named_patterns,
    routes,
)

SITE_URLS = "tests.web.urls"
RESTRICTED_ADMIN_URLS = "tests.web.urls_restricted_admin"


@dataclass(frozen=True)
class Page:
    subject: str  # the kind of record named in the URL: see subjects()
    needs: tuple[tuple[str, str], ...]  # (object, action) pairs the table must grant
    post: dict[str, str] | None = None  # also POSTed (data that changes nothing, or a reveal)
    get: bool = True  # False for a POST-only page: a GET is refused whoever asks
    post_needs: tuple[tuple[str, str], ...] | None = None  # if a POST needs more than a GET


PAGES: dict[str, Page] = {
    "order-detail": Page("order", (("order", "view"),)),
    # Linking a victim advocate (orders/advocates.py): POSTed without a choice, an allowed user
    # gets the form back with an error; removing without a link changes nothing.
    "order-advocates": Page("order", (("order", "change"),), post={}),
    "order-advocate-remove": Page("order", (("order", "change"),), post={}, get=False),
    "person-detail": Page("person", (("person", "view"),)),
    "person-reveal": Page(
        "detail",
        (("protected_detail", "reveal"),),
        post={"reason": "safety_visit", "explanation": "Authorisation matrix"},
    ),
    # POSTed without a reason: an allowed user gets the form back with an error, nothing erased.
    "person-erase": Page("person", (("person", "erase"),), post={}),
    "audit-person-access": Page("person", (("person", "audit"), ("audit_event", "view"))),
    "audit-person-changes": Page("person", (("person", "audit"), ("audit_event", "view"))),
    "audit-order-access": Page("order", (("order", "audit"), ("audit_event", "view"))),
    "audit-order-changes": Page("order", (("order", "audit"), ("audit_event", "view"))),
    # Screening (the screening pages' own rules: force-wide intelligence).
    "screening-candidate": Page(
        "candidate",
        (("screening", "view"),),
        post={"status": "reviewing", "note": "Authorisation matrix"},
        post_needs=(("screening", "change"),),
    ),
    "screening-apply": Page(
        "candidate", (("screening", "change"), ("order", "change")), post={}, get=False
    ),
    "screening-identity": Page("identity", (("screening", "view"),)),
    "screening-link": Page("link", (("screening", "view"),)),
    "screening-perpetrator": Page("score", (("screening", "view"),)),
    "export-case-file": Page("order", (("order", "view"), ("order", "export"))),
    # Documents: the order, and every field the document's kind carries.
    "order-documents": Page("order", (("order", "view"),)),
    "document-new": Page("order", (("order", "change"),)),
    "document-detail": Page("document", (("order", "view"),)),
    "document-download": Page("download", (("order", "view"),)),
    # Compliance review tasks: seen with the order. (Deciding needs the order's change right;
    # a POST is no clean probe of it, as a decided task shows its form again to any viewer:
    # tests/compliance covers it.)
    "review-decide": Page("review", (("order", "view"),)),
    # The application builder, legal review and hearing (issue 4). On an order past its draft
    # the builder's pages send the user to the order page; the review page says none is waiting.
    "application-builder": Page("order", (("order", "change"),)),
    "application-test": Page("test", (("order", "change"),)),
    "application-chronology": Page("order", (("order", "change"),)),
    "application-victim-views": Page("order", (("order", "change"),)),
    "application-conditions": Page("order", (("order", "change"),)),
    "application-condition-add": Page("order", (("order", "change"),)),
    "application-interim": Page("order", (("order", "change"),)),
    "application-court": Page("order", (("order", "change"),)),
    "application-check": Page("order", (("order", "change"),)),
    "application-hearing": Page("order", (("order", "change"),)),
    "legal-review": Page("order", (("order", "view"), ("legal_review", "change"))),
    # The officer's report pages (issue 4). Referring POSTs no note: an allowed user gets the
    # form back with an error, nothing is referred.
    "report-detail": Page("report", (("report", "view"),)),
    "report-refer": Page("report", (("report", "change"),), post={}),
    # After the order (orders/views/lifecycle.py): each form POSTed empty gets its errors back
    # for an allowed user, nothing written. Notice pages on an order that is not a notice send
    # the user to the order page.
    "order-service": Page("order", (("order", "change"),), post={}),
    "order-notification-change": Page("order", (("order", "change"),), post={}),
    "order-notification-made": Page("notification", (("order", "change"),), post={}),
    "order-notification-acknowledge": Page("notification", (("order", "change"),), post={}),
    "order-breach-new": Page("order", (("order", "change"),), post={}),
    "order-breach-outcome": Page("breach", (("order", "change"),), post={}),
    "order-court-application": Page("order", (("order", "change"),), post={}),
    "order-court-decision": Page("court_application", (("order", "change"),), post={}),
    "order-appeal": Page("order", (("order", "change"),), post={}),
    "order-appeal-decision": Page("appeal", (("order", "change"),), post={}),
    "order-following-decision": Page("order", (("order", "change"),), post={}),
    "notice-detail": Page("order", (("order", "view"),)),
    "notice-countdown": Page("order", (("order", "view"),)),
    "notice-apply": Page("order", (("order", "change"),), post={}),
}

# Pages about no one record, with the arguments their URL needs (each list is requested). Lists
# and figures: checked for records out of reach. Sign-in pages hold no case data.
NO_RECORD_PAGES: dict[str, list[list[Any]]] = {
    "home": [[]],
    "search": [[]],  # no query: the form only (tests/web/test_search.py checks results)
    "order-list": [[]],
    "reviews-due": [[]],
    "application-work-queue": [[]],
    "legal-review-queue": [[]],
    # Recording a report (pages of a draft in the session, about no record yet), the reports
    # list, and the coordinator's referrals (no referral in the world: only "not found").
    "report-list": [[]],
    "notice-new": [[]],  # giving a notice: the reports the user may change, nothing else
    "report-new": [[]],
    "report-new-step": [["offence"], ["risk"]],
    "report-new-check": [[]],
    "referral-list": [[]],
    "referral-decide": [[999999]],
    "screening-queue": [[]],
    "screening-perpetrators": [[]],
    "deadlines": [[]],
    "reminders-read": [[]],  # POST only: marks the user's own reminders read
    "calendar-settings": [[]],
    "calendar-feed": [["not-a-real-token"]],  # a private link: a wrong token finds nothing
    "oversight-dashboard": [[]],
    "oversight-dashboard-data": [[]],
    "oversight-export": [[]],
    "oversight-definitions": [[]],
    "oversight-league": [[]],
    "oversight-league-data": [[]],
    "oversight-league-export": [["csv"]],
    "export-list": [["orders"], ["people"], ["reports"]],
    "import-list": [[]],
    # No import run in the world: only "not found" is checked (imports are tested with reports).
    "import-detail": [[999999]],
    "import-confirm": [[999999]],
    "import-progress": [[999999]],
    "login": [[]],
    "two-factor": [[]],
    "two-factor-set-up": [[]],
    "recovery-codes": [[]],
    "api:api-root": [[]],
    "api-schema": [[]],
    "api-docs": [[]],
}
NOT_REQUESTED = {"logout"}  # signing out would end the matrix's session

REFUSED = {401, 403, 404, 405}


def refused(response: Any) -> bool:
    if response.status_code in REFUSED:
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    # The sign-in page, the admin's, or the admin's index (where it sends "no such object").
    return location.startswith(("/sign-in/", "/admin/login/")) or location == "/admin/"


@dataclass
class Tally:
    cells: int = 0
    unexpected_allows: list[str] = field(default_factory=list)
    unexpected_denials: list[str] = field(default_factory=list)


def subjects(world: World, kind: str) -> list[tuple[str, list[Any]]]:
    """(case, URL args) for every record of the kind, in every case."""
    found = []
    for name, case in world.cases.items():
        if kind == "order":
            found.append((name, [case.order.pk]))
        elif kind == "test":  # an order and one of its statutory tests
            found.append((name, [case.order.pk, 1]))
        elif kind == "report":
            found.append((name, [case.report.pk]))
        elif kind in ("notification", "breach", "court_application", "appeal"):
            # A record of the order's life, named with its order (orders/urls.py).
            from safeguard.compliance.models import Breach, Notification
            from safeguard.orders.models import Appeal, CourtApplication

            model = {
                "notification": Notification,
                "breach": Breach,
                "court_application": CourtApplication,
                "appeal": Appeal,
            }[kind]
            found += [(name, [case.order.pk, obj.pk]) for obj in case.objects[model]]
        elif kind == "person":
            found += [(name, [p.pk]) for p in (case.defendant, case.victim)]
        elif kind == "detail":
            found += [(name, [d.person_id, d.pk]) for d in case.objects[ProtectedDetail]]
        elif kind in ("document", "download"):
            from safeguard.documents.models import Document

            for doc in case.objects[Document]:
                found.append((name, [doc.pk, "pdf"] if kind == "download" else [doc.pk]))
        elif kind == "review":
            from safeguard.compliance.models import ReviewTask

            found += [(name, [task.pk]) for task in case.objects[ReviewTask]]
        else:
            from safeguard.screening import models as screening

            model = {
                "candidate": screening.Candidate,
                "identity": screening.PersonIdentity,
                "link": screening.PersonLink,
                "score": screening.PerpetratorScore,
            }[kind]
            for obj in case.objects[model]:
                found.append((name, [obj.key if kind == "identity" else obj.pk]))
    return found


def expected(
    user: Any, needs: tuple[tuple[str, str], ...], case: str, fields: frozenset[str] = frozenset()
) -> bool:
    """Whether the table lets the user do what the page needs to a record of this case, with
    `fields` of the first object granted too (a document carries some of an order's fields)."""
    if user is None or not user.force_id:
        return False
    reach: frozenset[str] | None = None
    for n, (object_, action) in enumerate(needs):
        rule = permissions.rule_for(user.role, object_, action)
        if rule is None or (n == 0 and not fields <= rule.fields):
            return False
        reach = REACHES[rule.reach] if reach is None else reach & REACHES[rule.reach]
    return case in (reach or frozenset())


def carried_fields(kind: str, args: list[Any]) -> frozenset[str]:
    """The order fields a document carries: reading it needs them all."""
    if kind not in ("document", "download"):
        return frozenset()
    from safeguard.documents.models import Document
    from safeguard.documents.selectors import REQUIRED_FIELDS

    return REQUIRED_FIELDS[Document.objects.get(pk=args[0]).kind]


def identifiers(world: World) -> list[tuple[str, str]]:
    """(case, text) that names each record on a page: order references and people's surnames."""
    found = []
    for name, case in world.cases.items():
        found += [(name, case.order.reference), (name, case.report.reference)]
        found += [(name, case.defendant.surname), (name, case.victim.surname)]
    return found


def clients(world: World, sign_in) -> dict[str, Client]:
    result = {"anonymous": Client()}
    for role, user in world.users.items():
        client = Client()
        sign_in(client, user)
        result[role] = client
    return result


# The REST API's retrieve routes by basename, and the model each reads.
API_MODELS = {
    "person": "people.person",
    "report": "reports.report",
    "order": "orders.order",
    "hearing": "orders.hearing",
    "notification": "compliance.notification",
    "breach": "compliance.breach",
    "candidate": "screening.candidate",
}


def api_pages(urlconf: str) -> tuple[dict[str, list[list[Any]]], dict[str, str], list[str]]:
    """The REST API's routes: lists (checked like any list page), retrieves (checked against the
    table for every record), and the rest (POST actions: their object-level checks are the API's
    own tests', with schemathesis), requested here with GET only, which must be refused."""
    lists: dict[str, list[list[Any]]] = {}
    retrieves: dict[str, str] = {}
    others: list[str] = []
    for name, (route, actions) in routes(urlconf).items():
        if not route.startswith("api/v1/") or actions is None:
            continue
        if actions.get("get") == "list":
            lists[name] = [[]]
        elif actions.get("get") == "retrieve":
            retrieves[name] = name.split(":")[-1].rsplit("-", 1)[0]
        else:
            others.append(name)
    return lists, retrieves, sorted(others)


def site_names(urlconf: str) -> list[str]:
    names = [n for n in named_patterns(urlconf) if not n.startswith("admin:")]
    lists, retrieves, others = api_pages(urlconf)
    api = set(lists) | set(retrieves) | set(others)
    unknown = sorted(set(names) - set(PAGES) - set(NO_RECORD_PAGES) - NOT_REQUESTED - api)
    assert not unknown, (
        f"URL(s) {unknown} are not in the authorisation matrix: add each to PAGES (with the "
        "object and action it needs) or NO_RECORD_PAGES in tests/access/test_permissions_urls.py"
    )
    return names


def api_detail_page(world: World, basename: str) -> tuple[Page, list[tuple[str, list[Any]]]]:
    """A retrieve route as a Page: the table's view rule for the model's object (and field)."""
    from django.apps import apps

    label = API_MODELS.get(basename)
    if label is None:  # nothing of it in the world: only "not found" is checked
        return Page("none", (("order", "view"),)), [("far", [999999])]
    model = apps.get_model(label)
    object_, _ = permissions.object_for_model(model)
    page = Page("api", ((object_, "view"),))
    records = [(case, [obj.pk]) for case, obj in world.objects(model)]
    return page, records


def check_site(world: World, sign_in, urlconf: str, names: list[str]) -> Tally:
    tally = Tally()
    names_of = identifiers(world)
    lists, retrieves, others = api_pages(urlconf)
    every_route = routes(urlconf)
    no_record = {
        **NO_RECORD_PAGES,
        **lists,
        **{n: [[999999] * every_route[n][0].count("(?P<")] for n in others},
    }
    for role, client in clients(world, sign_in).items():
        user = world.users.get(role)
        for name in names:
            if name in NOT_REQUESTED:
                continue
            if name in no_record:
                for args in no_record[name]:
                    response = client.get(reverse(name, args=args, urlconf=urlconf))
                    body = response.content.decode(errors="replace")
                    for case, text in names_of:
                        tally.cells += 1
                        reach = set()
                        if user is not None and user.force_id:
                            for object_ in ("order", "person", "report"):
                                rule = permissions.rule_for(user.role, object_, "view")
                                if rule:
                                    reach |= REACHES[rule.reach]
                        if text in body and case not in reach:
                            tally.unexpected_allows.append(f"{role} {name}: shows {text} ({case})")
                continue
            if name in retrieves:
                page, records = api_detail_page(world, retrieves[name])
                for case, args in records:
                    tally.cells += 1
                    response = client.get(reverse(name, args=args, urlconf=urlconf))
                    allowed = not refused(response)
                    field_name = None
                    if page.subject == "api":
                        from django.apps import apps

                        model = apps.get_model(API_MODELS[retrieves[name]])
                        field_name = permissions.object_for_model(model)[1]
                    fields = frozenset({field_name}) if field_name else frozenset()
                    should = page.subject == "api" and expected(user, page.needs, case, fields)
                    if allowed and not should:
                        tally.unexpected_allows.append(
                            f"{role} GET {name} {case}: {response.status_code}"
                        )
                    if should and not allowed:
                        tally.unexpected_denials.append(
                            f"{role} GET {name} {case}: {response.status_code}"
                        )
                continue
            page = PAGES[name]
            for case, args in subjects(world, page.subject):
                url = reverse(name, args=args, urlconf=urlconf)
                methods = [("GET", None)] if page.get else []
                if page.post is not None:
                    methods.append(("POST", page.post))
                for method, data in methods:
                    tally.cells += 1
                    response = client.get(url) if method == "GET" else client.post(url, data)
                    allowed = not refused(response)
                    needs = page.post_needs if method == "POST" and page.post_needs else page.needs
                    should = expected(user, needs, case, carried_fields(page.subject, args))
                    if allowed and not should:
                        tally.unexpected_allows.append(
                            f"{role} {method} {name} {case}: {response.status_code}"
                        )
                    if should and not allowed:
                        tally.unexpected_denials.append(
                            f"{role} {method} {name} {case}: {response.status_code}"
                        )
    return tally


def grant_admin_view(user: Any) -> None:
    """Let the force administrator view every case model in the admin, as a deployment might:
    the table then decides (person and protected detail yes, masked; aliases or reports' parties
    no)."""
    from django.apps import apps
    from django.contrib.auth.models import Permission

    for label in permissions.MODELS:
        model = apps.get_model(label)
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label=model._meta.app_label,
                codename=f"view_{model._meta.model_name}",
            )
        )


def check_admin(world: World, sign_in, urlconf: str) -> Tally:
    """Admin pages of the case models (the models the permission table places)."""
    grant_admin_view(world.users["force_admin"])
    world.users["force_admin"] = type(world.users["force_admin"]).objects.get(
        pk=world.users["force_admin"].pk
    )  # a fresh copy: Django caches permissions on the instance
    tally = Tally()
    pages = {
        name: model
        for name, model in admin_model_names(urlconf).items()
        if model._meta.label_lower in permissions.MODELS
    }
    assert pages, "no admin page of a case model found"
    for role, client in clients(world, sign_in).items():
        user = world.users.get(role)
        for name, model in pages.items():
            object_, field_name = permissions.object_for_model(model)
            if name.endswith("_add"):
                action = "change"
            elif name.endswith("_delete"):
                action = "erase"
            else:
                action = "view"
            django_perm = {"view": "view", "change": "add", "erase": "delete"}[action]
            if name.endswith(("_changelist", "_add")):
                targets = [(None, [])]
            else:
                first: dict[str, Any] = {}
                for case, obj in world.objects(model):
                    first.setdefault(case, obj)
                targets = [(case, [obj.pk]) for case, obj in first.items()]
            for case, args in targets:
                tally.cells += 1
                response = client.get(reverse(name, args=args, urlconf=urlconf))
                allowed = not refused(response)
                should = False
                if user is not None and user.is_staff and user.force_id:
                    perm = f"{model._meta.app_label}.{django_perm}_{model._meta.model_name}"
                    rule = permissions.rule_for(user.role, object_, action)
                    granted = rule is not None and (field_name is None or rule.grants(field_name))
                    should = (
                        user.has_perm(perm)
                        and granted
                        and (case is None or case in REACHES[rule.reach])  # type: ignore[union-attr]
                    )
                if allowed and not should:
                    tally.unexpected_allows.append(f"{role} {name} {case}: {response.status_code}")
                if should and not allowed:
                    tally.unexpected_denials.append(f"{role} {name} {case}: {response.status_code}")
    return tally


@pytest.mark.django_db
@pytest.mark.urls(SITE_URLS)
def test_authorisation_matrix(sign_in):
    world = build_world()
    names = site_names(SITE_URLS)
    tally = check_site(world, sign_in, SITE_URLS, names)
    others = api_pages(SITE_URLS)[2]
    print(
        f"\nauthorisation matrix (site and API): {len(world.users) + 1} roles incl. anonymous x "
        f"{len(names) - len(NOT_REQUESTED)} URLs x records in and out of scope x methods = "
        f"{tally.cells} cells, {len(tally.unexpected_allows)} unexpected allows, "
        f"{len(tally.unexpected_denials)} unexpected denials; API POST actions checked for "
        f"GET refusal only ({len(others)}): {', '.join(others)}"
    )
    assert tally.unexpected_allows == []
    assert tally.unexpected_denials == []


@pytest.mark.django_db
@pytest.mark.urls(RESTRICTED_ADMIN_URLS)
def test_authorisation_matrix_admin_with_the_restricted_admin_mixin(sign_in):
    world = build_world()
    tally = check_admin(world, sign_in, RESTRICTED_ADMIN_URLS)
    print(
        f"\nauthorisation matrix (admin, RestrictedAdminMixin applied): {tally.cells} cells, "
        f"{len(tally.unexpected_allows)} unexpected allows, "
        f"{len(tally.unexpected_denials)} unexpected denials"
    )
    assert tally.unexpected_allows == []
    assert tally.unexpected_denials == []


@pytest.mark.django_db
@pytest.mark.urls(SITE_URLS)
def test_authorisation_matrix_admin(sign_in):
    world = build_world()
    tally = check_admin(world, sign_in, SITE_URLS)
    print(
        f"\nauthorisation matrix (admin as wired): {tally.cells} cells, "
        f"{len(tally.unexpected_allows)} unexpected allows"
    )
    assert tally.unexpected_allows == []


def test_every_page_about_a_record_names_what_it_needs():
    for name, page in PAGES.items():
        assert page.needs, name
        for object_, action in page.needs:
            assert object_ in permissions.OBJECTS, name
            assert action in set(permissions.Action), name


def test_refused_covers_only_refusals():
    class R(dict):
        def __init__(self, status, location=""):
            super().__init__(Location=location)
            self.status_code = status

    assert refused(R(404))
    assert refused(R(403))
    assert refused(R(302, "/sign-in/?next=/x"))
    assert refused(R(302, "/admin/"))
    assert refused(R(302, "/admin/login/?next=/admin/"))
    assert not refused(R(200))
    assert not refused(R(302, "/people/1/"))
