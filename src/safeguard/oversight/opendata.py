"""Readers for the public national data files (no database here: services.load_open_data writes).

Each format is recognised by its own header, never by its file name, and every reader checks
what it reads: areas it does not know, counts that are not whole numbers, and national totals
that do not add up stop the load with the file, row and column named. A file in no recognised
format is refused with the list of formats that are.

Formats (docs/open-data.md gives their layouts and sources):
- ons-rec-crime-pfa: ONS rolling-year recorded crime by police force area (CSV, to YE Dec 2018).
- ons-pfa-tables: ONS police force area data tables workbook (XLSX): Table P1 counts, Table P3
  mid-year population.
- ons-pfa-table-p1-csv: Table P1 of the same dataset exported to CSV (YE June 2025).
- bbc-spo-foi: BBC Shared Data Unit, SPOs by force from FOI answers (Jan 2020 to spring 2021).
- bbc-stalking-offences: BBC Shared Data Unit, stalking (8Q) offences by force, 2015/16 to
  Apr-Dec 2020.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeguard.oversight.areas import BY_CODE, Area, area_for_name, clean_name

SHIPPED_DIR = Path(__file__).resolve().parent / "data"
# The shipped files `load-open-data` reads when given none, in load order.
SHIPPED_FILES: tuple[str, ...] = (
    "ons-rec-crime-pfa/rec-crime-pfa.csv",
    "ons-pfa-tables/policeforceareatablesyearendingmarch2018v2.xlsx",
    "ons-pfa-tables/policeforceareadatatablesyearendingjune2018corrected.xlsx",
    "ons-pfa-tables/policeforceareatablesyearendingsep18corrected.xlsx",
    "ons-pfa-tables/policeforceareatablesyearendingdecember2018.xlsx",
    "ons-pfa-tables/policeforceareatablesyeendingmarch2019.xlsx",
    "ons-pfa-tables/policeforceareatablesyearendingjune2019.xlsx",
    "ons-pfa-tables/policeforceareatablesyearendingseptember2019.xlsx",
    "ons-pfa-tables/pfatablesdec19.xlsx",
    "ons-pfa-tables/ons-pfa-table-P1-ye-june2025.csv",
    "spo-bbc-sdu-2021/spo_foi_by_force_2020-2021.csv",
    "spo-bbc-sdu-2021/stalking_offences_by_force_2015-2021.csv",
)

OGL = "Open Government Licence v3.0"
STALKING_AND_HARASSMENT = "stalking_and_harassment"
STALKING = "stalking"
# The FOI requests asked about orders from the day the Stalking Protection Act 2019 came into
# force (SI 2019/1487: 20 January 2020) to the day each force answered.
SPA_IN_FORCE = dt.date(2020, 1, 20)
# Rows in ONS files that are not territorial police force areas.
NOT_AREAS = frozenset({"british transport police", "action fraud", "cifas", "uk finance"})
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}


class OpenDataError(ValueError):
    """A file that cannot be loaded; the message names the file, and the row and column."""


@dataclass(frozen=True)
class Offences:
    area: Area
    offence_group: str
    period_start: dt.date
    period_end: dt.date
    count: int


@dataclass(frozen=True)
class PopulationFigure:
    area: Area
    mid_year: int
    count: int


@dataclass(frozen=True)
class FoiAnswer:
    area: Area
    answered: bool
    period_start: dt.date
    period_end: dt.date | None
    applied: int | None
    granted: int | None
    rejected: int | None
    not_heard: int | None


@dataclass
class Parsed:
    kind: str
    title: str
    publisher: str
    licence: str
    sha256: str = ""
    offences: list[Offences] = field(default_factory=list)
    population: list[PopulationFigure] = field(default_factory=list)
    foi: list[FoiAnswer] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out, and why

    @property
    def figures(self) -> int:
        return len(self.offences) + len(self.population) + len(self.foi)


# --- Helpers ------------------------------------------------------------------------------------


def _where(path: Path, row: int | None = None, column: str | None = None) -> str:
    parts = [path.name]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


def _count(value: Any, path: Path, row: int, column: str) -> int:
    """A whole, non-negative count ("1,234", "1,234 ", 1234 and 1234.0 all read as 1234)."""
    if isinstance(value, bool):
        raise OpenDataError(f"{_where(path, row, column)}: {value!r} is not a count")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value if value is not None else "").strip().replace(",", "")
        if not re.fullmatch(r"\d+", text):
            raise OpenDataError(
                f"{_where(path, row, column)}: expected a whole number, found {value!r}"
            )
        number = int(text)
    if number < 0:
        raise OpenDataError(f"{_where(path, row, column)}: a count cannot be negative ({number})")
    return number


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def rolling_year_start(end: dt.date) -> dt.date:
    """First day of the 12 months ending on `end` (a month's last day)."""
    year, month = (end.year, end.month + 1) if end.month < 12 else (end.year + 1, 1)
    return dt.date(year - 1, month, 1)


def _year_ending(title: str, path: Path) -> dt.date:
    """The end of the 12 months an ONS table title names. Footnote digits stick to the year
    ("year ending December 20191,2", "year ending June 181,2"), so the year is the first four
    digits when they start with 20, otherwise the first two."""
    match = re.search(r"year ending (\w+) (\d+)", title, re.IGNORECASE)
    if not match or match.group(1).lower() not in MONTHS:
        raise OpenDataError(f"{_where(path)}: no 'year ending <month> <year>' in {title!r}")
    digits = match.group(2)
    year = (
        int(digits[:4]) if digits.startswith("20") and len(digits) >= 4 else 2000 + int(digits[:2])
    )
    return _month_end(year, MONTHS[match.group(1).lower()])


def _area_by_code(code: Any, name: Any, path: Path, row: int) -> Area | None:
    """The area for a row of an ONS table, None for rows that are not areas (totals, regions,
    British Transport Police). An E23/W15 code the project does not know is an error."""
    code = str(code or "").strip()
    label = clean_name(str(name or ""))
    if code.startswith(("E23", "W15")):
        area = BY_CODE.get(code)
        if area is None:
            raise OpenDataError(
                f"{_where(path, row, 'Area Code')}: unknown police force area code {code!r}"
            )
        named = area_for_name(label)
        if named is not None and named != area:
            raise OpenDataError(
                f"{_where(path, row, 'Area Name')}: {label!r} does not match the area code "
                f"{code} ({area.name})"
            )
        return area
    return None


def _check_total(
    path: Path, column: str, total: int | None, areas: dict[Area, int], extra: int, excluded: str
) -> None:
    """National total = the areas' figures + British Transport Police's (ONS notes: "Includes
    British Transport Police"), less any area the table says it leaves out."""
    if total is None:
        raise OpenDataError(f"{_where(path)}: no England and Wales total row (K04000001)")
    summed = sum(areas.values()) + extra
    if summed != total:
        raise OpenDataError(
            f"{_where(path, column=column)}: the police force areas and British Transport Police "
            f"add up to {summed:,}, but the England and Wales row says {total:,}{excluded}; the "
            "file may be damaged or in a different layout"
        )


# --- ons-rec-crime-pfa ----------------------------------------------------------------------------

REC_CRIME_HEADER = [
    "12 months ending",
    "PFA",
    "Region",
    "Offence",
    "Rolling year total number of offences",
]


def _read_rec_crime(path: Path, text: str) -> Parsed:
    parsed = Parsed(
        kind="ons-rec-crime-pfa",
        title="Recorded crime data at police force area level (rolling 12 months)",
        publisher="Office for National Statistics (Home Office police recorded crime)",
        licence=OGL,
    )
    reader = csv.reader(io.StringIO(text))
    next(reader)
    skipped = 0
    for row_number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(REC_CRIME_HEADER):
            raise OpenDataError(
                f"{_where(path, row_number)}: expected {len(REC_CRIME_HEADER)} columns, "
                f"found {len(row)}"
            )
        ending, pfa, _region, offence, value = row
        if offence.strip() != "Stalking and harassment":
            continue
        if pfa.strip().lower() in NOT_AREAS:
            skipped += 1
            continue
        area = area_for_name(pfa)
        if area is None:
            raise OpenDataError(
                f"{_where(path, row_number, 'PFA')}: unknown police force area {pfa!r}"
            )
        try:
            day = dt.datetime.strptime(ending.strip(), "%d-%m-%Y").date()
        except ValueError:
            raise OpenDataError(
                f"{_where(path, row_number, '12 months ending')}: expected a date as DD-MM-YYYY, "
                f"found {ending!r}"
            ) from None
        # Rolling years end on a month's last day; the source has one "30-12-2017".
        end = _month_end(day.year, day.month)
        parsed.offences.append(
            Offences(
                area,
                STALKING_AND_HARASSMENT,
                rolling_year_start(end),
                end,
                _count(value, path, row_number, REC_CRIME_HEADER[4]),
            )
        )
    if not parsed.offences:
        raise OpenDataError(f"{_where(path)}: no 'Stalking and harassment' rows")
    parsed.notes.append(
        f"read the 'Stalking and harassment' rows only; {skipped} British Transport Police rows "
        "left out (not a police force area)"
    )
    return parsed


# --- ONS police force area tables (P1 counts, P3 population) --------------------------------------


def _table_rows(rows: list[tuple], path: Path, table: str) -> tuple[int, tuple]:
    for index, row in enumerate(rows):
        if row and str(row[0] or "").strip() == "Area Code":
            return index, row
    raise OpenDataError(f"{_where(path)}: {table} has no header row starting 'Area Code'")


def _column(header: Iterable[Any], pattern: str, path: Path, table: str) -> int:
    for index, label in enumerate(header):
        if label and re.search(pattern, " ".join(str(label).split()), re.IGNORECASE):
            return index
    raise OpenDataError(f"{_where(path)}: {table} has no column matching {pattern!r}")


def _read_p1(path: Path, rows: list[tuple], parsed: Parsed) -> None:
    title = str(rows[0][0] or "")
    end = _year_ending(title, path)
    header_at, header = _table_rows(rows, path, "Table P1")
    column = _column(header, r"^stalking\s*and\s*harassment", path, "Table P1")
    label = "Stalking and harassment"
    figures: dict[Area, int] = {}
    total = None
    btp = 0
    missing = []
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        if not row or len(row) <= column:
            continue
        row_number = index + 1
        code = str(row[0] or "").strip()
        name = str(row[1] or "").strip()
        if code == "K04000001":
            total = _count(row[column], path, row_number, label)
            continue
        if name.lower().startswith("british transport police"):
            btp = _count(row[column], path, row_number, label)
            continue
        area = _area_by_code(code, name, path, row_number)
        if area is None:
            continue
        value = row[column]
        if str(value).strip() in ("..", "[x]"):  # ONS: data not available
            missing.append(area)
            continue
        figures[area] = _count(value, path, row_number, label)
    if len(figures) + len(missing) != len(BY_CODE):
        absent = sorted(a.name for a in BY_CODE.values() if a not in figures and a not in missing)
        raise OpenDataError(f"{_where(path)}: Table P1 has no row for {', '.join(absent)}")
    excluded = ""
    if missing:
        excluded = f" (which leaves out {', '.join(a.name for a in missing)})"
    _check_total(path, label, total, figures, btp, excluded)
    start = rolling_year_start(end)
    parsed.offences += [
        Offences(area, STALKING_AND_HARASSMENT, start, end, count)
        for area, count in figures.items()
    ]
    for area in missing:
        parsed.notes.append(f"{area.name}: not available for the year ending {end:%B %Y} ('..')")


def _read_p3(path: Path, rows: list[tuple], parsed: Parsed) -> None:
    header_at, header = _table_rows(rows, path, "Table P3")
    column = _column(header, r"population", path, "Table P3")
    match = re.search(r"mid-(\d{4})", " ".join(str(header[column]).split()))
    if not match:
        raise OpenDataError(f"{_where(path)}: Table P3's population column names no mid-year")
    mid_year = int(match.group(1))
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        if not row or len(row) <= column:
            continue
        area = _area_by_code(row[0], row[1], path, index + 1)
        if area is None:
            continue
        if str(row[column]).strip() in ("..", "[x]"):
            parsed.notes.append(f"{area.name}: population not available ('..')")
            continue
        parsed.population.append(
            PopulationFigure(area, mid_year, _count(row[column], path, index + 1, "Population"))
        )


def _read_pfa_workbook(path: Path) -> Parsed:
    from openpyxl import load_workbook

    parsed = Parsed(
        kind="ons-pfa-tables",
        title="Police force area data tables",
        publisher="Office for National Statistics (Home Office police recorded crime)",
        licence=OGL,
    )
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {name.strip(): workbook[name] for name in workbook.sheetnames}
        p1 = list(sheets["Table P1"].iter_rows(values_only=True))
        _read_p1(path, p1, parsed)
        parsed.title = (
            f"Police force area data tables, year ending {parsed.offences[0].period_end:%B %Y}"
        )
        if "Table P3" in sheets:
            _read_p3(path, list(sheets["Table P3"].iter_rows(values_only=True)), parsed)
    finally:
        workbook.close()
    return parsed


def _read_p1_csv(path: Path, text: str) -> Parsed:
    parsed = Parsed(
        kind="ons-pfa-table-p1-csv",
        title="Police force area data tables, Table P1",
        publisher="Office for National Statistics (Home Office police recorded crime)",
        licence=OGL,
    )
    rows = [tuple(row) for row in csv.reader(io.StringIO(text))]
    _read_p1(path, rows, parsed)
    parsed.title += f", year ending {parsed.offences[0].period_end:%B %Y}"
    return parsed


# --- BBC Shared Data Unit: SPOs by force (FOI) -----------------------------------------------------

FOI_COLUMNS = (
    "Police force",
    "foi_response",
    "SPOs granted",
    "SPOs rejected",
    "SPO not_heard",
    "Total SPOs applied for",
    "date_correct",
    "code",
)


def _optional_count(value: str, path: Path, row: int, column: str) -> int | None:
    """A count the force may not have given: "n/a" (and blank) read as not given."""
    if value.strip().lower() in ("", "n/a"):
        return None
    return _count(value, path, row, column)


def _read_foi(path: Path, text: str) -> Parsed:
    parsed = Parsed(
        kind="bbc-spo-foi",
        title="Stalking Protection Orders by police force (FOI answers, 20 Jan 2020 to spring 2021)",
        publisher="BBC Shared Data Unit (Freedom of Information answers from each force)",
        licence="No licence stated; published by the BBC for reuse (FOI answers are public)",
    )
    reader = csv.DictReader(io.StringIO(text))
    seen: set[Area] = set()
    for row_number, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        area = BY_CODE.get(row["code"]) or area_for_name(row["Police force"])
        if area is None:
            raise OpenDataError(
                f"{_where(path, row_number, 'code')}: unknown police force {row['Police force']!r} "
                f"({row['code']!r})"
            )
        if area in seen:
            raise OpenDataError(f"{_where(path, row_number)}: {area.name} appears twice")
        seen.add(area)
        response = row["foi_response"].lower()
        if response not in ("yes", "no"):
            raise OpenDataError(
                f"{_where(path, row_number, 'foi_response')}: expected yes or no, found "
                f"{row['foi_response']!r}"
            )
        if response == "no":
            # The source puts 0 in "Total SPOs applied for" for a force that did not answer; that
            # is no answer, not zero orders.
            parsed.foi.append(FoiAnswer(area, False, SPA_IN_FORCE, None, None, None, None, None))
            continue
        try:
            answered_on = dt.datetime.strptime(row["date_correct"], "%d/%m/%y").date()
        except ValueError:
            raise OpenDataError(
                f"{_where(path, row_number, 'date_correct')}: expected a date as DD/MM/YY, found "
                f"{row['date_correct']!r}"
            ) from None
        answer = FoiAnswer(
            area,
            True,
            SPA_IN_FORCE,
            answered_on,
            applied=_count(
                row["Total SPOs applied for"], path, row_number, "Total SPOs applied for"
            ),
            granted=_optional_count(row["SPOs granted"], path, row_number, "SPOs granted"),
            rejected=_optional_count(row["SPOs rejected"], path, row_number, "SPOs rejected"),
            not_heard=_optional_count(row["SPO not_heard"], path, row_number, "SPO not_heard"),
        )
        parts = [answer.granted, answer.rejected, answer.not_heard]
        known = sum(p for p in parts if p is not None)
        if answer.applied is not None and (
            known > answer.applied or (None not in parts and known != answer.applied)
        ):
            raise OpenDataError(
                f"{_where(path, row_number)}: {area.name}'s granted, rejected and not heard "
                f"({known}) do not add up to the {answer.applied} applied for"
            )
        parsed.foi.append(answer)
    return parsed


# --- BBC Shared Data Unit: stalking offences by force ----------------------------------------------


def _financial_year(label: str, path: Path, column: int) -> tuple[dt.date, dt.date]:
    match = re.fullmatch(r"(\d{4})/(\d{2})", label.strip())
    if not match:
        raise OpenDataError(
            f"{_where(path, 1, label)}: expected a year as YYYY/YY (column {column})"
        )
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise OpenDataError(f"{_where(path, 1, label)}: {label} is not a financial year")
    if start == 2020:
        # The dataset's "2020/21" is April to December 2020 only (its SOURCE.md; BBC story of
        # 15 June 2021): the Home Office outcomes data then went no further.
        return dt.date(2020, 4, 1), dt.date(2020, 12, 31)
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _read_stalking_offences(path: Path, text: str) -> Parsed:
    parsed = Parsed(
        kind="bbc-stalking-offences",
        title="Stalking offences by police force, 2015/16 to April-December 2020",
        publisher="BBC Shared Data Unit, from Home Office police recorded crime and outcomes data",
        licence=OGL,
    )
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]]
    periods = [_financial_year(label, path, i) for i, label in enumerate(header[1:], start=2)]
    totals: list[int] | None = None
    sums = [0] * len(periods)
    for row_number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise OpenDataError(
                f"{_where(path, row_number)}: expected {len(header)} columns, found {len(row)}"
            )
        counts = [_count(v, path, row_number, header[i + 1]) for i, v in enumerate(row[1:])]
        if row[0].strip().lower() == "total":
            totals = counts
            continue
        area = area_for_name(row[0])
        if area is None:
            raise OpenDataError(
                f"{_where(path, row_number, 'force')}: unknown police force {row[0]!r}"
            )
        for i, ((start, end), count) in enumerate(zip(periods, counts, strict=True)):
            sums[i] += count
            if count == 0:
                # A force recording no stalking at all in a year is a gap, not a figure: Greater
                # Manchester supplied no data after its July 2019 IT change (ONS PFA table notes).
                parsed.notes.append(f"{area.name} {header[i + 1]}: 0 read as not available")
                continue
            parsed.offences.append(Offences(area, STALKING, start, end, count))
    if totals is not None and totals != sums:
        raise OpenDataError(
            f"{_where(path)}: the forces add up to {sums}, but the total row says {totals}"
        )
    return parsed


