"""The one flow of every form that changes an order (views/application.py, views/lifecycle.py,
views/notices.py).

The view loads the order through its scoped selector (404 outside the user's scope, 403 for a
role that may see but not change it) and binds the form with the order's `version`; then
`save` runs the service call with that version: on success, a banner and a redirect; a stale
form (ConcurrentEdit) comes back with what the user typed, the order's new version (so a second
submit, after checking, goes through) and a clear error; a refusal of the rules is shown as an
error on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguard.orders.models import Order
from safeguard.orders.services import ConcurrentEdit, InvalidStep
from safeguard.reports.services import ReportInvalid
from safeguard.rules.orders import RuleViolation

REFUSALS = (InvalidStep, RuleViolation, ReportInvalid)


def form_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page with a form: GET (or HEAD) shows it, POST sends it; signed in; never cached."""
    return require_http_methods(["GET", "HEAD", "POST"])(login_required(never_cache(view)))


def keep_input(form: BaseForm, stale: ConcurrentEdit) -> None:
    """Keep what the user typed, take the order's new version, and say what happened."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(stale.order.version)
    form.data = data
    form.add_error(
        None,
        f"{stale.order.reference} was changed by someone else while you were filling in this "
        "form. Open the order in a new tab to check what changed, then submit again: what you "
        "typed has been kept",
    )


def attempt(form: BaseForm, write: Callable[[], Any], field: str | None = None) -> bool:
    """Run a service call; turn its refusals into form errors (on `field`, or the whole form).
    True if it succeeded."""
    try:
        write()
    except ConcurrentEdit as stale:
        keep_input(form, stale)
    except REFUSALS as refusal:
        form.add_error(field, str(refusal))
    else:
        return True
    return False


def save(
    request: HttpRequest,
    form: BaseForm,
    write: Callable[..., Any],
    *,
    success: str | Callable[[Any], str],
    to: str | Callable[[Any], str],
    field: str | None = None,
) -> HttpResponse | None:
    """For a POSTed, valid form: `write(data, expected_version=..., by=...)`, the service call
    with the form's cleaned data, the version the user read and the user. On success, the banner
    `success` and a redirect to the URL `to` (either may be worked out from what `write`
    returned); otherwise None, and the view shows the form again with its errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    result: list[Any] = []
    if not attempt(
        form,
        lambda: result.append(write(data, expected_version=data["version"], by=request.user)),
        field,
    ):
        return None
    messages.success(request, success(result[0]) if callable(success) else success)
    return redirect(to(result[0]) if callable(to) else to)


# --- The page of a form about one order (views/lifecycle.py, views/notices.py) --------------

FORM_PAGE = "orders/lifecycle/form_page.html"


def initial_for(order: Order, **extra: Any) -> dict[str, Any]:
    """A form's first values: the order's version as the user reads it, and `extra`."""
    return {"version": order.version, **extra}


def form_page(
    request: HttpRequest, order: Order, form: Any, title: str, **extra: Any
) -> HttpResponse:
    """The form's page (FORM_PAGE unless `template`), titled, with `extra` in its context."""
    return render(
        request,
        extra.pop("template", FORM_PAGE),
        {"order": order, "form": form, "title": title, **extra},
    )


def change_page(
    request: HttpRequest,
    order: Order,
    form: Any,
    write: Callable[..., Any],
    *,
    success: str | Callable[[Any], str],
    to: str,
    title: str,
    field: str | None = None,
    saving: bool = True,
    **extra: Any,
) -> HttpResponse:
    """A form about one order: saved through `write` (`save`: a banner and a redirect to
    `to`), or shown (again, with its errors). `saving` False: shown only (nothing to decide)."""
    done = save(request, form, write, success=success, to=to, field=field) if saving else None
    return done or form_page(request, order, form, title, **extra)


def order_url(order: Order, anchor: str) -> str:
    """The order page, at the part that changed."""
    return reverse("order-detail", args=[order.pk]) + f"#{anchor}"
