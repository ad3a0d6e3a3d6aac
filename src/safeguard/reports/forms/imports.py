"""The import upload form (GOV.UK Frontend classes from access.forms.GovukFormMixin)."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.access.forms import GovukFormMixin
from safeguard.reports.importers.base import max_bytes
from safeguard.reports.models import ImportKind


class UploadForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What is in the file?",
        choices=ImportKind.choices,
        help_text="The crime reports format is described in the data formats guide.",
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="CSV (saved as 'CSV UTF-8') or Excel workbook (.xlsx).",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file must be smaller than {limit / 1e6:,.0f} MB: split it into smaller files"
            )
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        return upload
