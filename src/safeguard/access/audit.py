"""The audit trail: who created, changed, consulted, revealed, exported, disclosed or erased
what, when and why (DPA 2018 s.62; DESIGN.md, Protecting victims).

Writes are recorded by database triggers on every case table (audit_sql.py), so ORM saves,
`update()`, bulk operations, raw SQL and admin actions are all caught. Reads and disclosures are
recorded here by the code that performs them. Every event is linked to the previous one by a
SHA-256 hash computed in the database under a lock; `verify` recomputes the chain independently.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from safeguard.access import audit_sql
from safeguard.access.models import AuditEvent, AuditKind

# Apps whose every table is audited; columns never copied into the trail, by table.
AUDITED_APPS = ("access", "people", "reports", "orders", "compliance")
REDACTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "people_protecteddetail": ("value", "postcode"),
    "access_user": ("password",),
}
NOT_AUDITED = frozenset({"access_auditevent"})


# --- Who is acting ----------------------------------------------------------------------------


def _set_context(actor_id: str, actor_label: str, request_id: str, purpose: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('safeguard.actor_id', %s, false),"
            " set_config('safeguard.actor_label', %s, false),"
            " set_config('safeguard.request_id', %s, false),"
            " set_config('safeguard.purpose', %s, false)",
            [actor_id, actor_label, request_id, purpose],
        )


def _current_context() -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(current_setting('safeguard.actor_id', true), ''),"
            " coalesce(current_setting('safeguard.actor_label', true), ''),"
            " coalesce(current_setting('safeguard.request_id', true), ''),"
            " coalesce(current_setting('safeguard.purpose', true), '')"
        )
        return cursor.fetchone()  # type: ignore[return-value]


@contextmanager
def acting_as(
    user: Any = None, *, label: str = "", purpose: str = "", request_id: str | None = None
) -> Iterator[str]:
    """Attribute every write inside the block to `user` (or a system `label`) in the trail."""
    previous = _current_context()
    request_id = request_id or uuid.uuid4().hex
    actor_id = str(user.pk) if user is not None and getattr(user, "pk", None) else ""
    actor_label = label or (user.get_username() if user is not None else "system")
    _set_context(actor_id, actor_label, request_id, purpose)
    try:
        yield request_id
    finally:
        _set_context(*previous)


# --- Reads and disclosures ---------------------------------------------------------------------


def record(
    kind: str,
    *,
    user: Any,
    table_name: str = "",
    object_id: str | int = "",
    purpose: str = "",
    recipients: str = "",
    details: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Log a consultation, reveal, export, disclosure or erasure (DPA 2018 s.62). The request
    id is the one the connection's audit context holds, unless the caller already knows it (the
    request's own, as the middleware set it: one round trip fewer on every read)."""
    kind = AuditKind(kind)
    if kind in (AuditKind.REVEAL, AuditKind.EXPORT, AuditKind.DISCLOSE, AuditKind.ERASE) and not (
        purpose.strip()
    ):
        raise ValueError(f"A {kind.label.lower()} must give its reason")
    if kind == AuditKind.DISCLOSE and not recipients.strip():
        raise ValueError("A disclosure must name its recipients")
    if request_id is None:
        _, _, request_id, _ = _current_context()
    return AuditEvent.objects.create(
        kind=kind,
        table_name=table_name,
        object_id=str(object_id),
        actor_id=getattr(user, "pk", None),
        actor_label=user.get_username() if user is not None else "system",
        request_id=request_id,
        purpose=purpose,
        recipients=recipients,
        changes=details,
    )


def record_many(
    kind: str,
    *,
    user: Any,
    table_name: str,
    object_ids: Iterable[str | int],
    details: dict[str, Any] | None = None,
) -> int:
    """Log one consultation per record shown together (a page listing several records in full),
    in one insert: the chain trigger links them one by one, as if recorded separately."""
    kind = AuditKind(kind)
    if kind != AuditKind.VIEW:
        raise ValueError("Only consultations are recorded in bulk; a reveal or disclosure is one")
    _, _, request_id, _ = _current_context()
    events = [
        AuditEvent(
            kind=kind,
            table_name=table_name,
            object_id=str(object_id),
            actor_id=getattr(user, "pk", None),
            actor_label=user.get_username() if user is not None else "system",
            request_id=request_id,
            changes=details,
        )
        for object_id in object_ids
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


# --- Installing the triggers -------------------------------------------------------------------


def audited_tables() -> list[str]:
    tables = set()
    for label in AUDITED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables - NOT_AUDITED)


