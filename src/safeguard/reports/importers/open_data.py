"""The ONS and FOI files oversight uses, imported through the same door as every other file.

Oversight owns these formats and their tables (oversight/opendata.py reads them, and
oversight/services.load_file writes them in one transaction, idempotently by checksum); this
adapter only lets `safeguard import open-data FILE` and the browser's import pages hand a file to
it, so there is one loader, not two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from safeguard.reports.importers.base import (
    BatchDone,
    ImportFailed,
    ImportProblem,
    Problems,
    check_size,
)


class OpenDataImporter:
    kind = "open-data"

    def __init__(self, path: Path, file_name: str, *, force: Any = None, user: Any = None) -> None:
        self.path = Path(path)
        self.file_name = file_name
        self.run: Any = None

    def check(self) -> dict[str, Any]:
        from safeguard.oversight import opendata
        from safeguard.oversight.models import OpenDataFile

        problems = Problems(self.file_name)
        if not check_size(self.path, problems):
            problems.raise_if_any()
        try:
            parsed = opendata.read(self.path)
        except opendata.OpenDataError as error:
            raise ImportFailed(
                [
                    ImportProblem(
                        self.file_name,
                        None,
                        None,
                        str(error),
                        "See docs/open-data.md for the layouts Safeguard reads",
                    )
                ]
            ) from None
        loaded = OpenDataFile.objects.filter(name=self.path.name, sha256=parsed.sha256).exists()
        return {
            "kind": self.kind,
            "format": parsed.kind,
            "title": parsed.title,
            "publisher": parsed.publisher,
            "licence": parsed.licence,
            "rows": parsed.figures,
            "new": 0 if loaded else parsed.figures,
            "existing": parsed.figures if loaded else 0,
            "notes": list(parsed.notes),
        }

    def write(self, *, start_row: int, on_batch: BatchDone) -> None:
        from safeguard.oversight.services import load_file

        with transaction.atomic():
            result = load_file(self.path)
            created = 0 if result.status == "unchanged" else result.figures
            on_batch(1, result.figures, created, result.figures - created)
