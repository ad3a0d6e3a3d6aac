"""The dashboard's period form and the export form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safeguard.access.forms import GovukFormMixin
from safeguard.oversight.metrics import GRANULARITIES, MAX_DAYS

BY_CHOICES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
assert [c for c, _ in BY_CHOICES] == list(GRANULARITIES)


class PeriodForm(GovukFormMixin, forms.Form):
    widths = {"date_from": "app-input--date", "date_to": "app-input--date"}

    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the start date as a real date, like 2021-04-01"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the end date as a real date, like 2022-03-31"},
    )
    by = forms.ChoiceField(
        label="Show by",
        choices=BY_CHOICES,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error(
                    "date_to", "The end date must be the same as or after the start date"
                )
            elif (end - start).days > MAX_DAYS:
                self.add_error("date_to", "Choose a period of 25 years or less")
        return data

    def period(self, default: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date, str]:
        """The period asked for, each part falling back to the default when not given."""
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("date_from") or default[0]
        end = data.get("date_to") or default[1]
        if end < start or (end - start).days > MAX_DAYS:  # half a period that cannot be shown
            start, end = default
        return start, end, data.get("by") or "month"


FORMAT_CHOICES = [
    ("csv", "CSV (two files: data and metadata)"),
    ("xlsx", "Excel workbook (XLSX)"),
    ("ods", "OpenDocument spreadsheet (ODS, for LibreOffice)"),
]


class ExportForm(PeriodForm):
    fmt = forms.ChoiceField(
        label="Format", choices=FORMAT_CHOICES, widget=forms.RadioSelect, initial="xlsx"
    )
    part = forms.ChoiceField(
        choices=[("", "Data"), ("metadata", "Metadata")], required=False, widget=forms.HiddenInput
    )
    purpose = forms.CharField(
        label="Why are you exporting these figures?",
        help_text="For example, the FOI request reference. This is recorded in the audit trail.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are exporting these figures"},
    )
