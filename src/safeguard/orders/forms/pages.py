"""Forms for the orders pages. Filters only for now; case-work forms arrive with issue 4."""

from __future__ import annotations

from django import forms

from safeguard.access.forms import GovukFormMixin
from safeguard.orders.models import ORDER_TYPE_CHOICES, STATE_CHOICES
from safeguard.orders.selectors import DEFAULT_SORT, SORT_CHOICES


class OrderFilterForm(GovukFormMixin, forms.Form):
    """The order list's filters (a GET form). An unknown sort falls back to the default rather
    than failing, because it only ever comes from a column heading link."""

    order_type = forms.ChoiceField(
        label="Order type",
        choices=[("", "All order types"), *ORDER_TYPE_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Select an order type from the list"},
    )
    state = forms.ChoiceField(
        label="State",
        choices=[("", "All states"), *STATE_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Select a state from the list"},
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_sort(self) -> str:
        sort = self.cleaned_data.get("sort") or DEFAULT_SORT
        return sort if sort in SORT_CHOICES else DEFAULT_SORT

    def filters(self) -> dict[str, str]:
        """The valid filters, for orders.selectors.orders_for; none if the form is invalid."""
        if not self.is_valid():
            return {"sort": DEFAULT_SORT}
        return {
            "order_type": self.cleaned_data["order_type"],
            "state": self.cleaned_data["state"],
            "sort": self.cleaned_data["sort"],
        }
