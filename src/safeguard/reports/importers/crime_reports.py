"""Importer for crime reports with their victims, suspects and witnesses, in Safeguard's
documented CSV/XLSX format (docs/data-formats.md, "Crime reports").

One row per person per report: the report's columns are repeated (or left blank) on each of its
rows, and the rows of one report are next to each other (sort the export by reference). A report
whose reference the force already has is left as it is, so importing a file twice changes
nothing; the importer never changes or deletes an existing report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from safeguard.access import permissions
from safeguard.access.models import Force, Team, User
from safeguard.people.models import DetailKind, IdentifierScheme, Sex
from safeguard.reports import services
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
from safeguard.reports.importers.columns import (
    OPTIONAL,
    PROTECTED_COLUMNS,
    REPORT_COLUMNS,
    REQUIRED,
)
from safeguard.reports.models import PartyRole, Relationship, ReportStatus
from safeguard.rules.offences import BEHAVIOURS, OFFENCES
from safeguard.rules.risk import SDASH_KEYS

LONDON = ZoneInfo("Europe/London")

IDENTIFIER_COLUMNS = {
    "pnc_id": IdentifierScheme.PNC,
    "cro_number": IdentifierScheme.CRO,
    "local_id": IdentifierScheme.LOCAL,
}
# Fields of services.check_report's problems -> the column that holds them.
FIELD_COLUMNS = {
    "role": "party_role",
    "identifiers": "pnc_id",
    "details": "home_address",
    "parties": "party_role",
}
BATCH_REPORTS = 500
SEX_WORDS = {
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "u": Sex.UNKNOWN,
    "unknown": Sex.UNKNOWN,
    "not recorded": Sex.UNKNOWN,
    "": Sex.UNKNOWN,
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
UNKNOWN_ANSWER = {"", "unknown", "not known", "null", "-"}


class CellError(ValueError):
    """A cell that cannot be read; args: (message, fix)."""


# --- Reading cells ---------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")
DATE_FIX = "Write the date as YYYY-MM-DD (2024-03-31) or DD/MM/YYYY (31/03/2024)"
DATETIME_FIX = (
    "Write the time as YYYY-MM-DD HH:MM (2024-03-31 14:05) or DD/MM/YYYY HH:MM, in UK local time; "
    "a date alone means midnight"
)


def parse_date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"{text!r} is not a date", DATE_FIX)


def parse_datetime(text: str) -> dt.datetime:
    """A moment: ISO 8601 with an offset is taken as given; anything without one is UK local
    time (Europe/London), as records management systems export it."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None:
        day_text, _, time_text = text.partition(" ")
        day = parse_date(day_text) if day_text else None
        if day is None:
            raise CellError(f"{text!r} is not a date and time", DATETIME_FIX)
        clock = dt.time(0)
        if time_text.strip():
            for fmt in _TIME_FORMATS:
                try:
                    clock = dt.datetime.strptime(time_text.strip(), fmt).time()
                    break
                except ValueError:
                    continue
            else:
                raise CellError(f"{text!r} is not a date and time", DATETIME_FIX)
        moment = dt.datetime.combine(day, clock)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=LONDON)
    return moment


def parse_choice(text: str, values: list[str], what: str) -> str:
    value = text.strip().lower().replace(" ", "_").replace("-", "_")
    if value in values:
        return value
    raise CellError(f"{text!r} is not a {what} Safeguard knows", f"Use one of: {', '.join(values)}")


def parse_behaviours(text: str) -> tuple[str, ...]:
    keys = tuple(k.strip().lower() for k in re.split(r"[;,|]", text) if k.strip())
    unknown = [k for k in keys if k not in BEHAVIOURS]
    if unknown:
        raise CellError(
            f"Unknown behaviour(s): {', '.join(unknown)}",
            f"Separate them with ';' and use: {', '.join(BEHAVIOURS)}",
        )
    return tuple(dict.fromkeys(keys))


def parse_sdash(text: str) -> dict[str, bool | None]:
    answers: dict[str, bool | None] = {}
    for part in (p.strip() for p in re.split(r"[;|]", text) if p.strip()):
        key, sep, answer = part.partition("=")
        key, answer = key.strip().lower(), answer.strip().lower()
        if not sep or key not in SDASH_KEYS:
            raise CellError(
                f"{part!r} is not an S-DASH answer",
                f"Write question=yes|no|unknown pairs separated by ';', the questions being: "
                f"{', '.join(SDASH_KEYS)}",
            )
        if answer in YES:
            answers[key] = True
        elif answer in NO:
            answers[key] = False
        elif answer in UNKNOWN_ANSWER:
            answers[key] = None
        else:
            raise CellError(f"{part!r}: answer yes, no or unknown", "Answer yes, no or unknown")
    return answers


