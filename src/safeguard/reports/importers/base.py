"""What every importer shares: reading CSV and XLSX files row by row, and saying what is wrong.

An importer reads its file twice. The first pass (`check`) reads every row, writes nothing, and
either finds problems (each naming the file, the row, the column and the fix) or produces a
preview of what will change. The second pass (`write`) reads the file again and writes it in
batches, each batch in its own transaction that also records how far the import has got
(ImportRun.rows_done), so a crash leaves a run that resumes where it stopped. Reading twice
keeps memory flat however large the file: nothing but small per-row keys is held between rows.

Row numbers are the spreadsheet's: the header is row 1, the first record row 2, whatever line
breaks a quoted cell holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

# Problems kept in full (every problem is counted; a file with thousands of errors shows the
# first ones, which are usually the same mistake repeated).
MAX_PROBLEMS_KEPT = 1000
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
csv.field_size_limit(1024 * 1024)  # a summary may be long; a 1 MB cell is a broken file


def max_bytes() -> int:
    return int(getattr(settings, "SAFEGUARD_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with a file: where, what, and how to put it right."""

    file: str
    row: int | None
    column: str | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = f"{', '.join(where)}: {self.message}"
        return f"{text}. {self.fix}" if self.fix else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "fix": self.fix,
        }


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written. `problems` lists every problem found
    (the first MAX_PROBLEMS_KEPT of them) and `count` how many there were in all."""

    def __init__(self, problems: Sequence[ImportProblem], count: int | None = None) -> None:
        self.problems = list(problems)
        self.count = count if count is not None else len(self.problems)
        head = "\n".join(f"  {p}" for p in self.problems[:20])
        more = self.count - min(20, len(self.problems))
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{self.count} problem{'s' if self.count != 1 else ''}; nothing was imported:\n{head}{tail}"
        )


@dataclass
class Problems:
    """Collects problems, keeping the first MAX_PROBLEMS_KEPT and counting the rest."""

    file: str
    kept: list[ImportProblem] = field(default_factory=list)
    count: int = 0

    def add(self, row: int | None, column: str | None, message: str, fix: str = "") -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS_KEPT:
            self.kept.append(ImportProblem(self.file, row, column, message, fix))

    def __bool__(self) -> bool:
        return self.count > 0

    def raise_if_any(self) -> None:
        if self.count:
            raise ImportFailed(self.kept, self.count)


class StopReading(Exception):
    """The file cannot be read any further (wrong encoding, not a spreadsheet...)."""


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet row number (header = 1)
    cells: dict[str, str]  # column name -> text, stripped
    raw: tuple[str, ...]  # the cells as read, for duplicate detection


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_size(path: Path, problems: Problems) -> bool:
    size = path.stat().st_size
    if size == 0:
        problems.add(None, None, "The file is empty", "Export the data again and choose that file")
        return False
    limit = max_bytes()
    if size > limit:
        problems.add(
            None,
            None,
            f"The file is {size / 1e6:,.0f} MB; the most Safeguard imports at once is "
            f"{limit / 1e6:,.0f} MB",
            "Split it into smaller files (by month, say) and import each",
        )
        return False
    return True


# --- CSV -----------------------------------------------------------------------------------


def _decoded_lines(path: Path, file_name: str) -> Iterator[str]:
    """The file's lines as text, strictly UTF-8 (a byte-order mark is allowed). A line that is
    not UTF-8 stops the read with the row, the offending byte, and how to re-save the file."""
    with path.open("rb") as f:
        first = True
        for line_no, raw in enumerate(f, start=1):
            if first:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
                first = False
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as error:
                bad = raw[error.start : error.start + 1]
                guess = ""
                try:
                    raw.decode("cp1252")
                    guess = " It looks like Windows-1252, which Excel's plain 'CSV' uses."
                except UnicodeDecodeError:
                    pass
                raise StopReading(
                    f"line {line_no}|The file is not UTF-8 text: byte 0x{bad.hex()} at character "
                    f"{error.start + 1} of line {line_no} cannot be read.{guess}|Save it as "
                    "'CSV UTF-8' (in Excel: File, Save As, 'CSV UTF-8 (Comma delimited)') and "
                    "import that file"
                ) from None


def read_csv(path: Path, file_name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (cells stripped) and an iterator of (row number, cells)."""
    reader = csv.reader(_decoded_lines(path, file_name))
    try:
        header = next(reader)
    except StopIteration:
        raise StopReading("|The file has no header row|Put the column names in row 1") from None
    except csv.Error as error:
        raise StopReading(f"|The file is not valid CSV: {error}|Export it again as CSV") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise StopReading(
                    f"row {number + 1}|The row is not valid CSV: {error}|Check its quotation "
                    "marks: a cell that contains a comma or a line break must be in double quotes"
                ) from None
            number += 1
            if not any(c.strip() for c in cells):
                continue  # blank lines (often at the end of an export) are not rows
            yield number, cells

    return [h.strip() for h in header], rows()


