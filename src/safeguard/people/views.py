"""Pages for people: a person's record, revealing a protected detail, erasure at review.

Thin: reads are in people/selectors.py, writes in people/services.py, both through
access.restrict. Every page here is personal data, so none may be cached (Cache-Control:
no-store); a revealed value is on the reveal's own response only, which is a POST and never a
redirect, so the value is never in a URL, a history entry or a cache.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.people import selectors, services
from safeguard.people.forms import ErasureForm, RevealForm


@require_safe
@login_required
@never_cache
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.person_page(request.user, pk)  # Http404 outside the user's scope
    return render(request, "people/person_detail.html", {"page": page, "person": page.person})


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@sensitive_post_parameters()
@sensitive_variables()  # nothing of this view's frames reaches an error report
def reveal(request: HttpRequest, pk: int, detail_pk: int) -> HttpResponse:
    detail = selectors.detail_to_reveal(request.user, pk, detail_pk)  # 404 or 403
    form = RevealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            revealed = services.reveal_protected_detail(
                request.user,
                pk,
                detail_pk,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except services.InvalidRequest as error:
            form.add_error("reason", str(error))
        else:
            return render(
                request,
                "people/revealed.html",
                {
                    "person": detail.person,
                    "detail": detail,
                    "revealed": revealed,
                    "reason": services.REVEAL_REASONS[form.cleaned_data["reason"]],
                    "at": timezone.now(),
                },
            )
    return render(
        request,
        "people/reveal_form.html",
        {"person": detail.person, "detail": detail, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.erasure_plan(request.user, pk)  # 404 or 403
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erasure = services.erase_person_details(
            request.user, pk, purpose=form.cleaned_data["purpose"]
        )
        erased = sum(erasure.counts.values())
        messages.success(
            request,
            f"{erased} detail{'s' if erased != 1 else ''} erased. The erasure is recorded in the "
            "audit trail.",
        )
        return redirect("person-detail", pk=pk)
    return render(request, "people/erase.html", {"plan": plan, "person": plan.person, "form": form})


@require_safe
@login_required
@never_cache
def reviews_due(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    reviews = selectors.reviews_due(request.user, today)[:200]
    return render(request, "people/reviews_due.html", {"reviews": reviews, "today": today})
