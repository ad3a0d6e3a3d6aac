"""Oversight's writes: loading the public national data, and logging exports.

Loading is idempotent: a file whose checksum is already loaded is left as it is; a changed file
replaces its own figures in one transaction, so a failed load changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.access import audit
from safeguard.access.models import AuditKind
from safeguard.oversight import opendata
from safeguard.oversight.areas import AREAS
from safeguard.oversight.models import (
    OffenceCount,
    OpenDataFile,
    PoliceForceArea,
    Population,
    SpoFoiReturn,
)


@dataclass(frozen=True)
class LoadResult:
    name: str
    kind: str
    figures: int
    status: str  # "loaded", "replaced" or "unchanged"
    notes: tuple[str, ...] = ()

    def line(self) -> str:
        verb = {"loaded": "loaded", "replaced": "reloaded (changed)", "unchanged": "unchanged"}
        return f"{self.name} ({self.kind}): {self.figures:,} figures {verb[self.status]}"


def ensure_areas() -> dict[str, PoliceForceArea]:
    """The 43 police force areas, created or brought up to date (idempotent)."""
    found = {}
    for area in AREAS:
        found[area.ons_code], _ = PoliceForceArea.objects.update_or_create(
            ons_code=area.ons_code, defaults={"name": area.name, "region": area.region}
        )
    return found


@transaction.atomic
def load_file(path: Path, *, force: bool = False) -> LoadResult:
    """Read `path` (any recognised format) and load its figures. Raises OpenDataError, naming
    the file, row and column, if the file is not in a recognised format or fails a check."""
    parsed = opendata.read(Path(path))
    name = Path(path).name
    existing = OpenDataFile.objects.filter(name=name).first()
    if existing and existing.sha256 == parsed.sha256 and existing.kind == parsed.kind and not force:
        return LoadResult(name, parsed.kind, existing.rows, "unchanged", tuple(parsed.notes))
    areas = ensure_areas()
    if existing:
        existing.delete()  # its figures go with it (CASCADE), in this transaction
    source = OpenDataFile.objects.create(
        name=name,
        kind=parsed.kind,
        title=parsed.title,
        publisher=parsed.publisher,
        licence=parsed.licence,
        sha256=parsed.sha256,
        rows=parsed.figures,
        loaded_at=timezone.now(),
    )
    OffenceCount.objects.bulk_create(
        OffenceCount(
            area=areas[o.area.ons_code],
            offence_group=o.offence_group,
            period_start=o.period_start,
            period_end=o.period_end,
            count=o.count,
            source=source,
        )
        for o in parsed.offences
    )
    Population.objects.bulk_create(
        Population(area=areas[p.area.ons_code], mid_year=p.mid_year, count=p.count, source=source)
        for p in parsed.population
    )
    SpoFoiReturn.objects.bulk_create(
        SpoFoiReturn(
            area=areas[f.area.ons_code],
            source=source,
            answered=f.answered,
            period_start=f.period_start,
            period_end=f.period_end,
            applied=f.applied,
            granted=f.granted,
            rejected=f.rejected,
            not_heard=f.not_heard,
        )
        for f in parsed.foi
    )
    return LoadResult(
        name, parsed.kind, parsed.figures, "replaced" if existing else "loaded", tuple(parsed.notes)
    )


def load_open_data(paths: list[Path] | None = None, *, force: bool = False) -> list[LoadResult]:
    """Load the given files, or every file shipped in oversight/data/ (each in its own
    transaction, stopping at the first that fails)."""
    if not paths:
        paths = [opendata.SHIPPED_DIR / name for name in opendata.SHIPPED_FILES]
    return [load_file(path, force=force) for path in paths]


def log_export(user: Any, *, what: str, purpose: str, details: dict[str, Any]) -> None:
    """Every export is logged in the audit trail (DPA 2018 s.62): who, when, what and why."""
    audit.record(
        AuditKind.EXPORT,
        user=user,
        table_name="oversight",
        object_id=what,
        purpose=purpose,
        details=details,
    )
