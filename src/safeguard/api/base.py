"""What every case-data endpoint shares (docs/api.md).

- Reads go through access.restrict: a viewset's queryset is `restrict(base, user, "view")`, so a
  record outside the caller's scope is a 404, exactly like one that does not exist.
- Fields are shown only as the permission table grants them (access.permissions): a serializer
  names, for each field, the permission field that covers it, and drops the ones the caller's
  role does not see. Filters on a field the caller may not see are refused (400), and sorting by
  one is ignored, so neither can be used to learn a hidden value.
- Writes are checked with restrict(..., "change") on the record, then go through the services.
- For token requests, the audit trail attributes every write to the token's account (the
  middleware only knows session users), and every response is `Cache-Control: no-store`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import ExitStack
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django_filters import rest_framework as filters
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from safeguard.access import audit
from safeguard.access import permissions as table
from safeguard.access.models import ApiToken, AuditKind
from safeguard.access.restrict import restrict
from safeguard.api.filtering import Pagination, RestrictedOrdering


class Visibility:
    """The fields of each object the user's role sees, per action, computed once per request."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._cache: dict[tuple[str, str], frozenset[str]] = {}

    def __call__(self, object_: str, action: str = "view") -> frozenset[str]:
        key = (object_, action)
        if key not in self._cache:
            self._cache[key] = table.visible_fields(self.user, object_, action)
        return self._cache[key]


class PermissionFieldsMixin:
    """A serializer whose fields are each covered by a field of the permission table.

    `permission_object` is the object ("order", "report", "person"...); `permission_fields` maps
    a serializer field to the permission field that covers it (a field not listed is always
    shown: ids, versions, timestamps). With no request in the context (schema generation) every
    field is kept.
    """

    permission_object: ClassVar[str] = ""
    permission_fields: ClassVar[dict[str, str]] = {}
    permission_action: ClassVar[str] = "view"

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        visibility = self.context.get("visibility")  # type: ignore[attr-defined]
        if visibility is None:
            return fields  # type: ignore[no-any-return]
        action = self.context.get("permission_action", self.permission_action)  # type: ignore[attr-defined]
        visible = visibility(self.permission_object, action)
        return {
            name: field
            for name, field in fields.items()
            if self.permission_fields.get(name) is None or self.permission_fields[name] in visible
        }


class HasRule(permissions.BasePermission):
    """The caller's role has a rule to view the viewset's object at all (analysts and national
    administrators, who work with aggregates only, have none: 403, not an empty list)."""

    message = "Your role does not see these records"

    def has_permission(self, request: Any, view: Any) -> bool:
        obj = getattr(view, "permission_object", "")
        if not obj:
            return True
        return table.allows(request.user, obj, "view", getattr(view, "permission_field", None))


