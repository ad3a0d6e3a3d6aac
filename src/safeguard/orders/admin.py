"""Administrators see every order model; the law decides what they may edit.

An order's state, dates and version change only through orders/services/ (the state machine),
and a made order's conditions change only through a variation (SPA 2019 s.4; DAA 2021 s.44), so
those are read-only here whatever the administrator's permissions.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeguard.access.restrict import RestrictedAdminMixin
from safeguard.orders.models import (
    Appeal,
    Condition,
    CourtApplication,
    Hearing,
    Order,
    ProclaimedBankHoliday,
    Service,
    StateChange,
)
from safeguard.rules.orders import State

LIFECYCLE_FIELDS = (
    "state",
    "version",
    "order_type",
    "applied_at",
    "issued_at",
    "made_on",
    "ends_on",
    "until_further_order",
    "served_at",
    "ended_on",
    "end_reason",
    "authorised_by",
    "authoriser_rank",
)


def _is_draft(order: Order | None) -> bool:
    return order is None or order.state == State.DRAFT


class ConditionInline(RestrictedAdminMixin, admin.TabularInline):
    model = Condition
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class ReadOnlyInline(RestrictedAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StateChangeInline(ReadOnlyInline):
    model = StateChange


class HearingInline(ReadOnlyInline):
    model = Hearing


class ServiceInline(ReadOnlyInline):
    model = Service


@admin.register(Order)
class OrderAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "order_type", "state", "made_on", "ends_on", "force")
    list_filter = ("force", "order_type", "state")
    search_fields = ("reference",)
    raw_id_fields = ("defendant", "parent", "officer")
    filter_horizontal = ("protected_persons",)
    readonly_fields = LIFECYCLE_FIELDS
    exclude = ("reports",)
    inlines = [ConditionInline, HearingInline, ServiceInline, StateChangeInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Orders are legal records: a made order is never deleted, only ended lawfully.
        return _is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(Condition)
class ConditionAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("order", "code", "kind", "granted", "added_on", "removed_on")
    list_filter = ("kind", "granted")
    raw_id_fields = ("order",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj.order if obj else None) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj.order if obj else None) and super().has_delete_permission(request, obj)


@admin.register(CourtApplication)
class CourtApplicationAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("order", "kind", "applicant", "made_on", "outcome")
    list_filter = ("kind", "outcome")
    raw_id_fields = ("order",)
    readonly_fields = ("outcome", "decided_on")


@admin.register(Appeal)
class AppealAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("order", "appellant", "lodged_on", "outcome")
    raw_id_fields = ("order",)
    readonly_fields = ("outcome", "decided_on")


@admin.register(ProclaimedBankHoliday)
class ProclaimedBankHolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
