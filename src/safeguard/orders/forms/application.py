"""Forms of the application builder, the legal review and the hearing (issue 4).

Each change form carries the order's version as it was read (hidden `version`), so the service
can refuse a stale write (orders.services.ConcurrentEdit) and the page shows the form again with
everything the user typed. Error messages say how to fix the problem (GOV.UK Design System).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.utils import timezone

from safeguard.access.forms import GovukFormMixin
from safeguard.govuk import DateField
from safeguard.orders.models import Condition, Order, Outcome, ReviewDecision

# --- GOV.UK components Django does not have -------------------------------------------------


class GovukRadioSelect(forms.RadioSelect):
    """Radios whose label target (for the error summary's link) is the first radio."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_time(value: str, what: str) -> dt.time:
    match = TIME_RE.match(value.strip())
    if not match:
        raise forms.ValidationError(
            f"Enter the {what} as hours and minutes on the 24-hour clock, for example 10:00 or 14:30"
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


def at_local(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class ApplicationForm(GovukFormMixin, forms.Form):
    """The base: the version the user read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        self.order = order
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", order.version)
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and "version" in self.errors:
            # A hidden field's error would show nowhere: say it at the top instead.
            del self.errors["version"]
            self.add_error(None, "This page is out of date. Reload it, then try again")

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


# --- The builder ----------------------------------------------------------------------------


class EvidenceForm(ApplicationForm):
    evidence = forms.CharField(
        label="Evidence for this test",
        help_text="What the reports, statements and checks show. Name dates, places and what "
        "the defendant did.",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        error_messages={
            "required": "Enter the evidence for this test",
            "max_length": "Evidence must be 10,000 characters or fewer",
        },
    )
    reports = forms.MultipleChoiceField(
        label="Reports this evidence relies on",
        required=False,
        widget=GovukCheckboxes,
        error_messages={"invalid_choice": "Select only reports linked to this application"},
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, order=order, **kwargs)
        self._choice("reports").choices = [
            (
                r.reference,
                f"{r.reference}: {r.get_offence_code_display()}, {r.occurred_from:%-d %B %Y}",
            )
            for r in order.reports.all()
        ]


class VictimViewsForm(ApplicationForm):
    victim_views = forms.CharField(
        label="What are the victim's views on the application and the proposed conditions?",
        help_text="Record when and how you asked them, what they said, and any concern about "
        "their safety if the order is made.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={
            "required": "Enter the victim's views, or say why they could not be asked",
            "max_length": "The victim's views must be 10,000 characters or fewer",
        },
    )


class ConditionForm(ApplicationForm):
    code = forms.ChoiceField(
        label="Which prohibition or requirement?",
        widget=GovukRadioSelect,
        error_messages={"required": "Select a prohibition or requirement"},
    )
    wording = forms.CharField(
        label="Wording for the order (optional)",
        help_text="Leave blank to use the standard wording",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    locality = forms.CharField(
        label="Where it applies (optional)",
        help_text="Conditions apply across the UK unless limited to a place "
        "(Stalking Protection Act 2019 s.2(4))",
        required=False,
        max_length=200,
    )
    necessity = forms.CharField(
        label="Why is this condition necessary to protect the person?",
        help_text="The court may impose it only if it is necessary to protect the person from "
        "the risk (Stalking Protection Act 2019 s.2(2)). Refer to the evidence.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={
            "required": "Explain why this condition is necessary to protect the person",
            "max_length": "The justification must be 5,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, order=order, **kwargs)
        self._choice("code").choices = [
            (c.code, f"{c.title} ({c.kind})") for c in order.spec.conditions
        ]


class CourtForm(ApplicationForm):
    widths = {"court": "govuk-!-width-two-thirds", "hearing_time": "govuk-input--width-5"}

    court = forms.CharField(
        label="Magistrates' court",
        help_text="For example, Norwich Magistrates' Court",
        max_length=200,
        error_messages={"required": "Enter the name of the magistrates' court"},
    )
    hearing_date = DateField(
        what="the hearing date",
        label="Hearing date (if the court has given one)",
        help_text="For example, 27 3 2027",
        required=False,
    )
    hearing_time = forms.CharField(
        label="Hearing time", help_text="For example, 10:00", required=False, max_length=5
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, time = data.get("hearing_date"), (data.get("hearing_time") or "").strip()
        if day and not time:
            self.add_error("hearing_time", "Enter the hearing time, for example 10:00")
        elif time and not day and "hearing_date" not in self.errors:
            self.add_error("hearing_date", "Enter the hearing date, or leave the time blank")
        elif day and time:
            try:
                data["hearing_at"] = at_local(day, parse_time(time, "hearing time"))
            except forms.ValidationError as error:
                self.add_error("hearing_time", error)
        return data


class ReviewRequestForm(ApplicationForm):
    note = forms.CharField(
        label="Note for the legal adviser (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VersionForm(ApplicationForm):
    """A button that changes the order: the version, nothing else."""


# --- The legal review -----------------------------------------------------------------------


class DecisionForm(ApplicationForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (ReviewDecision.APPROVED.value, "Approve: make the application to the court"),
            (ReviewDecision.CHANGES_REQUESTED.value, "Send it back with changes needed"),
        ],
        widget=GovukRadioSelect,
        error_messages={"required": "Select whether to approve the application or ask for changes"},
    )
    comments = forms.CharField(
        label="Comments",
        help_text="If you are asking for changes, say what needs to change and why",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("decision") == ReviewDecision.CHANGES_REQUESTED
            and not (data.get("comments") or "").strip()
        ):
            self.add_error(
                "comments", "Say what needs to change, so the coordinator can put it right"
            )
        return data


# --- The hearing ----------------------------------------------------------------------------

OUTCOME_CHOICES = [
    (Outcome.GRANTED.value, "Granted as asked"),
    (Outcome.GRANTED_CHANGED.value, "Granted with changed conditions"),
    (Outcome.REFUSED.value, "Refused"),
    (Outcome.ADJOURNED.value, "Adjourned to a new date"),
]


class HearingOutcomeForm(ApplicationForm):
    widths = {"decided_time": "govuk-input--width-5", "next_time": "govuk-input--width-5"}

    outcome = forms.ChoiceField(
        label="What did the court decide?",
        choices=OUTCOME_CHOICES,
        widget=GovukRadioSelect,
        error_messages={"required": "Select what the court decided"},
    )
    decided_on = DateField(
        what="the date of the decision",
        label="Date of the decision",
        help_text="For example, 27 3 2027",
    )
    decided_time = forms.CharField(
        label="Time of the decision",
        help_text="For example, 11:30",
        max_length=5,
        error_messages={"required": "Enter the time of the decision, for example 11:30"},
    )
    term = forms.ChoiceField(
        label="How long does the order last?",
        choices=[("until_further_order", "Until further order"), ("fixed", "Until a set date")],
        widget=GovukRadioSelect,
        required=False,
    )
    ends_on = DateField(
        what="the date the order ends",
        label="Last day of the order",
        help_text="For an interim order, the date the court set. For example, 27 3 2029",
        required=False,
    )
    conditions = forms.MultipleChoiceField(
        label="If the court changed the conditions: the conditions it granted",
        help_text="Untick any the court did not grant",
        widget=GovukCheckboxes,
        required=False,
    )
    reasons = forms.CharField(
        label="The court's reasons",
        help_text="Needed if the court refused or adjourned",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_date = DateField(
        what="the date of the adjourned hearing",
        label="Date of the adjourned hearing",
        required=False,
    )
    next_time = forms.CharField(label="Time of the adjourned hearing", required=False, max_length=5)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, order=order, **kwargs)
        conditions: list[Condition] = list(order.conditions.all())
        self._choice("conditions").choices = [(str(c.pk), c.wording) for c in conditions]
        self.fields["conditions"].initial = [str(c.pk) for c in conditions]
        if order.spec.term.fixed_term_required:
            self._choice("term").choices = [("fixed", "Until a set date")]
            self.fields["term"].initial = "fixed"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        outcome = data.get("outcome")
        if data.get("decided_on") and data["decided_on"] > timezone.localdate():
            self.add_error("decided_on", "The date of the decision must be today or in the past")
        elif data.get("decided_on") and data.get("decided_time"):
            try:
                data["decided_at"] = at_local(
                    data["decided_on"], parse_time(data["decided_time"], "time of the decision")
                )
            except forms.ValidationError as error:
                self.add_error("decided_time", error)
        if outcome in (Outcome.GRANTED, Outcome.GRANTED_CHANGED):
            term = data.get("term")
            if not term:
                self.add_error("term", "Select how long the order lasts")
            elif term == "fixed" and not data.get("ends_on") and "ends_on" not in self.errors:
                self.add_error("ends_on", "Enter the date the order ends")
        if outcome == Outcome.GRANTED_CHANGED and not data.get("conditions"):
            self.add_error("conditions", "Select the conditions the court granted")
        if (
            outcome in (Outcome.REFUSED, Outcome.ADJOURNED)
            and not (data.get("reasons") or "").strip()
        ):
            self.add_error("reasons", "Enter the court's reasons")
        if outcome == Outcome.ADJOURNED:
            day, time = data.get("next_date"), (data.get("next_time") or "").strip()
            if not day and "next_date" not in self.errors:
                self.add_error("next_date", "Enter the date of the adjourned hearing")
            if not time:
                self.add_error(
                    "next_time", "Enter the time of the adjourned hearing, for example 10:00"
                )
            elif day:
                try:
                    data["next_hearing_at"] = at_local(
                        day, parse_time(time, "time of the adjourned hearing")
                    )
                except forms.ValidationError as error:
                    self.add_error("next_time", error)
        return data