def install_triggers(using: str = "default") -> int:
    """(Re)attach the audit trigger to every case table. Idempotent; runs after each migrate."""
    tables = audited_tables()
    with connections[using].cursor() as cursor:
        # Functions first, so a database migrated by an older release gets the current ones.
        cursor.execute(audit_sql.CHAIN_FUNCTION + audit_sql.ROW_FUNCTION)
        for table in tables:
            cursor.execute(audit_sql.row_trigger_sql(table, REDACTED_COLUMNS.get(table, ())))
    return len(tables)


# --- Verifying the chain -----------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    events: int
    head_id: int | None
    head_hash: str
    broken: list[str]

    @property
    def ok(self) -> bool:
        return not self.broken


def verify(*, checkpoint: dict[str, Any] | None = None, stop_after: int = 50) -> VerifyResult:
    """Recompute every link of the chain, in Python, from the stored columns.

    Reports each event whose hash does not match its content (edited), whose link does not match
    its predecessor's hash (deleted or reordered), and, given a signed checkpoint, whether the
    event it names still has the hash it had then (truncated or rewritten since).
    """
    broken: list[str] = []
    previous = audit_sql.GENESIS_HASH
    count, head_id, seen_checkpoint = 0, None, checkpoint is None
    if checkpoint is not None and not checkpoint_signature_ok(checkpoint):
        broken.append("The checkpoint's signature is not valid: it was not made with this key")
    # Built only from constants in audit_sql, never from input.
    query = (
        "SELECT id, prev_hash, hash, "  # noqa: S608
        + audit_sql.PREIMAGE_FIELDS.format(e="e")
        + " FROM access_auditevent e ORDER BY id"
    )
    with connection.chunked_cursor() as cursor:
        cursor.execute(query)
        for event_id, prev_hash, stored_hash, preimage in cursor:
            count += 1
            if prev_hash != previous:
                broken.append(
                    f"Event {event_id} does not follow the event before it: an event was "
                    "deleted, inserted or reordered here"
                )
            expected = hashlib.sha256(f"{prev_hash}|{preimage}".encode()).hexdigest()
            if expected != stored_hash:
                broken.append(f"Event {event_id} was altered: its content does not match its hash")
            if checkpoint is not None and event_id == checkpoint.get("id"):
                seen_checkpoint = True
                if stored_hash != checkpoint.get("hash"):
                    broken.append(
                        f"Event {event_id} no longer has the hash recorded in the checkpoint"
                    )
            previous, head_id = stored_hash, event_id
            if len(broken) >= stop_after:
                break
    if not seen_checkpoint:
        broken.append(
            f"The checkpoint's event {checkpoint.get('id') if checkpoint else ''} is missing: "
            "the trail was truncated or rewritten"
        )
    return VerifyResult(events=count, head_id=head_id, head_hash=previous, broken=broken)


# --- Signed checkpoints ------------------------------------------------------------------------


def _checkpoint_key() -> bytes:
    """A key separate from SECRET_KEY, so the checkpoint cannot be forged by whoever can read
    the application's settings alone. Production sets SAFEGUARD_AUDIT_KEY."""
    key = os.environ.get("SAFEGUARD_AUDIT_KEY")
    if key:
        return key.encode()
    if getattr(settings, "PRODUCTION", False):
        raise RuntimeError("SAFEGUARD_AUDIT_KEY must be set in production")
    path = Path(settings.VAR_DIR) / "audit_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def _sign(event_id: int, event_hash: str, at: str) -> str:
    message = f"{event_id}:{event_hash}:{at}".encode()
    return hmac.new(_checkpoint_key(), message, hashlib.sha256).hexdigest()


def checkpoint() -> dict[str, Any]:
    """The signed head of the chain, to be stored outside the system."""
    head = AuditEvent.objects.order_by("-id").values("id", "hash", "occurred_at").first()
    if head is None:
        raise ValueError("The audit trail is empty: nothing to checkpoint yet")
    at = head["occurred_at"].isoformat()
    return {
        "id": head["id"],
        "hash": head["hash"],
        "at": at,
        "signature": _sign(head["id"], head["hash"], at),
    }


def checkpoint_signature_ok(data: dict[str, Any]) -> bool:
    try:
        expected = _sign(int(data["id"]), str(data["hash"]), str(data["at"]))
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, str(data.get("signature", "")))


def load_checkpoint(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"The checkpoint is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not {"id", "hash", "at", "signature"} <= set(data):
        raise ValueError("The checkpoint must be the JSON printed by `safeguard audit checkpoint`")
    return data


# --- The application's database role -----------------------------------------------------------


def grant_app_role(role: str) -> None:
    """Give `role` what the application needs and no more: it may insert and read the audit
    trail but never update, delete or truncate it (issue 3; belt and braces with the triggers)."""
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        ident = sql.Identifier(role)
        cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
        cursor.execute(
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(ident)
        )
        cursor.execute(
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident)
        )
        cursor.execute(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON access_auditevent FROM {}").format(ident)
        )
