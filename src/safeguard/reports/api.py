"""REST API for crime reports (docs/api.md): list, read, create (through reports.services), and
export. Registered on the /api/v1/ router by safeguard/api/urls.py."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from safeguard.access import permissions
from safeguard.access.models import Role, Team, User
from safeguard.access.restrict import restrict
from safeguard.api import exports
from safeguard.api.base import (
    CaseViewSet,
    Date,
    Moment,
    PermissionFieldsMixin,
    Text,
    validation_error,
)
from safeguard.api.filtering import IdFilter, MomentFilter, RestrictedFilterSet, StrictFilterSet
from safeguard.api.idempotency import idempotent
from safeguard.people.models import DetailKind, IdentifierScheme, Sex
from safeguard.reports import services
from safeguard.reports.models import (
    OFFENCE_CHOICES,
    PartyRole,
    Relationship,
    Report,
    ReportParty,
    ReportStatus,
    StreetCrime,
)
from safeguard.rules.offences import BEHAVIOURS, OFFENCES
from safeguard.rules.risk import SDASH_KEYS

REPORT_FIELDS = {
    "reference": "reference",
    "offence_code": "offence",
    "offence_title": "offence",
    "reported_at": "dates",
    "occurred_from": "dates",
    "occurred_to": "dates",
    "status": "status",
    "officer": "officer",
    "officer_name": "officer",
    "team": "officer",
    "team_name": "officer",
    "summary": "summary",
    "behaviours": "behaviours",
    "sdash_answers": "risk",
    "parties": "parties",
}


class PartySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = ReportParty
        fields = ["person", "name", "role", "relationship_to_victim"]
        read_only_fields = fields


class ReportSerializer(PermissionFieldsMixin, serializers.ModelSerializer):
    permission_object = "report"
    permission_fields = REPORT_FIELDS

    offence_title = serializers.SerializerMethodField()
    officer = serializers.IntegerField(source="officer_id", read_only=True, allow_null=True)
    officer_name = serializers.SerializerMethodField()
    team = serializers.IntegerField(source="team_id", read_only=True, allow_null=True)
    team_name = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "reference",
            "offence_code",
            "offence_title",
            "reported_at",
            "occurred_from",
            "occurred_to",
            "status",
            "officer",
            "officer_name",
            "team",
            "team_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_offence_title(self, report: Report) -> str:
        return OFFENCES[report.offence_code].title if report.offence_code in OFFENCES else ""

    def get_officer_name(self, report: Report) -> str | None:
        return report.officer.display_name if report.officer else None

    def get_team_name(self, report: Report) -> str | None:
        return report.team.name if report.team else None


class ReportDetailSerializer(ReportSerializer):
    parties = PartySerializer(source="report_parties", many=True, read_only=True)
    version = serializers.SerializerMethodField(
        help_text="Name it as `expected_version` when changing the report (PATCH)"
    )
    behaviours = serializers.ListField(child=serializers.CharField(), read_only=True)
    sdash_answers = serializers.DictField(
        child=serializers.BooleanField(allow_null=True), read_only=True
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "summary",
            "behaviours",
            "sdash_answers",
            "parties",
            "version",
        ]
        read_only_fields = fields

    def get_version(self, report: Report) -> str:
        return services.report_version(report)


# --- Creating -------------------------------------------------------------------------------


class IdentifierInSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=IdentifierScheme.choices)
    value = serializers.CharField(max_length=60)


class ProtectedDetailInSerializer(serializers.Serializer):
    """A contact detail: stored encrypted, never shown again except by a reveal with a reason."""

    kind = serializers.ChoiceField(choices=DetailKind.choices)
    value = serializers.CharField(max_length=500, write_only=True)
    postcode = serializers.CharField(max_length=10, required=False, default="", write_only=True)


class PartyInSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    given_name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    middle_names = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    surname = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    date_of_birth = Date(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    relationship_to_victim = serializers.ChoiceField(
        choices=Relationship.choices, required=False, default=Relationship.UNKNOWN
    )
    identifiers = IdentifierInSerializer(many=True, required=False, default=list)
    protected_details = ProtectedDetailInSerializer(many=True, required=False, default=list)


@extend_schema_field(
    {
        "type": "object",
        "properties": {key: {"type": "boolean", "nullable": True} for key in SDASH_KEYS},
        "additionalProperties": False,
        "description": "S-DASH answers by question (true, false, or null for not asked)",
    }
)
class SdashAnswers(serializers.DictField):
    """S-DASH answers in: the schema names the questions, which validate_sdash_answers holds to."""


class ReportCreateSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=40)
    offence_code = serializers.ChoiceField(choices=OFFENCE_CHOICES)
    reported_at = Moment()
    occurred_from = Date()
    occurred_to = Date(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=ReportStatus.choices, required=False, default=ReportStatus.OPEN
    )
    officer = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="A user of your force; an officer's own reports default to themselves",
    )
    team = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="A team of your force; defaults to your own team",
    )
    summary = serializers.CharField(required=False, default="", allow_blank=True, max_length=20000)
    behaviours = serializers.ListField(
        child=serializers.ChoiceField(choices=list(BEHAVIOURS.items())),
        required=False,
        default=list,
        max_length=len(BEHAVIOURS),
    )
    sdash_answers = SdashAnswers(
        child=serializers.BooleanField(allow_null=True), required=False, default=dict
    )
    parties = PartyInSerializer(many=True, min_length=1, max_length=50)

    def validate_sdash_answers(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(SDASH_KEYS))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown question(s): {', '.join(unknown)}. Use: {', '.join(SDASH_KEYS)}"
            )
        return value

    def to_new_report(self, user: Any) -> services.NewReport:
        data = self.validated_data
        force = user.force
        officer = team = None
        if data["officer"] is not None:
            officer = User.objects.filter(pk=data["officer"], force=force, is_active=True).first()
            if officer is None:
                raise validation_error("officer", "No active user of your force has this id")
        elif user.role == "officer":
            officer = user
        if data["team"] is not None:
            team = Team.objects.filter(pk=data["team"], force=force).first()
            if team is None:
                raise validation_error("team", "Your force has no team with this id")
        elif user.team_id:
            team = user.team
        parties = tuple(
            services.NewParty(
                role=p["role"],
                given_name=p["given_name"],
                middle_names=p["middle_names"],
                surname=p["surname"],
                date_of_birth=p["date_of_birth"],
                sex=p["sex"],
                relationship_to_victim=p["relationship_to_victim"],
                identifiers=tuple((i["scheme"], i["value"]) for i in p["identifiers"]),
                details=tuple(
                    services.NewDetail(d["kind"], d["value"], d["postcode"])
                    for d in p["protected_details"]
                ),
            )
            for p in data["parties"]
        )
        return services.NewReport(
            reference=data["reference"],
            offence_code=data["offence_code"],
            reported_at=data["reported_at"],
            occurred_from=data["occurred_from"],
            occurred_to=data["occurred_to"],
            summary=data["summary"],
            behaviours=tuple(data["behaviours"]),
            sdash_answers=data["sdash_answers"],
            status=data["status"],
            officer=officer,
            team=team,
            parties=parties,
        )


# --- Changing -------------------------------------------------------------------------------


class ReportUpdateSerializer(serializers.Serializer):
    """The facts of a report that a PATCH may change (reports.services.EDITABLE); give only the
    ones you change, with the `version` you read as `expected_version`."""

    expected_version = Text(
        max_length=64, help_text="The report's `version` as you read it; 409 if it has changed"
    )
    offence_code = serializers.ChoiceField(choices=OFFENCE_CHOICES, required=False)
    reported_at = Moment(required=False)
    occurred_from = Date(required=False)
    occurred_to = Date(required=False, allow_null=True)
    summary = Text(required=False, allow_blank=True, max_length=20000)
    behaviours = serializers.ListField(
        child=serializers.ChoiceField(choices=list(BEHAVIOURS.items())),
        required=False,
        max_length=len(BEHAVIOURS),
    )
    sdash_answers = SdashAnswers(child=serializers.BooleanField(allow_null=True), required=False)
    officer = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="A user of your force, or null"
    )
    team = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="A team of your force, or null"
    )

    def validate_sdash_answers(self, value: dict[str, Any]) -> dict[str, Any]:
        return ReportCreateSerializer.validate_sdash_answers(self, value)  # type: ignore[arg-type]

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        # A field this cannot change (the reference, the status, the parties) is refused, not
        # silently ignored: the caller would believe it had changed.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    name: ["This cannot be changed here (see docs/api.md, Changing a report)"]
                    for name in unknown
                }
            )
        return data

    def changes(self, force: Any) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("expected_version")
        if data.get("officer") is not None:
            # Only someone who may work reports holds one (an officer, a coordinator): never a
            # victim advocate, an analyst or an administrator (access.permissions).
            holders = [r for r in Role if permissions.rule_for(r, "report", "change")]
            data["officer"] = User.objects.filter(
                pk=data["officer"], force=force, is_active=True, role__in=holders
            ).first()
            if data["officer"] is None:
                raise validation_error(
                    "officer", "No active officer or coordinator of your force has this id"
                )
        if data.get("team") is not None:
            data["team"] = Team.objects.filter(pk=data["team"], force=force).first()
            if data["team"] is None:
                raise validation_error("team", "Your force has no team with this id")
        if "behaviours" in data:
            data["behaviours"] = list(data["behaviours"])
        return data


# --- Filters and views ----------------------------------------------------------------------


class ReportFilter(RestrictedFilterSet):
    permission_object = "report"
    permission_fields = {
        "reference": "reference",
        "offence_code": "offence",
        "status": "status",
        "reported_after": "dates",
        "reported_before": "dates",
        "officer": "officer",
        "team": "officer",
    }

    reference = filters.CharFilter(max_length=40)
    offence_code = filters.ChoiceFilter(choices=OFFENCE_CHOICES)
    status = filters.ChoiceFilter(choices=ReportStatus.choices)
    reported_after = MomentFilter(field_name="reported_at", lookup_expr="gte")
    reported_before = MomentFilter(field_name="reported_at", lookup_expr="lt")
    officer = IdFilter(field_name="officer_id")
    team = IdFilter(field_name="team_id")

    class Meta:
        model = Report
        fields = ["reference", "offence_code", "status", "officer", "team"]


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    """Crime reports of your force that your role reaches (access.restrict)."""

    permission_object = "report"
    filterset_class = ReportFilter
    ordering_fields = ["reported_at", "reference", "offence_code", "status"]
    ordering_permissions = {
        "reported_at": "dates",
        "reference": "reference",
        "offence_code": "offence",
        "status": "status",
    }
    ordering = ["-reported_at"]

    def base_queryset(self) -> QuerySet[Report]:
        return Report.objects.select_related("officer", "team")

    def get_queryset(self) -> QuerySet[Report]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            user = self.request.user
            queryset = queryset.prefetch_related(
                Prefetch(
                    "report_parties",
                    queryset=restrict(ReportParty.objects.select_related("person"), user).order_by(
                        "pk"
                    ),
                )
            )
        return queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return ReportCreateSerializer
        if self.action == "partial_update":
            return ReportUpdateSerializer
        if self.action == "retrieve":
            return ReportDetailSerializer
        return ReportSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        self.record_view(report)
        return Response(ReportDetailSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a report with its parties (victims, suspects, witnesses). Contact details given
        as `protected_details` are stored encrypted and never returned. Send an
        `Idempotency-Key` header to retry safely."""
        self.must_be_allowed("report", "change")
        incoming = ReportCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        new = incoming.to_new_report(request.user)

        def perform() -> Report:
            report = services.create_report(force=request.user.force, report=new, by=request.user)
            self.recheck(Report, report.pk, "change")
            return report

        return idempotent(
            request,
            perform,
            self._respond,
            status_code=status.HTTP_201_CREATED,
            replay=lambda label, pk: (
                self.get_queryset().filter(pk=pk).first() if label == "reports.report" else None
            ),
        )

    @extend_schema(request=ReportUpdateSerializer, responses={200: ReportDetailSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change some of the report's facts (offence, dates, summary, behaviours, S-DASH
        answers, officer, team), naming the `version` you read as `expected_version` (409 if
        someone changed it since). Checked by the same rules as a new report; recorded in the
        audit trail. Its reference, status and parties are not changed here."""
        self.must_be_allowed("report", "change")
        report = self.changeable(Report.objects.all(), kwargs["pk"])
        incoming = ReportUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        changes = incoming.changes(request.user.force)
        expected = incoming.validated_data["expected_version"]

        def perform() -> Report:
            updated = services.update_report(
                report, changes=changes, expected_version=expected, by=request.user
            )
            # Handing the report to another officer or team may put it beyond the caller's
            # reach: then the change is undone (the NetBox re-check).
            self.recheck(Report, updated.pk, "change")
            return updated

        return idempotent(
            request,
            perform,
            self._respond,
            status_code=status.HTTP_200_OK,
            replay=lambda label, pk: (
                self.get_queryset().filter(pk=pk).first() if label == "reports.report" else None
            ),
        )

    def _respond(self, report: Report, code: int) -> Response:
        report = (
            self.get_queryset()
            .prefetch_related(
                Prefetch(
                    "report_parties",
                    queryset=restrict(
                        ReportParty.objects.select_related("person"), self.request.user
                    ).order_by("pk"),
                )
            )
            .get(pk=report.pk)
        )
        return Response(
            ReportDetailSerializer(report, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        request=exports.ExportRequestSerializer,
        responses={(200, "text/csv"): bytes, (200, exports.XLSX): bytes},
    )
    @action(detail=False, methods=["post"])
    def export(self, request: Request) -> Any:
        """The reports you can see (with the list's filters), as CSV or XLSX: only the fields
        your role may export; logged in the audit trail with your reason."""
        queryset = self.filter_queryset(self.get_queryset())
        return exports.export_list(request, exports.REPORTS, queryset)


# --- Street-level crime (public area context) -----------------------------------------------


class StreetCrimeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StreetCrime
        fields = [
            "id",
            "crime_id",
            "month",
            "reported_by",
            "falls_within",
            "longitude",
            "latitude",
            "location",
            "lsoa_code",
            "lsoa_name",
            "crime_type",
            "last_outcome",
            "context",
        ]
        read_only_fields = fields


class StreetCrimeFilter(StrictFilterSet):
    month_from = filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = filters.DateFilter(field_name="month", lookup_expr="lte")
    falls_within = filters.CharFilter(max_length=100)
    crime_type = filters.CharFilter(max_length=60)
    lsoa_code = filters.CharFilter(max_length=9)

    class Meta:
        model = StreetCrime
        fields = ["falls_within", "crime_type", "lsoa_code"]


class StreetCrimeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    """data.police.uk street-level crime: public, anonymised area context (no personal data),
    readable by every signed-in user of a force."""

    permission_object = ""
    audit_retrieve = False
    serializer_class = StreetCrimeSerializer
    filterset_class = StreetCrimeFilter
    ordering_fields = ["month", "crime_type", "lsoa_code"]
    ordering = ["-month"]

    def get_queryset(self) -> QuerySet[StreetCrime]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not getattr(user, "force_id", None):
            return StreetCrime.objects.none()
        return StreetCrime.objects.all()


def register(router: BaseRouter) -> None:
    router.register("reports", ReportViewSet, basename="report")
    router.register("street-crimes", StreetCrimeViewSet, basename="street-crime")
