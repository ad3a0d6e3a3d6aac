"""Pagination, filtering and sorting for the API, kept apart from the viewsets so DRF's settings
can name them without an import cycle (docs/api.md, "Lists")."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from safeguard.access import permissions as table


class Pagination(pagination.PageNumberPagination):
    """Pages of 50 (`page_size` up to 200). A page number or size that is not a whole number
    in range is refused (400), never silently replaced by the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        problems = {}
        for name, low, high in (
            (self.page_query_param, 1, None),
            (self.page_size_query_param, 1, self.max_page_size),
        ):
            text = request.query_params.get(name)
            if text is None:
                continue
            if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
                limit = f" and at most {high}" if high else ""
                problems[name] = [f"Give a whole number of at least {low}{limit}"]
        if problems:
            raise ValidationError(problems)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


class StrictFilterSet(filters.FilterSet):
    """A FilterSet that refuses a filter given with no value (`?order=`) instead of ignoring it,
    except for text filters, where an empty string is a value."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        if data is None:
            return
        empty = [
            name
            for name, f in self.filters.items()
            if name in data and data.get(name) == "" and not isinstance(f, filters.CharFilter)
        ]
        if empty:
            raise ValidationError(
                {name: ["Give a value, or leave the filter out"] for name in empty}
            )


class RestrictedFilterSet(StrictFilterSet):
    """A FilterSet that refuses filters on fields the caller's role may not see (a filter on a
    hidden field would reveal it: "who was born on 1 June 1985?")."""

    permission_object: ClassVar[str] = ""
    permission_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, data: Any = None, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(data, *args, request=request, **kwargs)
        if request is None or not self.permission_object:
            return
        visible = table.visible_fields(request.user, self.permission_object)
        refused = []
        for name in list(self.filters):
            needs = self.permission_fields.get(name)
            if needs is not None and needs not in visible:
                self.filters.pop(name)
                if data is not None and name in data:
                    refused.append(name)
        if refused:
            raise ValidationError(
                {
                    name: ["Your role does not see this field, so it cannot filter on it"]
                    for name in refused
                }
            )


class RestrictedOrdering(OrderingFilter):
    """Sorts only by fields the caller sees; always ends with the primary key, so pages are
    stable between requests."""

    def get_valid_fields(self, queryset: Any, view: Any, context: Any = None) -> list[Any]:
        fields = super().get_valid_fields(queryset, view, context or {})
        request = (context or {}).get("request") or getattr(view, "request", None)
        needs = getattr(view, "ordering_permissions", {})
        obj = getattr(view, "permission_object", "")
        if request is None or not obj:
            return fields  # type: ignore[no-any-return]
        visible = table.visible_fields(request.user, obj)
        return [f for f in fields if needs.get(f[0]) is None or needs[f[0]] in visible]

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        return [*ordering, "pk"] if "pk" not in ordering and "-pk" not in ordering else ordering


# --- Filters that refuse what the database cannot take ------------------------------------

MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.Filter):
    """A record's id: a whole number from 1 (not "5e16", not 2**70)."""

    field_class = IdField


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, taken to UTC here: Python allows offsets PostgreSQL does not
    (anything up to 24 hours), and a moment at the edge of the calendar may not exist in UTC."""

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is None or moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError("The date and time is out of range") from None


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField
