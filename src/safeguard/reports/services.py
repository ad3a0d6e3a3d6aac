"""Creating crime reports with the people in them: the only code that writes reports.

The web UI, the REST API (reports/api.py) and the importers (reports/importers/) all come here,
so every report is checked by the same rules (`check_report`) and every write is recorded by the
audit triggers. A person in a report is recorded as the report gives them (a new Person row per
party); screening links the records that are the same human being (DESIGN.md, people).

Contact details given for a party (address, phone, e-mail) are stored only as ProtectedDetail
rows, encrypted; no message from this module ever repeats their values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.access.models import Force, Team, User
from safeguard.people.models import (
    DetailKind,
    Identifier,
    IdentifierScheme,
    Person,
    ProtectedDetail,
    Sex,
)
from safeguard.reports.models import (
    PartyRole,
    Referral,
    ReferralStatus,
    Relationship,
    Report,
    ReportParty,
    ReportStatus,
)
from safeguard.reports.signals import reports_created
from safeguard.rules.offences import BEHAVIOURS, OFFENCES
from safeguard.rules.risk import SDASH_KEYS

REFERENCE_MAX = Report._meta.get_field("reference").max_length
NAME_MAX = Person._meta.get_field("given_name").max_length
MIDDLE_MAX = Person._meta.get_field("middle_names").max_length
IDENTIFIER_MAX = Identifier._meta.get_field("value").max_length
# The choices, computed once (TextChoices.values builds a new list on every access).
PARTY_ROLES = tuple(PartyRole.values)
SEXES = tuple(Sex.values)
RELATIONSHIPS = tuple(Relationship.values)
SCHEMES = tuple(IdentifierScheme.values)
DETAIL_KINDS = tuple(DetailKind.values)
STATUSES = tuple(ReportStatus.values)
# A report "in the future" by more than this is a typing or clock error, not a report.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a report: where (a field path such as `parties[1].date_of_birth`),
    and what to do about it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ReportInvalid(ValueError):
    """The report cannot be created as given; `problems` says what to fix, field by field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class NewDetail:
    """A protected contact detail of a party. Never printed: see ProtectedDetail."""

    kind: str
    value: str = field(repr=False)
    postcode: str = field(default="", repr=False)


@dataclass(frozen=True)
class NewParty:
    role: str
    given_name: str = ""
    middle_names: str = ""
    surname: str = ""
    date_of_birth: dt.date | None = None
    sex: str = Sex.UNKNOWN
    relationship_to_victim: str = Relationship.UNKNOWN
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value)
    details: tuple[NewDetail, ...] = ()


@dataclass(frozen=True)
class NewReport:
    reference: str
    offence_code: str
    reported_at: dt.datetime
    occurred_from: dt.date
    occurred_to: dt.date | None = None
    summary: str = ""
    behaviours: tuple[str, ...] = ()
    sdash_answers: dict[str, bool | None] = field(default_factory=dict)
    status: str = ReportStatus.OPEN
    officer: User | None = None
    team: Team | None = None
    parties: tuple[NewParty, ...] = ()


# --- Checking -------------------------------------------------------------------------------


def _choices(values: Any) -> str:
    return ", ".join(str(v) for v in values)