def parse_sex(text: str) -> str:
    try:
        return SEX_WORDS[text.strip().lower()]
    except KeyError:
        raise CellError(f"{text!r} is not a sex Safeguard records", "Use F, M or U") from None


# --- The file's people and places ------------------------------------------------------------


@dataclass
class Directory:
    """The force's officers and teams, looked up once for the whole file."""

    users: dict[str, User]
    teams: dict[str, Team]

    @classmethod
    def of(cls, force: Force) -> Directory:
        users: dict[str, User] = {}
        for user in User.objects.filter(force=force, is_active=True):
            users[user.username.lower()] = user
            if user.collar_number:
                users.setdefault(user.collar_number.lower(), user)
        teams = {t.name.lower(): t for t in Team.objects.filter(force=force)}
        return cls(users, teams)


@dataclass
class Group:
    """The rows of one report, read so far."""

    reference: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Preview:
    reports_new: int = 0
    reports_existing: int = 0
    rows: int = 0
    parties: Counter[str] = field(default_factory=Counter)
    offences: Counter[str] = field(default_factory=Counter)
    protected_details: int = 0
    identifiers: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)
    existing_sample: list[str] = field(default_factory=list)
    first: dt.date | None = None
    last: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "crime-reports",
            "rows": self.rows,
            "reports_new": self.reports_new,
            "reports_existing": self.reports_existing,
            "people": sum(self.parties.values()),
            "victims": self.parties.get(PartyRole.VICTIM, 0),
            "suspects": self.parties.get(PartyRole.SUSPECT, 0),
            "witnesses": self.parties.get(PartyRole.WITNESS, 0),
            "protected_details": self.protected_details,
            "identifiers": self.identifiers,
            "offences": dict(self.offences.most_common()),
            "first_reported": self.first.isoformat() if self.first else None,
            "last_reported": self.last.isoformat() if self.last else None,
            "sample": self.sample,
            "existing_sample": self.existing_sample,
        }


