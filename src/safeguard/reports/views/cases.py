"""The investigating officer's pages (issue 4): record a stalking or harassment report one
question page at a time (GOV.UK "one thing per page", then "check your answers"), read a report
with its parties, S-DASH answers, timeline and why screening flagged it, refer it to the SPO
coordinator; and the coordinator's list of referrals.

The draft lives in the session between pages (protected values encrypted in it: access.crypto),
so the browser's back button and a browser without JavaScript work: every page is a plain GET of
its own URL and a POST that redirects. Views are thin: reads in reports/selectors.py, writes in
reports/services.py, the report's rules in services.check_report (shown on the field they are
about).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.access import crypto, permissions
from safeguard.access.models import Force
from safeguard.api.pages import export_url
from safeguard.govuk import DateField, paginate
from safeguard.people.models import DetailKind, Sex
from safeguard.reports import selectors, services
from safeguard.reports.forms import cases as forms
from safeguard.reports.models import PartyRole, ReferralStatus, Relationship
from safeguard.rules.offences import BEHAVIOURS, OFFENCES
from safeguard.rules.risk import SDASH_QUESTIONS

LONDON = ZoneInfo("Europe/London")
PAGE_SIZE = 25
DRAFT = "report_draft"

# The question pages, in order: (form, title, template).
STEPS: dict[str, tuple[type[forms.StepForm], str, str]] = {
    "offence": (forms.OffenceForm, "What happened", "reports/cases/step_offence.html"),
    "victim": (forms.VictimForm, "The victim", "reports/cases/step_party.html"),
    "suspect": (forms.SuspectForm, "The suspect", "reports/cases/step_party.html"),
    "behaviours": (forms.BehavioursForm, "What the suspect has done", "reports/cases/step.html"),
    "risk": (
        forms.RiskForm,
        "Stalking screening questions (S-DASH)",
        "reports/cases/step_risk.html",
    ),
}
ORDER = list(STEPS)
PROTECTED = ("address", "postcode")  # kept encrypted in the session, never shown again


# --- The draft in the session ----------------------------------------------------------------


def _draft(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(DRAFT) or {"steps": {}, "raw": {}, "problems": {}}


def _save(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT] = draft
    request.session.modified = True


def _serialise(cleaned: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in cleaned.items():
        if name in PROTECTED:
            value = value.strip()
            if value:
                out[name] = crypto.encrypt(value)
            elif kept.get(name) and not cleaned.get("address", "").strip():
                out[name] = kept[name]  # left blank: the address given before is kept
            continue
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _initial(step: str, saved: dict[str, Any]) -> dict[str, Any]:
    form_class = STEPS[step][0]
    initial = {k: v for k, v in saved.items() if k not in PROTECTED}
    for name, fld in form_class.base_fields.items():
        if isinstance(fld, DateField):
            initial[name] = _date(saved.get(name))
    if step == "risk":
        initial = dict(saved)
    return initial


def _reported_at(on: dt.date, now: dt.datetime) -> dt.datetime:
    """The time of a report given as a day: now if today, else midday (London) that day."""
    if on == timezone.localdate(now, LONDON):
        return now
    return dt.datetime.combine(on, dt.time(12), tzinfo=LONDON)


def _party(role: str, saved: dict[str, Any] | None) -> services.NewParty | None:
    if saved is None:
        return None
    details: tuple[services.NewDetail, ...] = ()
    if saved.get("address"):
        details = (
            services.NewDetail(
                DetailKind.HOME_ADDRESS,
                crypto.decrypt(saved["address"]),
                crypto.decrypt(saved["postcode"]) if saved.get("postcode") else "",
            ),
        )
    return services.NewParty(
        role=role,
        given_name=saved.get("given_name", ""),
        surname=saved.get("surname", ""),
        date_of_birth=_date(saved.get("date_of_birth")),
        sex=saved.get("sex") or Sex.UNKNOWN,
        relationship_to_victim=saved.get("relationship_to_victim", Relationship.UNKNOWN),
        details=details,
    )


PLACEHOLDER_VICTIM = services.NewParty(role=PartyRole.VICTIM, surname="(not yet given)")


def _new_report(
    request: HttpRequest, steps: dict[str, Any], now: dt.datetime
) -> services.NewReport:
    """The report as the pages so far give it; steps not yet answered take harmless defaults, so
    check_report's problems about them are not shown before their page."""
    offence = steps.get("offence") or {}
    victim = _party(PartyRole.VICTIM, steps.get("victim"))
    suspect = _party(PartyRole.SUSPECT, steps.get("suspect"))
    reported_on = _date(offence.get("reported_on")) or timezone.localdate(now, LONDON)
    risk = steps.get("risk") or {}
    user = request.user
    return services.NewReport(
        reference=offence.get("reference", "-"),
        offence_code=offence.get("offence_code", "8Q"),
        reported_at=_reported_at(reported_on, now),
        occurred_from=_date(offence.get("occurred_from")) or reported_on,
        occurred_to=_date(offence.get("occurred_to")),
        summary=offence.get("summary", ""),
        behaviours=tuple((steps.get("behaviours") or {}).get("behaviours", [])),
        sdash_answers={k: forms.ANSWER_VALUES[v] for k, v in risk.items()},
        officer=user,  # type: ignore[arg-type]
        team=getattr(user, "team", None),
        parties=tuple(p for p in (victim or PLACEHOLDER_VICTIM, suspect) if p is not None),
    )


