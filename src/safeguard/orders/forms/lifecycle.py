"""Forms for an order's life after it is made (issue 4); the police notices' are in notices.py.

Dates are GOV.UK three-part date inputs (safeguard.govuk.DateField); a moment is a date plus a
24-hour time.
Every form that writes carries the order's `version`, handed to the service so a stale form gets
ConcurrentEdit (orders/services/) and is shown again with what the user typed.
Error messages say how to fix the problem, as the GOV.UK Design System asks.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from safeguard.access.forms import GovukFormMixin
from safeguard.compliance.models import BreachOutcome, NotificationKind
from safeguard.govuk import DateField
from safeguard.orders.models import (
    AppealOutcome,
    Appellant,
    Applicant,
    ApplicationKind,
    Outcome,
    ServiceMethod,
)
from safeguard.rules.offences import OFFENCES

# --- Dates and times ------------------------------------------------------------------------


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class TimeField(forms.CharField):
    """A 24-hour time, "14:30" (or "14.30")."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 14:30")
        super().__init__(**kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter {what}"

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "class": "govuk-input--width-4"}

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        match = _TIME.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise forms.ValidationError(
                f"Enter {self.what} as hours and minutes on the 24-hour clock, for example 14:30"
            )
        return dt.time(int(match[1]), int(match[2]))


def at_london(day: dt.date, time: dt.time) -> dt.datetime:
    """A moment typed as a date and time in England and Wales (Europe/London)."""
    return timezone.make_aware(dt.datetime.combine(day, time))


