"""Reading person records and putting them in the form the linkage model compares.

Everything here runs in an embedded DuckDB connection, whichever engine then links the records:
DuckDB reads a million-row CSV and normalises it in a few seconds, and the Spark engine is handed
the prepared table. Normalisation:

- names: lower case, accents and punctuation removed; the first word of the given name is the
  given name, the rest middle names; `given_canons` is the set of formal names the given name may
  stand for (Bill -> william; Alex -> alexander, alexandra), from data/nicknames.csv;
  a surname's first and last parts are kept apart, for double-barrelled and changed surnames;
- date of birth: ISO 8601 (YYYY-MM-DD) or blank; also kept with day and month swapped;
- postcode: upper case without spaces, with its sector (NR13 5) and district (NR13);
- sex: M or F, anything else unknown.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

REQUIRED_COLUMNS = ("record_id", "given_name", "surname", "date_of_birth", "postcode")
OPTIONAL_COLUMNS = ("sex",)
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class LinkInputError(ValueError):
    """The input cannot be linked; the message names the file, row or column and the fix."""


@functools.cache
def name_canons() -> dict[str, list[str]]:
    """Each known given name -> the formal names it may stand for (itself included if formal)."""
    canons: dict[str, set[str]] = {}
    with (DATA_DIR / "nicknames.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            formal, nick = row["name"].strip().lower(), row["nickname"].strip().lower()
            canons.setdefault(formal, set()).add(formal)
            canons.setdefault(nick, set()).add(formal)
    return {name: sorted(c) for name, c in canons.items()}


@functools.cache
def known_given_names() -> frozenset[str]:
    """Given names known to be real names (not typing errors): every name in the nickname table
    and the common given names of England and Wales."""
    from safeguard.screening.linkage.synthetic import FEMALE, MALE

    return frozenset(name_canons()) | {n.lower() for n in (*MALE, *FEMALE)}


def _register_nicknames(con: duckdb.DuckDBPyConnection) -> None:
    canons = name_canons()
    con.register(
        "_canons",
        pa.table({"name": list(canons), "canons": list(canons.values())}),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE name_canons AS SELECT * FROM _canons")
    con.unregister("_canons")
    con.register("_known", pa.table({"name": sorted(known_given_names())}))
    con.execute("CREATE OR REPLACE TEMP TABLE known_given AS SELECT * FROM _known")
    con.unregister("_known")


def read_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), None)
    except FileNotFoundError:
        raise LinkInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LinkInputError(f"{path}: is a folder, not a CSV file") from None
    except PermissionError:
        raise LinkInputError(f"{path}: cannot be read (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise LinkInputError(
            f"{path}: is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV"
        ) from None
    except csv.Error as exc:
        raise LinkInputError(f"{path}: is not a readable CSV file ({exc})") from None
    if not header:
        raise LinkInputError(f"{path}: is empty; it needs a header row with {_required()}")
    return [h.strip() for h in header]


def _required() -> str:
    return ",".join(REQUIRED_COLUMNS)


def load_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str = "raw") -> int:
    """Read and check the input CSV into `table`; returns the number of records."""
    path = Path(path)
    header = read_header(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise LinkInputError(
            f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(the header must include {_required()}; it has {','.join(header)})"
        )
    repeated = sorted({h for h in header if header.count(h) > 1 and h})
    if repeated:
        raise LinkInputError(f"{path}: column {', '.join(repeated)} appears more than once")
    columns = dict.fromkeys(header, "VARCHAR")
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT row_number() OVER () + 1 AS _row, *
            FROM read_csv(?, header = true, columns = $columns, delim = ',', quote = '"',
                          escape = '"', encoding = 'utf-8', strict_mode = true,
                          null_padding = false, all_varchar = true)""".replace(  # noqa: S608 (table names are module constants)
                "$columns", _duckdb_struct(columns)
            ),
            [str(path)],
        )
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise LinkInputError(f"{path}: cannot be read as CSV: {first}") from None
    return check_records(con, table, str(path))


def _duckdb_struct(columns: Mapping[str, str]) -> str:
    inner = ", ".join(f"'{k.replace(chr(39), chr(39) * 2)}': '{v}'" for k, v in columns.items())
    return "{" + inner + "}"


