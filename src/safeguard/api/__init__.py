"""The REST API (issue 8, docs/api.md): one door onto the same services as the web UI.

`urls.py` builds the /api/v1/ router from each app's `api.py` (serializers and viewsets), and
serves the OpenAPI schema (/api/schema/) and its interactive docs (/api/docs/). The pieces every
app's API shares live here: token authentication, case-data viewsets that read through
access.restrict and show only the fields the permission table grants, idempotency keys, errors
mapped to HTTP, exports.
"""
