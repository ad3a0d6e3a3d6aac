"""The root URL conf as the tests need it, for as long as the root one lacks two things:

- it does not include the people and audit pages yet (the lead adds
  `path("", include("safeguard.people.urls"))` and
  `path("audit/", include("safeguard.access.audit_urls"))` to src/safeguard/urls.py);
- the REST API's route names (order-list, order-detail, person-detail, person-reveal...) are not
  namespaced yet, so they shadow the web pages' names in reverse(). Here the API is included
  first, so the web pages' names win (in Django the last pattern of a name wins reverse()).

Once both are fixed in the root URL conf, this module changes nothing and can go.
"""

from __future__ import annotations

from django.urls import URLResolver, include, path

from safeguard.urls import urlpatterns as root_patterns


def _module(pattern: object) -> str:
    name = getattr(pattern, "urlconf_name", None)
    return name if isinstance(name, str) else getattr(name, "__name__", "")


_included = {_module(p) for p in root_patterns if isinstance(p, URLResolver)}
_api = [p for p in root_patterns if _module(p) == "safeguard.api.urls"]

urlpatterns = _api + [p for p in root_patterns if p not in _api]
if "safeguard.people.urls" not in _included:
    urlpatterns.append(path("", include("safeguard.people.urls")))
if "safeguard.access.audit_urls" not in _included:
    urlpatterns.append(path("audit/", include("safeguard.access.audit_urls")))
