"""Running an import: check, then write in resumable batches, recording progress in ImportRun.

The browser and the command line share this. `check` writes nothing. `start` records a run for a
checked file (or finds the run already made for the same file: importing a file twice changes
nothing, and an interrupted run is resumed, not restarted). `execute` writes it, batch by batch,
each batch committing the run's progress with its rows. `execute_in_background` queues it for the job
worker, so the browser can show progress; a run whose worker died has a stale heartbeat and can
be resumed from its page or the command line.

Background work runs on the job queue (safeguard/jobs.py, reports/jobs.py): the worker calls
`execute(run_id)`, which takes the run's row lock, so no two workers write one file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguard.access import audit
from safeguard.access.models import Force
from safeguard.reports.importers.base import BatchDone, sha256_of
from safeguard.reports.importers.crime_reports import CrimeReportsImporter
from safeguard.reports.importers.open_data import OpenDataImporter
from safeguard.reports.importers.police_uk import PoliceUkStreetImporter
from safeguard.reports.models import ImportKind, ImportRun, ImportStatus

# A run whose heartbeat is older than this has lost its worker (the process stopped).
STALE_AFTER = dt.timedelta(seconds=90)


class Importer(Protocol):
    kind: str
    run: Any

    def check(self) -> dict[str, Any]: ...

    def write(self, *, start_row: int, on_batch: BatchDone) -> None: ...


IMPORTERS: dict[str, type] = {
    ImportKind.CRIME_REPORTS: CrimeReportsImporter,
    ImportKind.POLICE_UK_STREET: PoliceUkStreetImporter,
    ImportKind.OPEN_DATA: OpenDataImporter,
}
NEEDS_FORCE = frozenset({ImportKind.CRIME_REPORTS})


def importer_for(
    kind: str, path: Path, *, file_name: str | None = None, force: Force | None, user: Any
) -> Importer:
    if kind not in IMPORTERS:
        raise ValueError(
            f"Unknown kind of file {kind!r}; Safeguard imports: {', '.join(IMPORTERS)}"
        )
    if kind in NEEDS_FORCE and force is None:
        raise ValueError("Say which force the reports belong to")
    return IMPORTERS[kind](Path(path), file_name or Path(path).name, force=force, user=user)  # type: ignore[no-any-return]


def check(
    kind: str, path: Path, *, file_name: str | None = None, force: Force | None, user: Any
) -> dict[str, Any]:
    """The preview of what importing the file would change; ImportFailed if it has problems.
    Writes nothing."""
    return importer_for(kind, path, file_name=file_name, force=force, user=user).check()


@dataclass(frozen=True)
class Started:
    run: ImportRun
    resumed: bool = False
    already_done: bool = False


def start(
    kind: str,
    path: Path,
    *,
    file_name: str,
    force: Force | None,
    user: Any,
    preview: dict[str, Any],
    stored_path: str = "",
    run: ImportRun | None = None,
) -> Started:
    """The run that will import this (checked) file: a new one, the unfinished run of the same
    file (resumed), or the finished run of the same file (nothing to do)."""
    digest = sha256_of(Path(path))
    same = ImportRun.objects.filter(kind=kind, force=force, sha256=digest)
    if run is not None:
        same = same.exclude(pk=run.pk)
    done = same.filter(status=ImportStatus.DONE).order_by("-finished_at").first()
    if done is not None:
        return Started(done, already_done=True)
    unfinished = (
        same.filter(status__in=[ImportStatus.IMPORTING, ImportStatus.FAILED, ImportStatus.QUEUED])
        .order_by("-created_at")
        .first()
    )
    if unfinished is not None and (run is None or unfinished.last_row > 0):
        return Started(unfinished, resumed=True)
    if run is None:
        run = ImportRun.objects.create(
            kind=kind,
            force=force,
            file_name=file_name,
            stored_path=stored_path,
            sha256=digest,
            size=Path(path).stat().st_size,
            created_by=user if getattr(user, "pk", None) else None,
        )
    run.status = ImportStatus.QUEUED
    run.preview = preview
    run.total_rows = int(preview.get("rows", 0))
    run.save(update_fields=["status", "preview", "total_rows"])
    return Started(run)


def _claim(run_id: int) -> ImportRun | None:
    """Mark the run as importing, unless another worker is on it (its heartbeat is fresh)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        now = timezone.now()
        if run.status == ImportStatus.DONE:
            return None
        if (
            run.status == ImportStatus.IMPORTING
            and run.heartbeat_at
            and now - run.heartbeat_at < STALE_AFTER
        ):
            return None
        run.status = ImportStatus.IMPORTING
        run.started_at = run.started_at or now
        run.heartbeat_at = now
        run.message = ""
        run.save(update_fields=["status", "started_at", "heartbeat_at", "message"])
        return run


def execute(run_id: int, *, path: Path | None = None, user: Any = None) -> ImportRun:
    """Write the run's file from where it stopped. Safe to call again after any failure."""
    run = _claim(run_id)
    if run is None:
        return ImportRun.objects.get(pk=run_id)
    path = Path(path or run.stored_path)
    try:
        if sha256_of(path) != run.sha256:
            raise RuntimeError(f"{run.file_name} has changed since it was checked: upload it again")
        importer = importer_for(run.kind, path, file_name=run.file_name, force=run.force, user=user)
        importer.run = run

        def on_batch(last_row: int, rows: int, created: int, skipped: int) -> None:
            ImportRun.objects.filter(pk=run.pk).update(
                last_row=last_row,
                rows_done=F("rows_done") + rows,
                created_count=F("created_count") + created,
                skipped_count=F("skipped_count") + skipped,
                heartbeat_at=timezone.now(),
            )

        with audit.acting_as(
            user if getattr(user, "pk", None) else None,
            label="" if getattr(user, "pk", None) else "import",
            purpose=f"Import of {run.file_name} ({run.get_kind_display()})",
        ):
            importer.write(start_row=run.last_row, on_batch=on_batch)
    except Exception as error:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED,
            message=f"The import stopped: {error}. Everything before row "
            f"{ImportRun.objects.get(pk=run.pk).last_row + 1} is in; resume it to carry on.",
        )
        raise
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.DONE,
        finished_at=timezone.now(),
        rows_done=F("total_rows"),
    )
    return ImportRun.objects.get(pk=run.pk)


def execute_in_background(run: ImportRun, *, user: Any) -> int | None:
    """Queue the run for the job worker (`safeguard procrastinate worker`); inline when
    SAFEGUARD_JOBS_EAGER is set (tests). Returns the job's id."""
    from safeguard.jobs import defer
    from safeguard.reports import jobs

    return defer(jobs.import_file, run_id=run.pk, user_id=getattr(user, "pk", None))


def is_stalled(run: ImportRun, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if run.status == ImportStatus.FAILED:
        return True
    if run.status in (ImportStatus.IMPORTING, ImportStatus.QUEUED):
        last = run.heartbeat_at or run.started_at or run.created_at
        return now - last > STALE_AFTER
    return False
