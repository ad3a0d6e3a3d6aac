"""The deadlines queue, reminders and review tasks. Thin: the reads are in
compliance/deadlines.py, reminders.py and reviews.py, all through access.restrict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguard.access.restrict import FORCE_WIDE_ROLES
from safeguard.compliance import deadlines as queue
from safeguard.compliance import reminders, reviews
from safeguard.compliance.forms import ReviewDecisionForm
from safeguard.compliance.models import ReviewKind
from safeguard.orders.services import InvalidStep

HORIZONS = {"30": 30, "90": 90, "all": None}


def _scopes(user) -> list[tuple[str, str]]:
    scopes: list[tuple[str, str]] = [(queue.Scope.MINE, "My cases")]
    if user.team_id:
        scopes.append((queue.Scope.TEAM, "My team"))
    scopes.append(
        (
            queue.Scope.ALL,
            "Whole force" if user.role in FORCE_WIDE_ROLES else "All cases I can see",
        )
    )
    return scopes


@require_safe
@login_required
@never_cache
def deadlines(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes = _scopes(user)
    scope = request.GET.get("scope") or scopes[0][0]
    if scope not in dict(scopes):
        scope = scopes[0][0]
    horizon_key = request.GET.get("horizon", "90")
    horizon = HORIZONS.get(horizon_key, 90)
    now = timezone.now()
    rows = queue.queue_for(user, scope, now, horizon_days=horizon)
    counts = {s: sum(1 for r in rows if r.status == s) for s in queue.Status}
    return render(
        request,
        "compliance/deadlines.html",
        {
            "rows": rows,
            "counts": counts,
            "scope": scope,
            "scopes": scopes,
            "horizon": horizon_key,
            "horizons": [("30", "30 days"), ("90", "90 days"), ("all", "Everything")],
            "reminders": reminders.unread_for(user),
            "reviews": reviews.open_tasks_for(user, queue.scoped_orders(user, scope)),
            "now": now,
        },
    )


@require_POST
@login_required
def reminders_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("reminder") if i.isdigit()]
    count = reminders.mark_read(request.user, ids or None)
    messages.success(request, f"{count} reminder{'s' if count != 1 else ''} marked as read")
    return redirect("deadlines")


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def review(request: HttpRequest, pk: int) -> HttpResponse:
    task = reviews.task_for(request.user, pk)
    form = ReviewDecisionForm(
        request.POST or None, decisions=reviews.DECISIONS[ReviewKind(task.kind)]
    )
    if request.method == "POST" and form.is_valid() and task.is_open:
        try:
            reviews.decide(
                request.user, task.pk, form.cleaned_data["decision"], form.cleaned_data["note"]
            )
        except InvalidStep as exc:
            form.add_error("note" if "next" in str(exc) else "decision", str(exc))
        else:
            messages.success(request, f"Review of {task.order.reference} recorded")
            return redirect("deadlines")
    return render(request, "compliance/review.html", {"task": task, "form": form})
