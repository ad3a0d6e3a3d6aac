"""Who may do what to which part of a case, as data: role x object x field x action.

This table is the single source of the access rules (issue 3). `access.restrict.restrict()` reads
it to filter every query for case data; `visible_fields()` tells templates which parts of a record
to show; `safeguard access matrix --markdown` renders it as docs/permissions.md; and the
authorisation tests (tests/access/test_permissions*.py) are generated from it. Change a rule here
and all four follow.

Vocabulary:
- An *object* is a kind of case record (person, protected detail, report, order, audit event).
  Each model is mapped to an object, or to one *field* of an object: a Condition row is the
  order's "conditions" field, so whoever may not see an order's conditions gets no Condition rows.
- An *action* is what the user does: view, change, reveal, export, audit, erase.
- A *reach* says which records of that object a rule covers: the user's whole force, the cases
  assigned to the user or their team, or only the cases the user is linked to (victim advocates).
  No rule reaches beyond the user's own force; national roles and analysts have no rule on case
  records at all (they work with aggregates, through oversight).
- A rule grants some or all of the object's fields. A protected detail's value is granted only by
  `reveal`, never by `view` or `export` (tests/access/test_permissions.py checks this).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from safeguard.access.models import Role


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    REVEAL = "reveal"
    EXPORT = "export"
    AUDIT = "audit"
    ERASE = "erase"


ACTION_MEANINGS: dict[Action, str] = {
    Action.VIEW: "open the record and read the fields granted (masked where protected)",
    Action.CHANGE: "create or change the record through the services",
    Action.REVEAL: "unmask a protected value, giving a reason that is logged (DPA 2018 s.62)",
    Action.EXPORT: "take the fields granted out of the system (a disclosure, logged)",
    Action.AUDIT: "read the record's access log and change history",
    Action.ERASE: "erase the record's personal details at a retention review (logged)",
}


class Reach(StrEnum):
    FORCE = "force"
    ASSIGNED = "assigned"
    LINKED = "linked"


REACH_MEANINGS: dict[Reach, str] = {
    Reach.FORCE: "every record of the user's own force",
    Reach.ASSIGNED: "records of cases assigned to the user or held by the user's team, in their force",
    Reach.LINKED: "only records of the orders the user is linked to, in their force",
}


@dataclass(frozen=True)
class ObjectKind:
    title: str
    description: str
    fields: dict[str, str]  # field name -> what it is


OBJECTS: dict[str, ObjectKind] = {
    "person": ObjectKind(
        "Person",
        "A person as a report or order records them (victim, suspect, defendant, witness).",
        {
            "name": "Name",
            "date_of_birth": "Date of birth",
            "sex": "Sex",
            "aliases": "Aliases, nicknames, previous and online names",
            "identifiers": "PNC ID, CRO number and other identifiers",
            "reports": "The reports they appear in",
            "orders": "The orders against them or protecting them",
            "retention": "Retention group and review date",
        },
    ),
    "protected_detail": ObjectKind(
        "Protected detail",
        "A home address, workplace, phone number or e-mail address: encrypted at rest, masked "
        "everywhere, shown only on an explicit reveal with a reason.",
        {
            "kind": "That a detail of this kind is recorded, and when (never the value)",
            "value": "The address, number or e-mail address itself",
        },
    ),
    "report": ObjectKind(
        "Report",
        "A crime report: the suspect intelligence an order is built on.",
        {
            "reference": "Crime reference",
            "offence": "Offence classification",
            "dates": "When it happened and was reported",
            "status": "Open, referred or closed",
            "officer": "Officer and team holding it",
            "summary": "What happened, in the officer's words",
            "behaviours": "Stalking behaviours recorded",
            "risk": "S-DASH risk screening answers",
            "parties": "The people in it and their roles",
        },
    ),
    "order": ObjectKind(
        "Order",
        "A protective order or notice, with its conditions, hearings, notifications and breaches.",
        {
            "reference": "Reference",
            "type": "Order type",
            "state": "State (in force, applied, ended...)",
            "defendant": "Defendant's name",
            "defendant_date_of_birth": "Defendant's date of birth",
            "protected_persons": "Names of the people it protects",
            "court": "Court",
            "notice": "When a notice was given and who authorised it",
            "made_on": "Date made",
            "term": "Term and expiry",
            "served": "Service on the defendant",
            "officer": "Officer in the case and team",
            "related": "Related orders (interim, notice, main application)",
            "conditions": "Prohibitions and requirements",
            "conditions_necessity": "Why each condition is necessary (the evidence)",
            "deadlines": "Statutory deadlines",
            "notifications": "The defendant's notifications (name and home address)",
            "hearings": "Hearings: date, court, outcome",
            "hearing_reasons": "The court's reasons",
            "breaches": "Breaches: when, what, arrest, outcome",
            "history": "Changes of state, with notes and who made them",
            "grounds": "Evidence for each statutory test",
            "victim_views": "The victim's views",
            "court_applications": "Applications to vary, renew or discharge",
            "appeals": "Appeals",
            "advocates": "Victim advocates linked to it",
            "law": "The law it is made under",
        },
    ),
    "screening": ObjectKind(
        "Screening",
        "What screening derives from the force's reports: records linked into identities, the "
        "SPO candidate queue with its reasons, perpetrator scores. It joins every team's cases, "
        "so it is force-wide intelligence.",
        {
            "candidates": "SPO candidates with their reasons and evidence",
            "identities": "Which records are the same person",
            "links": "Record pairs with their match weights",
            "link_decisions": "Confirmed and split record pairs, with who decided and why",
            "scores": "Perpetrator (RFGV) scores",
            "runs": "Screening runs and linkage models",
        },
    ),
    "legal_review": ObjectKind(
        "Legal review",
        "A force legal adviser's review of a draft application before it goes to court: who "
        "asked for it and when, and the adviser's decision (approve, or send back with "
        "comments). Deciding a review (change) is the legal adviser's alone.",
        {
            "request": "Who asked for the review, when, and their note",
            "decision": "The decision, the adviser's comments, who decided and when",
        },
    ),
    "audit_event": ObjectKind(
        "Audit event",
        "An entry of the audit trail about a record: who consulted, revealed, changed or erased "
        "it, when and why. Protected values stay redacted in it.",
        {
            "who": "Who acted",
            "when": "When",
            "what": "What they did, to which record",
            "why": "The reason they gave",
            "changes": "Before and after, for changes (protected values redacted)",
        },
    ),
}

ALL = "*"


@dataclass(frozen=True)
class Rule:
    role: Role
    object: str
    action: Action
    reach: Reach
    fields: frozenset[str] = field(default_factory=frozenset)

    def grants(self, name: str) -> bool:
        return name in self.fields


def _grant(
    role: Role,
    reach: Reach,
    object_: str,
    actions: Iterable[Action],
    fields: Iterable[str] | str = ALL,
) -> Iterator[Rule]:
    known = OBJECTS[object_].fields
    names = frozenset(known) if fields == ALL else frozenset(fields)
    unknown = names - set(known)
    if unknown:
        raise ValueError(f"{object_} has no field(s) {sorted(unknown)}")
    for action in actions:
        granted = names
        if object_ == "protected_detail" and action != Action.REVEAL:
            granted = names - {"value"}  # only a reveal shows the value
        yield Rule(role, object_, Action(action), reach, granted)


V, C, R, X, A, E = (
    Action.VIEW,
    Action.CHANGE,
    Action.REVEAL,
    Action.EXPORT,
    Action.AUDIT,
    Action.ERASE,
)

# What a victim advocate needs for safety planning, and no more: the order's status, conditions,
# expiry, hearings and breaches. Never suspect intelligence: no reports, no defendant's date of
# birth, aliases, identifiers or addresses, no notifications (they carry the defendant's address),
# no evidence (grounds, necessity), no S-DASH answers.
SAFETY_PLANNING = (
    "reference",
    "type",
    "state",
    "defendant",
    "protected_persons",
    "court",
    "made_on",
    "term",
    "served",
    "officer",
    "conditions",
    "hearings",
    "breaches",
    "law",
)
# What a force administrator needs to find a record and answer for it (audit, retention):
# identification and status, no evidence and no intelligence.
ADMINISTRATION_ORDER = (
    "reference",
    "type",
    "state",
    "defendant",
    "protected_persons",
    "court",
    "made_on",
    "term",
    "officer",
    "advocates",
    "law",
)
ADMINISTRATION_PERSON = ("name", "sex", "reports", "orders", "retention")
ADMINISTRATION_REPORT = ("reference", "offence", "dates", "status", "officer")
# An order's export (a disclosure) leaves out the people's dates of birth and every evidential
# and intelligence field.
ORDER_EXPORT = ("reference", "type", "state", "defendant", "court", "made_on", "term", "officer")
# A list of reports or people taken out (issue 8, item 3): identification and status only, for
# the officer's or the unit's own case management. Never a summary, behaviours, S-DASH answers or
# parties (evidence and intelligence), and never a protected detail: that object has no export
# rule at all (only `reveal` shows a value, one at a time, with a reason: DPA 2018 s.62).
REPORT_EXPORT = ("reference", "offence", "dates", "status", "officer")
PERSON_EXPORT = ("name", "date_of_birth", "sex")

F, AS, LK = Reach.FORCE, Reach.ASSIGNED, Reach.LINKED

RULES: tuple[Rule, ...] = (
    # Investigating officers: the cases assigned to them or their team.
    *_grant(Role.OFFICER, AS, "person", [V, C]),
    *_grant(Role.OFFICER, AS, "protected_detail", [V, C, R]),
    *_grant(Role.OFFICER, AS, "report", [V, C]),
    *_grant(Role.OFFICER, AS, "report", [X], REPORT_EXPORT),
    *_grant(Role.OFFICER, AS, "person", [X], PERSON_EXPORT),
    *_grant(Role.OFFICER, AS, "order", [V, C]),
    *_grant(Role.OFFICER, AS, "legal_review", [V]),
    # SPO coordinators: their force's protective-order cases.
    *_grant(Role.COORDINATOR, F, "person", [V, C]),
    *_grant(Role.COORDINATOR, F, "protected_detail", [V, C, R]),
    *_grant(Role.COORDINATOR, F, "report", [V, C]),
    *_grant(Role.COORDINATOR, F, "report", [X], REPORT_EXPORT),
    *_grant(Role.COORDINATOR, F, "person", [X], PERSON_EXPORT),
    *_grant(Role.COORDINATOR, F, "order", [V, C]),
    *_grant(Role.COORDINATOR, F, "order", [X], ORDER_EXPORT),
    *_grant(Role.COORDINATOR, F, "screening", [V, C]),
    *_grant(Role.COORDINATOR, F, "legal_review", [V]),
    # Supervisors: their force's cases, the audit trail, and retention decisions.
    *_grant(Role.SUPERVISOR, F, "person", [V, A, E]),
    *_grant(Role.SUPERVISOR, F, "protected_detail", [V, R]),
    *_grant(Role.SUPERVISOR, F, "report", [V]),
    *_grant(Role.SUPERVISOR, F, "report", [X], REPORT_EXPORT),
    *_grant(Role.SUPERVISOR, F, "person", [X], PERSON_EXPORT),
    *_grant(Role.SUPERVISOR, F, "order", [V, C, A]),
    *_grant(Role.SUPERVISOR, F, "order", [X], ORDER_EXPORT),
    *_grant(Role.SUPERVISOR, F, "audit_event", [V]),
    *_grant(Role.SUPERVISOR, F, "screening", [V]),
    *_grant(Role.SUPERVISOR, F, "legal_review", [V]),
    # Force legal advisers: their force's cases, to prepare and defend applications. Never the
    # victim's contact details: nothing prepared for the court may carry them.
    *_grant(Role.LEGAL, F, "person", [V]),
    *_grant(Role.LEGAL, F, "protected_detail", [V]),
    *_grant(Role.LEGAL, F, "report", [V]),
    *_grant(Role.LEGAL, F, "order", [V, C]),
    *_grant(Role.LEGAL, F, "screening", [V]),
    *_grant(Role.LEGAL, F, "legal_review", [V, C]),
    # Victim advocates (partner agencies): the orders they are linked to, safety planning only.
    *_grant(Role.ADVOCATE, LK, "order", [V], SAFETY_PLANNING),
    # Force administrators: find a record, answer who looked at it and what changed, and carry
    # out retention decisions. No evidence, no intelligence, no reveal.
    *_grant(Role.FORCE_ADMIN, F, "person", [V], ADMINISTRATION_PERSON),
    *_grant(Role.FORCE_ADMIN, F, "person", [A, E]),
    *_grant(Role.FORCE_ADMIN, F, "protected_detail", [V]),
    *_grant(Role.FORCE_ADMIN, F, "report", [V], ADMINISTRATION_REPORT),
    *_grant(Role.FORCE_ADMIN, F, "order", [V], ADMINISTRATION_ORDER),
    *_grant(Role.FORCE_ADMIN, F, "order", [A]),
    *_grant(Role.FORCE_ADMIN, F, "audit_event", [V]),
    # Analysts and national administrators: no case records at all (aggregates only).
)

# Which object (and which of its fields) each model's rows are. A model that restrict() is asked
# about must be here: an unmapped model is refused, never let through.
MODELS: dict[str, tuple[str, str | None]] = {
    "people.person": ("person", None),
    "people.alias": ("person", "aliases"),
    "people.identifier": ("person", "identifiers"),
    "people.retentionreview": ("person", "retention"),
    "people.protecteddetail": ("protected_detail", None),
    "reports.report": ("report", None),
    "reports.reportparty": ("report", "parties"),
    "orders.order": ("order", None),
    "orders.condition": ("order", "conditions"),
    "orders.hearing": ("order", "hearings"),
    "orders.service": ("order", "served"),
    "orders.statechange": ("order", "history"),
    "orders.courtapplication": ("order", "court_applications"),
    "orders.appeal": ("order", "appeals"),
    "orders.advocatelink": ("order", "advocates"),
    "orders.legalreview": ("legal_review", None),
    "compliance.notification": ("order", "notifications"),
    "compliance.breach": ("order", "breaches"),
    "screening.candidate": ("screening", "candidates"),
    "screening.personidentity": ("screening", "identities"),
    "screening.personlink": ("screening", "links"),
    "screening.linkdecision": ("screening", "link_decisions"),
    "screening.perpetratorscore": ("screening", "scores"),
    "screening.screeningrun": ("screening", "runs"),
    "screening.linkagemodel": ("screening", "runs"),
}

ROLES: tuple[Role, ...] = tuple(Role)
ACTIONS: tuple[Action, ...] = tuple(Action)
# The actions whose fields decide what a page or file shows; the others act on the whole record.
FIELD_ACTIONS = (Action.VIEW, Action.REVEAL, Action.EXPORT)

_INDEX: dict[tuple[str, str, str], Rule] = {}
for _rule in RULES:
    _key = (_rule.role.value, _rule.object, _rule.action.value)
    if _key in _INDEX:
        raise ValueError(f"Two rules for {_key}: merge them")
    _INDEX[_key] = _rule


# --- Asking the table ----------------------------------------------------------------------


def rule_for(role: str, object_: str, action: str) -> Rule | None:
    """The rule letting `role` do `action` to `object_`, or None: nothing is allowed by default."""
    if object_ not in OBJECTS:
        raise LookupError(f"Unknown object {object_!r}; the objects are {sorted(OBJECTS)}")
    return _INDEX.get((str(role), object_, str(action)))


def _role_of(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    return user.role


def allows(user: Any, object_: str, action: str, field_name: str | None = None) -> bool:
    """Whether the user's role may do `action` to some `object_` (and, if given, that field).
    Which records it may do it to is restrict()'s answer."""
    role = _role_of(user)
    if role is None or (not getattr(user, "force_id", None)):
        return False
    rule = rule_for(role, object_, action)
    if rule is None:
        return False
    return field_name is None or rule.grants(field_name)


