"""The data-exchange URLs, mounted at the site root by safeguard/urls.py:

  /api/v1/...     the REST API: each app's `api.py` registers its viewsets (`register(router)`)
  /api/schema/    the OpenAPI 3 schema (drf-spectacular)
  /api/docs/      interactive documentation (Swagger UI, served from this site)
  /exports/...    exporting a list, or an order's case file, from the browser (api/pages.py)

Extension point: an app joins the API by adding `safeguard/<app>/api.py` with a
`register(router)` function; no edit here is needed. Screening (candidates) and oversight
(metrics) are expected to do so (docs/api.md, "Candidates and metrics").
"""

from __future__ import annotations

import importlib
import importlib.util

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from safeguard.api import pages
from safeguard.api.docs import ApiDocsView

# The apps whose `api.py` is looked for, in the order their endpoints are listed.
API_APPS = ("reports", "people", "orders", "compliance", "screening", "oversight")


class Router(DefaultRouter):
    include_format_suffixes = False


def build_router() -> Router:
    router = Router()
    for app in API_APPS:
        name = f"safeguard.{app}.api"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(router)
    return router


router = build_router()


@csrf_exempt  # nothing here to protect, and a refused POST must still be a JSON 404
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other /api/ address: a JSON 404 (not the web pages' HTML one)."""
    response = JsonResponse({"detail": "Not found"}, status=404)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    # Namespaced, so the API's route names (order-list...) never shadow the web pages' names.
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="api-schema",
    ),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("exports/orders/<int:pk>/case-file/", pages.case_file, name="export-case-file"),
    path("exports/<slug:name>/", pages.export_list, name="export-list"),
    re_path(r"^api/", not_found),
]