class CaseViewSet(viewsets.GenericViewSet):
    """Base for endpoints over case data (see the module docstring)."""

    permission_object: ClassVar[str] = ""
    permission_field: ClassVar[str | None] = None  # a part of the object (e.g. "hearings")
    ordering_permissions: ClassVar[dict[str, str]] = {}
    permission_classes = [permissions.IsAuthenticated, HasRule]
    pagination_class: type[Pagination] | None
    filter_backends = [filters.DjangoFilterBackend, RestrictedOrdering]
    pagination_class = Pagination  # type: ignore[assignment]
    lookup_value_regex = "[0-9]+"  # ids are numbers: anything else is no such record (404)
    audit_retrieve: ClassVar[bool] = True  # opening one record is a consultation (DPA s.62)

    def base_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.base_queryset().none()
        return restrict(self.base_queryset(), self.request.user, "view")

    @property
    def visibility(self) -> Visibility:
        if not hasattr(self, "_visibility"):
            self._visibility = Visibility(self.request.user)
        return self._visibility

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["visibility"] = self.visibility
        return context

    # --- Audit attribution and caching ------------------------------------------------------

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if isinstance(request.auth, ApiToken) and request.method not in ("GET", "HEAD", "OPTIONS"):
            # The middleware saw no user (the token is read here, not by Django's auth):
            # attribute this request's writes to the token's account, naming the token. (Reads
            # write only their own consultation entries, which name the user themselves.)
            self._audit_scope: ExitStack | None = ExitStack()
            self._audit_scope.enter_context(
                audit.acting_as(
                    request.user,
                    label=f"{request.user.get_username()} (API token {request.auth.prefix})",
                    request_id=getattr(request._request, "audit_request_id", None),
                )
            )

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # case data: no browser or proxy keeps a copy
        scope = getattr(self, "_audit_scope", None)
        if scope is not None:
            self._audit_scope = None
            scope.close()
        return response

    # --- Helpers for subclasses -------------------------------------------------------------

    def record_view(self, obj: Model) -> None:
        audit.record(
            AuditKind.VIEW,
            user=self.request.user,
            table_name=obj._meta.db_table,
            object_id=obj.pk,
            details={"via": "api"},
            # The middleware's id for this request, which the connection's context also holds.
            request_id=getattr(self.request._request, "audit_request_id", None),
        )

    def changeable(self, queryset: QuerySet[Any], pk: Any) -> Any:
        """The record the caller may change, or 404 if they may not see it, 403 if they may see
        but not change it."""
        found = restrict(queryset.filter(pk=pk), self.request.user, "change").first()
        if found is not None:
            return found
        if restrict(queryset.filter(pk=pk), self.request.user, "view").exists():
            raise PermissionDenied("Your role may not change this record")
        raise Http404

    def must_be_allowed(self, object_: str, action: str, field: str | None = None) -> None:
        if not table.allows(self.request.user, object_, action, field):
            raise PermissionDenied(f"Your role may not {action} {object_.replace('_', ' ')}s")

    def recheck(self, model: type[Model], pk: Any, action: str = "view") -> None:
        """After a write, the record must still be within the caller's scope (the NetBox
        re-check): otherwise the caller made something they may not see, and it is undone."""
        if not restrict(model._default_manager.filter(pk=pk), self.request.user, action).exists():
            raise PermissionDenied(
                "The record would be outside what you may see (another officer or team): ask "
                "someone who holds it, or your SPO coordinator"
            )

    def visible_in(self, queryset: QuerySet[Any], ids: Iterable[Any], what: str) -> list[Any]:
        """Records with these ids, all of which the caller must be able to see (else 400 naming
        the ones not found, without saying whether they exist)."""
        ids = list(dict.fromkeys(ids))
        found = {o.pk: o for o in restrict(queryset.filter(pk__in=ids), self.request.user)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValidationError(
                {what: [f"No {what} you can see has id {', '.join(map(str, missing))}"]}
            )
        return [found[i] for i in ids]


def validation_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


class Text(serializers.CharField):
    """A string, and only a string: DRF's CharField would take the number 42 as "42", so a
    request the schema calls invalid (a number where text is due) would be acted on."""

    default_error_messages = {"not_text": "Give text (a JSON string), not {kind}"}
    KINDS: ClassVar[dict[type, str]] = {bool: "true or false", int: "a number", float: "a number"}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text", kind=self.KINDS.get(type(data), "a list or an object"))
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class ExpectedVersion(serializers.Serializer):
    """Every change to an order names the version the caller read (optimistic locking)."""

    expected_version = serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        help_text="The order's `version` as you read it; 409 if it has changed since",
    )


# Dates a case can carry. Outside them a date is a typing error (a year 0024 for 2024), and the
# statutory clock would count bank holidays for centuries that do not matter: refused, 400.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
DATE_RANGE = f"between {EARLIEST:%d %B %Y} and {LATEST:%d %B %Y}"


class Date(serializers.DateField):
    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            raise serializers.ValidationError(f"Give a date {DATE_RANGE}")
        return day  # type: ignore[no-any-return]


class Moment(serializers.DateTimeField):
    def to_internal_value(self, value: Any) -> dt.datetime:
        moment = super().to_internal_value(value)
        if not EARLIEST <= moment.date() <= LATEST:
            raise serializers.ValidationError(f"Give a date and time {DATE_RANGE}")
        return moment  # type: ignore[no-any-return]