PARTY_FIELDS = {
    "given_name": "given_name",
    "middle_names": "given_name",
    "surname": "surname",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "relationship_to_victim": "relationship_to_victim",
    "details": "address",
    "identifiers": "surname",
}
TOP_FIELDS = {
    "reference": ("offence", "reference"),
    "offence_code": ("offence", "offence_code"),
    "reported_at": ("offence", "reported_on"),
    "occurred_from": ("offence", "occurred_from"),
    "occurred_to": ("offence", "occurred_to"),
    "summary": ("offence", "summary"),
    "behaviours": ("behaviours", "behaviours"),
    "sdash_answers": ("risk", SDASH_QUESTIONS[0][0]),
    "parties": ("victim", "surname"),
}


def place(problem: services.Problem) -> tuple[str, str] | None:
    """The page and field a problem of check_report is about, or None (the check page's)."""
    path = problem.field
    if path.startswith("parties["):
        index, _, rest = path[len("parties[") :].partition("]")
        step = "victim" if index == "0" else "suspect"
        name = rest.lstrip(".").split(".")[0].split("[")[0]
        return step, PARTY_FIELDS.get(name, "surname")
    return TOP_FIELDS.get(path)


def _problems_for(step: str, problems: list[services.Problem]) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in problems:
        where = place(problem)
        if where and where[0] == step:
            found.setdefault(where[1], problem.message)
    return found


def _may_record(request: HttpRequest) -> None:
    if not permissions.allows(request.user, "report", "change"):
        raise PermissionDenied("Your role cannot record reports")


def _force(request: HttpRequest) -> Force:
    force = getattr(request.user, "force", None)
    if force is None:  # allows() above has already refused a user without a force
        raise PermissionDenied("Only an officer of a force can record a report")
    return force


def _step_url(step: str) -> str:
    return reverse("report-new-step", args=[step])


# --- Recording a report ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def report_new(request: HttpRequest) -> HttpResponse:
    """The start page; POST starts again with an empty draft."""
    _may_record(request)
    if request.method == "POST":
        request.session.pop(DRAFT, None)
        return redirect(_step_url(ORDER[0]))
    draft = _draft(request)
    return render(
        request,
        "reports/cases/start.html",
        {"has_draft": bool(draft["steps"]), "first": _step_url(ORDER[0])},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def report_step(request: HttpRequest, step: str) -> HttpResponse:
    _may_record(request)
    if step not in STEPS:
        raise Http404("No such page")
    form_class, title, template = STEPS[step]
    draft = _draft(request)
    index = ORDER.index(step)
    if any(s not in draft["steps"] for s in ORDER[:index]):
        first_missing = next(s for s in ORDER[:index] if s not in draft["steps"])
        return redirect(_step_url(first_missing))
    back_to_check = request.GET.get("back") == "check"
    kept = draft["steps"].get(step, {})
    if request.method == "POST":
        form = form_class(request.POST)
        form.is_valid()
        # The service's rules, on what this page gives so far (one error per field: a field the
        # form already refused is not checked again).
        saved = _serialise(form.cleaned_data, kept)
        steps = {**draft["steps"], step: saved}
        now = timezone.now()
        force = _force(request)
        problems = services.check_report(_new_report(request, steps, now), force=force, now=now)
        if (
            step == "offence"
            and saved.get("reference")
            and services.existing_references(force, [saved["reference"].strip()])
        ):
            problems.append(
                services.Problem(
                    "reference",
                    "A report with this crime reference already exists: check the reference",
                )
            )
        for name, message in _problems_for(step, problems).items():
            if name in form.fields and name not in form.errors:
                form.add_error(name, message)
        if not form.errors:
            draft["steps"] = steps
            draft["raw"][step] = {
                k: v
                for k, v in request.POST.lists()
                if k != "csrfmiddlewaretoken" and k not in PROTECTED
            }
            draft["problems"].pop(step, None)
            _save(request, draft)
            later = ORDER[index + 1] if index + 1 < len(ORDER) else None
            if back_to_check or later is None:
                return redirect("report-new-check")
            return redirect(_step_url(later))
    elif draft["problems"].get(step) and draft["raw"].get(step):
        # Sent back from the check page: the service's problems, on their fields.
        data = QueryDict(mutable=True)
        for key, values in draft["raw"][step].items():
            data.setlist(key, values)
        form = form_class(data)
        form.is_valid()
        for name, message in draft["problems"][step].items():
            if name in form.fields:
                form.add_error(name, message)
        back_to_check = True
    else:
        form = form_class(initial=_initial(step, kept))
    previous = _step_url(ORDER[index - 1]) if index else reverse("report-new")
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "step": step,
            "number": index + 1,
            "total": len(ORDER),
            "back": reverse("report-new-check") if back_to_check else previous,
            "action": f"{_step_url(step)}{'?back=check' if back_to_check else ''}",
            "address_kept": bool(kept.get("address")),
            "is_suspect": step == "suspect",
        },
    )


