"""REST API for people (docs/api.md): list and read through access.restrict, and reveal one
protected detail with a reason through people.services (the same rules and audit entry as the
web page).

Protected details never appear in a list. A person's own record lists which kinds of detail are
held (home address, phone...) and when, masked; the value comes only from
`POST /api/v1/people/{id}/protected-details/{detail_id}/reveal/`, one detail at a time, with a
reason that is logged, and that response is never cached.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.views.decorators.debug import sensitive_variables
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from safeguard.access.restrict import restrict
from safeguard.api import exports
from safeguard.api.base import CaseViewSet, PermissionFieldsMixin
from safeguard.api.filtering import RestrictedFilterSet
from safeguard.people import selectors, services
from safeguard.people.models import Alias, Identifier, Person, ProtectedDetail, RetentionReview, Sex

PERSON_FIELDS = {
    "given_name": "name",
    "middle_names": "name",
    "surname": "name",
    "full_name": "name",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "aliases": "aliases",
    "identifiers": "identifiers",
    "reports": "reports",
    "orders": "orders",
    "retention": "retention",
}


class PersonSerializer(PermissionFieldsMixin, serializers.ModelSerializer):
    permission_object = "person"
    permission_fields = PERSON_FIELDS

    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "middle_names",
            "surname",
            "full_name",
            "date_of_birth",
            "sex",
        ]
        read_only_fields = fields


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["kind", "given_name", "surname"]
        read_only_fields = fields


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["scheme", "value"]
        read_only_fields = fields


class MaskedDetailSerializer(serializers.ModelSerializer):
    """That a protected detail is held, of which kind and since when: never its value."""

    class Meta:
        model = ProtectedDetail
        fields = ["id", "kind", "current", "recorded_at"]
        read_only_fields = fields


class AppearanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    role = serializers.CharField()


class RetentionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionReview
        fields = ["group", "basis", "review_on", "retain_until", "erased_at"]
        read_only_fields = fields


class PersonDetailSerializer(PersonSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    protected_details = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    orders = serializers.SerializerMethodField()
    retention = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [
            *PersonSerializer.Meta.fields,
            "aliases",
            "identifiers",
            "protected_details",
            "reports",
            "orders",
            "retention",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    @extend_schema_field(MaskedDetailSerializer(many=True))
    def get_protected_details(self, person: Person) -> list[dict[str, Any]]:
        details = restrict(ProtectedDetail.objects.filter(person=person), self._user())
        return MaskedDetailSerializer(selectors.masked_details(details), many=True).data  # type: ignore[return-value]

    @extend_schema_field(AppearanceSerializer(many=True))
    def get_reports(self, person: Person) -> list[dict[str, Any]]:
        parties = restrict(person.report_parties.select_related("report"), self._user())  # type: ignore[attr-defined]
        return [
            {"id": p.report_id, "reference": p.report.reference, "role": p.role}
            for p in parties.order_by("report__reported_at", "pk")
        ]

    @extend_schema_field(AppearanceSerializer(many=True))
    def get_orders(self, person: Person) -> list[dict[str, Any]]:
        orders = person.orders_against.all() | person.protected_by_orders.all()  # type: ignore[attr-defined]
        return [
            {
                "id": o.pk,
                "reference": o.reference,
                "role": "defendant" if o.defendant_id == person.pk else "protected_person",
            }
            for o in restrict(orders.distinct(), self._user()).order_by("created_at", "pk")
        ]

    @extend_schema_field(RetentionSerializer(allow_null=True))
    def get_retention(self, person: Person) -> dict[str, Any] | None:
        review = restrict(RetentionReview.objects.filter(person=person), self._user()).first()
        return RetentionSerializer(review).data if review else None  # type: ignore[return-value]


class RevealSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=list(services.REVEAL_REASONS.items()),
        help_text="Why you need to see the detail (recorded in the audit trail)",
    )
    explanation = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=1000,
        help_text="Required when the reason is 'other'",
    )


class RevealedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    value = serializers.CharField()
    postcode = serializers.CharField(allow_blank=True)
    audit_event = serializers.IntegerField(help_text="The audit trail entry of this reveal")


class PersonFilter(RestrictedFilterSet):
    permission_object = "person"
    permission_fields = {
        "surname": "name",
        "given_name": "name",
        "date_of_birth": "date_of_birth",
        "sex": "sex",
    }

    surname = filters.CharFilter(lookup_expr="iexact", max_length=100)
    given_name = filters.CharFilter(lookup_expr="iexact", max_length=100)
    date_of_birth = filters.DateFilter()
    sex = filters.ChoiceFilter(choices=Sex.choices)

    class Meta:
        model = Person
        fields = ["surname", "given_name", "date_of_birth", "sex"]


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    """People in your force's reports and orders that your role reaches (access.restrict)."""

    permission_object = "person"
    filterset_class = PersonFilter
    ordering_fields = ["surname", "given_name", "date_of_birth"]
    ordering_permissions = {
        "surname": "name",
        "given_name": "name",
        "date_of_birth": "date_of_birth",
    }
    ordering = ["surname", "given_name"]

    def base_queryset(self) -> QuerySet[Person]:
        return Person.objects.all()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        person = self.get_object()
        person = (
            self.get_queryset()
            .prefetch_related(
                Prefetch("aliases", queryset=restrict(Alias.objects.order_by("pk"), user)),
                Prefetch("identifiers", queryset=restrict(Identifier.objects.order_by("pk"), user)),
            )
            .get(pk=person.pk)
        )
        self.record_view(person)
        return Response(PersonDetailSerializer(person, context=self.get_serializer_context()).data)

    @extend_schema(request=RevealSerializer, responses={200: RevealedSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"protected-details/(?P<detail_id>\d+)/reveal",
        filter_backends=[],
        pagination_class=None,
    )
    @sensitive_variables("revealed")
    def reveal(self, request: Request, pk: str, detail_id: str) -> Response:
        """Show one protected detail's value, giving the reason: the reveal is recorded in the
        audit trail (who, when, why). 404 if you may not see the person; 403 if your role may
        not reveal. The response is never cached; do not store the value."""
        incoming = RevealSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        revealed = services.reveal_protected_detail(
            request.user,
            int(pk),
            int(detail_id),
            reason=incoming.validated_data["reason"],
            explanation=incoming.validated_data["explanation"],
        )
        return Response(
            {
                "id": revealed.detail.pk,
                "kind": revealed.detail.kind,
                "value": revealed.value,
                "postcode": revealed.postcode,
                "audit_event": revealed.event_id,
            }
        )

    @extend_schema(
        request=exports.ExportRequestSerializer,
        responses={(200, "text/csv"): bytes, (200, exports.XLSX): bytes},
    )
    @action(detail=False, methods=["post"])
    def export(self, request: Request) -> Any:
        """The people you can see (with the list's filters) as CSV or XLSX: only the fields your
        role may export, never a protected detail; logged with your reason."""
        return exports.export_list(
            request, exports.PEOPLE, self.filter_queryset(self.get_queryset())
        )


def register(router: BaseRouter) -> None:
    router.register("people", PersonViewSet, basename="person")
