"""Forms for the deadlines pages."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.access.forms import GovukFormMixin
from safeguard.compliance.models import ReviewDecision


class ReviewDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="What will happen?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what will happen"},
    )
    note = forms.CharField(
        label="What happens next",
        help_text="For example: the application to renew will be made by 3 March.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, decisions: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(d, ReviewDecision(d).label) for d in decisions]
