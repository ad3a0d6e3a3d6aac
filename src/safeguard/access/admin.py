from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from safeguard.access.models import Force, Team, User
from safeguard.access.otp import reset_two_factor_action


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "ons_code")
    search_fields = ("name", "code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "force")
    list_filter = ("force",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "force", "team", "is_active")
    list_filter = ("role", "force", "is_active")
    actions = [reset_two_factor_action]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Safeguard", {"fields": ("role", "force", "team", "rank", "collar_number")}),
    )
