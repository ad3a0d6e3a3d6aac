"""REST API for screening's SPO candidate queue (issue 8; docs/api.md, "Candidates").

The same queue as the screening pages, through the same access rules: the permission table's
"screening" object, field "candidates" (access/permissions.py). Coordinators see and act on their
force's candidates; supervisors and legal advisers see them; other roles get 403. A candidate of
another force is a 404. A status change goes through screening.services.set_status (the same
rule as the page: dismissing needs a reason; "application started" is set only by starting an
application). People are shown by id and name only: never a protected detail.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from safeguard.access.restrict import restrict
from safeguard.api.base import CaseViewSet, Text
from safeguard.api.filtering import IdFilter, StrictFilterSet
from safeguard.api.idempotency import idempotent
from safeguard.reports.models import Report
from safeguard.screening import services
from safeguard.screening.models import Candidate, CandidateStatus
from safeguard.screening.selectors import QUEUE_STATUSES

OPEN = "open"
# A status a person may set (services.set_status refuses "application": that is set by starting
# an application, which drafts the order).
SETTABLE = [(v, label) for v, label in CandidateStatus.choices if v != CandidateStatus.APPLICATION]


class CandidateReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "reference", "offence_code", "reported_at"]
        read_only_fields = fields


class CandidateSerializer(serializers.ModelSerializer):
    suspect = serializers.IntegerField(source="suspect_id", read_only=True)
    suspect_name = serializers.CharField(source="suspect.full_name", read_only=True)
    victim = serializers.IntegerField(source="victim_id", read_only=True)
    victim_name = serializers.CharField(source="victim.full_name", read_only=True)
    order = serializers.IntegerField(source="order_id", read_only=True, allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "suspect",
            "suspect_name",
            "suspect_key",
            "victim",
            "victim_name",
            "victim_key",
            "score",
            "summary",
            "reasons",
            "status",
            "status_note",
            "below_threshold",
            "order",
            "first_flagged_at",
            "last_report_at",
            "updated_at",
        ]
        read_only_fields = fields


class CandidateDetailSerializer(CandidateSerializer):
    evidence = serializers.DictField(read_only=True, help_text="The figures behind the reasons")
    reports = CandidateReportSerializer(many=True, read_only=True)

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "evidence", "reports"]
        read_only_fields = fields


class CandidateStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SETTABLE)
    note = Text(
        required=False,
        default="",
        allow_blank=True,
        max_length=2000,
        help_text="Why; required when dismissing",
    )


class CandidateFilter(StrictFilterSet):
    status = filters.ChoiceFilter(
        choices=[(OPEN, "New or being reviewed"), *CandidateStatus.choices],
        method="filter_status",
        help_text="`open` is the queue the coordinator works from (new or being reviewed)",
    )
    below_threshold = filters.BooleanFilter()
    suspect = IdFilter(field_name="suspect_id", help_text="A person's id")
    victim = IdFilter(field_name="victim_id", help_text="A person's id")

    class Meta:
        model = Candidate
        fields = ["status", "below_threshold"]

    def filter_status(self, queryset: QuerySet[Candidate], name: str, value: str) -> Any:
        if value == OPEN:
            return queryset.filter(status__in=QUEUE_STATUSES)
        return queryset.filter(status=value)


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    """SPO candidates of your force (screening's queue), with the reasons each was flagged."""

    permission_object = "screening"
    permission_field = "candidates"
    filterset_class = CandidateFilter
    ordering_fields = ["score", "last_report_at", "first_flagged_at", "updated_at"]
    ordering = ["below_threshold", "-score", "-last_report_at"]

    def base_queryset(self) -> QuerySet[Candidate]:
        return Candidate.objects.select_related("suspect", "victim")

    def get_queryset(self) -> QuerySet[Candidate]:
        queryset = super().get_queryset()
        if self.action in ("retrieve", "status"):
            queryset = queryset.prefetch_related(self._reports())
        return queryset

    def _reports(self) -> Prefetch:
        # Only the reports the caller may see (a legal adviser or supervisor sees all of the
        # force's; the prefetch is filtered all the same, NetBox-style).
        return Prefetch(
            "reports",
            queryset=restrict(Report.objects.all(), self.request.user).order_by(
                "occurred_from", "reference", "pk"
            ),
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "retrieve":
            return CandidateDetailSerializer
        if self.action == "status":
            return CandidateStatusSerializer
        return CandidateSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        candidate = self.get_object()
        self.record_view(candidate)
        return Response(
            CandidateDetailSerializer(candidate, context=self.get_serializer_context()).data
        )

    @extend_schema(request=CandidateStatusSerializer, responses={200: CandidateDetailSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def status(self, request: Request, pk: str) -> Response:
        """Mark the candidate new, being reviewed, or dismissed (with the reason). Starting an
        application is done from the screening page, which drafts the order."""
        candidate = self.changeable(Candidate.objects.all(), pk)
        incoming = CandidateStatusSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data

        def perform() -> Candidate:
            try:
                return services.set_status(request.user, candidate, data["status"], data["note"])
            except services.ScreeningError as error:
                raise serializers.ValidationError({"note": [str(error)]}) from None

        return idempotent(
            request,
            perform,
            self._respond,
            status_code=status.HTTP_200_OK,
            replay=lambda label, pk: (
                self.get_queryset().filter(pk=pk).first()
                if label == "screening.candidate"
                else None
            ),
        )

    def _respond(self, candidate: Candidate, code: int) -> Response:
        fresh = (
            restrict(self.base_queryset(), self.request.user)
            .prefetch_related(self._reports())
            .get(pk=candidate.pk)
        )
        return Response(
            CandidateDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=code,
        )


def register(router: BaseRouter) -> None:
    router.register("candidates", CandidateViewSet, basename="candidate")
