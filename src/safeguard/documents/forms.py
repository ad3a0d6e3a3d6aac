"""The form that asks for a document."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.access.forms import GovukFormMixin


class DocumentForm(GovukFormMixin, forms.Form):
    recipients = forms.CharField(
        label="Who is it for?",
        help_text="Recorded in the audit trail as the recipients of this disclosure.",
        max_length=500,
        error_messages={"required": "Enter who the document is for"},
    )
    purpose = forms.CharField(
        label="Why are you making it?",
        help_text="Recorded in the audit trail as the reason for the disclosure.",
        max_length=500,
        error_messages={"required": "Enter why you are making the document"},
    )
    notification = forms.TypedChoiceField(
        label="Which notification are you acknowledging?",
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    with_docx = forms.BooleanField(
        label="Also make a Word (DOCX) copy for the legal team to edit", required=False
    )
    include_protected = forms.TypedMultipleChoiceField(
        label="Include protected details",
        help_text="Left unticked, no address, workplace, phone number or e-mail address of "
        "anyone is put in the document. Tick only if the document cannot do without them.",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    protected_reason = forms.CharField(
        label="Why must these details be in the document?",
        help_text="Recorded in the audit trail with your name.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        notifications: list[tuple[int, str]] | None,
        docx: bool,
        may_include: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        include = self.fields["include_protected"]
        assert isinstance(include, forms.ChoiceField)
        include.choices = people
        if not may_include:
            del self.fields["include_protected"]
            del self.fields["protected_reason"]
        if notifications is None:
            del self.fields["notification"]
        else:
            notification = self.fields["notification"]
            assert isinstance(notification, forms.ChoiceField)
            notification.choices = notifications
            self.fields["notification"].required = True
            self.fields["notification"].error_messages["required"] = (
                "Choose the notification to acknowledge"
            )
        if not docx:
            del self.fields["with_docx"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("include_protected") and not (data.get("protected_reason") or "").strip():
            self.add_error("protected_reason", "Give the reason for including protected details")
        return data
