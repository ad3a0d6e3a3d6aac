"""Forms for the screening pages."""

from __future__ import annotations

from django import forms

from safeguard.access.forms import GovukFormMixin
from safeguard.screening.models import CandidateStatus, Decision


class LinkDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Are these records the same person?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether these records are the same person"},
    )
    reason = forms.CharField(
        label="Why",
        help_text="For example: PNC checked, different dates of birth confirmed with the victim",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for your decision"},
    )


class CandidateStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (CandidateStatus.REVIEWING, "Being reviewed"),
            (CandidateStatus.DISMISSED, "Dismissed: no application needed"),
            (CandidateStatus.NEW, "New"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status"},
    )
    note = forms.CharField(
        label="Note",
        help_text="Needed when you dismiss a case: say why no application is needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("status") == CandidateStatus.DISMISSED and not data.get("note", "").strip():
            self.add_error("note", "Enter why no application is needed")
        return data


class QueueFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Show",
        choices=[("open", "New and being reviewed"), *CandidateStatus.choices, ("", "All")],
        required=False,
    )
