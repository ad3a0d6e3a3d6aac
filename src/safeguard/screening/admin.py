from django.contrib import admin

from safeguard.access.restrict import RestrictedAdminMixin
from safeguard.screening import models as m


@admin.register(m.ScreeningSettings)
class ScreeningSettingsAdmin(admin.ModelAdmin):
    """A force's screening configuration (names and defaults in screening/config.py)."""

    list_display = ("force", "updated_at")


@admin.register(m.ScreeningRun)
class ScreeningRunAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("force", "kind", "started_at", "records", "identities", "candidates", "seconds")
    list_filter = ("kind",)
