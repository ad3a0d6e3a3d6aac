"""REST API for orders (docs/api.md): read an order with its conditions, hearings, service,
notifications, breaches and statutory deadlines; create one and carry it through its life with
the same state machine as the web UI (orders/services.py).

Every change names the `expected_version` the caller read (409 if the order changed since);
the rules refuse an unlawful step with 422 and the statute it rests on; input that cannot be
acted on is a 400 naming the fix. Creating calls accept an `Idempotency-Key`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from safeguard.access.models import Team, User
from safeguard.access.restrict import restrict
from safeguard.api import exports
from safeguard.api.base import (
    CaseViewSet,
    Date,
    ExpectedVersion,
    Moment,
    PermissionFieldsMixin,
    validation_error,
)
from safeguard.api.filtering import IdFilter, MomentFilter, RestrictedFilterSet, StrictFilterSet
from safeguard.api.idempotency import idempotent
from safeguard.compliance.models import Breach, Notification
from safeguard.orders import selectors, services
from safeguard.orders.models import (
    ORDER_TYPE_CHOICES,
    STATE_CHOICES,
    AdvocateLink,
    Appeal,
    AppealOutcome,
    Appellant,
    Applicant,
    ApplicationKind,
    Condition,
    CourtApplication,
    Hearing,
    HearingKind,
    Order,
    Outcome,
    Service,
    ServiceMethod,
    StateChange,
)
from safeguard.people.models import Person
from safeguard.reports.models import Report
from safeguard.rules.orders import RANKS

ORDER_FIELDS = {
    "reference": "reference",
    "order_type": "type",
    "order_type_title": "type",
    "state": "state",
    "defendant": "defendant",
    "court": "court",
    "made_on": "made_on",
    "ends_on": "term",
    "until_further_order": "term",
    "served_at": "served",
    "officer": "officer",
    "team": "officer",
    "defendant_date_of_birth": "defendant_date_of_birth",
    "protected_persons": "protected_persons",
    "applied_at": "state",
    "ended_on": "state",
    "end_reason": "state",
    "notice": "notice",
    "parent": "related",
    "children": "related",
    "reports": "grounds",
    "grounds": "grounds",
    "victim_views": "victim_views",
    "conditions": "conditions",
    "hearings": "hearings",
    "services": "served",
    "notifications": "notifications",
    "breaches": "breaches",
    "state_changes": "history",
    "deadlines": "deadlines",
    "court_applications": "court_applications",
    "appeals": "appeals",
    "advocates": "advocates",
    "law": "law",
}


GROUND_KEY = re.compile(r"[0-9]{1,2}[a-z]?")
# What a court may decide (everything but "not yet heard"), and an appeal's outcomes once decided.
DECIDED_OUTCOMES = [c for c in Outcome.choices if c[0] != Outcome.PENDING]
DECIDED_APPEAL_OUTCOMES = [c for c in AppealOutcome.choices if c[0] != AppealOutcome.PENDING]
NOTIFICATION_STATUSES = [
    ("due", "Due"),
    ("overdue", "Overdue"),
    ("on_time", "Made on time"),
    ("late", "Made late"),
]


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrderPart(PermissionFieldsMixin, serializers.ModelSerializer):
    permission_object = "order"


class ConditionSerializer(OrderPart):
    permission_fields = {"necessity": "conditions_necessity"}

    class Meta:
        model = Condition
        fields = [
            "id",
            "code",
            "kind",
            "wording",
            "necessity",
            "locality",
            "granted",
            "added_on",
            "removed_on",
            "ends_on",
        ]
        read_only_fields = fields


class HearingSerializer(OrderPart):
    permission_fields = {"reasons": "hearing_reasons"}
    order = serializers.IntegerField(source="order_id", read_only=True)

    class Meta:
        model = Hearing
        fields = [
            "id",
            "order",
            "kind",
            "scheduled_for",
            "court",
            "outcome",
            "reasons",
            "decided_at",
        ]
        read_only_fields = fields


class ServiceSerializer(OrderPart):
    class Meta:
        model = Service
        fields = ["id", "served_at", "method", "served_by", "notes"]
        read_only_fields = fields


class NotificationSerializer(OrderPart):
    order = serializers.IntegerField(source="order_id", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "order",
            "kind",
            "status",
            "triggered_at",
            "due_at",
            "basis",
            "notified_at",
            "police_station",
            "received_by",
            "acknowledged_at",
            "details",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=NOTIFICATION_STATUSES))
    def get_status(self, notification: Notification) -> str:
        return str(notification.status())


class BreachSerializer(OrderPart):
    order = serializers.IntegerField(source="order_id", read_only=True)
    report = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = [
            "id",
            "order",
            "occurred_at",
            "description",
            "report",
            "arrested_at",
            "court_by",
            "outcome",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_report(self, breach: Breach) -> int | None:
        # The report a breach produced is suspect intelligence: shown only to roles that see
        # reports at all (a victim advocate sees the breach, not the report).
        visibility = self.context.get("visibility")
        if visibility is not None and not visibility("report"):
            return None
        return breach.report_id


class StateChangeSerializer(OrderPart):
    by = serializers.SerializerMethodField()

    class Meta:
        model = StateChange
        fields = ["action", "from_state", "to_state", "at", "by", "note"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_by(self, change: StateChange) -> str | None:
        return change.by.display_name if change.by else None


class CourtApplicationSerializer(OrderPart):
    class Meta:
        model = CourtApplication
        fields = [
            "id",
            "kind",
            "applicant",
            "made_on",
            "grounds",
            "defendant_consents",
            "chief_officer_consents",
            "outcome",
            "decided_on",
            "reasons",
        ]
        read_only_fields = fields


class AppealSerializer(OrderPart):
    class Meta:
        model = Appeal
        fields = ["id", "appellant", "against", "lodged_on", "court", "outcome", "decided_on"]
        read_only_fields = fields


class DeadlineSerializer(serializers.Serializer):
    moment = serializers.CharField(help_text="What started it: issued, served or made")
    started_at = Moment()
    name = serializers.CharField(source="deadline.name")
    description = serializers.CharField(source="deadline.description")
    due = Moment(source="deadline.due")
    basis = serializers.CharField(source="deadline.basis")


class NoticeSerializer(serializers.Serializer):
    issued_at = Moment(allow_null=True)
    authorised_by = serializers.CharField()
    authoriser_rank = serializers.CharField()


class LawSerializer(serializers.Serializer):
    act = serializers.CharField()
    title = serializers.CharField()


class OrderSerializer(PermissionFieldsMixin, serializers.ModelSerializer):
    permission_object = "order"
    permission_fields = ORDER_FIELDS

    # A method field, not `source="get_order_type_display"`: DRF inspects a callable source's
    # signature on every row (a partialmethod: slow), a fifth of a list page's time.
    order_type_title = serializers.SerializerMethodField()
    defendant = PersonRefSerializer(read_only=True)
    officer = UserRefSerializer(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "version",
            "reference",
            "order_type",
            "order_type_title",
            "state",
            "defendant",
            "court",
            "made_on",
            "ends_on",
            "until_further_order",
            "served_at",
            "officer",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_order_type_title(self, order: Order) -> str:
        return order.get_order_type_display()  # type: ignore[attr-defined,no-any-return]


class OrderDetailSerializer(OrderSerializer):
    defendant_date_of_birth = Date(
        source="defendant.date_of_birth", read_only=True, allow_null=True
    )
    protected_persons = PersonRefSerializer(many=True, read_only=True)
    notice = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    conditions = ConditionSerializer(many=True, read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)
    services = ServiceSerializer(many=True, read_only=True)
    notifications = NotificationSerializer(many=True, read_only=True)
    breaches = BreachSerializer(many=True, read_only=True)
    state_changes = StateChangeSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()
    court_applications = CourtApplicationSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)
    advocates = serializers.SerializerMethodField()
    law = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "defendant_date_of_birth",
            "protected_persons",
            "applied_at",
            "ended_on",
            "end_reason",
            "notice",
            "parent",
            "children",
            "reports",
            "grounds",
            "victim_views",
            "conditions",
            "hearings",
            "services",
            "notifications",
            "breaches",
            "state_changes",
            "deadlines",
            "court_applications",
            "appeals",
            "advocates",
            "law",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    @extend_schema_field(NoticeSerializer(allow_null=True))
    def get_notice(self, order: Order) -> dict[str, Any] | None:
        if not order.issued_at:
            return None
        return {
            "issued_at": order.issued_at,
            "authorised_by": order.authorised_by,
            "authoriser_rank": order.authoriser_rank,
        }

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, order: Order) -> int | None:
        parent = selectors.parent_order(self._user(), order)
        return parent.pk if parent else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_children(self, order: Order) -> list[int]:
        return [child.pk for child in order.children.all()]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_reports(self, order: Order) -> list[int]:
        reports = restrict(Report.objects.filter(orders=order), self._user())
        return list(reports.order_by("pk").values_list("pk", flat=True))

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, order: Order) -> list[dict[str, Any]]:
        return DeadlineSerializer(selectors.clock_deadlines(order), many=True).data  # type: ignore[return-value]

    @extend_schema_field(UserRefSerializer(many=True))
    def get_advocates(self, order: Order) -> list[dict[str, Any]]:
        links = restrict(AdvocateLink.objects.filter(order=order), self._user()).select_related(
            "user"
        )
        return [
            {"id": link.user_id, "name": link.user.display_name} for link in links.order_by("pk")
        ]

    @extend_schema_field(LawSerializer)
    def get_law(self, order: Order) -> dict[str, str]:
        return {"act": order.spec.act, "title": order.spec.title}


# --- Input ----------------------------------------------------------------------------------


class ConditionInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="From the order type's catalogue")
    necessity = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    wording = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    locality = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    ends_on = Date(required=False, allow_null=True, default=None)

    def proposed(self) -> services.ProposedCondition:
        return services.ProposedCondition(**self.validated_data)


def _proposed(items: list[dict[str, Any]]) -> list[services.ProposedCondition]:
    return [services.ProposedCondition(**item) for item in items]


class OrderCreateSerializer(serializers.Serializer):
    order_type = serializers.ChoiceField(choices=ORDER_TYPE_CHOICES)
    defendant = serializers.IntegerField(min_value=1, help_text="A person's id")
    protected_persons = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=20
    )
    reports = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=100
    )
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="For an interim order, the main application; after a notice, the notice",
    )
    court = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    officer = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    team = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    conditions = ConditionInSerializer(many=True, required=False, default=list, max_length=50)
    grounds = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10000),
        required=False,
        default=dict,
        help_text="Evidence for each statutory test, by test number (keys such as '1' or '2a')",
    )

    def validate_grounds(self, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k in value if not GROUND_KEY.fullmatch(k)]
        if bad or len(value) > 20:
            raise serializers.ValidationError(
                "Key each test by its number, e.g. '1', '2' or '2a' (at most 20 tests)"
            )
        return value

    victim_views = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=10000
    )


class SubmitSerializer(ExpectedVersion):
    hearing_at = Moment(required=False, allow_null=True, default=None)


class IssueNoticeSerializer(ExpectedVersion):
    authorised_by = serializers.CharField(max_length=200)
    authoriser_rank = serializers.ChoiceField(
        choices=[(rank, rank.capitalize()) for rank in RANKS],
        help_text="The authorising officer's rank (the order type sets the lowest allowed)",
    )
    issued_at = Moment()


class ProposeConditionSerializer(ExpectedVersion, ConditionInSerializer):
    pass


class HearingInSerializer(ExpectedVersion):
    scheduled_for = Moment()
    kind = serializers.ChoiceField(
        choices=HearingKind.choices, required=False, default=HearingKind.APPLICATION
    )
    court = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)


class OutcomeSerializer(ExpectedVersion):
    outcome = serializers.ChoiceField(choices=DECIDED_OUTCOMES)
    decided_at = Moment(required=False, allow_null=True, default=None)
    made_on = Date(required=False, allow_null=True, default=None)
    ends_on = Date(required=False, allow_null=True, default=None)
    until_further_order = serializers.BooleanField(required=False, default=False)
    granted_conditions = ConditionInSerializer(
        many=True, required=False, allow_null=True, default=None, max_length=50
    )
    reasons = serializers.CharField(required=False, default="", allow_blank=True, max_length=10000)
    hearing = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class ServiceInSerializer(ExpectedVersion):
    served_at = Moment()
    method = serializers.ChoiceField(choices=ServiceMethod.choices)
    served_by = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class CourtApplicationInSerializer(ExpectedVersion):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    applicant = serializers.ChoiceField(choices=Applicant.choices)
    made_on = Date()
    grounds = serializers.CharField(required=False, default="", allow_blank=True, max_length=10000)
    defendant_consents = serializers.BooleanField(required=False, default=False)
    chief_officer_consents = serializers.BooleanField(required=False, default=False)


class DecisionSerializer(ExpectedVersion):
    outcome = serializers.ChoiceField(choices=DECIDED_OUTCOMES)
    decided_on = Date()
    reasons = serializers.CharField(required=False, default="", allow_blank=True, max_length=10000)
    add_conditions = ConditionInSerializer(many=True, required=False, default=list, max_length=50)
    remove_condition_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    new_ends_on = Date(required=False, allow_null=True, default=None)
    until_further_order = serializers.BooleanField(required=False, allow_null=True, default=None)


class AppealInSerializer(ExpectedVersion):
    appellant = serializers.ChoiceField(choices=Appellant.choices)
    against = serializers.CharField(max_length=200)
    lodged_on = Date()


class AppealDecisionSerializer(ExpectedVersion):
    outcome = serializers.ChoiceField(choices=DECIDED_APPEAL_OUTCOMES)
    decided_on = Date()


# --- Views ----------------------------------------------------------------------------------


class OrderFilter(RestrictedFilterSet):
    permission_object = "order"
    permission_fields = {
        "reference": "reference",
        "order_type": "type",
        "state": "state",
        "defendant": "defendant",
        "protected_person": "protected_persons",
        "made_after": "made_on",
        "made_before": "made_on",
        "ends_after": "term",
        "ends_before": "term",
    }

    reference = filters.CharFilter(max_length=40)
    order_type = filters.ChoiceFilter(choices=ORDER_TYPE_CHOICES)
    state = filters.ChoiceFilter(choices=STATE_CHOICES)
    defendant = IdFilter(field_name="defendant_id")
    protected_person = IdFilter(field_name="protected_persons", distinct=True)
    made_after = filters.DateFilter(field_name="made_on", lookup_expr="gte")
    made_before = filters.DateFilter(field_name="made_on", lookup_expr="lte")
    ends_after = filters.DateFilter(field_name="ends_on", lookup_expr="gte")
    ends_before = filters.DateFilter(field_name="ends_on", lookup_expr="lte")

    class Meta:
        model = Order
        fields = ["reference", "order_type", "state"]


def _detail_queryset(user: Any, queryset: QuerySet[Order]) -> QuerySet[Order]:
    """An order with everything its detail shows, every related row through restrict()."""
    return queryset.select_related("defendant", "officer", "team", "force").prefetch_related(
        "protected_persons",
        Prefetch("conditions", queryset=restrict(Condition.objects.order_by("pk"), user)),
        Prefetch(
            "hearings", queryset=restrict(Hearing.objects.order_by("scheduled_for", "pk"), user)
        ),
        Prefetch("services", queryset=restrict(Service.objects.order_by("served_at", "pk"), user)),
        Prefetch(
            "notifications", queryset=restrict(Notification.objects.order_by("due_at", "pk"), user)
        ),
        Prefetch("breaches", queryset=restrict(Breach.objects.order_by("occurred_at", "pk"), user)),
        Prefetch(
            "state_changes",
            queryset=restrict(StateChange.objects.select_related("by").order_by("at", "pk"), user),
        ),
        Prefetch(
            "court_applications",
            queryset=restrict(CourtApplication.objects.order_by("made_on", "pk"), user),
        ),
        Prefetch("appeals", queryset=restrict(Appeal.objects.order_by("lodged_on", "pk"), user)),
        Prefetch("children", queryset=restrict(Order.objects.order_by("created_at", "pk"), user)),
    )


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    """Protective orders your role reaches (access.restrict), and their life through the state
    machine (orders/services.py)."""

    permission_object = "order"
    filterset_class = OrderFilter
    ordering_fields = ["reference", "order_type", "state", "made_on", "ends_on", "created_at"]
    ordering_permissions = {
        "reference": "reference",
        "order_type": "type",
        "state": "state",
        "made_on": "made_on",
        "ends_on": "term",
    }
    ordering = ["-created_at"]

    def base_queryset(self) -> QuerySet[Order]:
        return Order.objects.select_related("defendant", "officer", "team")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list":
            return OrderSerializer
        return OrderDetailSerializer

    def get_queryset(self) -> QuerySet[Order]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            # Read once, with everything the detail shows (every related row through restrict).
            queryset = _detail_queryset(self.request.user, queryset)
        return queryset

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.get_object()
        self.record_view(order)
        return Response(OrderDetailSerializer(order, context=self.get_serializer_context()).data)

    def _respond(self, order: Order, code: int) -> Response:
        order = _detail_queryset(self.request.user, self.get_queryset()).get(pk=order.pk)
        return Response(
            OrderDetailSerializer(order, context=self.get_serializer_context()).data, status=code
        )

    def _replay(self, label: str, pk: str) -> Order | None:
        if label != "orders.order":
            return None
        return restrict(Order.objects.filter(pk=pk), self.request.user).first()

    def _change(
        self,
        request: Request,
        pk: str,
        incoming_class: type[serializers.Serializer],
        perform: Callable[[Order, dict[str, Any]], Any],
        code: int = status.HTTP_200_OK,
    ) -> Response:
        """Validate, check the caller may change the order, carry out the step through the
        services (at most once per Idempotency-Key), answer with the order as it now is."""
        incoming = incoming_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        order = self.changeable(Order.objects.all(), pk)

        def run() -> Order:
            perform(order, data)
            return order

        return idempotent(request, run, self._respond, status_code=code, replay=self._replay)

    # --- Create -----------------------------------------------------------------------------

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Draft an order (or notice) against a defendant, protecting one or more people, with
        its proposed conditions. Send an `Idempotency-Key` header to retry safely."""
        self.must_be_allowed("order", "change")
        incoming = OrderCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        user = request.user
        people = Person.objects.filter(force=user.force)
        defendant = self.visible_in(people, [data["defendant"]], "defendant")[0]
        protected = self.visible_in(people, data["protected_persons"], "protected_persons")
        reports = self.visible_in(
            Report.objects.filter(force=user.force), data["reports"], "reports"
        )
        parent = None
        if data["parent"] is not None:
            parent = self.visible_in(
                Order.objects.filter(force=user.force), [data["parent"]], "parent"
            )[0]
        officer = team = None
        if data["officer"] is not None:
            officer = User.objects.filter(
                pk=data["officer"], force=user.force, is_active=True
            ).first()
            if officer is None:
                raise validation_error("officer", "No active user of your force has this id")
        elif user.role == "officer":
            officer = user
        if data["team"] is not None:
            team = Team.objects.filter(pk=data["team"], force=user.force).first()
            if team is None:
                raise validation_error("team", "Your force has no team with this id")
        elif user.team_id:
            team = user.team

        def perform() -> Order:
            order = services.create_order(
                force=user.force,
                order_type=data["order_type"],
                defendant=defendant,
                protected_persons=protected,
                by=user,
                reports=reports,
                officer=officer,
                team=team,
                parent=parent,
                court=data["court"],
                conditions=_proposed(data["conditions"]),
                grounds=dict(data["grounds"]),
                victim_views=data["victim_views"],
            )
            self.recheck(Order, order.pk, "change")
            return order

        return idempotent(
            request,
            perform,
            self._respond,
            status_code=status.HTTP_201_CREATED,
            replay=self._replay,
        )

    # --- The state machine ------------------------------------------------------------------

    @extend_schema(request=ProposeConditionSerializer, responses={201: OrderDetailSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def conditions(self, request: Request, pk: str) -> Response:
        """Propose a prohibition or requirement (draft or applied orders only)."""

        def perform(order: Order, d: dict[str, Any]) -> None:
            version = d.pop("expected_version")
            services.propose_condition(
                order, services.ProposedCondition(**d), expected_version=version, by=request.user
            )

        return self._change(
            request, pk, ProposeConditionSerializer, perform, status.HTTP_201_CREATED
        )

    @extend_schema(request=SubmitSerializer, responses={200: OrderDetailSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request: Request, pk: str) -> Response:
        """Apply to the court (optionally listing the first hearing)."""
        return self._change(
            request,
            pk,
            SubmitSerializer,
            lambda order, d: services.submit_application(
                order,
                expected_version=d["expected_version"],
                by=request.user,
                hearing_at=d["hearing_at"],
            ),
        )

    @extend_schema(request=IssueNoticeSerializer, responses={200: OrderDetailSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="issue-notice",
        filter_backends=[],
        pagination_class=None,
    )
    def issue_notice(self, request: Request, pk: str) -> Response:
        """Give a police notice (DVPN, DAPN), authorised by an officer of the required rank."""
        return self._change(
            request,
            pk,
            IssueNoticeSerializer,
            lambda order, d: services.issue_notice(
                order,
                authorised_by=d["authorised_by"],
                authoriser_rank=d["authoriser_rank"],
                issued_at=d["issued_at"],
                expected_version=d["expected_version"],
                by=request.user,
            ),
        )

    @extend_schema(request=HearingInSerializer, responses={201: OrderDetailSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def hearings(self, request: Request, pk: str) -> Response:
        """List a hearing."""
        return self._change(
            request,
            pk,
            HearingInSerializer,
            lambda order, d: services.schedule_hearing(
                order,
                scheduled_for=d["scheduled_for"],
                kind=d["kind"],
                court=d["court"],
                expected_version=d["expected_version"],
                by=request.user,
            ),
            status.HTTP_201_CREATED,
        )

    @extend_schema(request=OutcomeSerializer, responses={200: OrderDetailSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def outcome(self, request: Request, pk: str) -> Response:
        """Record what the court decided on the application."""

        def perform(order: Order, d: dict[str, Any]) -> None:
            hearing = None
            if d["hearing"] is not None:
                hearing = Hearing.objects.filter(order=order, pk=d["hearing"]).first()
                if hearing is None:
                    raise ValidationError({"hearing": ["This order has no hearing with this id"]})
            granted = d["granted_conditions"]
            services.record_outcome(
                order,
                d["outcome"],
                expected_version=d["expected_version"],
                by=request.user,
                decided_at=d["decided_at"],
                made_on=d["made_on"],
                ends_on=d["ends_on"],
                until_further_order=d["until_further_order"],
                granted_conditions=_proposed(granted) if granted is not None else None,
                reasons=d["reasons"],
                hearing=hearing,
            )

        return self._change(request, pk, OutcomeSerializer, perform)

    @extend_schema(request=ServiceInSerializer, responses={201: OrderDetailSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def service(self, request: Request, pk: str) -> Response:
        """Record service of the order on the defendant (starts the notification duties)."""
        return self._change(
            request,
            pk,
            ServiceInSerializer,
            lambda order, d: services.record_service(
                order,
                served_at=d["served_at"],
                method=d["method"],
                served_by=d["served_by"],
                notes=d["notes"],
                expected_version=d["expected_version"],
                by=request.user,
            ),
            status.HTTP_201_CREATED,
        )

    @extend_schema(request=CourtApplicationInSerializer, responses={201: OrderDetailSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="court-applications",
        filter_backends=[],
        pagination_class=None,
    )
    def court_applications(self, request: Request, pk: str) -> Response:
        """Apply to vary, renew or discharge an order in force."""

        def perform(order: Order, d: dict[str, Any]) -> None:
            version = d.pop("expected_version")
            services.apply_to_court(order, expected_version=version, by=request.user, **d)

        return self._change(
            request, pk, CourtApplicationInSerializer, perform, status.HTTP_201_CREATED
        )

    @extend_schema(request=DecisionSerializer, responses={200: OrderDetailSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"court-applications/(?P<application_id>\d+)/decision",
        filter_backends=[],
        pagination_class=None,
    )
    def decide_court_application(self, request: Request, pk: str, application_id: str) -> Response:
        """Record the court's decision on an application to vary, renew or discharge."""

        def perform(order: Order, d: dict[str, Any]) -> None:
            application = CourtApplication.objects.filter(order=order, pk=application_id).first()
            if application is None:
                raise NotFound("This order has no court application with this id")
            services.decide_court_application(
                application,
                d["outcome"],
                decided_on=d["decided_on"],
                expected_version=d["expected_version"],
                by=request.user,
                reasons=d["reasons"],
                add_conditions=_proposed(d["add_conditions"]),
                remove_condition_ids=d["remove_condition_ids"],
                new_ends_on=d["new_ends_on"],
                until_further_order=d["until_further_order"],
            )

        return self._change(request, pk, DecisionSerializer, perform)

    @extend_schema(request=AppealInSerializer, responses={201: OrderDetailSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def appeals(self, request: Request, pk: str) -> Response:
        """Record an appeal lodged against a decision on the order."""

        def perform(order: Order, d: dict[str, Any]) -> None:
            version = d.pop("expected_version")
            services.lodge_appeal(order, expected_version=version, by=request.user, **d)

        return self._change(request, pk, AppealInSerializer, perform, status.HTTP_201_CREATED)

    @extend_schema(request=AppealDecisionSerializer, responses={200: OrderDetailSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"appeals/(?P<appeal_id>\d+)/decision",
        filter_backends=[],
        pagination_class=None,
    )
    def decide_appeal(self, request: Request, pk: str, appeal_id: str) -> Response:
        """Record the outcome of an appeal."""

        def perform(order: Order, d: dict[str, Any]) -> None:
            appeal = Appeal.objects.filter(order=order, pk=appeal_id).first()
            if appeal is None:
                raise NotFound("This order has no appeal with this id")
            services.decide_appeal(
                appeal,
                d["outcome"],
                decided_on=d["decided_on"],
                expected_version=d["expected_version"],
                by=request.user,
            )

        return self._change(request, pk, AppealDecisionSerializer, perform)

    # --- Exports ----------------------------------------------------------------------------

    @extend_schema(
        request=exports.ExportRequestSerializer,
        responses={(200, "text/csv"): bytes, (200, exports.XLSX): bytes},
    )
    @action(detail=False, methods=["post"])
    def export(self, request: Request) -> Any:
        """The orders you can see (with the list's filters) as CSV or XLSX: only the fields
        your role may export; logged in the audit trail with your reason."""
        return exports.export_list(
            request, exports.ORDERS, self.filter_queryset(self.get_queryset())
        )

    @extend_schema(
        request=exports.CaseFileRequestSerializer,
        responses={(200, "application/json"): bytes, (200, exports.XLSX): bytes},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="case-file",
        filter_backends=[],
        pagination_class=None,
    )
    def case_file(self, request: Request, pk: str) -> Any:
        """The order's case file for disclosure (CPS, court): what your role may disclose,
        logged as a disclosure to the recipients you name."""
        order = self.get_object()
        incoming = exports.CaseFileRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        return exports.case_file(
            request.user,
            order,
            fmt=data["format"],
            purpose=data["purpose"],
            recipients=data["recipients"],
        )


class HearingFilter(StrictFilterSet):
    scheduled_after = MomentFilter(field_name="scheduled_for", lookup_expr="gte")
    scheduled_before = MomentFilter(field_name="scheduled_for", lookup_expr="lt")
    outcome = filters.ChoiceFilter(choices=Outcome.choices)
    kind = filters.ChoiceFilter(choices=HearingKind.choices)
    order = IdFilter(field_name="order_id")

    class Meta:
        model = Hearing
        fields = ["outcome", "kind", "order"]


class HearingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    """Hearings of the orders your role reaches: a court diary."""

    permission_object = "order"
    permission_field = "hearings"
    audit_retrieve = False
    serializer_class = HearingSerializer
    filterset_class = HearingFilter
    ordering_fields = ["scheduled_for"]
    ordering = ["scheduled_for"]

    def base_queryset(self) -> QuerySet[Hearing]:
        return Hearing.objects.all()


class UpcomingDeadlineSerializer(serializers.Serializer):
    due = Moment()
    what = serializers.CharField()
    basis = serializers.CharField()
    order = serializers.SerializerMethodField()
    overdue = serializers.BooleanField()
    date_only = serializers.BooleanField(help_text="A day (a fixed term's last day), not a moment")

    @extend_schema_field(
        serializers.DictField(child=serializers.CharField(), help_text="{id, reference}")
    )
    def get_order(self, item: selectors.UpcomingDeadline) -> dict[str, Any]:
        return {"id": item.order.pk, "reference": item.order.reference}


class DeadlineQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, required=False, default=20)


class DeadlineViewSet(CaseViewSet):
    """The nearest statutory deadlines across the live orders your role reaches: notifications
    due, notices' hearing deadlines, fixed terms ending. Soonest (or most overdue) first."""

    permission_object = "order"
    permission_field = "deadlines"
    audit_retrieve = False
    pagination_class = None
    filter_backends: list[Any] = []
    serializer_class = UpcomingDeadlineSerializer

    def base_queryset(self) -> QuerySet[Order]:
        return Order.objects.all()

    @extend_schema(
        parameters=[DeadlineQuerySerializer], responses={200: UpcomingDeadlineSerializer(many=True)}
    )
    def list(self, request: Request) -> Response:
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.upcoming_deadlines(request.user, limit=query.validated_data["limit"])
        return Response(UpcomingDeadlineSerializer(found, many=True).data)


def register(router: BaseRouter) -> None:
    router.register("orders", OrderViewSet, basename="order")
    router.register("hearings", HearingViewSet, basename="hearing")
    router.register("deadlines", DeadlineViewSet, basename="deadline")