def load_records(
    con: duckdb.DuckDBPyConnection, records: Iterable[Mapping[str, Any]], table: str = "raw"
) -> int:
    """Load records given as mappings (from the database, or tests) into `table`."""
    cols = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    data: dict[str, list[Any]] = {"_row": []}
    data.update({c: [] for c in cols})
    for n, r in enumerate(records):
        data["_row"].append(n + 2)
        for c in cols:
            v = r.get(c)
            data[c].append(None if v is None or v == "" else str(v))
    arrow = pa.table(
        {k: pa.array(v, type=pa.int64() if k == "_row" else pa.string()) for k, v in data.items()}
    )
    con.register("_records_arrow", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _records_arrow")  # noqa: S608 (table names are module constants)
    con.unregister("_records_arrow")
    return check_records(con, table, "records")


def check_records(con: duckdb.DuckDBPyConnection, table: str, source: str) -> int:
    blank = con.execute(
        f"SELECT _row FROM {table} WHERE trim(coalesce(record_id, '')) = '' ORDER BY _row LIMIT 1"  # noqa: S608 (table names are module constants)
    ).fetchall()
    if blank:
        raise LinkInputError(
            f"{source}: row {blank[0][0]}: record_id is blank (every record needs one)"
        )
    dupes = con.execute(
        f"""SELECT trim(record_id), list(_row ORDER BY _row) FROM {table}
        GROUP BY trim(record_id) HAVING count(*) > 1 ORDER BY min(_row) LIMIT 3"""  # noqa: S608 (table names are module constants)
    ).fetchall()
    if dupes:
        shown = "; ".join(f"{rid!r} on rows {', '.join(map(str, rows[:5]))}" for rid, rows in dupes)
        raise LinkInputError(f"{source}: duplicate record_id: {shown} (each must be unique)")
    bad_date = con.execute(
        f"""SELECT _row, date_of_birth FROM {table}
        WHERE trim(coalesce(date_of_birth, '')) <> ''
          AND (NOT regexp_full_match(trim(date_of_birth), '\\d{{4}}-\\d{{2}}-\\d{{2}}')
               OR try_cast(trim(date_of_birth) AS DATE) IS NULL)
        ORDER BY _row LIMIT 1"""  # noqa: S608 (table names are module constants)
    ).fetchall()
    if bad_date:
        row, value = bad_date[0]
        raise LinkInputError(
            f"{source}: row {row}, column date_of_birth: {value!r} is not a date "
            "in ISO 8601 form (YYYY-MM-DD); leave it blank if unknown"
        )
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])  # noqa: S608 (table names are module constants)


# Letters only (accents folded, punctuation and digits dropped), words separated by one space.
_CLEAN = "trim(regexp_replace(regexp_replace(lower(strip_accents(coalesce({c}, ''))), '[-/.,]', ' ', 'g'), '[^a-z ]', '', 'g'))"


def prepare(con: duckdb.DuckDBPyConnection, source: str = "raw", table: str = "prepared") -> None:
    """Normalise `source` into `table` with the columns the model compares."""
    _register_nicknames(con)
    has_sex = "sex" in {r[0] for r in con.execute(f"DESCRIBE {source}").fetchall()}
    sex = "upper(substr(trim(coalesce(sex, '')), 1, 1))" if has_sex else "''"
    given = _CLEAN.format(c="given_name")
    surname = _CLEAN.format(c="surname")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table} AS
        WITH base AS (
            SELECT _row, trim(record_id) AS unique_id,
                   regexp_split_to_array(regexp_replace({given}, ' +', ' ', 'g'), ' ') AS gw,
                   regexp_split_to_array(regexp_replace({surname}, ' +', ' ', 'g'), ' ') AS sw,
                   try_cast(trim(date_of_birth) AS DATE) AS d,
                   upper(regexp_replace(coalesce(postcode, ''), '[^A-Za-z0-9]', '', 'g')) AS pc,
                   {sex} AS sx
            FROM {source}
        ), named AS (
            SELECT *, nullif(gw[1], '') AS given, nullif(array_to_string(sw, ''), '') AS surname
            FROM base
        )
        SELECT n.unique_id,
               n.given,
               nullif(array_to_string(n.gw, ''), '') AS given_full,
               substr(n.given, 1, 1) AS given_initial,
               coalesce(c.canons, CASE WHEN n.given IS NULL THEN NULL ELSE [n.given] END)
                   AS given_canons,
               coalesce(c.canons[1], n.given) AS given_canon,
               n.surname,
               nullif(n.sw[1], '') AS surname_first,
               nullif(n.sw[-1], '') AS surname_last,
               CASE WHEN n.given IS NOT NULL AND n.surname IS NOT NULL
                    THEN n.given || ' ' || n.surname END AS full_name,
               strftime(n.d, '%Y-%m-%d') AS dob,
               CASE WHEN day(n.d) <= 12 THEN
                    printf('%04d-%02d-%02d', year(n.d), day(n.d), month(n.d)) END AS dob_swapped,
               CAST(year(n.d) AS VARCHAR) AS dob_year,
               strftime(n.d, '%m-%d') AS dob_month_day,
               nullif(n.pc, '') AS postcode,
               CASE WHEN length(n.pc) >= 5 THEN substr(n.pc, 1, length(n.pc) - 2) END
                   AS postcode_sector,
               CASE WHEN length(n.pc) >= 5 THEN substr(n.pc, 1, length(n.pc) - 3) END
                   AS postcode_district,
               CASE WHEN n.sx IN ('M', 'F') THEN n.sx END AS sex
        FROM named n LEFT JOIN name_canons c ON c.name = n.given
        ORDER BY n._row
        """  # noqa: S608 (table names are module constants)
    )
