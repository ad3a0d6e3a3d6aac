from django.contrib import admin

from safeguard.access.restrict import RestrictedAdminMixin
from safeguard.people.models import Alias, Identifier, Person, ProtectedDetail


class AliasInline(RestrictedAdminMixin, admin.TabularInline):
    model = Alias
    extra = 0


class IdentifierInline(RestrictedAdminMixin, admin.TabularInline):
    model = Identifier
    extra = 0


@admin.register(Person)
class PersonAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ("surname", "given_name", "date_of_birth", "force")
    list_filter = ("force",)
    search_fields = ("surname", "given_name")
    inlines = [AliasInline, IdentifierInline]
    # Protected details are deliberately not inlined: they are never shown in lists or
    # alongside the person; they have their own page (below) for administrators.


@admin.register(ProtectedDetail)
class ProtectedDetailAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    # The list never shows the value or postcode: only which person and what kind of detail.
    list_display = ("__str__", "kind", "current", "recorded_at")
    list_filter = ("kind", "current")
    raw_id_fields = ("person",)
    search_fields = ()
