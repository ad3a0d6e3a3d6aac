"""Importer for data.police.uk street-level crime files (`YYYY-MM-<force>-street.csv`), kept as
area context (reports.StreetCrime). The layout is data.police.uk's own, unchanged
(docs/data-formats.md, "data.police.uk street-level crime"):

    Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,
    Crime type,Last outcome category,Context

Real files hold identical rows and rows sharing a Crime ID; both are kept (each row is one
record), and each row's key counts how many identical rows came before it, so importing a file
twice, or two files that overlap, never adds a row twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from safeguard.reports.importers.base import (
    BatchDone,
    Problems,
    Row,
    StopReading,
    check_header,
    check_size,
    open_table,
    rows_of,
    stop_problem,
)
from safeguard.reports.models import ImportRun, StreetCrime

COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
# data.police.uk's categories (https://data.police.uk/docs/method/crime-categories/), with the
# names used before May 2013 so older files import too.
CRIME_TYPES = frozenset(
    {
        "Anti-social behaviour",
        "Bicycle theft",
        "Burglary",
        "Criminal damage and arson",
        "Drugs",
        "Other theft",
        "Possession of weapons",
        "Public order",
        "Robbery",
        "Shoplifting",
        "Theft from the person",
        "Vehicle crime",
        "Violence and sexual offences",
        "Other crime",
        # Before May 2013:
        "Violent crime",
        "Public disorder and weapons",
    }
)
CRIME_ID = re.compile(r"[0-9a-f]{64}")
LSOA = re.compile(r"[EW]0\d{7}")
# A box round Great Britain: a point outside it is a swapped or mistyped coordinate.
LONGITUDE = (Decimal("-9"), Decimal("2.5"))
LATITUDE = (Decimal("49"), Decimal("61"))
BATCH_ROWS = 2000
FIX_HEADER = "Use the file exactly as data.police.uk gives it (its first row names the 12 columns)"


def row_key(raw: tuple[str, ...], ordinal: int) -> str:
    text = "\x1f".join(cell.strip() for cell in raw) + f"\x1e{ordinal}"
    return hashlib.sha256(text.encode()).hexdigest()


def _coordinate(text: str, bounds: tuple[Decimal, Decimal]) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or not bounds[0] <= value <= bounds[1]:
        raise InvalidOperation
    return value.quantize(Decimal("0.000001"))


class PoliceUkStreetImporter:
    kind = "police-uk-street"

    def __init__(self, path: Path, file_name: str, *, force: Any = None, user: Any = None) -> None:
        self.path = Path(path)
        self.file_name = file_name
        self.run: ImportRun | None = None

    def _rows(self, problems: Problems) -> Iterator[tuple[Row, StreetCrime | None]]:
        header, raw_rows = open_table(self.path, self.file_name)
        names = check_header(header, COLUMNS, (), problems, case_insensitive=False, fix=FIX_HEADER)
        if names is None:
            return
        ordinals: Counter[tuple[str, ...]] = Counter()
        for row in rows_of(names, raw_rows, problems):
            raw = tuple(row.cells[c] for c in COLUMNS)
            ordinal = ordinals[raw]
            ordinals[raw] += 1
            yield row, self._crime(row, raw, ordinal, problems)

    def _crime(
        self, row: Row, raw: tuple[str, ...], ordinal: int, problems: Problems
    ) -> StreetCrime | None:
        c = row.cells
        before = problems.count
        crime_id = c["Crime ID"].lower()
        if crime_id and not CRIME_ID.fullmatch(crime_id):
            problems.add(
                row.number,
                "Crime ID",
                f"{c['Crime ID'][:80]!r} is not a data.police.uk Crime ID",
                "A Crime ID is 64 hexadecimal characters, or blank for anti-social behaviour",
            )
        month = None
        try:
            month = dt.datetime.strptime(c["Month"], "%Y-%m").date()
        except ValueError:
            problems.add(
                row.number,
                "Month",
                f"{c['Month'][:40]!r} is not a month",
                "Write the month as YYYY-MM, e.g. 2024-03",
            )
        for column in ("Reported by", "Falls within"):
            if not c[column]:
                problems.add(
                    row.number,
                    column,
                    "The force is blank",
                    "Name the force, as data.police.uk does",
                )
        longitude = latitude = None
        if c["Longitude"] or c["Latitude"]:
            try:
                longitude = _coordinate(c["Longitude"], LONGITUDE)
            except (InvalidOperation, ValueError):
                problems.add(
                    row.number,
                    "Longitude",
                    f"{c['Longitude'][:40]!r} is not a longitude in Great Britain",
                    "Give decimal degrees between -9 and 2.5, or leave Longitude and Latitude both blank",
                )
            try:
                latitude = _coordinate(c["Latitude"], LATITUDE)
            except (InvalidOperation, ValueError):
                problems.add(
                    row.number,
                    "Latitude",
                    f"{c['Latitude'][:40]!r} is not a latitude in Great Britain",
                    "Give decimal degrees between 49 and 61, or leave Longitude and Latitude both blank",
                )
        if c["LSOA code"] and not LSOA.fullmatch(c["LSOA code"]):
            problems.add(
                row.number,
                "LSOA code",
                f"{c['LSOA code'][:40]!r} is not an LSOA code",
                "An LSOA code is E01 or W01 and six digits, e.g. E01000001, or blank",
            )
        if c["Crime type"] not in CRIME_TYPES:
            problems.add(
                row.number,
                "Crime type",
                f"{c['Crime type'][:60]!r} is not a data.police.uk crime type",
                f"Use one of: {', '.join(sorted(CRIME_TYPES))}",
            )
        for column, limit in (
            ("Location", 200),
            ("LSOA name", 100),
            ("Reported by", 100),
            ("Falls within", 100),
            ("Last outcome category", 120),
        ):
            if len(c[column]) > limit:
                problems.add(
                    row.number,
                    column,
                    f"The text is longer than {limit} characters",
                    "Use the file as data.police.uk gives it",
                )
        if problems.count > before or month is None:
            return None
        return StreetCrime(
            row_key=row_key(raw, ordinal),
            crime_id=crime_id,
            month=month,
            reported_by=c["Reported by"],
            falls_within=c["Falls within"],
            longitude=longitude,
            latitude=latitude,
            location=c["Location"],
            lsoa_code=c["LSOA code"],
            lsoa_name=c["LSOA name"],
            crime_type=c["Crime type"],
            last_outcome=c["Last outcome category"],
            context=c["Context"],
        )

    @staticmethod
    def _existing(keys: list[str]) -> set[str]:
        return set(StreetCrime.objects.filter(row_key__in=keys).values_list("row_key", flat=True))

    def check(self) -> dict[str, Any]:
        problems = Problems(self.file_name)
        if not check_size(self.path, problems):
            problems.raise_if_any()
        rows = new = existing = 0
        months: Counter[str] = Counter()
        forces: Counter[str] = Counter()
        types: Counter[str] = Counter()
        keys: list[str] = []

        def tally() -> None:
            nonlocal new, existing
            found = len(self._existing(keys))
            existing += found
            new += len(keys) - found
            keys.clear()

        try:
            for _row, crime in self._rows(problems):
                rows += 1
                if crime is None or problems:
                    continue
                keys.append(crime.row_key)
                months[crime.month.strftime("%Y-%m")] += 1
                forces[crime.falls_within] += 1
                types[crime.crime_type] += 1
                if len(keys) >= 5000:
                    tally()
        except StopReading as error:
            stop_problem(problems, error)
        problems.raise_if_any()
        if rows == 0:
            problems.add(
                None,
                None,
                "The file has a header but no rows",
                "Download the file again from data.police.uk",
            )
        problems.raise_if_any()
        tally()
        return {
            "kind": self.kind,
            "rows": rows,
            "new": new,
            "existing": existing,
            "months": sorted(months),
            "forces": dict(forces.most_common()),
            "crime_types": dict(types.most_common()),
        }

    def write(self, *, start_row: int, on_batch: BatchDone) -> None:
        problems = Problems(self.file_name)
        batch: list[StreetCrime] = []
        last_row = 0

        def flush() -> None:
            with transaction.atomic():
                existing = self._existing([c.row_key for c in batch])
                fresh = [c for c in batch if c.row_key not in existing]
                for crime in fresh:
                    crime.source = self.run
                StreetCrime.objects.bulk_create(fresh, ignore_conflicts=True)
                on_batch(last_row, len(batch), len(fresh), len(batch) - len(fresh))
            batch.clear()

        for row, crime in self._rows(problems):
            if row.number <= start_row:
                continue
            if crime is None or problems:
                problems.raise_if_any()
                raise RuntimeError("The file changed after it was checked")
            batch.append(crime)
            last_row = row.number
            if len(batch) >= BATCH_ROWS:
                flush()
        if batch:
            flush()
