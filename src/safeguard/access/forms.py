"""Sign-in form, and the mixin that gives any Django form GOV.UK Frontend's classes."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.widgets import Input

# GOV.UK Frontend class for each kind of widget; the error modifier is its class + "--error".
_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
    Input: "govuk-input",  # text, number, e-mail, password, date: after the subclasses above
}


def _govuk_class(widget: forms.Widget) -> str | None:
    for widget_type, css_class in _WIDGET_CLASSES.items():
        if isinstance(widget, widget_type):
            return css_class
    return None


class GovukFormMixin:
    """Adds GOV.UK Frontend classes, the error modifier and aria-describedby to each widget,
    so templates/includes/field.html can render `{{ field }}` and stay GOV.UK-shaped.

    `widths` maps a field name to a GOV.UK width class, e.g. {"reference": "govuk-input--width-10"}.
    """

    widths: ClassVar[dict[str, str]] = {}

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css_class = _govuk_class(field.widget)
            if css_class and not isinstance(field.widget, forms.HiddenInput):
                classes = [css_class, self.widths.get(name, "")]
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = " ".join(c for c in [*classes, existing] if c)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            field = self.fields.get(name)
            if field is None or isinstance(field.widget, forms.HiddenInput):
                continue
            css_class = _govuk_class(field.widget)
            attrs = field.widget.attrs
            if css_class and f"{css_class}--error" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} {css_class}--error".strip()
            self._describe(name, f"{self._auto_id(name)}-error")
        for name, field in self.fields.items():
            if field.help_text:
                self._describe(name, f"{self._auto_id(name)}-hint")

    def _auto_id(self, name: str) -> str:
        return self[name].auto_id  # type: ignore[index]

    def _describe(self, name: str, element_id: str) -> None:
        attrs = self.fields[name].widget.attrs
        ids = attrs.get("aria-describedby", "").split()
        if element_id not in ids:
            # The hint comes before the error, as in GOV.UK Frontend's own components.
            ids = sorted([*ids, element_id], key=lambda i: i.endswith("-error"))
            attrs["aria-describedby"] = " ".join(ids)


class LoginForm(GovukFormMixin, AuthenticationForm):
    """Django's sign-in check with GOV.UK wording: errors say what to do."""

    widths = {"username": "govuk-!-width-two-thirds", "password": "govuk-!-width-two-thirds"}

    error_messages = {
        "invalid_login": (
            "Enter a correct username and password. Both are case sensitive; if you have "
            "forgotten either, ask your force administrator"
        ),
        "inactive": "This account has been closed. Ask your force administrator to reopen it",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.error_messages["required"] = "Enter your username"
        password.error_messages["required"] = "Enter your password"
        username.widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        )
        username.widget.attrs.pop("autofocus", None)  # the error summary takes focus instead
        password.widget.attrs["autocomplete"] = "current-password"


class CodeForm(GovukFormMixin, forms.Form):
    """The second step of signing in: a code from the authenticator app, or a recovery code.
    Only its shape is checked here; access.views checks it against the user's devices."""

    widths = {"code": "govuk-input--width-10"}

    code = forms.CharField(
        label="Code",
        help_text=(
            "The 6-digit code your authenticator app shows for Safeguard, "
            "or one of your recovery codes"
        ),
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        )


class SetUpForm(GovukFormMixin, forms.Form):
    """Setting up the authenticator app: the first code it shows proves it has the secret."""

    widths = {"code": "govuk-input--width-5"}

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="For example, 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                "Enter the code as 6 digits, as your authenticator app shows it"
            )
        return code