# --- Recognising a file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    kind: str
    description: str
    matches: Callable[[Path, str], bool]
    read: Callable[[Path, str], Parsed]


def _first_cell(text: str) -> str:
    for row in csv.reader(io.StringIO(text[:4000])):
        return row[0] if row else ""
    return ""


def _header(text: str) -> list[str]:
    for row in csv.reader(io.StringIO(text[:4000])):
        return [c.strip() for c in row]
    return []


FORMATS: tuple[Format, ...] = (
    Format(
        "ons-rec-crime-pfa",
        "ONS rec-crime-pfa.csv (header: " + ",".join(REC_CRIME_HEADER) + ")",
        lambda path, text: _header(text) == REC_CRIME_HEADER,
        _read_rec_crime,
    ),
    Format(
        "ons-pfa-table-p1-csv",
        "ONS Table P1 as CSV (title 'Table P1: Police recorded crime by offence group and police "
        "force area ...')",
        lambda path, text: bool(
            re.match(
                r"Table P1:\s+Police recorded crime by offence group and police force area",
                _first_cell(text),
            )
        ),
        _read_p1_csv,
    ),
    Format(
        "bbc-spo-foi",
        "BBC SDU SPOs by force (columns: " + ", ".join(FOI_COLUMNS) + ", ...)",
        lambda path, text: tuple(_header(text)[: len(FOI_COLUMNS)]) == FOI_COLUMNS,
        _read_foi,
    ),
    Format(
        "bbc-stalking-offences",
        "BBC SDU stalking offences by force (columns: force, 2015/16, ..., 2020/21)",
        lambda path, text: (
            bool(_header(text))
            and _header(text)[0] == "force"
            and all(re.fullmatch(r"\d{4}/\d{2}", h) for h in _header(text)[1:])
        ),
        _read_stalking_offences,
    ),
)
XLSX_DESCRIPTION = (
    "ONS police force area data tables workbook (.xlsx with a 'Table P1' sheet titled 'Table P1: "
    "Police recorded crime by offence group and police force area ...')"
)


