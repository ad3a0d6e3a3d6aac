"""What the services' refusals mean in HTTP (docs/api.md, "Errors").

- orders.services.ConcurrentEdit -> 409 Conflict, with the order's current version: someone
  changed the order after the caller read it; reload and try again. The same for a report
  (reports.services.ReportChanged), with the report's current version.
- rules RuleViolation (the law does not allow the step) -> 422, with the rule's citation.
- orders.services.InvalidStep, people.services.InvalidRequest, reports.services.ReportInvalid
  (input that cannot be acted on) -> 400, with what to fix.
- django PermissionDenied -> 403; Http404 (including records outside the caller's scope, which
  look exactly like records that do not exist) -> 404.

Every error body has `detail`; validation errors also name their fields.
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safeguard.orders.services import ConcurrentEdit, InvalidStep
from safeguard.people.services import InvalidRequest
from safeguard.reports.services import ReportChanged, ReportInvalid, report_version
from safeguard.rules.orders import RuleViolation


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the record's current state"
    default_code = "conflict"


class Unprocessable(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be carried out"
    default_code = "unprocessable"


def _problems(error: ReportInvalid) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    for problem in error.problems:
        fields.setdefault(problem.field, []).append(problem.message)
    return {"detail": "The report cannot be saved as given; see each field", **fields}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConcurrentEdit):
        return Response(
            {"detail": str(exc), "current_version": exc.order.version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ReportChanged):
        return Response(
            {"detail": str(exc), "current_version": report_version(exc.report)},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RuleViolation):
        return Response(
            {"detail": str(exc), "basis": exc.basis},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, ReportInvalid):
        return Response(_problems(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidStep | InvalidRequest):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