class LifecycleForm(GovukFormMixin, forms.Form):
    """Carries the order's version; joins date and time pairs into moments."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    # (date field, time field, cleaned name, "in the future" message or "")
    moments: tuple[tuple[str, str, str, str], ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day_name, time_name, name, future in self.moments:
            day, time = cleaned.get(day_name), cleaned.get(time_name)
            if day is None or time is None:
                continue
            moment = at_london(day, time)
            if future and moment > timezone.now() + dt.timedelta(minutes=5):
                self.add_error(time_name if day == timezone.localdate() else day_name, future)
                continue
            cleaned[name] = moment
        return cleaned


class Radios(forms.RadioSelect):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_  # the first radio has the field's id: the error summary links to it


class Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


def radios(choices: list[tuple[str, str]], **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=Radios, **kwargs)


# --- Service --------------------------------------------------------------------------------


class ServiceForm(LifecycleForm):
    served_on = DateField(label="Date served", what="the date it was served", past_only=True)
    served_time = TimeField(label="Time served", what="the time it was served")
    method = radios(
        ServiceMethod.choices,
        label="How was it served?",
        error_messages={"required": "Choose how the order was served"},
    )
    served_by = forms.CharField(
        label="Served by",
        help_text="Rank, collar number and name, for example PC 1234 Sam Okafor",
        max_length=200,
        error_messages={"required": "Enter who served the order"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    moments = (
        ("served_on", "served_time", "served_at", "The time served must be now or in the past"),
    )


# --- Notifications --------------------------------------------------------------------------


class ChangeForm(LifecycleForm):
    """The defendant changed name or address: a new duty to notify starts (SPA 2019 s.9(3)-(7);
    DAA 2021 s.41)."""

    kind = radios(
        [],
        label="What has changed?",
        error_messages={"required": "Choose what has changed"},
    )
    changed_on = DateField(label="Date of the change", what="the date of the change")
    changed_time = TimeField(
        label="Time of the change",
        what="the time of the change",
        help_text="If not known, enter 12:00. Use the 24-hour clock, for example 14:30",
    )
    moments = (("changed_on", "changed_time", "changed_at", "The change must be now or past"),)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, NotificationKind(k).label) for k in kinds]


class NotificationMadeForm(LifecycleForm):
    notified_on = DateField(
        label="Date notified", what="the date the defendant notified", past_only=True
    )
    notified_time = TimeField(label="Time notified", what="the time the defendant notified")
    police_station = forms.CharField(
        label="Police station",
        help_text="Where the defendant notified in person (SPA 2019 s.10(1))",
        max_length=200,
        error_messages={"required": "Enter the police station where the defendant notified"},
    )
    received_by = forms.CharField(
        label="Received by",
        help_text="Rank, collar number and name of the officer who took it",
        max_length=200,
        error_messages={"required": "Enter who received the notification"},
    )
    details = forms.CharField(
        label="What was notified (optional)",
        help_text="Do not type an address here: record addresses on the person's page, where "
        "they are protected",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    moments = (
        (
            "notified_on",
            "notified_time",
            "notified_at",
            "The time notified must be now or in the past",
        ),
    )


class AcknowledgeForm(LifecycleForm):
    acknowledged_on = DateField(
        label="Date acknowledged", what="the date the acknowledgment was given", past_only=True
    )
    acknowledged_time = TimeField(
        label="Time acknowledged", what="the time the acknowledgment was given"
    )
    moments = (
        (
            "acknowledged_on",
            "acknowledged_time",
            "acknowledged_at",
            "The acknowledgment must be now or in the past",
        ),
    )


# --- Breaches -------------------------------------------------------------------------------

EXISTING, NEW, NONE = "existing", "new", "none"


class BreachForm(LifecycleForm):
    occurred_on = DateField(
        label="Date of the breach", what="the date of the breach", past_only=True
    )
    occurred_time = TimeField(label="Time of the breach", what="the time of the breach")
    description = forms.CharField(
        label="What happened",
        help_text="Which condition was breached and how",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what happened"},
    )
    report_choice = radios(
        [
            (EXISTING, "An existing report of the defendant"),
            (NEW, "A new report"),
            (NONE, "No report yet"),
        ],
        label="Which crime report records it?",
        error_messages={"required": "Choose which report records the breach"},
    )
    report = forms.ChoiceField(label="Report", required=False)
    new_reference = forms.CharField(
        label="Crime reference of the new report", required=False, max_length=40
    )
    new_offence = forms.ChoiceField(
        label="Offence",
        required=False,
        choices=[("", "Choose the offence"), *((c, o.title) for c, o in OFFENCES.items())],
    )
    arrested = forms.BooleanField(label="The defendant was arrested", required=False)
    arrested_on = DateField(
        label="Date of arrest", what="the date of the arrest", past_only=True, required=False
    )
    arrested_time = TimeField(label="Time of arrest", what="the time of the arrest", required=False)
    moments = (
        ("occurred_on", "occurred_time", "occurred_at", "The breach must be now or in the past"),
        ("arrested_on", "arrested_time", "arrested_at", "The arrest must be now or in the past"),
    )

    def __init__(self, *args: Any, reports: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a report"), *((str(pk), label) for pk, label in reports)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        choice = cleaned.get("report_choice")
        if choice == EXISTING and not cleaned.get("report"):
            self.add_error("report", "Choose the report that records the breach")
        if choice == NEW:
            if not (cleaned.get("new_reference") or "").strip():
                self.add_error("new_reference", "Enter the crime reference of the new report")
            if not cleaned.get("new_offence"):
                self.add_error("new_offence", "Choose the offence the new report records")
        if cleaned.get("arrested"):
            if cleaned.get("arrested_on") is None and "arrested_on" not in self.errors:
                self.add_error("arrested_on", "Enter the date of the arrest")
            if cleaned.get("arrested_time") is None and "arrested_time" not in self.errors:
                self.add_error("arrested_time", "Enter the time of the arrest")
        else:
            cleaned.pop("arrested_at", None)
        return cleaned


class BreachOutcomeForm(LifecycleForm):
    outcome = radios(
        BreachOutcome.choices,
        label="What is the outcome?",
        error_messages={"required": "Choose the outcome of the breach"},
    )


# --- Applications to the court and appeals --------------------------------------------------


class CourtApplicationForm(LifecycleForm):
    kind = radios([], label="What is the application for?")
    applicant = radios(
        Applicant.choices,
        label="Who is applying?",
        error_messages={"required": "Choose who is applying"},
    )
    made_on = DateField(
        label="Date the application was made", what="the date it was made", past_only=True
    )
    grounds = forms.CharField(
        label="Grounds",
        help_text="Why the order should change, with the evidence",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the grounds for the application"},
    )
    defendant_consents = forms.BooleanField(label="The defendant consents", required=False)
    chief_officer_consents = forms.BooleanField(label="The chief officer consents", required=False)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (k, {"variation": "Vary", "renewal": "Renew", "discharge": "Discharge"}[k])
            for k in kinds
        ]
        field.error_messages["required"] = "Choose what the application is for"
        field.error_messages["invalid_choice"] = "Choose what the application is for"


DECISION_OUTCOMES = [
    (Outcome.GRANTED.value, "Granted"),
    (Outcome.REFUSED.value, "Refused"),
    (Outcome.ADJOURNED.value, "Adjourned"),
    (Outcome.WITHDRAWN.value, "Withdrawn"),
]


class CourtDecisionForm(LifecycleForm):
    outcome = radios(
        DECISION_OUTCOMES,
        label="What did the court decide?",
        error_messages={"required": "Choose what the court decided"},
    )
    decided_on = DateField(
        label="Date of the decision", what="the date of the decision", past_only=True
    )
    reasons = forms.CharField(
        label="The court's reasons",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    remove = forms.MultipleChoiceField(
        label="Conditions removed",
        required=False,
        widget=Checkboxes,
    )
    add_code = forms.ChoiceField(label="Condition added (optional)", required=False)
    add_wording = forms.CharField(
        label="Wording of the added condition (optional)",
        help_text="Leave blank to use the catalogue's wording",
        required=False,
        max_length=1000,
    )
    add_necessity = forms.CharField(
        label="Why the added condition is necessary",
        help_text="Each condition must be necessary to protect the person (SPA 2019 s.2(2))",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_ends_on = DateField(label="New end date (renewal)", what="the new end date", required=False)
    until_further_order = forms.BooleanField(label="Renewed until further order", required=False)

    def __init__(
        self,
        *args: Any,
        kind: str,
        conditions: list[tuple[int, str]],
        catalogue: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        remove = self.fields["remove"]
        assert isinstance(remove, forms.MultipleChoiceField)
        remove.choices = [(str(pk), text) for pk, text in conditions]
        add = self.fields["add_code"]
        assert isinstance(add, forms.ChoiceField)
        add.choices = [("", "No condition added"), *catalogue]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome in (Outcome.REFUSED, Outcome.ADJOURNED) and not cleaned.get("reasons"):
            self.add_error("reasons", "Enter the court's reasons")
        granted = outcome == Outcome.GRANTED
        if (
            granted
            and self.kind == ApplicationKind.RENEWAL
            and not cleaned.get("until_further_order")
            and cleaned.get("new_ends_on") is None
            and "new_ends_on" not in self.errors
        ):
            self.add_error("new_ends_on", "Enter the new end date, or tick until further order")
        if (
            granted
            and self.kind == ApplicationKind.VARIATION
            and not cleaned.get("remove")
            and not cleaned.get("add_code")
        ):
            self.add_error("remove", "Choose a condition removed or a condition added")
        return cleaned


class AppealForm(LifecycleForm):
    appellant = radios(
        Appellant.choices,
        label="Who is appealing?",
        error_messages={"required": "Choose who is appealing"},
    )
    against = forms.CharField(
        label="What decision is appealed against?",
        help_text="For example, the making of the order, or the refusal to discharge it",
        max_length=200,
        error_messages={"required": "Enter the decision appealed against"},
    )
    lodged_on = DateField(
        label="Date lodged", what="the date the appeal was lodged", past_only=True
    )


class AppealDecisionForm(LifecycleForm):
    outcome = radios(
        [c for c in AppealOutcome.choices if c[0] != AppealOutcome.PENDING],
        label="What did the Crown Court decide?",
        error_messages={"required": "Choose the outcome of the appeal"},
    )
    decided_on = DateField(
        label="Date of the decision", what="the date of the decision", past_only=True
    )
