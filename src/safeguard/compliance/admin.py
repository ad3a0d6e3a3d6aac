from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeguard.access.restrict import RestrictedAdminMixin
from safeguard.compliance.models import Breach, Notification


@admin.register(Notification)
class NotificationAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("order", "kind", "due_at", "notified_at")
    list_filter = ("kind",)
    raw_id_fields = ("order",)
    # The deadline comes from the statutory clock, never typed in.
    readonly_fields = ("triggered_at", "due_at", "basis")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Breach)
class BreachAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("order", "occurred_at", "outcome")
    list_filter = ("outcome",)
    raw_id_fields = ("order", "report")
    readonly_fields = ("court_by",)
