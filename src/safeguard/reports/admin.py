from django.contrib import admin

from safeguard.access.restrict import RestrictedAdminMixin
from safeguard.reports.models import Report, ReportParty


class ReportPartyInline(RestrictedAdminMixin, admin.TabularInline):
    model = ReportParty
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Report)
class ReportAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "offence_code", "reported_at", "force", "status")
    list_filter = ("force", "offence_code", "status")
    search_fields = ("reference",)
    date_hierarchy = "reported_at"
    raw_id_fields = ("officer",)
    inlines = [ReportPartyInline]
