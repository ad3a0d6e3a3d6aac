"""REST API for the defendant's duties (docs/api.md): notifications due and made, and breaches,
through compliance/services.py, read through access.restrict."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from safeguard.access.restrict import restrict
from safeguard.api.base import CaseViewSet, Moment
from safeguard.api.filtering import IdFilter, MomentFilter, StrictFilterSet
from safeguard.api.idempotency import idempotent
from safeguard.compliance import services
from safeguard.compliance.models import Breach, BreachOutcome, Notification, NotificationKind
from safeguard.orders.api import BreachSerializer, NotificationSerializer
from safeguard.orders.models import Order
from safeguard.reports.models import Report

# A change of circumstances starts a fresh duty; the initial notification starts on service.
CHANGE_KINDS = [c for c in NotificationKind.choices if c[0] != NotificationKind.INITIAL]


class ChangeSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=CHANGE_KINDS)
    changed_at = Moment(help_text="When the defendant's circumstances changed")


class NotificationMadeSerializer(serializers.Serializer):
    notified_at = Moment()
    police_station = serializers.CharField(max_length=200)
    received_by = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    details = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class AcknowledgeSerializer(serializers.Serializer):
    at = Moment(help_text="When the written acknowledgment was given")


class BreachInSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1)
    occurred_at = Moment()
    description = serializers.CharField(
        max_length=10000, required=False, default="", allow_blank=True
    )
    report = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    arrested_at = Moment(required=False, allow_null=True, default=None)


class BreachOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=BreachOutcome.choices)


class NotificationFilter(StrictFilterSet):
    order = IdFilter(field_name="order_id")
    kind = filters.ChoiceFilter(choices=NotificationKind.choices)
    due_after = MomentFilter(field_name="due_at", lookup_expr="gte")
    due_before = MomentFilter(field_name="due_at", lookup_expr="lt")
    made = filters.BooleanFilter(field_name="notified_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Notification
        fields = ["order", "kind"]


class BreachFilter(StrictFilterSet):
    order = IdFilter(field_name="order_id")
    outcome = filters.ChoiceFilter(choices=BreachOutcome.choices)
    occurred_after = MomentFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = MomentFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = Breach
        fields = ["order", "outcome"]


class _DutyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    permission_object = "order"
    audit_retrieve = False
    model: type[Any]
    serializer: type[serializers.Serializer]

    def _respond(self, record: Any, code: int) -> Response:
        record = self.get_queryset().get(pk=record.pk)
        return Response(
            self.serializer(record, context=self.get_serializer_context()).data, status=code
        )

    def _replay(self, label: str, pk: str) -> Any:
        if label != self.model._meta.label_lower:
            return None
        return restrict(self.model.objects.filter(pk=pk), self.request.user).first()

    def _order(self, pk: int) -> Order:
        """The order a new duty or breach belongs to: one the caller may change this part of."""
        self.must_be_allowed("order", "change", self.permission_field)
        order = restrict(Order.objects.filter(pk=pk), self.request.user, "change").first()
        if order is None:
            raise serializers.ValidationError({"order": ["No order you may change has this id"]})
        return order


class NotificationViewSet(_DutyViewSet):
    """The defendant's notifications: what is due, when, under which section, and what was made."""

    permission_field = "notifications"
    model = Notification
    serializer = NotificationSerializer
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["due_at", "triggered_at"]
    ordering = ["due_at"]

    def base_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.all()

    @extend_schema(request=ChangeSerializer, responses={201: NotificationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a change in the defendant's circumstances (new name, new address, no home
        address, sex offender notification ended): a new duty to notify runs from it."""
        incoming = ChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        order = self._order(data["order"])
        return idempotent(
            request,
            lambda: services.record_change(
                order, data["kind"], changed_at=data["changed_at"], by=request.user
            ),
            self._respond,
            status_code=status.HTTP_201_CREATED,
            replay=self._replay,
        )

    @extend_schema(request=NotificationMadeSerializer, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def made(self, request: Request, pk: str) -> Response:
        """Record that the defendant notified, in person, at a police station."""
        notification = self.changeable(Notification.objects.all(), pk)
        incoming = NotificationMadeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return idempotent(
            request,
            lambda: services.record_notification_made(
                notification, by=request.user, **incoming.validated_data
            ),
            self._respond,
            status_code=status.HTTP_200_OK,
            replay=self._replay,
        )

    @extend_schema(request=AcknowledgeSerializer, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Record the written acknowledgment of a notification (SPA 2019 s.10(4))."""
        notification = self.changeable(Notification.objects.all(), pk)
        incoming = AcknowledgeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return idempotent(
            request,
            lambda: services.acknowledge(
                notification, at=incoming.validated_data["at"], by=request.user
            ),
            self._respond,
            status_code=status.HTTP_200_OK,
            replay=self._replay,
        )


class BreachViewSet(_DutyViewSet):
    """Breaches of orders your role reaches: when, what, arrest, and what became of them."""

    permission_field = "breaches"
    model = Breach
    serializer = BreachSerializer
    serializer_class = BreachSerializer
    filterset_class = BreachFilter
    ordering_fields = ["occurred_at"]
    ordering = ["-occurred_at"]

    def base_queryset(self) -> QuerySet[Breach]:
        return Breach.objects.all()

    @extend_schema(request=BreachInSerializer, responses={201: BreachSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a breach of an order in force (a notice breach with an arrest gets its court
        deadline)."""
        incoming = BreachInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        order = self._order(data["order"])
        report = None
        if data["report"] is not None:
            report = self.visible_in(Report.objects.all(), [data["report"]], "report")[0]
        return idempotent(
            request,
            lambda: services.record_breach(
                order,
                occurred_at=data["occurred_at"],
                description=data["description"],
                by=request.user,
                report=report,
                arrested_at=data["arrested_at"],
            ),
            self._respond,
            status_code=status.HTTP_201_CREATED,
            replay=self._replay,
        )

    @extend_schema(request=BreachOutcomeSerializer, responses={200: BreachSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def outcome(self, request: Request, pk: str) -> Response:
        """Record what became of the breach (charged, convicted, no further action...)."""
        breach = self.changeable(Breach.objects.all(), pk)
        incoming = BreachOutcomeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return idempotent(
            request,
            lambda: services.record_breach_outcome(
                breach, incoming.validated_data["outcome"], by=request.user
            ),
            self._respond,
            status_code=status.HTTP_200_OK,
            replay=self._replay,
        )


def register(router: BaseRouter) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")
    router.register("breaches", BreachViewSet, basename="breach")
