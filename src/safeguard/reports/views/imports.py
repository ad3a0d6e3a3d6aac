"""Importing a file from the browser: upload, check (every row, nothing written), preview what
will change, confirm, then watch its progress while the job worker writes it.

Thin: the checking and writing are reports/importers/ (the same code as `safeguard import`);
these views only move the file and choose what to show. Who may import is the permission table's
`change` on reports (access/permissions.py); officers, whose rule reaches only their own cases,
may import only reports assigned to them or their team (the importer checks each report).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguard.access import permissions
from safeguard.reports.forms.imports import UploadForm
from safeguard.reports.importers import ImportFailed, runner
from safeguard.reports.importers.base import sha256_of
from safeguard.reports.models import ImportKind, ImportRun, ImportStatus

UPLOAD_DIR_NAME = "imports"
SHOWN_ERRORS = 200


def _may_import(user: Any) -> bool:
    return permissions.allows(user, "report", "change")


def _runs(user: Any) -> QuerySet[ImportRun]:
    """The runs the user may see: their force's, or only their own where their rule reaches
    only their own cases."""
    if not _may_import(user):
        raise PermissionDenied("Your role may not import files")
    runs = ImportRun.objects.filter(force_id=user.force_id)
    rule = permissions.rule_for(user.role, "report", "change")
    if rule is None or rule.reach != permissions.Reach.FORCE:
        runs = runs.filter(created_by=user)
    return runs.select_related("created_by")


def _safe_name(name: str) -> str:
    name = Path(name).name
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "upload"
    return name[:120]


def _store(upload: Any) -> Path:
    folder = Path(settings.VAR_DIR) / UPLOAD_DIR_NAME / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = folder / _safe_name(upload.name)
    with path.open("wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    path.chmod(0o600)
    return path


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def import_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    runs = _runs(user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        path = _store(upload)
        run = ImportRun.objects.create(
            kind=kind,
            force_id=user.force_id,
            file_name=upload.name[:255],
            stored_path=str(path),
            sha256=sha256_of(path),
            size=path.stat().st_size,
            created_by=user,
        )
        force = user.force if kind in runner.NEEDS_FORCE else None
        try:
            preview = runner.check(kind, path, file_name=upload.name, force=force, user=user)
        except ImportFailed as failed:
            run.status = ImportStatus.INVALID
            run.errors = [p.as_dict() for p in failed.problems]
            run.error_count = failed.count
            run.save(update_fields=["status", "errors", "error_count"])
        else:
            run.status = ImportStatus.READY
            run.preview = preview
            run.total_rows = int(preview.get("rows", 0))
            run.save(update_fields=["status", "preview", "total_rows"])
        return redirect("import-detail", pk=run.pk)
    return render(
        request,
        "reports/import_list.html",
        {"form": form, "runs": runs[:20], "kinds": ImportKind},
    )


@require_safe
@login_required
@never_cache
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request.user), pk=pk)
    return render(
        request,
        "reports/import_detail.html",
        {
            "run": run,
            "errors": run.errors[:SHOWN_ERRORS],
            "more_errors": max(0, run.error_count - SHOWN_ERRORS),
            "stalled": runner.is_stalled(run),
            "ImportStatus": ImportStatus,
        },
    )


@require_safe
@login_required
@never_cache
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the page polls (htmx) while the import runs."""
    run = get_object_or_404(_runs(request.user), pk=pk)
    return render(
        request,
        "reports/import_progress.html",
        {"run": run, "stalled": runner.is_stalled(run), "ImportStatus": ImportStatus},
    )


@require_POST
@login_required
@never_cache
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or resume) writing a checked file: queued for the job worker."""
    run = get_object_or_404(_runs(request.user), pk=pk)
    path = Path(run.stored_path)
    if run.status == ImportStatus.READY:
        started = runner.start(
            run.kind,
            path,
            file_name=run.file_name,
            force=run.force,
            user=request.user,
            preview=run.preview,
            stored_path=run.stored_path,
            run=run,
        )
        if started.already_done:
            messages.info(
                request,
                f"{run.file_name} was already imported: importing it again changes nothing.",
            )
            return redirect("import-detail", pk=started.run.pk)
        run = started.run
    elif not runner.is_stalled(run):
        messages.info(request, "This import is not waiting to start.")
        return redirect("import-detail", pk=run.pk)
    runner.execute_in_background(run, user=request.user)
    return redirect("import-detail", pk=run.pk)
