"""Forms for people's pages: the reason for a reveal, and the reason for an erasure."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.access.forms import GovukFormMixin
from safeguard.people.services import REVEAL_REASONS


class GovukRadios(forms.RadioSelect):
    """Radios whose field id is the first radio's, so the error summary's link lands on it
    (GOV.UK Design System, Radios: error messages). The template renders the markup."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None or index == "0" else f"{id_}-{int(index) + 1}"


class RevealForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why do you need to see it?",
        choices=list(REVEAL_REASONS.items()),
        widget=GovukRadios,
        error_messages={
            "required": "Select why you need to see this detail",
            "invalid_choice": "Select why you need to see this detail",
        },
    )
    explanation = forms.CharField(
        label="Give details",
        help_text="For example, the visit or referral it is for. This is recorded with your "
        "name and the time. Do not write the detail itself here.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Explain in 500 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "other" and not (data.get("explanation") or "").strip():
            self.add_error("explanation", "Explain why you need to see this detail")
        return data


class ErasureForm(GovukFormMixin, forms.Form):
    purpose = forms.CharField(
        label="Why are these details being erased?",
        help_text="The review decision and its reference. This is recorded with your name and "
        "the time; the erased details are not.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why these details are being erased",
            "max_length": "Explain in 1,000 characters or fewer",
        },
    )


class SearchForm(GovukFormMixin, forms.Form):
    """The search box (a GET form): a name or alias, a crime reference, an offence or an order
    reference. Too short a query is an error rather than every record."""

    q = forms.CharField(
        label="Search for a person, crime reference, offence or order",
        help_text="For example, a surname, an alias, a crime reference such as 36/12345/25, an "
        "offence such as stalking, or an order reference",
        min_length=2,
        max_length=100,
        error_messages={
            "required": "Enter a name, reference or offence to search for",
            "min_length": "Enter at least 2 characters to search for",
            "max_length": "Enter 100 characters or fewer to search for",
        },
    )
    widths = {"q": "govuk-!-width-two-thirds"}


class AdvocateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class AdvocateLinkForm(GovukFormMixin, forms.Form):
    """Choose a victim advocate of the order's force to link to it (orders/advocates.py)."""

    advocate = AdvocateChoiceField(
        label="Which advocate supports the person this order protects?",
        help_text="They will see the order's status, conditions, hearings, expiry and breaches, "
        "for safety planning. They will not see the reports, the evidence or anyone's address.",
        queryset=None,
        empty_label="Choose an advocate",
        error_messages={
            "required": "Select the advocate to link to this order",
            "invalid_choice": "Select an advocate from the list",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, advocates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advocate"].queryset = advocates  # type: ignore[attr-defined]
