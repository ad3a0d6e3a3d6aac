"""Forms for police notices (DVPN, DAPN, issue 4) and the order that follows one: which notice
and on which report, the notice itself, the application to the court and its decision. Built on
the lifecycle forms' parts (lifecycle.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from safeguard.access.forms import GovukFormMixin
from safeguard.govuk import DateField
from safeguard.orders.forms.lifecycle import (
    Checkboxes,
    LifecycleForm,
    TimeField,
    at_london,
    radios,
)
from safeguard.orders.models import (
    Outcome,
)
from safeguard.rules.orders import RANKS

# --- Police notices (DVPN, DAPN) and the order that follows ---------------------------------


class NoticeStartForm(GovukFormMixin, forms.Form):
    """Step 1: which notice, and the report it is given on (a GET form)."""

    order_type = radios([], label="Which notice?")
    report = forms.ChoiceField(
        label="Incident report",
        help_text="The report of the incident the notice is given for",
        error_messages={"required": "Choose the incident report"},
    )

    def __init__(
        self,
        *args: Any,
        types: list[tuple[str, str]],
        reports: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["order_type"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = types
        kind.error_messages["required"] = "Choose which notice to give"
        kind.error_messages["invalid_choice"] = "Choose which notice to give"
        report = self.fields["report"]
        assert isinstance(report, forms.ChoiceField)
        report.choices = [("", "Choose a report"), *((str(pk), text) for pk, text in reports)]
        report.error_messages["invalid_choice"] = "Choose a report from the list"


class NoticeForm(GovukFormMixin, forms.Form):
    """Step 2: the people from the report, the conditions, and the authorising officer."""

    suspect = radios([], label="Who is the notice given to?")
    protected = forms.MultipleChoiceField(
        label="Who does it protect?",
        widget=Checkboxes,
        error_messages={"required": "Choose at least one person the notice protects"},
    )
    conditions = forms.MultipleChoiceField(
        label="What does it prohibit or require?",
        widget=Checkboxes,
        error_messages={"required": "Choose at least one condition"},
    )
    authorised_by = forms.CharField(
        label="Authorising officer",
        help_text="Collar number and name, for example 4410 Ruth Adeyemi",
        max_length=200,
        error_messages={"required": "Enter the name of the authorising officer"},
    )
    authoriser_rank = forms.ChoiceField(
        label="Rank of the authorising officer",
        choices=[("", "Choose a rank"), *((r, r.capitalize()) for r in RANKS)],
        error_messages={"required": "Choose the rank of the authorising officer"},
    )
    given_on = DateField(label="Date given", what="the date the notice was given", past_only=True)
    given_time = TimeField(label="Time given", what="the time the notice was given")

    def __init__(
        self,
        *args: Any,
        parties: list[tuple[int, str]],
        suspects: list[tuple[int, str]],
        catalogue: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        suspect = self.fields["suspect"]
        assert isinstance(suspect, forms.ChoiceField)
        suspect.choices = [(str(pk), text) for pk, text in suspects]
        suspect.error_messages["required"] = "Choose the person the notice is given to"
        protected = self.fields["protected"]
        assert isinstance(protected, forms.MultipleChoiceField)
        protected.choices = [(str(pk), text) for pk, text in parties]
        conditions = self.fields["conditions"]
        assert isinstance(conditions, forms.MultipleChoiceField)
        conditions.choices = catalogue

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        suspect, protected = cleaned.get("suspect"), cleaned.get("protected") or []
        if suspect and suspect in protected:
            self.add_error(
                "protected", "The person the notice is given to cannot also be protected"
            )
        day, time = cleaned.get("given_on"), cleaned.get("given_time")
        if day and time:
            moment = at_london(day, time)
            if moment > timezone.now() + dt.timedelta(minutes=5):
                self.add_error("given_time", "The time given must be now or in the past")
            else:
                cleaned["given_at"] = moment
        return cleaned


class FollowingApplicationForm(LifecycleForm):
    """The application to the magistrates' court for the order that must follow a notice."""

    court = forms.CharField(
        label="Magistrates' court",
        max_length=200,
        error_messages={"required": "Enter the magistrates' court hearing the application"},
    )
    hearing_on = DateField(label="Hearing date", what="the date of the hearing")
    hearing_time = TimeField(label="Hearing time", what="the time of the hearing")
    moments = (("hearing_on", "hearing_time", "hearing_at", ""),)


class OrderMadeForm(LifecycleForm):
    """What the magistrates decided on the order application that followed a notice."""

    outcome = radios(
        [
            (Outcome.GRANTED.value, "The order was made"),
            (Outcome.REFUSED.value, "Refused"),
            (Outcome.ADJOURNED.value, "Adjourned"),
        ],
        label="What did the court decide?",
        error_messages={"required": "Choose what the court decided"},
    )
    decided_on = DateField(
        label="Date of the decision", what="the date of the decision", past_only=True
    )
    decided_time = TimeField(label="Time of the decision", what="the time of the decision")
    ends_on = DateField(label="Order ends on", what="the date the order ends", required=False)
    until_further_order = forms.BooleanField(label="Until further order", required=False)
    reasons = forms.CharField(
        label="The court's reasons",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    moments = (
        ("decided_on", "decided_time", "decided_at", "The decision must be now or in the past"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome in (Outcome.REFUSED, Outcome.ADJOURNED) and not cleaned.get("reasons"):
            self.add_error("reasons", "Enter the court's reasons")
        if (
            outcome == Outcome.GRANTED
            and cleaned.get("ends_on") is None
            and not cleaned.get("until_further_order")
            and "ends_on" not in self.errors
        ):
            self.add_error("ends_on", "Enter the date the order ends")
        return cleaned
