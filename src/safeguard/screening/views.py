"""Screening pages for SPO coordinators: the candidate queue, a candidate with its reasons and
evidence, an identity with the records linked into it and why, a pair of records with its match
weights (confirm or split), and the RFGV ranking. Thin: queries in selectors, changes in
services, everything through access.restrict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguard.orders.services import InvalidStep
from safeguard.rules.orders import RuleViolation
from safeguard.screening import selectors, services
from safeguard.screening.forms import CandidateStatusForm, LinkDecisionForm, QueueFilterForm
from safeguard.screening.models import Decision

PAGE_SIZE = 50


@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or {"status": "open"})
    status = form.cleaned_data["status"] if form.is_valid() else "open"
    candidates = selectors.queue_for(request.user, status)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/queue.html",
        {"form": form, "page": page, "run": selectors.latest_run(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        cand = selectors.candidate_for_change(user, pk)  # Http404 without the right to change
    else:
        cand = selectors.candidate_detail(user, pk)
    form = CandidateStatusForm(request.POST or None, initial={"status": cand.status})
    if request.method == "POST" and form.is_valid():
        services.set_status(user, cand, form.cleaned_data["status"], form.cleaned_data["note"])  # type: ignore[arg-type]
        messages.success(request, "Status updated")
        return redirect("screening-candidate", pk=cand.pk)
    evidence = cand.evidence or {}
    return render(
        request,
        "screening/candidate.html",
        {
            "candidate": cand,
            "evidence": evidence,
            "four": [(k.capitalize(), v) for k, v in (evidence.get("four") or {}).items()],
            "reports": selectors.candidate_reports(user, cand),
            "form": form,
            "can_change": selectors.may_change(user, cand),
            "can_apply": selectors.may_apply(user, cand),
        },
    )


@require_POST
@login_required
def start_application(request: HttpRequest, pk: int) -> HttpResponse:
    cand = selectors.candidate_for_application(request.user, pk)
    try:
        order = services.start_application(request.user, cand)  # type: ignore[arg-type]
    except (services.ScreeningError, InvalidStep, RuleViolation) as exc:
        messages.error(request, str(exc))
        return redirect("screening-candidate", pk=cand.pk)
    messages.success(request, f"Draft application {order.reference} started")
    return redirect("order-detail", pk=order.pk)


@require_safe
@login_required
def identity(request: HttpRequest, key: str) -> HttpResponse:
    records = selectors.identity_records(request.user, key)
    people = [r.person for r in records]
    links = list(selectors.links_within(request.user, people))
    return render(
        request,
        "screening/identity.html",
        {
            "key": key,
            "records": records,
            "links": links,
            "decisions": list(selectors.decisions_for(request.user, people).values()),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def link(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    pair = selectors.link_for_change(user, pk) if request.method == "POST" else None
    pair = pair or selectors.link_detail(user, pk)
    form = LinkDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_link(
                user,  # type: ignore[arg-type]
                pair.person_a,
                pair.person_b,
                form.cleaned_data["decision"],
                form.cleaned_data["reason"],
            )
        except services.ScreeningError as exc:
            form.add_error("decision", str(exc))
        else:
            done = (
                "confirmed as the same person"
                if form.cleaned_data["decision"] == Decision.CONFIRM
                else "split: they will never be linked"
            )
            messages.success(request, f"Records {done}. Screening will apply it within a minute.")
            return redirect("screening-link", pk=pair.pk)
    decision = selectors.decisions_for(user, [pair.person_a]).get(
        (pair.person_a_id, pair.person_b_id)
    )
    comparisons = (pair.explanation or {}).get("comparisons", [])
    return render(
        request,
        "screening/link.html",
        {
            "pair": pair,
            "prior": (pair.explanation or {}).get("prior"),
            "comparisons": comparisons,
            "decision": decision,
            "form": form,
            "can_change": selectors.may_change(user, pair),
            "key_a": selectors.identity_key_of(user, pair.person_a),
            "key_b": selectors.identity_key_of(user, pair.person_b),
        },
    )


@require_safe
@login_required
def perpetrators(request: HttpRequest) -> HttpResponse:
    rows = selectors.perpetrators_for(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/perpetrators.html", {"page": page})


@require_safe
@login_required
def perpetrator(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.perpetrator_detail(request.user, pk)
    if row is None:
        raise Http404
    return render(request, "screening/perpetrator.html", {"row": row, "inputs": row.inputs})
