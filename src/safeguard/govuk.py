"""GOV.UK Design System components that Django's forms do not have, shared by every app.

The date input (https://design-system.service.gov.uk/components/date-input/): a date typed into
day, month and year boxes. `DateField` gives GOV.UK's error messages ("Enter the date of the
hearing", "The date of the hearing must include a month", "... must be a real date") and
remembers which part was wrong, so only that box is marked and the error summary links to it.
templates/includes/field.html renders it as a fieldset (legend, hint, error, the boxes).

Pagination (https://design-system.service.gov.uk/components/pagination/): `paginate` gives a
page of a list with its links, which templates/includes/pagination.html renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils import timezone

PARTS = ("day", "month", "year")
ALL_PARTS = (0, 1, 2)


class GovukDateInput(forms.MultiWidget):
    """The day, month and year boxes (templates/includes/date_input.html). `error_parts` are
    the boxes (0 day, 1 month, 2 year) that get GOV.UK's error border."""

    template_name = "includes/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.error_parts: tuple[int, ...] = ()

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> Any:
        # From the project's templates (templates/includes/), which the default form renderer,
        # limited to Django's and the apps' template folders, does not search.
        return super().render(name, value, attrs, TemplatesSetting())

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the first box with the error (the day box otherwise).
        first = self.error_parts[0] if self.error_parts else 0
        return f"{id_}_{first}" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for index, (part, label) in enumerate(
            zip(context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True)
        ):
            part["label"] = label
            part["has_error"] = index in self.error_parts
        return context


class DateBoundField(BoundField):
    """Marks the date input's boxes from the field's errors when it is rendered, whatever added
    the error: the field itself (only the wrong part), the form or the view (the whole date)."""

    def _mark(self) -> GovukDateInput:
        widget: GovukDateInput = self.field.widget  # type: ignore[assignment]
        field: DateField = self.field  # type: ignore[assignment]
        widget.error_parts = (field.error_parts or ALL_PARTS) if self.errors else ()
        return widget

    def as_widget(self, widget: Any = None, attrs: Any = None, only_initial: bool = False) -> Any:
        self._mark()
        return super().as_widget(widget, attrs, only_initial)

    @property
    def id_for_label(self) -> str:
        return self._mark().id_for_label(self.auto_id)


class DateField(forms.MultiValueField):
    """A date typed into the three boxes. `what` names it in the messages, in lower case ("the
    date of the hearing"); `past_only` refuses a date after today."""

    widget = GovukDateInput

    def __init__(self, *, what: str, past_only: bool = False, **kwargs: Any) -> None:
        self.what = what
        self.past_only = past_only
        self.error_parts: tuple[int, ...] = ()
        # Each part is optional on its own: compress() says which one is missing.
        parts = tuple(forms.CharField(required=False) for _ in PARTS)
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(parts, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"Enter {what}"

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        return DateBoundField(form, self, field_name)

    def clean(self, value: Any) -> Any:
        self.error_parts = ()
        try:
            return super().clean(value)
        except forms.ValidationError:
            self.error_parts = self.error_parts or ALL_PARTS
            raise

    def _refuse(self, parts: tuple[int, ...], message: str) -> forms.ValidationError:
        self.error_parts = parts
        return forms.ValidationError(message)

    def compress(self, data_list: list[Any]) -> dt.date | None:
        values = [str(p or "").strip() for p in (data_list or ["", "", ""])]
        if not any(values):
            return None
        what = self.what[:1].upper() + self.what[1:]
        missing = tuple(i for i, v in enumerate(values) if not v)
        if missing:
            names = " and ".join(PARTS[i] for i in missing)
            raise self._refuse(missing, f"{what} must include a {names}")
        wrong = tuple(i for i, v in enumerate(values) if not v.isdigit())
        if wrong:
            raise self._refuse(wrong, f"{what} must be a real date")
        day, month, year = (int(v) for v in values)
        if len(values[2]) != 4:
            raise self._refuse((2,), f"{what} must include a year with 4 numbers")
        if not 1 <= month <= 12:
            raise self._refuse((1,), f"{what} must be a real date")
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise self._refuse((0,), f"{what} must be a real date") from None
        if self.past_only and date > timezone.localdate():
            raise self._refuse(ALL_PARTS, f"{what} must be today or in the past")
        return date


def paginate(items: Any, per_page: int, request: HttpRequest, param: str = "page") -> Page:
    """The page of `items` that the query string's `param` asks for (the first or last if it is
    not a page number), with `page.links` for templates/includes/pagination.html: each link keeps
    the rest of the query string (the filters, a search, other lists' pages on the same page)."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))

    def url(number: int | str) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    page.links = {  # type: ignore[attr-defined]
        "pages": [
            {"number": n, "url": None if n == Paginator.ELLIPSIS else url(n)} for n in numbers
        ],
        "previous_url": url(page.previous_page_number()) if page.has_previous() else None,
        "next_url": url(page.next_page_number()) if page.has_next() else None,
    }
    return page