# --- XLSX ----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            value.isoformat(sep=" ") if (value.time() != dt.time(0)) else value.date().isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, file_name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The first worksheet's header and rows, as text (dates as YYYY-MM-DD)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise StopReading(
            "|The file is not an Excel workbook Safeguard can open|Save it again from Excel as "
            "'Excel Workbook (.xlsx)', or as 'CSV UTF-8'"
        ) from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v).strip() for v in next(values)]
    except StopIteration:
        workbook.close()
        raise StopReading("|The first worksheet is empty|Put the column names in row 1") from None
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(values, start=2):
                cells = [_cell_text(v) for v in row[: len(header)]]
                if any(c.strip() for c in cells):
                    yield number, cells
        finally:
            workbook.close()

    return header, rows()


def open_table(path: Path, file_name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    with path.open("rb") as f:
        magic = f.read(4)
    if magic == XLSX_MAGIC:
        return read_xlsx(path, file_name)
    return read_csv(path, file_name)


def stop_problem(problems: Problems, error: StopReading) -> None:
    where, message, fix = str(error).split("|", 2)
    match = re.match(r"(line|row) (\d+)", where)
    problems.add(int(match.group(2)) if match else None, None, message, fix)


def rows_of(
    header: list[str], rows: Iterator[tuple[int, list[str]]], problems: Problems
) -> Iterator[Row]:
    """Rows as {column: text}. A row with more cells than the header is a problem (a stray
    comma, usually); a shorter row is padded with blanks, as spreadsheets write them."""
    width = len(header)
    for number, cells in rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.add(
                number,
                None,
                f"The row has {len(cells)} cells but the header has {width} columns",
                "Put cells that contain commas in double quotes, or remove the extra cells",
            )
            continue
        cells = (cells + [""] * width)[:width]
        yield Row(number, {h: c.strip() for h, c in zip(header, cells, strict=True)}, tuple(cells))


def check_header(
    header: list[str],
    required: Sequence[str],
    optional: Sequence[str],
    problems: Problems,
    *,
    case_insensitive: bool = True,
    fix: str = "",
) -> list[str] | None:
    """The header with names normalised, or None (with problems) if it will not do."""
    known = {c.lower() if case_insensitive else c: c for c in (*required, *optional)}
    normalised = [known.get(h.lower() if case_insensitive else h, h) for h in header]
    missing = [c for c in required if c not in normalised]
    if missing:
        problems.add(
            1,
            ", ".join(missing),
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
            fix
            or "Add the column(s) to row 1, spelt as in docs/data-formats.md; the columns "
            f"Safeguard reads are: {', '.join([*required, *optional])}",
        )
    repeated = sorted({h for h in normalised if h and normalised.count(h) > 1})
    if repeated:
        problems.add(
            1, ", ".join(repeated), "A column appears twice", fix or "Keep only one of each"
        )
    unknown = [h for h in header if h and (h.lower() if case_insensitive else h) not in known]
    if unknown:
        problems.add(
            1,
            ", ".join(unknown),
            f"Column{'s' if len(unknown) > 1 else ''} Safeguard does not read: {', '.join(unknown)}",
            fix or "Remove them, or rename them to the documented names (docs/data-formats.md)",
        )
    return None if (missing or repeated or unknown) else normalised


# --- Progress -------------------------------------------------------------------------------

# Called inside each batch's transaction: (last row number written, rows in the batch, records
# created, records skipped because they were already there).
BatchDone = Callable[[int, int, int, int], None]
