"""The site's URL conf with its Django admin rebuilt so that every case model's ModelAdmin, and
its inlines, take access.restrict.RestrictedAdminMixin first: what the admin modules look like
once they use it. The authorisation matrix and the canary test check this admin leaks nothing,
ahead of the change to the admin modules themselves."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from safeguard.access import permissions
from safeguard.access.restrict import RestrictedAdminMixin
from tests.web.urls import urlpatterns as site_patterns


def restricted(cls: type) -> type:
    if issubclass(cls, RestrictedAdminMixin):
        return cls
    attrs = {}
    if getattr(cls, "inlines", None):
        attrs["inlines"] = [restricted(i) for i in cls.inlines]
    return type(f"Restricted{cls.__name__}", (RestrictedAdminMixin, cls), attrs)


site = admin.AdminSite(name="admin")
for model, model_admin in admin.site._registry.items():
    cls = type(model_admin)
    if model._meta.label_lower in permissions.MODELS:
        cls = restricted(cls)
    site.register(model, cls)

urlpatterns = [path("admin/", site.urls)] + [
    p for p in site_patterns if getattr(p, "app_name", None) != "admin"
]