def check_party(party: NewParty, where: str, *, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    if party.role not in PARTY_ROLES:
        problems.append(Problem(f"{where}.role", f"Use one of: {_choices(PARTY_ROLES)}"))
    if not (party.given_name.strip() or party.surname.strip()):
        problems.append(
            Problem(f"{where}.surname", "Give the person's surname or given name (or both)")
        )
    for name, value, limit in (
        ("given_name", party.given_name, NAME_MAX),
        ("surname", party.surname, NAME_MAX),
        ("middle_names", party.middle_names, MIDDLE_MAX),
    ):
        if len(value) > limit:  # type: ignore[operator]
            problems.append(
                Problem(f"{where}.{name}", f"Shorten it to {limit} characters or fewer")
            )
    if party.date_of_birth is not None and party.date_of_birth > today:
        problems.append(
            Problem(f"{where}.date_of_birth", "A date of birth cannot be in the future")
        )
    if party.sex not in SEXES:
        problems.append(Problem(f"{where}.sex", f"Use one of: {_choices(SEXES)}"))
    if party.relationship_to_victim and party.relationship_to_victim not in RELATIONSHIPS:
        problems.append(
            Problem(
                f"{where}.relationship_to_victim",
                f"Use one of: {_choices(RELATIONSHIPS)}",
            )
        )
    for i, (scheme, value) in enumerate(party.identifiers):
        if scheme not in SCHEMES:
            problems.append(
                Problem(
                    f"{where}.identifiers[{i}].scheme",
                    f"Use one of: {_choices(SCHEMES)}",
                )
            )
        if not value.strip() or len(value) > IDENTIFIER_MAX:  # type: ignore[operator]
            problems.append(
                Problem(
                    f"{where}.identifiers[{i}].value",
                    f"Give the identifier, {IDENTIFIER_MAX} characters or fewer",
                )
            )
    for i, detail in enumerate(party.details):
        if detail.kind not in DETAIL_KINDS:
            problems.append(
                Problem(f"{where}.details[{i}].kind", f"Use one of: {_choices(DETAIL_KINDS)}")
            )
        if not detail.value.strip():
            problems.append(
                Problem(f"{where}.details[{i}].value", "Give the detail, or leave it out")
            )
    return problems


def check_report(new: NewReport, *, force: Force, now: dt.datetime | None = None) -> list[Problem]:
    """Everything wrong with `new` as a report of `force`, without touching the database
    (except nothing: officer and team are objects the caller has already looked up)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    problems: list[Problem] = []
    reference = new.reference.strip()
    if not reference:
        problems.append(Problem("reference", "Give the force's crime reference"))
    elif len(reference) > REFERENCE_MAX:  # type: ignore[operator]
        problems.append(Problem("reference", f"Shorten it to {REFERENCE_MAX} characters or fewer"))
    elif not reference.isprintable():
        problems.append(Problem("reference", "Remove the control characters from the reference"))
    if new.offence_code not in OFFENCES:
        problems.append(
            Problem("offence_code", f"Use a Home Office code Safeguard knows: {_choices(OFFENCES)}")
        )
    if timezone.is_naive(new.reported_at):
        problems.append(Problem("reported_at", "Give the time with its time zone"))
    elif new.reported_at > now + CLOCK_SKEW:
        problems.append(Problem("reported_at", "A report cannot be made in the future"))
    elif new.occurred_from > timezone.localdate(new.reported_at):
        problems.append(
            Problem("occurred_from", "The conduct must have started on or before the day reported")
        )
    if new.occurred_to is not None and new.occurred_to < new.occurred_from:
        problems.append(
            Problem("occurred_to", "The conduct cannot end before it started (occurred_from)")
        )
    unknown = [b for b in new.behaviours if b not in BEHAVIOURS]
    if unknown:
        problems.append(
            Problem("behaviours", f"Unknown: {_choices(unknown)}. Use: {_choices(BEHAVIOURS)}")
        )
    elif len(set(new.behaviours)) != len(new.behaviours):
        problems.append(Problem("behaviours", "List each behaviour once"))
    unknown_sdash = sorted(set(new.sdash_answers) - set(SDASH_KEYS))
    if unknown_sdash:
        problems.append(
            Problem(
                "sdash_answers",
                f"Unknown question(s): {_choices(unknown_sdash)}. Use: {_choices(SDASH_KEYS)}",
            )
        )
    if any(v not in (True, False, None) for v in new.sdash_answers.values()):
        problems.append(Problem("sdash_answers", "Answer each question true, false or null"))
    if new.status not in STATUSES:
        problems.append(Problem("status", f"Use one of: {_choices(STATUSES)}"))
    if new.officer is not None and new.officer.force_id != force.pk:
        problems.append(Problem("officer", "Choose an officer of the force the report belongs to"))
    if new.team is not None and new.team.force_id != force.pk:
        problems.append(Problem("team", "Choose a team of the force the report belongs to"))
    if not any(p.role == PartyRole.VICTIM for p in new.parties):
        problems.append(Problem("parties", "Name at least one victim"))
    seen: dict[tuple[Any, ...], int] = {}
    for i, party in enumerate(new.parties):
        problems += check_party(party, f"parties[{i}]", today=today)
        key = (
            party.role,
            party.given_name.strip().lower(),
            party.surname.strip().lower(),
            party.date_of_birth,
        )
        if key in seen:
            problems.append(
                Problem(f"parties[{i}]", f"The same person is listed twice (parties[{seen[key]}])")
            )
        seen.setdefault(key, i)
    return problems


# --- Creating -------------------------------------------------------------------------------


def _announce(force: Force, reports: Sequence[Report]) -> None:
    ids = [r.pk for r in reports]
    if ids:
        transaction.on_commit(
            lambda: reports_created.send(sender=Report, force_id=force.pk, report_ids=ids)
        )


@transaction.atomic
def create_reports(
    *, force: Force, reports: Sequence[NewReport], by: User | None, checked: bool = False
) -> list[Report]:
    """Create reports with their parties in one transaction, in bulk (a few statements however
    many reports). Every report is checked first unless the caller has (`checked=True`: the
    importers check the whole file before writing anything); one problem stops them all.

    Screening hears of them once the transaction commits (reports.signals.reports_created).
    """
    if not checked:
        problems = []
        for i, new in enumerate(reports):
            prefix = f"reports[{i}]." if len(reports) > 1 else ""
            problems += [
                Problem(prefix + p.field, p.message) for p in check_report(new, force=force)
            ]
        if problems:
            raise ReportInvalid(problems)
    rows = [
        Report(
            force=force,
            reference=new.reference.strip(),
            offence_code=new.offence_code,
            reported_at=new.reported_at,
            occurred_from=new.occurred_from,
            occurred_to=new.occurred_to,
            summary=new.summary,
            behaviours=list(new.behaviours),
            sdash_answers=dict(new.sdash_answers),
            status=new.status,
            officer=new.officer,
            team=new.team,
        )
        for new in reports
    ]
    try:
        with transaction.atomic():
            created = Report.objects.bulk_create(rows)
    except IntegrityError:
        taken = sorted(
            Report.objects.filter(
                force=force, reference__in=[r.reference for r in rows]
            ).values_list("reference", flat=True)
        )
        raise ReportInvalid(
            [Problem("reference", f"{', '.join(taken) or 'A reference'} already exists in {force}")]
        ) from None
    people: list[Person] = []
    for new in reports:
        people += [
            Person(
                force=force,
                given_name=p.given_name.strip(),
                middle_names=p.middle_names.strip(),
                surname=p.surname.strip(),
                date_of_birth=p.date_of_birth,
                sex=p.sex,
            )
            for p in new.parties
        ]
    people = Person.objects.bulk_create(people)
    parties, identifiers, details = [], [], []
    people_iter = iter(people)
    for report, new in zip(created, reports, strict=True):
        for p in new.parties:
            person = next(people_iter)
            parties.append(
                ReportParty(
                    report=report,
                    person=person,
                    role=p.role,
                    relationship_to_victim=p.relationship_to_victim or Relationship.UNKNOWN,
                )
            )
            identifiers += [
                Identifier(person=person, scheme=scheme, value=value.strip())
                for scheme, value in dict.fromkeys(p.identifiers)
            ]
            details += [
                ProtectedDetail(
                    person=person, kind=d.kind, value=d.value.strip(), postcode=d.postcode.strip()
                )
                for d in p.details
            ]
    ReportParty.objects.bulk_create(parties)
    Identifier.objects.bulk_create(identifiers)
    ProtectedDetail.objects.bulk_create(details)
    _announce(force, created)
    return created


def create_report(*, force: Force, report: NewReport, by: User | None) -> Report:
    """Create one report with its parties, or raise ReportInvalid saying what to fix."""
    return create_reports(force=force, reports=[report], by=by)[0]


def record_report(*, by: User, report: NewReport) -> Report:
    """An officer's report typed in the browser (issue 4): created as any other report (checked
    by `check_report`, screened once committed), held by the officer who recorded it and their
    team, then re-checked inside the transaction to be within what they may see (NetBox's
    re-check after save): a report its author could not open is rolled back."""
    from safeguard.access.restrict import may

    if by.force is None:
        raise ReportInvalid([Problem("officer", "Only an officer of a force can record a report")])
    with transaction.atomic():
        created = create_report(force=by.force, report=report, by=by)
        if not may(by, created, "view"):
            transaction.set_rollback(True)
            raise ReportInvalid(
                [Problem("officer", "You could not see this report once recorded: ask your team")]
            )
    return created


class ReferralError(ValueError):
    """The report cannot be referred (or the referral decided) as asked; the message says why."""


@transaction.atomic
def refer_report(
    *, report: Report, by: User, note: str, now: dt.datetime | None = None
) -> Referral:
    """Refer a report to the force's SPO coordinator, who considers whether the chief officer
    should apply for a Stalking Protection Order (Stalking Protection Act 2019 s.1). The report
    is locked, so two officers referring at once make one referral, not two."""
    from safeguard.access.restrict import may

    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not may(by, locked, "change"):
        raise ReferralError("You cannot refer this report: it is not held by you or your team")
    note = note.strip()
    if not note:
        raise ReferralError("Enter why you are referring this report")
    if locked.status == ReportStatus.CLOSED:
        raise ReferralError("This report is closed: reopen it before referring it")
    if Referral.objects.filter(report=locked, status=ReferralStatus.OPEN).exists():
        raise ReferralError("This report is already waiting for the SPO coordinator")
    referral = Referral.objects.create(
        report=locked, referred_by=by, referred_at=now or timezone.now(), note=note
    )
    locked.status = ReportStatus.REFERRED
    locked.save(update_fields=["status"])
    return referral


@transaction.atomic
def decide_referral(
    *, referral: Referral, by: User, accept: bool, note: str = "", now: dt.datetime | None = None
) -> Referral:
    """The coordinator accepts a referral (to consider an application) or declines it, saying
    why. Only an open referral can be decided, once."""
    from safeguard.access import permissions
    from safeguard.access.restrict import may

    locked = Referral.objects.select_for_update().select_related("report").get(pk=referral.pk)
    if not (permissions.allows(by, "screening", "change") and may(by, locked.report, "change")):
        raise ReferralError("Only the force's SPO coordinator can decide a referral")
    if locked.status != ReferralStatus.OPEN:
        raise ReferralError(
            f"This referral has already been decided: {locked.get_status_display().lower()}"
        )
    if not accept and not note.strip():
        raise ReferralError("Enter why you are declining the referral")
    locked.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    locked.decided_by = by
    locked.decided_at = now or timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if not accept:
        Report.objects.filter(pk=locked.report_id, status=ReportStatus.REFERRED).update(
            status=ReportStatus.OPEN
        )
    return locked


def existing_references(force: Force, references: Sequence[str]) -> set[str]:
    """Which of `references` the force already has (the importers' idempotency check)."""
    found: set[str] = set()
    refs = list(references)
    for start in range(0, len(refs), 5000):
        found.update(
            Report.objects.filter(
                force=force, reference__in=refs[start : start + 5000]
            ).values_list("reference", flat=True)
        )
    return found


# --- Changing a report (issue 8: PATCH /api/v1/reports/{id}/) -------------------------------

# What a change may touch: the report's own facts. Not its reference (the key every importer and
# partner system matches on), not its status (referral has its own steps: refer_report), not
# its parties (people are linked by screening; a wrong party is a new report or a correction).
EDITABLE = (
    "offence_code",
    "reported_at",
    "occurred_from",
    "occurred_to",
    "summary",
    "behaviours",
    "sdash_answers",
    "officer",
    "team",
)


class ReportChanged(ValueError):
    """Someone changed the report after the caller read it (optimistic locking)."""

    def __init__(self, report: Report) -> None:
        super().__init__(
            "The report has changed since you read it: read it again, check, and retry"
        )
        self.report = report


def report_version(report: Report) -> str:
    """A fingerprint of what a change may touch (and of the reference and status): the version
    a caller names when changing the report, so that two people cannot overwrite each other."""
    import hashlib
    import json

    values = [
        report.reference,
        report.status,
        report.offence_code,
        report.reported_at.isoformat() if report.reported_at else "",
        str(report.occurred_from),
        str(report.occurred_to),
        report.summary,
        list(report.behaviours),
        report.sdash_answers,
        report.officer_id,
        report.team_id,
    ]
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def update_report(
    report: Report, *, changes: dict[str, Any], expected_version: str, by: User | None
) -> Report:
    """Change some of a report's facts (EDITABLE), checked by the same rules as a new report
    (`check_report`), under a row lock. ReportChanged if the report is no longer at
    `expected_version`; ReportInvalid, field by field, if the result would not be a valid
    report. The audit triggers record before and after; screening hears of the change (the
    post_save signal marks the force for screening). The caller checks `by` may change it."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ReportInvalid([Problem(name, "This cannot be changed here") for name in unknown])
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("force").get(pk=report.pk)
        if report_version(locked) != expected_version:
            raise ReportChanged(locked)
        merged = {name: getattr(locked, name) for name in EDITABLE} | changes
        proposed = NewReport(
            reference=locked.reference,
            status=locked.status,
            offence_code=merged["offence_code"],
            reported_at=merged["reported_at"],
            occurred_from=merged["occurred_from"],
            occurred_to=merged["occurred_to"],
            summary=merged["summary"],
            behaviours=tuple(merged["behaviours"]),
            sdash_answers=dict(merged["sdash_answers"]),
            officer=merged["officer"],
            team=merged["team"],
        )
        # The parties are not changed here, so the rules about them do not apply.
        problems = [
            p
            for p in check_report(proposed, force=locked.force)
            if not p.field.startswith("parties")
        ]
        if problems:
            raise ReportInvalid(problems)
        changed = [
            name for name in EDITABLE if name in changes and getattr(locked, name) != changes[name]
        ]
        for name in changed:
            value = changes[name]
            setattr(locked, name, list(value) if name == "behaviours" else value)
        if changed:
            locked.save(update_fields=changed)
    locked.refresh_from_db()
    return locked
