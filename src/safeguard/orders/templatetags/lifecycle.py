"""Template helpers for an order's life after it is made (orders/lifecycle_*.py).

`{% order_life order as life %}` gives the order page what it shows and offers after the order
(service, notifications, breaches, applications, appeals, expiry), through restrict();
`field|widget_kind` tells the field includes which GOV.UK component renders a Django field.
"""

from __future__ import annotations

from typing import Any

from django import forms, template

from safeguard.orders.lifecycle_forms import DatePartsWidget
from safeguard.orders.lifecycle_selectors import Life, life_of

register = template.Library()


@register.simple_tag(takes_context=True)
def order_life(context: Any, order: Any) -> Life:
    return life_of(context["request"].user, order, context.get("now"))


@register.filter
def widget_kind(bound: Any) -> str:
    widget = bound.field.widget
    if isinstance(widget, DatePartsWidget):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def as_str(value: Any) -> str:
    return "" if value is None else str(value)


@register.filter
def is_chosen(value: Any, current: Any) -> bool:
    """Whether a choice is the field's current value (one value or a list of them)."""
    if isinstance(current, (list, tuple)):
        return str(value) in {str(c) for c in current}
    return current is not None and str(value) == str(current)


@register.filter
def date_parts(value: Any) -> list[Any]:
    """A date field's value as [day, month, year]: what was typed, or the initial date."""
    if isinstance(value, (list, tuple)):
        return list(value) + [None] * (3 - len(value))
    return DatePartsWidget().decompress(value)
