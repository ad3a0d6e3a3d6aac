"""Forms of the officer's journey: recording a report one question page at a time, referring it
to the SPO coordinator, and filtering the reports list.

Each form checks only what a form can (a field is filled in, a date is a real date); the rules of
a report (a date in the future, a person with no name...) are `reports.services.check_report`'s,
which the views run on every page so that its problems show on the field they are about.
"""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.access.forms import GovukFormMixin
from safeguard.govuk import DateField
from safeguard.people.models import Sex
from safeguard.reports.models import BEHAVIOUR_CHOICES, OFFENCE_CHOICES, Relationship
from safeguard.rules.offences import STALKING_AND_HARASSMENT_CODES
from safeguard.rules.risk import SDASH_QUESTIONS

# The offences an officer records here: the stalking and harassment group (DOMAIN.md 5.3).
REPORT_OFFENCES = [(c, label) for c, label in OFFENCE_CHOICES if c in STALKING_AND_HARASSMENT_CODES]


class StepForm(GovukFormMixin, forms.Form):
    """A page of the report journey."""


class OffenceForm(StepForm):
    reference = forms.CharField(
        label="Crime reference",
        max_length=40,
        help_text="The force's crime reference, as on the crime recording system",
        error_messages={"required": "Enter the crime reference"},
    )
    offence_code = forms.ChoiceField(
        label="What offence is it?",
        choices=REPORT_OFFENCES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the offence"},
    )
    reported_on = DateField(
        label="When was it reported to the police?",
        what="the date it was reported",
        help_text="For example, 27 3 2025",
    )
    occurred_from = DateField(
        label="When did the conduct start?",
        what="the date the conduct started",
        help_text="The first incident you know of. For example, 2 1 2025",
    )
    occurred_to = DateField(
        label="When did the conduct end? (optional)",
        what="the date the conduct ended",
        required=False,
        help_text="Leave blank if it is still going on",
    )
    summary = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In your own words: who did what, when and where. Do not write addresses here.",
        error_messages={"required": "Enter what happened"},
    )
    widths = {"reference": "govuk-input--width-20"}


class PartyForm(StepForm):
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    surname = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = DateField(
        label="Date of birth (if known)",
        what="the date of birth",
        required=False,
        help_text="For example, 31 3 1985",
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's sex, or 'Not known'"},
    )
    address = forms.CharField(
        label="Home address (if known)",
        required=False,
        # Not kept by the browser either (autocomplete off: no refill on a shared computer).
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="Kept encrypted and hidden; shown only to those who reveal it with a reason",
    )
    postcode = forms.CharField(
        label="Postcode (if known)",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    widths = {
        "given_name": "govuk-input--width-20",
        "surname": "govuk-input--width-20",
        "postcode": "govuk-input--width-10",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("postcode", "").strip() and not data.get("address", "").strip():
            self.add_error("address", "Enter the home address as well, or leave the postcode blank")
        return data


class VictimForm(PartyForm):
    pass


class SuspectForm(PartyForm):
    relationship_to_victim = forms.ChoiceField(
        label="What is the suspect's relationship to the victim?",
        choices=Relationship.choices,
        initial=Relationship.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the relationship, or 'Not known'"},
    )


class BehavioursForm(StepForm):
    behaviours = forms.MultipleChoiceField(
        label="What has the suspect done?",
        choices=BEHAVIOUR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. These are the acts associated with stalking "
        "(Protection from Harassment Act 1997 s.2A(3)).",
    )


ANSWERS = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
ANSWER_VALUES: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}


def answer_key(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


class RiskForm(StepForm):
    """The 11 S-DASH screening questions (DOMAIN.md 5.1; rules/risk.py), each yes, no or not
    known: a 'not known' is not a 'no'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in SDASH_QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=question,
                choices=ANSWERS,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select yes, no or not known: {question[0].lower()}{question[1:]}"
                },
            )
        # The GOV.UK classes are added in GovukFormMixin.__init__, before these fields existed.
        for key, _ in SDASH_QUESTIONS:
            self.fields[key].widget.attrs["class"] = "govuk-radios__input"


class ReferralForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="Why should the coordinator consider an order?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="For example, the conduct is continuing after a warning, or the victim is very "
        "frightened. The coordinator reads this with the report.",
        error_messages={"required": "Enter why you are referring this report"},
    )


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept: consider an application"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select accept or decline"},
    )
    note = forms.CharField(
        label="Note to the officer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Required when you decline: say why",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not data.get("note", "").strip():
            self.add_error("note", "Enter why you are declining the referral")
        return data


class ReportFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Reference", required=False, max_length=40)
    offence = forms.ChoiceField(
        label="Offence", required=False, choices=[("", "Any offence"), *OFFENCE_CHOICES]
    )
    widths = {"q": "govuk-input--width-10"}
