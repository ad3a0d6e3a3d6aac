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