def visible_fields(user: Any, object_: str, action: str = Action.VIEW) -> frozenset[str]:
    """The fields of `object_` a page may show the user. Templates test membership:
    `{% if "conditions" in fields %}`."""
    role = _role_of(user)
    if role is None or not getattr(user, "force_id", None):
        return frozenset()
    rule = rule_for(role, object_, action)
    return rule.fields if rule else frozenset()


def object_for_model(model: Any) -> tuple[str, str | None]:
    label = model._meta.label_lower
    try:
        return MODELS[label]
    except KeyError:
        raise LookupError(
            f"{label} is not in access.permissions.MODELS: say which object (and field) its rows "
            "are before anything reads it"
        ) from None


# --- Rendering the table (docs/permissions.md) ---------------------------------------------


def _cell(rule: Rule | None, object_: str) -> str:
    if rule is None:
        return "no"
    everything = frozenset(OBJECTS[object_].fields)
    if object_ == "protected_detail" and rule.action != Action.REVEAL:
        everything -= {"value"}
    return rule.reach.value if rule.fields == everything else f"{rule.reach.value} (some fields)"


def markdown() -> str:
    """docs/permissions.md, generated from this table (`safeguard access matrix --markdown`)."""
    role_labels = dict(Role.choices)
    out = [
        "# Who may see and do what",
        "",
        "<!-- Generated by `safeguard access matrix --markdown` from "
        "src/safeguard/access/permissions.py. Do not edit: change the table and regenerate. "
        "tests/access/test_permissions.py fails when this file is out of date. -->",
        "",
        "Every read of case data goes through one function, `access.restrict.restrict(queryset, "
        "user, action)`, which reads the table below; pages show only the fields it grants; the "
        "authorisation tests are generated from it. Anything not granted here is refused.",
        "",
        "A refused record looks the same as a record that does not exist (page not found), so "
        "its existence is not disclosed. Every consultation of a person or order page, every "
        "reveal and every erasure is recorded in the audit trail with who, when, what and why.",
        "",
        "## Actions",
        "",
        "| Action | Meaning |",
        "|---|---|",
        *(f"| {a.value} | {ACTION_MEANINGS[a]} |" for a in ACTIONS),
        "",
        "## Reach",
        "",
        "A cell names which records the role reaches. No rule reaches another force.",
        "",
        "| Reach | Records |",
        "|---|---|",
        *(f"| {r.value} | {REACH_MEANINGS[r]} |" for r in Reach),
        "| no | none: refused |",
        "",
        "Analysts and national administrators have no rule on case records: they see figures "
        "only (oversight), never a person, report or order.",
        "",
    ]
    for key, kind in OBJECTS.items():
        out += [
            f"## {kind.title} (`{key}`)",
            "",
            kind.description,
            "",
            "| Role | " + " | ".join(a.value for a in ACTIONS) + " |",
            "|---|" + "---|" * len(ACTIONS),
        ]
        for role in ROLES:
            cells = [_cell(rule_for(role, key, a), key) for a in ACTIONS]
            out.append(f"| {role_labels[role]} | " + " | ".join(cells) + " |")
        granting = [
            (role, action)
            for role in ROLES
            for action in FIELD_ACTIONS
            if rule_for(role, key, action) is not None
        ]
        if granting:
            columns = [f"{role_labels[r]}: {a.value}" for r, a in granting]
            out += [
                "",
                "Fields shown (view), unmasked (reveal) or taken out (export), by role:",
                "",
                "| Field | " + " | ".join(columns) + " |",
                "|---|" + "---|" * len(columns),
            ]
            for name, meaning in kind.fields.items():
                ticks = [
                    "✓" if rule_for(r, key, a).grants(name) else ""  # type: ignore[union-attr]
                    for r, a in granting
                ]
                out.append(f"| {meaning} (`{name}`) | " + " | ".join(ticks) + " |")
        out.append("")
    out += [
        "## Which records are which object",
        "",
        "Each table's rows are one object, or one field of an object: whoever is not granted "
        "the field gets none of its rows.",
        "",
        "| Model | Object | Field |",
        "|---|---|---|",
        *(
            f"| `{label}` | {obj} | {fld or '(the record)'} |"
            for label, (obj, fld) in MODELS.items()
        ),
        "",
    ]
    return "\n".join(out)
