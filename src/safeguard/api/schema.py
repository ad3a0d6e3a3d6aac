"""OpenAPI schema additions (drf-spectacular POSTPROCESSING_HOOKS).

Every operation may answer with the errors the services raise (docs/api.md, "Errors"), so the
schema says so: 400 (input to fix), 401 (no or bad credentials), 403 (the role may not), 404
(no such record, or one outside the caller's scope), and for writes 409 (the order changed:
`expected_version`) and 422 (the law does not allow the step, or an Idempotency-Key reused for a
different request). Creating calls document the Idempotency-Key header. Links (OpenAPI 3
`links`) say how one answer feeds the next call: a report listed or created is read by its `id`;
one created or read is changed by naming its `id` and, as `expected_version`, its `version`
(clients and schemathesis's stateful phase follow them).
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, and what to do"},
    },
    "additionalProperties": True,
    "description": "An error. Validation errors also list messages under each field's name.",
}
ERRORS = {
    "400": "The request cannot be acted on as sent: the body says what to fix",
    "401": "No valid credentials: send a token (Authorization: Bearer ...) or sign in",
    "403": "Your role may not do this",
    "404": "No such record, or none you may see",
}
WRITE_ERRORS = {
    "415": "The body is not JSON (send Content-Type: application/json)",
    "409": "The record changed since you read it (expected_version): reload and try again",
    "422": "The law does not allow this step (the body cites the rule), or the "
    "Idempotency-Key was used for a different request",
}
IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
    "description": "A unique key for this request (a UUID): a retry with the same key and "
    "body returns the first result instead of doing it again",
}
NO_IDEMPOTENCY = ("/export/", "/case-file/", "/reveal/")


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = dict(ERRORS)
            if method != "get":
                codes.update(WRITE_ERRORS)
            for code, text in codes.items():
                responses.setdefault(
                    code, {"description": text, "content": {"application/json": {"schema": ref}}}
                )
            if method == "post" and not path.endswith(NO_IDEMPOTENCY):
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "Idempotency-Key" for p in parameters):
                    parameters.append(IDEMPOTENCY_HEADER)
    return result


# (path, method, status) of an answer -> links from it: (name, target path, target method,
# parameters, request body). The body's values are runtime expressions merged into the request.
REPORT_CHANGE = (
    "ChangeReport",
    "/api/v1/reports/{id}/",
    "patch",
    {"id": "$response.body#/id"},
    {"expected_version": "$response.body#/version"},
)
LINKS: dict[tuple[str, str, str], tuple[tuple[str, str, str, dict[str, str], Any], ...]] = {
    ("/api/v1/reports/", "get", "200"): (
        (
            "ReadFirstReport",
            "/api/v1/reports/{id}/",
            "get",
            {"id": "$response.body#/results/0/id"},
            None,
        ),
    ),
    ("/api/v1/reports/", "post", "201"): (
        ("ReadReport", "/api/v1/reports/{id}/", "get", {"id": "$response.body#/id"}, None),
        REPORT_CHANGE,
    ),
    ("/api/v1/reports/{id}/", "get", "200"): (REPORT_CHANGE,),
    ("/api/v1/reports/{id}/", "patch", "200"): (REPORT_CHANGE,),
}


def add_links(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    paths = result.get("paths", {})
    for (path, method, code), links in LINKS.items():
        response = paths.get(path, {}).get(method, {}).get("responses", {}).get(code)
        if response is None:
            continue
        for name, target_path, target_method, parameters, body in links:
            target = paths.get(target_path, {}).get(target_method)
            if target is None or "operationId" not in target:
                continue
            link: dict[str, Any] = {"operationId": target["operationId"], "parameters": parameters}
            if body is not None:
                link["requestBody"] = body
            response.setdefault("links", {})[name] = link
    return result


def require_expected_version(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A PATCH gives only the fields it changes, so drf-spectacular makes every field of its body
    optional; but `expected_version` is always needed (400 without it), and the schema says so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("Patched") and "expected_version" in component.get("properties", {}):
            required = component.setdefault("required", [])
            if "expected_version" not in required:
                required.append("expected_version")
    return result
