"""Attribute each request's database writes to its user in the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from safeguard.access.audit import _set_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.audit_request_id = request_id  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _set_context(str(user.pk), user.get_username(), request_id, "")
        else:
            _set_context("", "anonymous", request_id, "")
        try:
            response = self.get_response(request)
        finally:
            # Connections outlive requests (CONN_MAX_AGE): never let one user's identity leak
            # into the next request's writes.
            _set_context("", "", "", "")
        response["X-Request-ID"] = request_id
        return response
