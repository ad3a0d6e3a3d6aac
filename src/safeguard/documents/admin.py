from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeguard.documents.models import CalendarFeed, Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read only: documents are made and read through the service, which checks access and
    logs the disclosure; the admin shows that they exist, never their content."""

    list_display = ("order", "kind", "version", "status", "requested_by", "requested_at")
    list_filter = ("kind", "status")
    exclude = ("pdf", "docx")
    raw_id_fields = ("order", "requested_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        # Through the order's access: the admin is no way round restrict().
        from safeguard.access.restrict import restrict
        from safeguard.orders.models import Order

        visible = restrict(Order.objects.all(), request.user).values("pk")
        return super().get_queryset(request).filter(order__in=visible).defer("pdf", "docx")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "revoked_at", "last_fetched_at")
    readonly_fields = ("user", "token_hash", "created_at", "last_fetched_at")
    raw_id_fields = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