def _recognised() -> str:
    return "; ".join([*(f.description for f in FORMATS), XLSX_DESCRIPTION])


def _is_pfa_workbook(path: Path) -> bool:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook openpyxl can open
        return False
    try:
        sheets = {name.strip(): workbook[name] for name in workbook.sheetnames}
        if "Table P1" not in sheets:
            return False
        first = next(sheets["Table P1"].iter_rows(values_only=True, max_row=1), ())
        return bool(
            first
            and re.match(
                r"Table P1:\s+Police recorded crime by offence group and police force area",
                str(first[0] or ""),
            )
        )
    finally:
        workbook.close()


def read(path: Path) -> Parsed:
    """Recognise the file's format from its content and read it, or raise OpenDataError."""
    path = Path(path)
    if not path.is_file():
        raise OpenDataError(f"{path}: no such file")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if data[:4] == b"PK\x03\x04":  # a zip container: an XLSX workbook, perhaps
        if not _is_pfa_workbook(path):
            raise OpenDataError(
                f"{path.name}: not a format Safeguard recognises. Recognised: {_recognised()}"
            )
        parsed = _read_pfa_workbook(path)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OpenDataError(
                f"{path.name}: not UTF-8 text or an XLSX workbook. Recognised: {_recognised()}"
            ) from None
        for fmt in FORMATS:
            if fmt.matches(path, text):
                parsed = fmt.read(path, text)
                break
        else:
            raise OpenDataError(
                f"{path.name}: not a format Safeguard recognises. Recognised: {_recognised()}"
            )
    parsed.sha256 = digest
    return parsed
