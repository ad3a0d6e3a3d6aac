"""Reading the audit trail for one record: who looked at it, and what changed on it.

Access imports none of the case apps (DESIGN.md, Direction of dependence), so each app registers
the records it wants audited (`register_subject`, in its ready()). A record's *change history* is
the write events on its own row and on the rows it owns: reverse foreign keys that cascade from it
(an order's conditions, hearings, notifications, breaches...) and its many-to-many links. Its
*access log* is the consultations, reveals, exports, disclosures and erasures of it, including
reveals of its protected details (which name it in their details).

Protected values were redacted by the database triggers before they reached the trail
(access/audit.py REDACTED_COLUMNS); these pages show them as redacted, never anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.db.models.deletion import CASCADE
from django.http import Http404
from django.shortcuts import get_object_or_404

from safeguard.access import audit, permissions
from safeguard.access.models import AuditEvent, AuditKind, User
from safeguard.access.restrict import restrict

READ_KINDS = (
    AuditKind.VIEW,
    AuditKind.REVEAL,
    AuditKind.EXPORT,
    AuditKind.DISCLOSE,
    AuditKind.ERASE,
)
WRITE_KINDS = (AuditKind.INSERT, AuditKind.UPDATE, AuditKind.DELETE, AuditKind.TRUNCATE)
REDACTED_PREFIX = "[protected "


@dataclass(frozen=True)
class AuditSubject:
    key: str  # in URLs: "people", "orders"
    model: type[Model]
    object: str  # its object in the permission table: "person", "order"
    # The key under which read events about its parts (e.g. a reveal of a protected detail)
    # name it in their details, e.g. {"person": 12}.
    details_key: str = ""
    title: str = ""

    def owned_tables(self) -> list[tuple[str, str]]:
        """(table, column naming this record) for the rows this record owns."""
        owned: list[tuple[str, str]] = []
        for rel in self.model._meta.related_objects:
            related: Any = rel.related_model
            if rel.one_to_many and related is not self.model and rel.on_delete is CASCADE:
                owned.append((related._meta.db_table, str(rel.field.column)))
        for m2m in self.model._meta.many_to_many:
            through: Any = m2m.remote_field.through  # type: ignore[union-attr]
            if through._meta.auto_created:
                owned.append((through._meta.db_table, m2m.m2m_column_name()))  # type: ignore[union-attr]
        return sorted(owned)


_SUBJECTS: dict[str, AuditSubject] = {}


def register_subject(subject: AuditSubject) -> None:
    _SUBJECTS[subject.key] = subject


def subject_for(key: str) -> AuditSubject:
    try:
        return _SUBJECTS[key]
    except KeyError:
        raise Http404("No such record") from None


def auditable(user: Any, key: str, pk: int) -> tuple[AuditSubject, Model]:
    """The record, if the user may read its audit trail; Http404 otherwise (whether it exists
    or not, so existence is not disclosed)."""
    subject = subject_for(key)
    if not permissions.allows(user, "audit_event", "view"):
        raise Http404("No such record")
    obj = get_object_or_404(restrict(subject.model._default_manager.all(), user, "audit"), pk=pk)
    return subject, obj


def access_events(subject: AuditSubject, pk: int) -> QuerySet[AuditEvent]:
    about = Q(table_name=subject.model._meta.db_table, object_id=str(pk))
    if subject.details_key:
        about |= Q(**{f"changes__{subject.details_key}": pk})
    return AuditEvent.objects.filter(about, kind__in=READ_KINDS).order_by("-id")


def _owned_row_ids(table: str, column: str, pk: int) -> set[str]:
    """Ids of the rows of `table` that are, or ever were, this record's: those there now, and
    those whose creation or deletion the trail recorded with this record in `column`. (An
    update event carries only the columns it changed, so it is found by its row's id.)"""
    ever = AuditEvent.objects.filter(table_name=table).filter(
        Q(**{f"changes__after__{column}": pk}) | Q(**{f"changes__before__{column}": pk})
    )
    ids = set(ever.values_list("object_id", flat=True))
    model = _models_by_table().get(table)
    if model is not None:
        ids |= {
            str(i)
            for i in model._default_manager.filter(**{column: pk}).values_list("pk", flat=True)
        }
    return ids - {""}


def change_events(subject: AuditSubject, pk: int) -> QuerySet[AuditEvent]:
    about = Q(table_name=subject.model._meta.db_table, object_id=str(pk))
    for table, column in subject.owned_tables():
        about |= Q(table_name=table, object_id__in=_owned_row_ids(table, column, pk))
    return AuditEvent.objects.filter(about, kind__in=WRITE_KINDS).order_by("-id")


def record_audit_view(user: Any, subject: AuditSubject, pk: int, page: str) -> None:
    """Reading a record's audit trail is itself a consultation of the record."""
    audit.record(
        AuditKind.VIEW,
        user=user,
        table_name=subject.model._meta.db_table,
        object_id=pk,
        details={"page": page},
    )


# --- Presenting events ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    redacted: bool


@dataclass
class EventRow:
    event: AuditEvent
    actor: str
    actor_role: str
    what: str
    changes: list[Change] = field(default_factory=list)


def _models_by_table() -> dict[str, type[Model]]:
    found: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        found.setdefault(model._meta.db_table, model)
    return found


def _verbose(model: type[Model] | None, column: str) -> str:
    if model is not None:
        for f in model._meta.concrete_fields:
            if f.column == column:
                return str(f.verbose_name).capitalize()
    return column.replace("_", " ").capitalize()


def _show(value: Any) -> tuple[str, bool]:
    if value is None or value == "":
        return "(empty)", False
    if isinstance(value, str) and value.startswith(REDACTED_PREFIX):
        return "Protected value (redacted)", True
    if isinstance(value, bool):
        return ("Yes" if value else "No"), False
    return str(value), False


def _changes(event: AuditEvent, model: type[Model] | None) -> list[Change]:
    data = event.changes or {}
    before, after = data.get("before") or {}, data.get("after") or {}
    rows = []
    for column in sorted(set(before) | set(after)):
        if column == "id":
            continue
        old, old_redacted = _show(before.get(column)) if before else ("", False)
        new, new_redacted = _show(after.get(column)) if after else ("", False)
        rows.append(Change(_verbose(model, column), old, new, old_redacted or new_redacted))
    return rows


def _what(event: AuditEvent, model: type[Model] | None) -> str:
    thing = str(model._meta.verbose_name) if model is not None else event.table_name
    kind = AuditKind(event.kind)
    details = event.changes or {}
    if kind == AuditKind.REVEAL:
        return f"Revealed a protected detail ({str(details.get('kind', '')).replace('_', ' ')})"
    if kind == AuditKind.ERASE:
        parts = ", ".join(str(p).replace("_", " ") for p in details.get("parts", []))
        return f"Erased: {parts}" if parts else "Erased"
    if kind == AuditKind.VIEW:
        page = details.get("page")
        return f"Consulted the {page}" if page else f"Consulted the {thing}"
    if kind in WRITE_KINDS:
        return f"{kind.label} {thing} {event.object_id}".strip()
    return f"{kind.label} {thing}"


def present(events: list[AuditEvent], *, with_changes: bool) -> list[EventRow]:
    users = {
        u.pk: u for u in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})
    }
    tables = _models_by_table()
    rows = []
    for event in events:
        user = users.get(event.actor_id) if event.actor_id else None
        model = tables.get(event.table_name)
        rows.append(
            EventRow(
                event=event,
                actor=user.display_name if user else (event.actor_label or "Safeguard"),
                actor_role=user.get_role_display() if user else "",
                what=_what(event, model),
                changes=_changes(event, model) if with_changes else [],
            )
        )
    return rows
