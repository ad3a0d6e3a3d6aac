"""Interactive API documentation: Swagger UI from drf-spectacular-sidecar (served from this
site, so the strict Content-Security-Policy holds: no third-party script), with its start-up
script as a separate request (SpectacularSwaggerSplitView) rather than inline."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class ApiDocsView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
