"""REST API for a force's oversight metrics (issue 8; docs/api.md, "Metrics").

`GET /api/v1/metrics/?date_from=&date_to=&by=` answers what the force dashboard shows: the
figures of oversight.metrics.compute for the period, by month, quarter or year, and for the whole
period, each metric with its definition (docs/metrics.md). Aggregates only: no record, name or
protected detail can reach it (metrics.py selects counts and dates, never personal fields).

Who: the dashboard's roles (oversight.selectors.force_for): supervisors, coordinators, analysts,
force administrators and the PCC see their own force; a national administrator names a force
with `?force=CODE`. Any other role gets 403; another force's code is a 404 (it looks like no such
force). Figures seen from outside the force's staff (PCC, national) are under the configured
disclosure control, exactly as on the dashboard (oversight.disclosure): a suppressed figure is
the string "[c]".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.cache import add_never_cache_headers
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from safeguard.api.base import Date
from safeguard.oversight import selectors
from safeguard.oversight.metrics import GRANULARITIES, MAX_DAYS, METRICS, MetricsError


class MayReadMetrics(permissions.BasePermission):
    message = "Your role does not include the oversight figures"

    def has_permission(self, request: Any, view: Any) -> bool:
        return selectors.may_see_force_figures(request.user)


class PeriodQuery(serializers.Serializer):
    date_from = Date(required=False, help_text="First day (default: 12 months to the latest)")
    date_to = Date(required=False, help_text="Last day, inclusive")
    by = serializers.ChoiceField(choices=list(GRANULARITIES), required=False, default="month")
    force = serializers.RegexField(
        r"^[A-Za-z0-9_-]{1,20}$",
        required=False,
        default="",
        help_text="A force's code: national roles only (others see their own force)",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        # A parameter given empty (?by=) is a mistake in the caller, not "the default": DRF's
        # form-style parsing would quietly take it as left out.
        blank = {
            name: ["Give a value, or leave the parameter out for the default"]
            for name in self.fields
            if name in self.initial_data and self.initial_data.get(name) == ""
        }
        if blank:
            raise serializers.ValidationError(blank)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                raise serializers.ValidationError(
                    {"date_to": ["The end date must be the same as or after the start date"]}
                )
            if (end - start).days > MAX_DAYS:
                raise serializers.ValidationError({"date_to": ["Choose 25 years or less"]})
        return data


# A figure is a number, null (nothing to compute it from), or "[c]" (suppressed).
Figure = serializers.JSONField


def _row_serializer(name: str) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "period": serializers.CharField(),
            "label": serializers.CharField(),
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            **{m.key: Figure(allow_null=True) for m in METRICS},
        },
    )


MetricsResponse = inline_serializer(
    "Metrics",
    {
        "force": serializers.CharField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "by": serializers.ChoiceField(choices=list(GRANULARITIES)),
        "disclosure_control": serializers.CharField(),
        "definitions": serializers.DictField(child=serializers.DictField()),
        "total": _row_serializer("MetricsPeriodTotal"),
        "periods": serializers.ListField(child=_row_serializer("MetricsPeriod")),
    },
)


def _row(bucket: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "period": bucket.key,
        "label": bucket.label,
        "from": bucket.start.isoformat(),
        "to": bucket.end.isoformat(),
        **{m.key: values.get(m.key) for m in METRICS},
    }


class OneAnswerSchema(AutoSchema):
    """The metrics are one object (the router's `list` route, but not a list of records): the
    schema must not describe the answer as an array."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class MetricsViewSet(viewsets.ViewSet):
    """The force's oversight metrics for a period (aggregates only)."""

    permission_classes = [permissions.IsAuthenticated, MayReadMetrics]
    schema = OneAnswerSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", dt.date, description="First day of the period"),
            OpenApiParameter("date_to", dt.date, description="Last day of the period"),
            OpenApiParameter("by", str, enum=list(GRANULARITIES), description="Breakdown"),
            OpenApiParameter(
                "force", str, pattern=r"^[A-Za-z0-9_-]{1,20}$", description="National roles"
            ),
        ],
        responses={200: MetricsResponse},
    )
    def list(self, request: Request) -> Response:
        query = PeriodQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        force = selectors.force_for(request.user, data["force"])
        if force is None:
            raise serializers.ValidationError(
                {"force": ["Choose a force: add ?force=CODE (a national role sees any force)"]}
            )
        default = selectors.default_period(force)
        start = data.get("date_from") or default[0]
        end = data.get("date_to") or default[1]
        if end < start:
            raise serializers.ValidationError(
                {"date_to": ["The end date must be the same as or after the start date"]}
            )
        try:
            board = selectors.dashboard(request.user, force, start, end, data["by"])
        except MetricsError as error:  # a period the figures cannot be given for (too long)
            raise serializers.ValidationError({"date_from": [str(error)]}) from error
        result = board.result
        return Response(
            {
                "force": force.name,
                "from": result.start.isoformat(),
                "to": result.end.isoformat(),
                "by": result.by,
                "disclosure_control": board.rule.describe(),
                "definitions": {
                    m.key: {"label": m.label, "definition": m.definition} for m in METRICS
                },
                "total": _row(result.total.bucket, board.figures),
                "periods": [
                    _row(row.bucket, values)
                    for row, values in zip(result.rows, board.periods, strict=True)
                ],
            }
        )

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


def register(router: BaseRouter) -> None:
    router.register("metrics", MetricsViewSet, basename="metrics")
