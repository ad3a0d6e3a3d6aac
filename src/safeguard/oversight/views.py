"""Oversight pages: the force dashboard, the national league table, the definitions, and
exports. Thin: figures come from selectors.py, metrics.py and league.py; these views read the
request, check the role, and render. Every chart's data is also served as JSON (the page's
script draws the charts from it) and shown as a table on the page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.access.models import NATIONAL_ROLES, Force
from safeguard.oversight import exports, selectors
from safeguard.oversight.forms import ExportForm, PeriodForm
from safeguard.oversight.league import LEAGUE_SORTS, area_for_force, build_league, sort_rows
from safeguard.oversight.metrics import FAMILIES, METRICS, compute
from safeguard.oversight.services import log_export


def _board(request: HttpRequest) -> tuple[Force | None, PeriodForm, Any]:
    force = selectors.force_for(request.user, request.GET.get("force", ""))
    form = PeriodForm(request.GET or None)
    if force is None:
        return None, form, None
    start, end, by = form.period(selectors.default_period(force))
    return force, form, selectors.dashboard(request.user, force, start, end, by)


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    force, form, board = _board(request)
    if force is None:  # a national user: choose a force first
        return render(
            request,
            "oversight/choose_force.html",
            {"forces": Force.objects.order_by("name"), "show_force_link": True},
        )
    query = request.GET.copy()
    query["date_from"], query["date_to"] = (
        board.result.start.isoformat(),
        board.result.end.isoformat(),
    )
    query["by"] = board.result.by
    return render(
        request,
        "oversight/dashboard.html",
        {
            "form": form,
            "board": board,
            "force": force,
            "families": FAMILIES,
            "national_user": getattr(request.user, "role", "") in NATIONAL_ROLES,
            "data_url": f"{reverse('oversight-dashboard-data')}?{query.urlencode()}",
            "export_query": query.urlencode(),
            "league_row": board.league.row_for(area_for_force(force)),
        },
    )


@require_safe
@login_required
def dashboard_data(request: HttpRequest) -> JsonResponse:
    force, _form, board = _board(request)
    if force is None:
        return JsonResponse({"error": "Choose a force: add ?force=CODE"}, status=400)
    return JsonResponse(
        {
            "force": force.name,
            "from": board.result.start.isoformat(),
            "to": board.result.end.isoformat(),
            "by": board.result.by,
            "disclosure_control": board.rule.describe(),
            "charts": [chart.as_json() for chart in board.charts],
        }
    )


@require_safe
@login_required
def league(request: HttpRequest) -> HttpResponse:
    own = area_for_force(getattr(request.user, "force", None))
    table = build_league(highlight=own)
    sort = request.GET.get("sort", "rank")
    if sort.lstrip("-") not in LEAGUE_SORTS:
        sort = "rank"
    columns = []
    for key, heading in (
        ("rank", "Rank"),
        ("force", "Force"),
        ("stalking", "Stalking offences"),
        ("applied", "SPOs applied for"),
        ("granted", "SPOs granted"),
        ("rate", "Granted per 1,000 stalking offences"),
        ("grant_rate", "Grant rate"),
        ("sh", "Stalking and harassment offences"),
    ):
        aria = "ascending" if sort == key else "descending" if sort == f"-{key}" else "none"
        link = f"-{key}" if sort == key else key
        columns.append({"key": key, "heading": heading, "aria_sort": aria, "link_sort": link})
    return render(
        request,
        "oversight/league.html",
        {
            "league": table,
            "rows": sort_rows(table.rows, sort),
            "columns": columns,
            "chart": selectors.league_chart(table),
            "own": table.row_for(own),
            "show_force_link": selectors.may_see_force_figures(request.user),
        },
    )


@require_safe
@login_required
def league_data(request: HttpRequest) -> JsonResponse:
    table = build_league(highlight=area_for_force(getattr(request.user, "force", None)))
    return JsonResponse(
        {
            "foi_period": table.foi_period.label if table.foi_period else None,
            "forces": [row.as_json() for row in table.rows],
            "charts": [selectors.league_chart(table).as_json()],
        }
    )


@require_safe
@login_required
def league_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("Export as CSV, XLSX or ODS")
    table = build_league()
    export = exports.build_league_export(table)
    part = request.GET.get("part", "")
    content, content_type = exports.render(export, fmt, part)
    log_export(
        request.user,
        what="league",
        purpose="National league table (public data)",
        details={**export.audit_details(), "format": fmt, "part": part},
    )
    return _download(content, content_type, export.filename(fmt, part))


@require_safe
@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    groups: list[tuple[str, list]] = [("Reports", [m for m in METRICS if m.group == "reports"])]
    for f in FAMILIES:
        groups.append(
            (f"{f.title}s and {f.first_title}s", [m for m in METRICS if m.group == f.key])
        )
    return render(
        request,
        "oversight/definitions.html",
        {"groups": groups, "show_force_link": selectors.may_see_force_figures(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def export(request: HttpRequest) -> HttpResponse:
    force = selectors.force_for(
        request.user, request.GET.get("force", "") or request.POST.get("force", "")
    )
    if force is None:
        return render(
            request, "oversight/choose_force.html", {"forces": Force.objects.order_by("name")}
        )
    default = selectors.default_period(force)
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            start, end, by = form.period(default)
            result = compute(force, start, end, by)
            built = exports.build_metrics_export(result, selectors.rule_for_export(request.user))
            fmt, part = form.cleaned_data["fmt"], form.cleaned_data.get("part") or ""
            content, content_type = exports.render(built, fmt, part)
            log_export(
                request.user,
                what=f"metrics:{force.code}",
                purpose=form.cleaned_data["purpose"],
                details={**built.audit_details(), "format": fmt, "part": part},
            )
            return _download(content, content_type, built.filename(fmt, part))
    else:
        initial = {"date_from": default[0], "date_to": default[1], "by": "month", "fmt": "xlsx"}
        form = ExportForm(initial={**initial, **request.GET.dict()})
    return render(
        request,
        "oversight/export.html",
        {
            "form": form,
            "force": force,
            "rule": selectors.rule_for_export(request.user).describe(),
            "national_user": getattr(request.user, "role", "") in NATIONAL_ROLES,
        },
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
