"""Forms for an order's life after it is made, and for police notices (issue 4).

Dates are GOV.UK three-part date inputs (DateParts); a moment is a date plus a 24-hour time.
Every form that writes carries the order's `version`, handed to the service so a stale form gets
ConcurrentEdit (orders/services.py) and is shown again with what the user typed.
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
from safeguard.orders.models import (
    AppealOutcome,
    Appellant,
    Applicant,
    ApplicationKind,
    Outcome,
    ServiceMethod,
)
from safeguard.rules.offences import OFFENCES
from safeguard.rules.orders import RANKS

# --- Dates and times ------------------------------------------------------------------------


class DatePartsWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes (rendered by lifecycle/date_field.html)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        def box(width: str) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input {width}",
                    "inputmode": "numeric",
                }
            )

        super().__init__(
            [box("govuk-input--width-2"), box("govuk-input--width-2"), box("govuk-input--width-4")],
            attrs,
        )

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else ""  # the error summary links to the day box

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DatePartsField(forms.MultiValueField):
    """A date typed into three boxes, with the GOV.UK error messages: which part is missing,
    or that it must be a real date. `what` names it in messages ("the date it was served")."""

    widget = DatePartsWidget

    def __init__(self, *, what: str, past_only: bool = False, **kwargs: Any) -> None:
        self.what = what
        self.past_only = past_only
        parts = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(parts, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"Enter {what}"

    def compress(self, data_list: list[Any]) -> dt.date | None:
        if not data_list or not any(str(p or "").strip() for p in data_list):
            return None
        names = ("day", "month", "year")
        values = [str(p or "").strip() for p in data_list]
        missing = [n for n, v in zip(names, values, strict=True) if not v]
        if missing:
            raise forms.ValidationError(
                f"{self.what.capitalize()} must include a {' and '.join(missing)}"
            )
        if not all(v.isdigit() for v in values) or len(values[2]) != 4:
            raise forms.ValidationError(
                f"{self.what.capitalize()} must be a real date, with a 4-digit year"
            )
        try:
            day = dt.date(int(values[2]), int(values[1]), int(values[0]))
        except ValueError:
            raise forms.ValidationError(f"{self.what.capitalize()} must be a real date") from None
        if self.past_only and day > timezone.localdate():
            raise forms.ValidationError(f"{self.what.capitalize()} must be today or in the past")
        return day


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
    served_on = DatePartsField(label="Date served", what="the date it was served", past_only=True)
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
    changed_on = DatePartsField(label="Date of the change", what="the date of the change")
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
    notified_on = DatePartsField(
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
    acknowledged_on = DatePartsField(
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
    occurred_on = DatePartsField(
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
    arrested_on = DatePartsField(
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
    made_on = DatePartsField(
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
    decided_on = DatePartsField(
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
    new_ends_on = DatePartsField(
        label="New end date (renewal)", what="the new end date", required=False
    )
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
    lodged_on = DatePartsField(
        label="Date lodged", what="the date the appeal was lodged", past_only=True
    )


class AppealDecisionForm(LifecycleForm):
    outcome = radios(
        [c for c in AppealOutcome.choices if c[0] != AppealOutcome.PENDING],
        label="What did the Crown Court decide?",
        error_messages={"required": "Choose the outcome of the appeal"},
    )
    decided_on = DatePartsField(
        label="Date of the decision", what="the date of the decision", past_only=True
    )


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
    given_on = DatePartsField(
        label="Date given", what="the date the notice was given", past_only=True
    )
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
    hearing_on = DatePartsField(label="Hearing date", what="the date of the hearing")
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
    decided_on = DatePartsField(
        label="Date of the decision", what="the date of the decision", past_only=True
    )
    decided_time = TimeField(label="Time of the decision", what="the time of the decision")
    ends_on = DatePartsField(label="Order ends on", what="the date the order ends", required=False)
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
