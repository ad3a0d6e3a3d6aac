"""The permission table (access/permissions.py): what it must never say, that docs/permissions.md
is generated from it, and that restrict() does exactly what it says for every role, every
registered model, every action and records in and out of scope.

The restrict matrix is generated from the table; what a role *should* reach is worked out from
how tests/web/world.py built the records (which case each is in), not by asking restrict().
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from safeguard.access import permissions
from safeguard.access.models import Role
from safeguard.access.permissions import Action, Reach
from safeguard.access.restrict import _SCOPES, restrict
from tests.web.world import REACHES, build_world

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"

# Everything about a suspect an advocate must never see (issue 3: "never suspect intelligence").
SUSPECT_INTELLIGENCE = {
    "defendant_date_of_birth",
    "notifications",  # carry the defendant's name and home address
    "grounds",
    "conditions_necessity",
    "history",
    "notice",
    "victim_views",
    "related",
    "court_applications",
    "appeals",
    "hearing_reasons",
    "advocates",
}


# --- What the table must never say (hand-written, independent of the table) ----------------


def test_a_protected_value_is_granted_only_by_reveal():
    for rule in permissions.RULES:
        if rule.object == "protected_detail" and rule.action != Action.REVEAL:
            assert "value" not in rule.fields, rule


def test_only_officers_coordinators_and_supervisors_may_reveal():
    revealers = {r.role for r in permissions.RULES if r.action == Action.REVEAL}
    assert revealers == {Role.OFFICER, Role.COORDINATOR, Role.SUPERVISOR}


def test_nobody_exports_protected_details_or_evidence():
    exported = {r.object for r in permissions.RULES if r.action == Action.EXPORT}
    assert "protected_detail" not in exported
    for rule in permissions.RULES:
        if rule.action == Action.EXPORT and rule.object == "report":
            assert not rule.fields & {"summary", "behaviours", "risk", "parties"}, rule
        if rule.action == Action.EXPORT and rule.object == "person":
            assert not rule.fields & {"aliases", "identifiers", "reports", "orders"}, rule


def test_only_case_holding_roles_export_reports_and_people():
    for obj in ("report", "person"):
        rules = [r for r in permissions.RULES if r.action == Action.EXPORT and r.object == obj]
        exporters = {r.role for r in rules}
        assert exporters == {Role.OFFICER, Role.COORDINATOR, Role.SUPERVISOR}, obj


def test_advocates_see_linked_orders_and_safety_planning_only():
    rules = [r for r in permissions.RULES if r.role == Role.ADVOCATE]
    assert {(r.object, r.action, r.reach) for r in rules} == {("order", Action.VIEW, Reach.LINKED)}
    (rule,) = rules
    assert not (rule.fields & SUSPECT_INTELLIGENCE)
    assert {"state", "conditions", "term", "breaches"} <= rule.fields


def test_roles_that_work_with_aggregates_have_no_rule_on_case_records():
    from safeguard.access.models import AGGREGATE_ONLY_ROLES, NATIONAL_ROLES

    for role in {Role.ANALYST, Role.NATIONAL_ADMIN} | AGGREGATE_ONLY_ROLES | NATIONAL_ROLES:
        assert [r for r in permissions.RULES if r.role == role] == []


def test_only_supervisors_and_force_administrators_read_the_audit_trail():
    auditors = {
        r.role for r in permissions.RULES if r.action == Action.AUDIT or r.object == "audit_event"
    }
    assert auditors == {Role.SUPERVISOR, Role.FORCE_ADMIN}


def test_nothing_reaches_beyond_the_users_force():
    assert {r.reach for r in permissions.RULES} <= set(Reach)
    assert set(REACHES) == set(Reach)


def test_a_rule_naming_an_unknown_field_is_refused():
    with pytest.raises(ValueError, match="no field"):
        list(permissions._grant(Role.OFFICER, Reach.FORCE, "order", [Action.VIEW], ["ssn"]))


def test_every_registered_model_has_its_place_in_the_table_and_back():
    registered = {m._meta.label_lower for m in _SCOPES}
    assert registered == set(permissions.MODELS)
    for label, (object_, field_name) in permissions.MODELS.items():
        apps.get_model(label)
        assert object_ in permissions.OBJECTS
        assert field_name is None or field_name in permissions.OBJECTS[object_].fields


def test_docs_permissions_md_is_generated_from_the_table(capsys):
    call_command("access", "matrix", "--markdown")
    generated = capsys.readouterr().out
    assert DOCS.read_text() == generated, (
        "docs/permissions.md is out of date: run "
        "`safeguard access matrix --markdown > docs/permissions.md`"
    )


def test_the_plain_matrix_lists_every_rule(capsys):
    call_command("access", "matrix")
    assert len(capsys.readouterr().out.strip().splitlines()) == len(permissions.RULES)


# --- restrict() against the table, for every role, model, action and record ---------------


@pytest.mark.django_db
def test_restrict_matrix():
    world = build_world()
    cells = unexpected_allows = unexpected_denials = 0
    failures = []
    for role, user in world.users.items():
        for model in _SCOPES:
            object_, field_name = permissions.object_for_model(model)
            rows = world.objects(model)
            assert rows, f"the world has no {model.__name__}: add one so it is tested"
            for action in permissions.ACTIONS:
                rule = permissions.rule_for(role, object_, action)
                granted = rule is not None and (field_name is None or rule.grants(field_name))
                reach = REACHES[rule.reach] if granted and user.force_id else frozenset()
                got = set(
                    restrict(model._default_manager.all(), user, action).values_list(
                        "pk", flat=True
                    )
                )
                for case, obj in rows:
                    cells += 1
                    expected = case in reach
                    allowed = obj.pk in got
                    if allowed and not expected:
                        unexpected_allows += 1
                        failures.append(f"ALLOW {role} {action} {model.__name__} in {case}")
                    elif expected and not allowed:
                        unexpected_denials += 1
                        failures.append(f"DENY {role} {action} {model.__name__} in {case}")
                known = {obj.pk for _, obj in rows}
                assert got <= known, f"{role} {action} {model.__name__}: rows nobody made"
    print(
        f"\nrestrict matrix: {len(world.users)} roles x {len(_SCOPES)} models x "
        f"{len(permissions.ACTIONS)} actions x records in and out of scope = {cells} cells, "
        f"{unexpected_allows} unexpected allows, {unexpected_denials} unexpected denials"
    )
    assert unexpected_allows == 0, failures
    assert unexpected_denials == 0, failures


@pytest.mark.django_db
def test_inactive_users_and_users_without_a_force_get_nothing():
    world = build_world()
    coordinator = world.users[Role.COORDINATOR]
    coordinator.is_active = False
    from safeguard.orders.models import Order

    assert not restrict(Order.objects.all(), coordinator).exists()
    coordinator.is_active = True
    coordinator.force = None
    coordinator.force_id = None
    assert not restrict(Order.objects.all(), coordinator).exists()


def test_an_unregistered_model_is_refused_not_let_through():
    from safeguard.access.models import Team

    with pytest.raises(LookupError):
        restrict(Team.objects.all(), None)
