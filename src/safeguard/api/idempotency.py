"""Idempotency keys on creating requests (issue 8; docs/api.md, "Retrying safely").

A caller that may retry a POST sends `Idempotency-Key: <unique string>`. The first request with
that key (for that caller) is carried out and its result recorded in the same transaction; a
retry with the same key and the same body gets the same record back (status as the first time,
header `Idempotent-Replayed: true`) and creates nothing; the same key with a different body is
refused (422). Two requests racing with one key are serialised by the database's unique
constraint: the second waits for the first to commit, then replays it. If the first failed, its
transaction rolled back with its key, so the retry is carried out afresh.

Only a reference to the result is kept, never the response: a replay reads the record again
through restrict(), so it shows the caller what they may see now.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.access.models import ApiToken, IdempotencyKey

M = TypeVar("M", bound=Model)
HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 255


def _actor(request: Request) -> str:
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    return f"user:{request.user.pk}"


def _fingerprint(request: Request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = repr(request.data)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_LENGTH or not key.isprintable():
        raise ValidationError(
            {HEADER: [f"Send a key of 1 to {MAX_LENGTH} printable characters, e.g. a UUID"]}
        )
    return key


def idempotent(
    request: Request,
    perform: Callable[[], M],
    respond: Callable[[M, int], Response],
    *,
    status_code: int,
    replay: Callable[[str, str], M | None],
) -> Response:
    """Carry out `perform` (which creates or changes a record and returns it) at most once per
    Idempotency-Key; `respond(record, status)` renders it; `replay(model_label, pk)` finds the
    recorded record again (through restrict) for a retry."""
    key = key_of(request)
    if key is None:
        with transaction.atomic():
            record = perform()
            return respond(record, status_code)
    actor, fingerprint = _actor(request), _fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = IdempotencyKey.objects.create(
                    actor_key=actor,
                    key=key,
                    method=request.method or "",
                    path=request.path[:300],
                    fingerprint=fingerprint,
                )
        except IntegrityError:
            entry = None
        if entry is not None:
            record = perform()
            entry.status_code = status_code
            entry.resource = record._meta.label_lower
            entry.resource_id = str(record.pk)
            entry.save(update_fields=["status_code", "resource", "resource_id"])
            return respond(record, status_code)
    # Someone (this caller, earlier) already used the key and committed: replay it.
    first = IdempotencyKey.objects.get(actor_key=actor, key=key)
    if first.fingerprint != fingerprint:
        response = Response(
            {
                "detail": f"This {HEADER} was used for a different request; use a new key for "
                "a new request"
            },
            status=422,
        )
        return response
    found = replay(first.resource, first.resource_id)
    if found is None:
        response = Response(
            {"detail": "The record this key created is no longer available to you"}, status=404
        )
    else:
        response = respond(found, first.status_code or status_code)
    response[REPLAYED] = "true"
    return response
