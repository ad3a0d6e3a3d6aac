"""The audit pages. The root URL conf includes them under "audit/":

path("audit/", include("safeguard.access.audit_urls")),
"""

from django.urls import path

from safeguard.access import audit_views

urlpatterns = [
    path(
        "people/<int:pk>/access/",
        audit_views.access_log,
        {"subject": "people"},
        name="audit-person-access",
    ),
    path(
        "people/<int:pk>/changes/",
        audit_views.change_history,
        {"subject": "people"},
        name="audit-person-changes",
    ),
    path(
        "orders/<int:pk>/access/",
        audit_views.access_log,
        {"subject": "orders"},
        name="audit-order-access",
    ),
    path(
        "orders/<int:pk>/changes/",
        audit_views.change_history,
        {"subject": "orders"},
        name="audit-order-changes",
    ),
]
