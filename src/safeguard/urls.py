from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Safeguard administration"
admin.site.site_title = "Safeguard"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("safeguard.access.urls")),
    path("", include("safeguard.orders.urls")),
    path("", include("safeguard.reports.urls")),
    path("", include("safeguard.people.urls")),
    path("audit/", include("safeguard.access.audit_urls")),
    path("screening/", include("safeguard.screening.urls")),
    path("oversight/", include("safeguard.oversight.urls")),
    path("deadlines/", include("safeguard.compliance.urls")),
    path("documents/", include("safeguard.documents.urls")),
    # REST API (/api/v1/, /api/schema/, /api/docs/), and list and case-file exports (issue 8).
    path("", include("safeguard.api.urls")),
]