class CrimeReportsImporter:
    kind = "crime-reports"

    def __init__(self, path: Path, file_name: str, *, force: Force, user: Any = None) -> None:
        self.path = Path(path)
        self.file_name = file_name
        self.force = force
        self.user = user
        self.directory = Directory.of(force)
        rule = (
            permissions.rule_for(user.role, "report", "change")
            if user is not None and getattr(user, "role", None)
            else None
        )
        self.assigned_only = rule is not None and rule.reach != permissions.Reach.FORCE

    # --- Reading the file into reports --------------------------------------------------------

    def _groups(self, problems: Problems) -> Iterator[Group]:
        header, raw_rows = open_table(self.path, self.file_name)
        names = check_header(header, REQUIRED, OPTIONAL, problems)
        if names is None:
            return
        seen: set[str] = set()
        group: Group | None = None
        for row in rows_of(names, raw_rows, problems):
            reference = row.cells.get("reference", "")
            if not reference:
                problems.add(
                    row.number,
                    "reference",
                    "The reference is blank",
                    "Give every row its report's crime reference",
                )
                continue
            if group is not None and reference == group.reference:
                group.rows.append(row)
                continue
            if group is not None:
                yield group
            if reference in seen:
                problems.add(
                    row.number,
                    "reference",
                    f"The rows of report {reference} are not next to each other",
                    "Sort the file by reference, so that each report's rows are together",
                )
            seen.add(reference)
            group = Group(reference, [row])
        if group is not None:
            yield group

    def _report_cell(self, group: Group, column: str, problems: Problems) -> str:
        """A report-level cell: the first non-blank value on the report's rows; any other
        non-blank value that differs is a problem."""
        value, first_row = "", None
        for row in group.rows:
            cell = row.cells.get(column, "")
            if not cell:
                continue
            if first_row is None:
                value, first_row = cell, row.number
            elif cell != value:
                shown = "a different value" if column in PROTECTED_COLUMNS else repr(cell)
                problems.add(
                    row.number,
                    column,
                    f"{shown} differs from row {first_row} ({value!r}) for report {group.reference}",
                    "Give every row of a report the same report details, or leave them blank after its first row",
                )
        return value

    def _build(self, group: Group, problems: Problems) -> services.NewReport | None:
        """The report a group of rows describes, or None (with problems) if it has errors."""
        before = problems.count
        cell = {
            c: self._report_cell(group, c, problems) for c in REPORT_COLUMNS if c != "reference"
        }
        first = group.rows[0].number

        def read(column: str, parse: Any, *args: Any, row: int = first) -> Any:
            try:
                return parse(*args)
            except CellError as error:
                message, fix = error.args
                problems.add(row, column, message, fix)
                return None

        for column in ("offence_code", "reported_at", "occurred_from"):
            if not cell[column]:
                problems.add(
                    first,
                    column,
                    f"The {column.replace('_', ' ')} is blank",
                    "Fill it in on the report's first row",
                )
        offence = cell["offence_code"].upper()
        if offence and offence not in OFFENCES:
            problems.add(
                first,
                "offence_code",
                f"{cell['offence_code']!r} is not a Home Office code Safeguard knows",
                f"Use one of: {', '.join(OFFENCES)}",
            )
        reported_at = (
            read("reported_at", parse_datetime, cell["reported_at"])
            if cell["reported_at"]
            else None
        )
        occurred_from = (
            read("occurred_from", parse_date, cell["occurred_from"])
            if cell["occurred_from"]
            else None
        )
        occurred_to = (
            read("occurred_to", parse_date, cell["occurred_to"]) if cell["occurred_to"] else None
        )
        status = (
            read("status", parse_choice, cell["status"], services.STATUSES, "status")
            if cell["status"]
            else ReportStatus.OPEN
        )
        behaviours = read("behaviours", parse_behaviours, cell["behaviours"]) or ()
        sdash = read("sdash", parse_sdash, cell["sdash"]) or {}
        officer = team = None
        if cell["officer"]:
            officer = self.directory.users.get(cell["officer"].lower())
            if officer is None:
                problems.add(
                    first,
                    "officer",
                    f"No active user of {self.force} has the username or collar number {cell['officer']!r}",
                    "Use the officer's Safeguard username or collar number, or leave it blank",
                )
        if cell["team"]:
            team = self.directory.teams.get(cell["team"].lower())
            if team is None:
                problems.add(
                    first,
                    "team",
                    f"{self.force} has no team called {cell['team']!r}",
                    f"Use one of: {', '.join(t.name for t in self.directory.teams.values()) or 'none set up yet'}",
                )
        if (
            self.assigned_only
            and self.user is not None
            and not (
                (officer is not None and officer.pk == self.user.pk)
                or (team is not None and team.pk == self.user.team_id)
            )
        ):
            problems.add(
                first,
                "officer",
                "You may import only reports assigned to you or your team",
                "Put your username in the officer column or your team in the team column, or ask your SPO coordinator to import the file",
            )

        parties = []
        seen_rows: dict[tuple[str, ...], int] = {}
        for row in group.rows:
            if row.raw in seen_rows:
                problems.add(
                    row.number,
                    None,
                    f"The row repeats row {seen_rows[row.raw]} exactly",
                    "Delete one of the two rows",
                )
                continue
            seen_rows[row.raw] = row.number
            party = self._party(row, problems)
            if party is not None:
                parties.append((row, party))
        if problems.count > before or reported_at is None or occurred_from is None:
            return None
        new = services.NewReport(
            reference=group.reference,
            offence_code=offence,
            reported_at=reported_at,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            summary=cell["summary"],
            behaviours=behaviours,
            sdash_answers=sdash,
            status=status,
            officer=officer,
            team=team,
            parties=tuple(p for _, p in parties),
        )
        for problem in services.check_report(new, force=self.force):
            row_number, column = first, problem.field
            match = re.match(r"parties\[(\d+)\](?:\.(\w+))?", problem.field)
            if match:
                row_number = parties[int(match.group(1))][0].number
                column = match.group(2) or "party_role"
            column = FIELD_COLUMNS.get(column, column)
            problems.add(row_number, column, problem.message.rstrip("."), "")
        return None if problems.count > before else new

    def _party(self, row: Row, problems: Problems) -> services.NewParty | None:
        c = row.cells
        before = problems.count

        def read(column: str, parse: Any, *args: Any) -> Any:
            try:
                return parse(*args)
            except CellError as error:
                message, fix = error.args
                if column in PROTECTED_COLUMNS:
                    message = "The value cannot be read"
                problems.add(row.number, column, message, fix)
                return None

        role = read(
            "party_role", parse_choice, c.get("party_role", ""), services.PARTY_ROLES, "party role"
        )
        dob = (
            read("date_of_birth", parse_date, c["date_of_birth"])
            if c.get("date_of_birth")
            else None
        )
        sex = read("sex", parse_sex, c.get("sex", ""))
        relationship = (
            read(
                "relationship_to_victim",
                parse_choice,
                c["relationship_to_victim"],
                services.RELATIONSHIPS,
                "relationship",
            )
            if c.get("relationship_to_victim")
            else Relationship.UNKNOWN
        )
        identifiers = tuple(
            (scheme, c[column]) for column, scheme in IDENTIFIER_COLUMNS.items() if c.get(column)
        )
        details = []
        if c.get("home_address"):
            details.append(
                services.NewDetail(
                    DetailKind.HOME_ADDRESS, c["home_address"], c.get("home_postcode", "")
                )
            )
        elif c.get("home_postcode"):
            problems.add(
                row.number,
                "home_postcode",
                "A postcode is given without its address",
                "Put the address in home_address, or leave both blank",
            )
        for column, kind in (
            ("workplace", DetailKind.WORKPLACE),
            ("phone", DetailKind.PHONE),
            ("email", DetailKind.EMAIL),
        ):
            if c.get(column):
                details.append(services.NewDetail(kind, c[column]))
        if c.get("email") and "@" not in c["email"]:
            problems.add(
                row.number,
                "email",
                "The e-mail address has no '@'",
                "Check the address, or leave it blank",
            )
        if problems.count > before:
            return None
        return services.NewParty(
            role=role,
            given_name=c.get("given_name", ""),
            middle_names=c.get("middle_names", ""),
            surname=c.get("surname", ""),
            date_of_birth=dob,
            sex=sex,
            relationship_to_victim=relationship,
            identifiers=identifiers,
            details=tuple(details),
        )

    # --- The two passes ----------------------------------------------------------------------

    def check(self) -> dict[str, Any]:
        """Read every row and write nothing: the preview of what will change, or ImportFailed
        listing every problem (file, row, column, fix)."""
        problems = Problems(self.file_name)
        if not check_size(self.path, problems):
            problems.raise_if_any()
        preview = Preview()
        pending: list[services.NewReport] = []
        try:
            for group in self._groups(problems):
                preview.rows += len(group.rows)
                new = self._build(group, problems)
                if new is not None and not problems:
                    pending.append(new)
                    if len(pending) >= 5000:
                        self._tally(pending, preview)
                        pending = []
        except StopReading as error:
            stop_problem(problems, error)
        problems.raise_if_any()
        self._tally(pending, preview)
        if preview.rows == 0:
            problems.add(
                None,
                None,
                "The file has a header but no rows",
                "Export the data again with its rows",
            )
        problems.raise_if_any()
        return preview.as_dict()

    def _tally(self, reports: list[services.NewReport], preview: Preview) -> None:
        existing = services.existing_references(self.force, [r.reference for r in reports])
        for new in reports:
            if new.reference in existing:
                preview.reports_existing += 1
                if len(preview.existing_sample) < 20:
                    preview.existing_sample.append(new.reference)
                continue
            preview.reports_new += 1
            preview.offences[new.offence_code] += 1
            for party in new.parties:
                preview.parties[party.role] += 1
                preview.protected_details += len(party.details)
                preview.identifiers += len(party.identifiers)
            day = timezone.localdate(new.reported_at)
            preview.first = min(preview.first or day, day)
            preview.last = max(preview.last or day, day)
            if len(preview.sample) < 20:
                preview.sample.append(
                    {
                        "reference": new.reference,
                        "offence_code": new.offence_code,
                        "reported_on": day.isoformat(),
                        "victims": sum(p.role == PartyRole.VICTIM for p in new.parties),
                        "suspects": sum(p.role == PartyRole.SUSPECT for p in new.parties),
                        "witnesses": sum(p.role == PartyRole.WITNESS for p in new.parties),
                    }
                )

    def write(self, *, start_row: int, on_batch: BatchDone) -> None:
        """Write the (already checked) file in batches of reports, skipping rows up to
        `start_row` (a resumed run) and reports the force already has. `on_batch(last_row,
        rows, created, skipped)` is called inside each batch's transaction, so the run's
        progress is committed with the batch and a crash loses nothing but the batch it hit."""
        problems = Problems(self.file_name)
        batch: list[services.NewReport] = []
        rows = last_row = 0

        def flush() -> None:
            with transaction.atomic():
                existing = services.existing_references(self.force, [r.reference for r in batch])
                fresh = [r for r in batch if r.reference not in existing]
                if fresh:
                    services.create_reports(
                        force=self.force, reports=fresh, by=self.user, checked=True
                    )
                on_batch(last_row, rows, len(fresh), len(batch) - len(fresh))
            batch.clear()

        for group in self._groups(problems):
            if group.rows[-1].number <= start_row:
                continue
            new = self._build(group, problems)
            if problems or new is None:
                # The file changed since it was checked: stop before writing anything more.
                problems.raise_if_any()
                raise RuntimeError("The file changed after it was checked")
            batch.append(new)
            rows += len(group.rows)
            last_row = group.rows[-1].number
            if len(batch) >= BATCH_REPORTS:
                flush()
                rows = 0
        if batch:
            flush()
