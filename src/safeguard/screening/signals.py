"""Incremental screening: reports created (typed, posted to the API or imported: the
reports_created signal) or saved one by one mark their force for screening once the transaction
commits; the job worker (screening/jobs.py) or `safeguard screen --watch` runs it within a
minute."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save


def _report_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    force_id = getattr(instance, "force_id", None)
    if force_id is None and hasattr(instance, "report"):
        force_id = instance.report.force_id
    if force_id is None:
        return

    def mark() -> None:
        from safeguard.screening.services import mark_pending

        mark_pending(force_id)

    transaction.on_commit(mark)


def _reports_created(sender: Any, force_id: int, report_ids: list[int], **kwargs: Any) -> None:
    """reports.services.create_reports (form, API, importers) sends this after its commit."""
    from safeguard.screening.services import mark_pending

    mark_pending(force_id)


def connect() -> None:
    from safeguard.reports.models import Report, ReportParty
    from safeguard.reports.signals import reports_created

    reports_created.connect(_reports_created, dispatch_uid="screening-reports-created")
    # Reports saved one by one elsewhere (the admin, scripts) are caught too.
    post_save.connect(_report_saved, sender=Report, dispatch_uid="screening-report-saved")
    post_save.connect(_report_saved, sender=ReportParty, dispatch_uid="screening-party-saved")
