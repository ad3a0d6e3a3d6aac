"""`safeguard import KIND FILE`: check a file, then import it in resumable batches.

  safeguard import crime-reports reports.csv --force norfolk [--user alice] [--check]
  safeguard import police-uk-street 2024-03-city-of-london-street.csv
  safeguard import open-data rec-crime-pfa.csv

Every row is checked before anything is written; a file with problems writes nothing and every
problem is printed with its file, row, column and fix (exit status 1). Importing the same file
again changes nothing; an import that was interrupted carries on from where it stopped.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.access.models import Force, User
from safeguard.reports.importers import ImportFailed, runner
from safeguard.reports.models import ImportKind, ImportStatus


def _force(name: str) -> Force:
    force = (
        Force.objects.filter(code__iexact=name.strip()).first()
        or Force.objects.filter(name__iexact=name.strip()).first()
    )
    if force is None:
        known = ", ".join(Force.objects.values_list("code", flat=True)) or "none yet"
        raise CommandError(f"No force {name!r}. Forces (codes): {known}")
    return force


class Command(BaseCommand):
    help = "Import a file: crime reports (CSV/XLSX), data.police.uk street crime, or open data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(ImportKind.values), help="What the file is")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            dest="force_name",
            help="Force code or name the reports belong to (crime-reports)",
        )
        parser.add_argument(
            "--user", help="Username the import is made by (recorded in the audit trail)"
        )
        parser.add_argument(
            "--check", action="store_true", help="Check the file and show the preview only"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        force = _force(options["force_name"]) if options["force_name"] else None
        if kind in runner.NEEDS_FORCE and force is None:
            raise CommandError(f"Importing {kind} needs --force (the force the reports belong to)")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}")
        started = time.perf_counter()
        try:
            preview = runner.check(kind, path, force=force, user=user)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            if failed.count > len(failed.problems):
                self.stderr.write(f"... and {failed.count - len(failed.problems)} more")
            raise CommandError(
                f"{failed.count} problem{'s' if failed.count != 1 else ''} in {path.name}; "
                "nothing was imported"
            ) from None
        self.stdout.write(self._describe(preview))
        self.stdout.write(f"Checked in {time.perf_counter() - started:.1f} s.")
        if options["check"]:
            return
        result = runner.start(
            kind,
            path,
            file_name=path.name,
            force=force,
            user=user,
            preview=preview,
            stored_path=str(path.resolve()),
        )
        if result.already_done:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name} was already imported on {result.run.finished_at:%d %B %Y %H:%M}: "
                    "nothing to do."
                )
            )
            return
        if result.resumed:
            self.stdout.write(f"Resuming the interrupted import after row {result.run.last_row}.")
        started = time.perf_counter()
        try:
            run = runner.execute(result.run.pk, path=path, user=user)
        except Exception as error:
            raise CommandError(
                f"The import stopped: {error}. Run the same command again to carry on."
            ) from error
        if run.status != ImportStatus.DONE:
            raise CommandError(f"Another import of {path.name} is running (run {run.pk})")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {run.created_count:,} added, {run.skipped_count:,} already "
                f"there, {run.total_rows:,} rows in {seconds:.1f} s "
                f"({run.total_rows / seconds if seconds else 0:,.0f} rows/s)."
            )
        )

    @staticmethod
    def _describe(preview: dict[str, Any]) -> str:
        kind = preview.get("kind")
        if kind == "crime-reports":
            return (
                f"{preview['rows']:,} rows: {preview['reports_new']:,} new reports "
                f"({preview['victims']:,} victims, {preview['suspects']:,} suspects, "
                f"{preview['witnesses']:,} witnesses, {preview['protected_details']:,} protected "
                f"details), {preview['reports_existing']:,} already in Safeguard (left unchanged)."
            )
        if kind == "police-uk-street":
            months = preview["months"]
            span = f"{months[0]} to {months[-1]}" if months else "no months"
            return (
                f"{preview['rows']:,} rows ({span}): {preview['new']:,} new, "
                f"{preview['existing']:,} already in Safeguard."
            )
        return (
            f"{preview.get('title', '')} ({preview.get('format', '')}): {preview['rows']:,} "
            f"figures, {'already loaded' if preview.get('existing') else 'new'}."
        )