def _answers(steps: dict[str, Any]) -> list[dict[str, Any]]:
    """The check-your-answers sections: (heading, rows of (key, value, step, field))."""
    offence = steps["offence"]

    def day(value: str | None) -> str:
        return f"{_date(value):%-d %B %Y}" if value else "Not given"

    def party_rows(step: str, saved: dict[str, Any]) -> list[tuple[str, str, str, str]]:
        name = " ".join(p for p in (saved.get("given_name"), saved.get("surname")) if p)
        rows = [
            ("Name", name or "Not given", step, "given_name"),
            ("Date of birth", day(saved.get("date_of_birth")), step, "date_of_birth_0"),
            ("Sex", dict(Sex.choices).get(saved.get("sex", ""), "Not known"), step, "sex_0"),
        ]
        if step == "suspect":
            rows.append(
                (
                    "Relationship to the victim",
                    dict(Relationship.choices).get(saved.get("relationship_to_victim", ""), ""),
                    step,
                    "relationship_to_victim_0",
                )
            )
        rows.append(
            (
                "Home address",
                "Recorded (hidden to protect the person)" if saved.get("address") else "Not given",
                step,
                "address",
            )
        )
        return rows

    behaviours = steps["behaviours"].get("behaviours", [])
    risk = steps["risk"]
    words = dict(forms.ANSWERS)
    return [
        {
            "heading": "What happened",
            "rows": [
                ("Crime reference", offence["reference"], "offence", "reference"),
                (
                    "Offence",
                    f"{offence['offence_code']} {OFFENCES[offence['offence_code']].title}",
                    "offence",
                    "offence_code_0",
                ),
                ("Reported", day(offence.get("reported_on")), "offence", "reported_on_0"),
                (
                    "Conduct started",
                    day(offence.get("occurred_from")),
                    "offence",
                    "occurred_from_0",
                ),
                (
                    "Conduct ended",
                    day(offence.get("occurred_to"))
                    if offence.get("occurred_to")
                    else "Still going on",
                    "offence",
                    "occurred_to_0",
                ),
                ("What happened", offence.get("summary", ""), "offence", "summary"),
            ],
        },
        {"heading": "The victim", "rows": party_rows("victim", steps["victim"])},
        {"heading": "The suspect", "rows": party_rows("suspect", steps["suspect"])},
        {
            "heading": "What the suspect has done",
            "rows": [
                (
                    "Behaviours",
                    "; ".join(BEHAVIOURS[b] for b in behaviours) or "None recorded",
                    "behaviours",
                    "behaviours_0",
                )
            ],
        },
        {
            "heading": "Stalking screening questions (S-DASH)",
            "rows": [
                (question, words.get(risk.get(key, ""), "Not answered"), "risk", f"{key}_0")
                for key, question in SDASH_QUESTIONS
            ],
        },
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def report_check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then record the report through reports.services (check_report and
    screening); its problems are sent back to the page and field they are about."""
    _may_record(request)
    draft = _draft(request)
    missing = [s for s in ORDER if s not in draft["steps"]]
    if missing:
        return redirect(_step_url(missing[0]))
    errors: list[tuple[str, str]] = []  # (message, link)
    if request.method == "POST":
        now = timezone.now()
        new = _new_report(request, draft["steps"], now)
        try:
            report = services.record_report(by=request.user, report=new)  # type: ignore[arg-type]
        except services.ReportInvalid as exc:
            draft["problems"] = {}
            for problem in exc.problems:
                where = place(problem)
                if where is None:
                    errors.append((problem.message, "#main-content"))
                    continue
                step, name = where
                draft["problems"].setdefault(step, {}).setdefault(name, problem.message)
                errors.append((problem.message, f"{_step_url(step)}?back=check"))
            _save(request, draft)
        else:
            request.session.pop(DRAFT, None)
            messages.success(request, f"Report {report.reference} recorded")
            return redirect("report-detail", pk=report.pk)
    return render(
        request,
        "reports/cases/check.html",
        {"sections": _answers(draft["steps"]), "errors": errors},
    )


# --- Reading a report ----------------------------------------------------------------------------


@require_safe
@login_required
@never_cache
def report_list(request: HttpRequest) -> HttpResponse:
    form = forms.ReportFilterForm(request.GET)
    reference = offence = ""
    if form.is_valid():
        reference, offence = form.cleaned_data["q"], form.cleaned_data["offence"]
    reports = selectors.reports_for(request.user, reference=reference, offence=offence)
    page = paginate(reports, PAGE_SIZE, request)
    return render(
        request,
        "reports/cases/report_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(reference or offence),
            "fields": permissions.visible_fields(request.user, "report"),
            "may_record": permissions.allows(request.user, "report", "change"),
            "may_decide": selectors.may_decide(request.user),
            "export_url": export_url("reports", offence_code=offence)
            if permissions.allows(request.user, "report", "export")
            else "",
        },
    )


def _report_page(
    request: HttpRequest,
    pk: int,
    referral_form: forms.ReferralForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    report = selectors.report_detail(user, pk)  # Http404 outside the user's reach
    fields = permissions.visible_fields(user, "report")
    # The timeline joins the reports about the same people: only for roles granted the parties
    # (a force administrator sees a report's identification, not whom it is about).
    timeline = selectors.timeline_of(user, report) if {"dates", "parties"} <= fields else []
    referrals = selectors.referrals_of(user, report)
    return render(
        request,
        "reports/cases/report_detail.html",
        {
            "report": report,
            "fields": fields,
            "parties": selectors.parties_of(user, report) if "parties" in fields else [],
            "behaviours": [BEHAVIOURS[b] for b in report.behaviours if b in BEHAVIOURS],
            "risk": selectors.risk_of(report, sum(e.kind == "report" for e in timeline) or 1),
            "timeline": timeline,
            "flags": selectors.flags_of(user, report),
            "referrals": referrals,
            "open_referral": next((r for r in referrals if r.status == ReferralStatus.OPEN), None),
            "may_refer": selectors.may_refer(user, report),
            "may_give_notice": permissions.allows(user, "order", "change")
            and report.status != "closed",
            "may_decide": selectors.may_decide(user),
            "referral_form": referral_form or forms.ReferralForm(),
        },
        status=status,
    )


@require_safe
@login_required
@never_cache
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def report_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer the report to the SPO coordinator: a note, POSTed."""
    report = selectors.report_for_change(request.user, pk)  # Http404 without the right
    form = forms.ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refer_report(report=report, by=request.user, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        except services.ReferralError as exc:
            form.add_error("note", str(exc))
        else:
            messages.success(request, f"Report {report.reference} referred to the SPO coordinator")
            return redirect("report-detail", pk=report.pk)
    return render(
        request,
        "reports/cases/refer.html",
        {"report": report, "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
@login_required
@never_cache
def referral_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReferralStatus.OPEN)
    if status not in (*ReferralStatus.values, "all"):
        status = ReferralStatus.OPEN
    referrals = selectors.referrals_for(request.user, "" if status == "all" else status)
    page = paginate(referrals, PAGE_SIZE, request)
    return render(
        request,
        "reports/cases/referral_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [*ReferralStatus.choices, ("all", "All")],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def referral_decide(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for_decision(request.user, pk)  # Http404 without the right
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_referral(
                referral=referral,
                by=request.user,  # type: ignore[arg-type]
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except services.ReferralError as exc:
            form.add_error("decision", str(exc))
        else:
            messages.success(request, f"Referral of {referral.report.reference} decided")
            return redirect("referral-list")
    return render(
        request,
        "reports/cases/decide.html",
        {"referral": referral, "form": form},
        status=400 if form.errors else 200,
    )
