"""The statutory clock: when each deadline that an event starts falls due.

Two ways of counting appear in the statutes (DOMAIN.md section 8):

* "N days (or years, or months) beginning with the day of X": X's day is day 1 and the period ends
  at the end of its last day. Weekends and holidays count (SPA 2019 s.9, DAA 2021 s.41, CSA 2010
  s.28(10) and SPA s.3 say nothing to the contrary).
* "N hours after X", disregarding some days (DAA 2021 ss.26(4), 29(3); CSA 2010 ss.26-27): real
  elapsed time, except that time falling on a Sunday, Christmas Day, Good Friday or a bank holiday
  does not count.

All arithmetic on instants is done in UTC and shown in Europe/London, because Python adds and
subtracts datetimes that share a tzinfo by wall-clock time, which is wrong across a clock change.

Pure Python: no Django import (DESIGN.md, rules). docs/rules-clock.md explains every event.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta

from safeguard.rules.calendar import DEFAULT_CALENDAR, LONDON, Calendar, _require_date

__all__ = [
    "EVENTS",
    "ClockConfig",
    "DaysBeginningWith",
    "Deadline",
    "DeadlineRule",
    "EventRule",
    "HoursDisregarding",
    "PeriodBeginningWith",
    "UnknownEvent",
    "add_elapsed_hours",
    "add_hours_disregarding",
    "compute_deadlines",
    "end_of_day",
    "end_of_period_beginning_with",
    "get_event",
    "parse_datetime",
    "to_london",
]

CSA = "Crime and Security Act 2010"
DAA = "Domestic Abuse Act 2021"
SPA = "Stalking Protection Act 2019"

EXPECTED_DATETIME_FORMAT = (
    'ISO 8601, e.g. "2025-03-10T14:30" (Europe/London time) or "2025-03-10T14:30+00:00"; '
    'a date alone, "2025-03-10", means midnight at the start of that day'
)


@dataclass(frozen=True)
class ClockConfig:
    """Counting points DOMAIN.md does not confirm from statute text; a force confirms them.

    Each default follows DOMAIN.md; docs/rules-clock.md lists them as points to confirm.
    """

    # DOMAIN.md section 2 (M): DAA 2021 s.29(3) lists the disregarded days verbatim; CSA 2010 s.27
    # is believed to carry the same list but its text was not seen. True follows DOMAIN section 8
    # and its worked example (Saturday 10:00 -> Tuesday 10:00). If a force's legal adviser finds
    # that s.27 does not disregard those days, False gives plain elapsed hours, which is earlier.
    csa_dvpn_hearing_disregards_days: bool = True
    # DOMAIN.md section 2 (M): the 24 hours to bring P before the court after a DVPN (s.26) or
    # DVPO (s.29) breach arrest. DAA 2021 s.26(4), the successor provision, disregards the same
    # days, and the CSA is believed to as well; False gives plain elapsed hours, which is earlier.
    csa_breach_arrest_disregards_days: bool = True


DEFAULT_CONFIG = ClockConfig()
_CONFIG_FLAGS = frozenset(f.name for f in fields(ClockConfig))


@dataclass(frozen=True)
class Deadline:
    """One computed deadline."""

    name: str  # stable kebab-case identifier, e.g. "dvpo-hearing"
    description: str  # plain English, e.g. "Latest time the DVPO application must be heard"
    due: datetime  # timezone-aware, Europe/London
    basis: str  # Act and section, e.g. "Crime and Security Act 2010, s.27(3)"


# -- helpers (also used by the order state machine, rules/orders.py) -------------------------------


def to_london(at: datetime) -> datetime:
    """`at` as an aware Europe/London datetime. A naive `at` is London wall-clock time.

    A naive time that occurs twice (01:30 on the last Sunday of October) or not at all (01:30 on
    the last Sunday of March) is read as the earlier of its two possible instants, so that any
    deadline counted from it errs early rather than late.
    """
    if not isinstance(at, datetime):
        raise TypeError(f"Expected a datetime, not {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        naive = at.replace(tzinfo=None)
        candidates = (naive.replace(tzinfo=LONDON, fold=0), naive.replace(tzinfo=LONDON, fold=1))
        at = min(candidates, key=lambda candidate: candidate.astimezone(UTC))
    # Via UTC: astimezone() to the same tzinfo would return a non-existent wall time unchanged.
    return at.astimezone(UTC).astimezone(LONDON)


def end_of_day(d: date) -> datetime:
    """23:59:59 Europe/London on `d`, aware: when a "before the end of the day" period ends."""
    _require_date(d, "The day")
    # 23:59:59 exists exactly once on every London day: the clocks change at 01:00 UTC.
    return datetime.combine(d, time(23, 59, 59), tzinfo=LONDON)


def _local_midnight(d: date) -> datetime:
    # Midnight exists exactly once on every London day, so this is unambiguous.
    return datetime.combine(d, time(0), tzinfo=LONDON)


def _days_in_month(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - timedelta(days=1)).day


def end_of_period_beginning_with(
    start: date, *, days: int = 0, years: int = 0, months: int = 0
) -> date:
    """Last day of a period of N days, months or years "beginning with" `start` (day 1).

    DOMAIN.md 1.1 and 1.4 (M): "beginning with" counts the start day, so 3 days beginning with
    Monday end on Wednesday, and 2 years beginning with 10 Mar 2025 end on 9 Mar 2027.

    29 February has no anniversary in a common year, and the two readings differ by a day. The
    choice here is the one that is safe for the statute that uses each unit:

    * years (the SPA s.3 *minimum* of 2 years): the anniversary is 1 March, so the period ends on
      28 February, the later reading; an order ending then lasts 2 years under either reading.
    * months (the DAA s.38(5) *maximum* of 12 months): the corresponding date is clamped to the
      end of the month (29 Feb -> 28 Feb, as in Dodds v Walker [1981] 1 WLR 1027), so the period
      ends on 27 February, the earlier reading; monitoring never exceeds 12 months either way.
    """
    _require_date(start, "The start day")
    given = {"days": days, "months": months, "years": years}
    if any(n < 0 for n in given.values()) or sum(1 for n in given.values() if n) != 1:
        raise ValueError(
            "Give exactly one of days, months or years, as a positive whole number; "
            f"got days={days}, months={months}, years={years}"
        )
    if days:
        return start + timedelta(days=days - 1)
    if years:
        year = start.year + years
        try:
            anniversary = start.replace(year=year)
        except ValueError:  # 29 February in a common year
            anniversary = date(year, 3, 1)
        return anniversary - timedelta(days=1)
    year_offset, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + year_offset, month_index + 1
    corresponding = date(year, month, min(start.day, _days_in_month(year, month)))
    return corresponding - timedelta(days=1)


def add_elapsed_hours(start: datetime, hours: int) -> datetime:
    """`start` plus `hours` of real elapsed time (a clock change makes the wall clock differ)."""
    if hours < 0:
        raise ValueError(f"hours must not be negative, got {hours}")
    return (to_london(start).astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)


def add_hours_disregarding(start: datetime, hours: int, calendar: Calendar) -> datetime:
    """When `hours` hours after `start` ends, counting only time on days not disregarded.

    DAA 2021 s.29(3) and s.26(4): time on a Sunday, Christmas Day, Good Friday or an E&W bank
    holiday is not counted. If `start` is on a disregarded day, counting starts at the next
    midnight that begins a counted day. Counted time is real elapsed time (DOMAIN.md section 2);
    as the UK changes its clocks on Sundays, which are always disregarded, a clock change never
    alters the result. A period that ends exactly at the end of a counted day is returned as
    00:00 on the next day (the same instant as 24:00).
    """
    if hours < 0:
        raise ValueError(f"hours must not be negative, got {hours}")
    cursor = to_london(start).astimezone(UTC)
    remaining = timedelta(hours=hours)
    while remaining > timedelta(0):
        day = cursor.astimezone(LONDON).date()
        next_midnight = _local_midnight(day + timedelta(days=1)).astimezone(UTC)
        if not calendar.is_disregarded(day):
            available = next_midnight - cursor
            if remaining <= available:
                return (cursor + remaining).astimezone(LONDON)
            remaining -= available
        cursor = next_midnight
    return cursor.astimezone(LONDON)


# -- counting rules as data ------------------------------------------------------------------------


@dataclass(frozen=True)
class DaysBeginningWith:
    """N days beginning with the day of the event; due at the end of the last day."""

    days: int

    def due(self, at: datetime, calendar: Calendar, config: ClockConfig) -> datetime:
        return end_of_day(end_of_period_beginning_with(at.date(), days=self.days))

    def explain(self, config: ClockConfig = DEFAULT_CONFIG) -> str:
        return (
            f"{self.days} days beginning with the day of the event (that day is day 1); due at "
            "23:59:59 on the last day; weekends and holidays count"
        )


@dataclass(frozen=True)
class PeriodBeginningWith:
    """N years or months beginning with the day of the event; ends at the end of its last day."""

    years: int = 0
    months: int = 0

    def due(self, at: datetime, calendar: Calendar, config: ClockConfig) -> datetime:
        last = end_of_period_beginning_with(at.date(), years=self.years, months=self.months)
        return end_of_day(last)

    def explain(self, config: ClockConfig = DEFAULT_CONFIG) -> str:
        if self.years:
            return (
                f"{self.years} years beginning with the day of the event: ends 23:59:59 on the "
                f"day before the anniversary (29 Feb: the anniversary is taken as 1 Mar)"
            )
        return (
            f"{self.months} months beginning with the day of the event: ends 23:59:59 on the "
            f"day before the corresponding date (29 Feb: the corresponding date is 28 Feb)"
        )


@dataclass(frozen=True)
class HoursDisregarding:
    """N elapsed hours not counting disregarded days (or, if `config_flag` is off, all hours)."""

    hours: int
    # None: the statute states the disregarded days (DAA). Otherwise the ClockConfig field that
    # says whether they are disregarded, for sections whose text is unconfirmed (CSA).
    config_flag: str | None = None

    def __post_init__(self) -> None:
        # Fail at import, not in a custody suite, if a flag name is mistyped.
        if self.config_flag is not None and self.config_flag not in _CONFIG_FLAGS:
            raise ValueError(f"Unknown ClockConfig flag {self.config_flag!r}")

    def disregards(self, config: ClockConfig) -> bool:
        return self.config_flag is None or bool(getattr(config, self.config_flag))

    def due(self, at: datetime, calendar: Calendar, config: ClockConfig) -> datetime:
        if self.disregards(config):
            return add_hours_disregarding(at, self.hours, calendar)
        return add_elapsed_hours(at, self.hours)

    def explain(self, config: ClockConfig = DEFAULT_CONFIG) -> str:
        if self.disregards(config):
            return (
                f"{self.hours} elapsed hours, not counting time on a Sunday, Christmas Day, "
                "Good Friday or an England and Wales bank holiday"
            )
        return f"{self.hours} elapsed hours (ClockConfig.{self.config_flag} is off)"


Counting = DaysBeginningWith | PeriodBeginningWith | HoursDisregarding


@dataclass(frozen=True)
class DeadlineRule:
    """A deadline an event starts, with how it is counted and where the law says so."""

    name: str
    description: str
    basis: str
    counting: Counting
    caveat: str | None = None  # what a user should know where the rule rests on an M reading


@dataclass(frozen=True)
class EventRule:
    """Something that happens in a case and starts one or more statutory deadlines."""

    name: str
    description: str
    basis: str
    deadlines: tuple[DeadlineRule, ...]


class UnknownEvent(ValueError):
    """The event name is not one the clock knows; the message lists the valid ones."""

    def __init__(self, event: str) -> None:
        self.event = event
        self.choices = tuple(sorted(EVENTS))
        super().__init__(f"Unknown event {event!r}. Valid events: {', '.join(self.choices)}")


# -- the events ------------------------------------------------------------------------------------

# SPA 2019 s.9 and DAA 2021 s.41 notification periods: 3 days beginning with the day of the event.
# DOMAIN.md 1.4 (M): they do not disregard weekends or holidays.
_THREE_DAYS = DaysBeginningWith(3)

_CSA_HEARING_CAVEAT = (
    "CSA 2010 s.27's disregarded days are believed to match DAA 2021 s.29(3) but the text is "
    "unconfirmed (DOMAIN.md section 2, M): see ClockConfig.csa_dvpn_hearing_disregards_days"
)
_CSA_BREACH_CAVEAT = (
    "Whether the CSA 2010 breach-arrest period disregards Sundays and holidays is unconfirmed "
    "(DOMAIN.md section 2, M): see ClockConfig.csa_breach_arrest_disregards_days"
)


def _spo_initial_notification() -> DeadlineRule:
    # SPA 2019 s.9(1)-(2), DOMAIN 1.4 (H): "within 3 days beginning with the date of service".
    return DeadlineRule(
        "initial-notification",
        "Latest time D must notify the police, in person, of D's name(s) and home address",
        f"{SPA}, s.9(1)-(2)",
        _THREE_DAYS,
    )


_EVENT_LIST: tuple[EventRule, ...] = (
    # -- DVPN / DVPO: CSA 2010 ss.24-33 (DOMAIN.md section 2) --
    EventRule(
        "dvpn-served",
        "A domestic violence protection notice (DVPN) was served on P",
        f"{CSA}, s.25",
        (
            DeadlineRule(
                "dvpo-hearing",
                "Latest time the DVPO application must be heard",
                f"{CSA}, s.27(3)",
                # DOMAIN section 2 (48h H-M, disregarded days M): counted from service.
                HoursDisregarding(48, "csa_dvpn_hearing_disregards_days"),
                _CSA_HEARING_CAVEAT,
            ),
        ),
    ),
    EventRule(
        "dvpn-breach-arrest",
        "P was arrested for breach of a DVPN",
        f"{CSA}, s.26",
        (
            DeadlineRule(
                "court-appearance",
                "Latest time P must be brought before the magistrates' court, unless the DVPO "
                "hearing is earlier",
                f"{CSA}, s.26",
                # DOMAIN section 2 and 8 (M): within 24 hours of arrest.
                HoursDisregarding(24, "csa_breach_arrest_disregards_days"),
                _CSA_BREACH_CAVEAT,
            ),
        ),
    ),
    EventRule(
        "dvpo-made",
        "A domestic violence protection order (DVPO) was made",
        f"{CSA}, s.28",
        (
            DeadlineRule(
                "earliest-expiry",
                "Earliest day the DVPO may end: it lasts at least 14 days counting the day made",
                f"{CSA}, s.28(10)",
                # DOMAIN section 2 and 8: "no fewer than 14 days beginning with the day made".
                DaysBeginningWith(14),
            ),
            DeadlineRule(
                "latest-expiry",
                "Latest day the DVPO may end: it lasts at most 28 days counting the day made",
                f"{CSA}, s.28(10)",
                DaysBeginningWith(28),
            ),
        ),
    ),
    EventRule(
        "dvpo-breach-arrest",
        "P was arrested for breach of a DVPO",
        f"{CSA}, s.29",
        (
            DeadlineRule(
                "court-appearance",
                "Latest time P must be brought before the magistrates' court",
                f"{CSA}, s.29",
                # DOMAIN section 2 and 8 (M): DVPN/DVPO breach arrest, within 24 hours.
                HoursDisregarding(24, "csa_breach_arrest_disregards_days"),
                _CSA_BREACH_CAVEAT,
            ),
        ),
    ),
    # -- DAPN / DAPO: DAA 2021 Part 3 (DOMAIN.md section 3.2) --
    EventRule(
        "dapn-given",
        "A domestic abuse protection notice (DAPN) was given to P",
        f"{DAA}, ss.22 and 25",
        (
            DeadlineRule(
                "dapo-hearing",
                "Latest time the DAPO application must be heard",
                f"{DAA}, s.29(2)-(3)",
                # s.29(2): "not later than 48 hours after the notice was given"; s.29(3) lists
                # the disregarded days.
                HoursDisregarding(48),
            ),
        ),
    ),
    EventRule(
        "dapn-breach-arrest",
        "P was arrested for breach of a DAPN",
        f"{DAA}, s.26(1)",
        (
            DeadlineRule(
                "court-appearance",
                "Latest time P must be brought before the magistrates' court, unless the DAPO "
                "hearing is earlier",
                f"{DAA}, s.26(2) and (4)",
                # s.26(2)(a): "24 hours beginning with the time of the arrest"; s.26(4) lists the
                # disregarded days.
                HoursDisregarding(24),
            ),
        ),
    ),
    EventRule(
        "dapo-made",
        "A domestic abuse protection order (DAPO) was made (the day made, not the day served)",
        f"{DAA}, s.41(1)",
        (
            DeadlineRule(
                "initial-notification",
                "Latest time P must notify the police of P's name(s) and home address",
                f"{DAA}, s.41(2)-(3)",
                # s.41(2): "3 days beginning with the day on which the order is made" (DOMAIN 3.2,
                # H): unlike the SPO, counted from the making, not from service.
                _THREE_DAYS,
            ),
        ),
    ),
    EventRule(
        "dapo-name-changed",
        "P, subject to a DAPO, first used a name not yet notified",
        f"{DAA}, s.41(4)",
        (
            DeadlineRule(
                "name-notification",
                "Latest time P must notify the police of the new name",
                f"{DAA}, s.41(4)",
                _THREE_DAYS,
            ),
        ),
    ),
    EventRule(
        "dapo-address-changed",
        "P, subject to a DAPO, changed home address",
        f"{DAA}, s.41(5)",
        (
            DeadlineRule(
                "address-notification",
                "Latest time P must notify the police of the new home address",
                f"{DAA}, s.41(5)",
                _THREE_DAYS,
            ),
        ),
    ),
    EventRule(
        "dapo-no-home-address",
        "P, subject to a DAPO, ceased to have any home address",
        f"{DAA}, s.41(6)",
        (
            DeadlineRule(
                "no-home-address-notification",
                "Latest time P must notify the police of having no home address",
                f"{DAA}, s.41(6)",
                _THREE_DAYS,
            ),
        ),
    ),
    EventRule(
        "dapo-em-imposed",
        "An electronic monitoring requirement of a DAPO took effect",
        f"{DAA}, s.38(5)",
        (
            DeadlineRule(
                "em-maximum-end",
                "Latest day the electronic monitoring requirement may run to, unless the order is "
                "varied",
                f"{DAA}, s.38(5)-(6)",
                # s.38(5): not "more than 12 months". Counting the first day as day 1 (M) gives
                # the earlier end, so the requirement never runs longer than the Act allows.
                PeriodBeginningWith(months=12),
            ),
        ),
    ),
    # -- SPO and interim SPO: SPA 2019 (DOMAIN.md section 1) --
    EventRule(
        "spo-served",
        "A stalking protection order (SPO) was served on D",
        f"{SPA}, s.9(1)",
        (_spo_initial_notification(),),
    ),
    EventRule(
        "interim-spo-served",
        "An interim SPO was served on D",
        f"{SPA}, ss.5 and 9(1)",
        (_spo_initial_notification(),),
    ),
    EventRule(
        "spo-name-changed",
        "D, subject to an SPO, first used a name not yet notified",
        f"{SPA}, s.9(3)",
        (
            DeadlineRule(
                "name-notification",
                "Latest time D must notify the police of the new name",
                f"{SPA}, s.9(3)",
                _THREE_DAYS,
            ),
        ),
    ),
    EventRule(
        "spo-address-changed",
        "D, subject to an SPO, changed home address",
        f"{SPA}, s.9(4)",
        (
            DeadlineRule(
                "address-notification",
                "Latest time D must notify the police of the new home address",
                f"{SPA}, s.9(4)",
                _THREE_DAYS,
            ),
        ),
    ),
    EventRule(
        "spo-soa-notification-ended",
        "D's Sexual Offences Act 2003 Part 2 notification ended while an SPO is in force "
        "(the event is the 'final day')",
        f"{SPA}, s.9(5)-(7)",
        (
            DeadlineRule(
                "initial-notification",
                "Latest time D must notify the police of D's name(s) and home address",
                f"{SPA}, s.9(5)-(7)",
                # DOMAIN 1.4 (H): the 3 days count from the "final day".
                _THREE_DAYS,
            ),
        ),
    ),
    EventRule(
        "spo-made",
        "A full SPO was made",
        f"{SPA}, s.3",
        (
            DeadlineRule(
                "earliest-fixed-term-end",
                "Earliest day a fixed-term SPO may end: at least 2 years beginning with the day "
                "made ('until further order' is also valid)",
                f"{SPA}, s.3",
                # DOMAIN 1.1 (H, count convention M): made 10 Mar 2025 -> ends 9 Mar 2027.
                PeriodBeginningWith(years=2),
            ),
        ),
    ),
)

EVENTS: dict[str, EventRule] = {event.name: event for event in _EVENT_LIST}
if len(EVENTS) != len(_EVENT_LIST):  # a duplicate name would silently hide a rule
    raise RuntimeError("Two clock events share a name")


def get_event(event: str) -> EventRule:
    """The rule for `event`, or UnknownEvent naming the valid events."""
    try:
        return EVENTS[event]
    except KeyError:
        raise UnknownEvent(event) from None


def compute_deadlines(
    event: str,
    at: datetime,
    *,
    calendar: Calendar | None = None,
    config: ClockConfig | None = None,
) -> list[Deadline]:
    """The deadlines `event` starts when it happens at `at`, in the order the rule lists them.

    A naive `at` is Europe/London local time; an aware one is converted to London, whose
    calendar day is the one the statutes count.
    """
    rule = get_event(event)
    local = to_london(at)
    calendar = DEFAULT_CALENDAR if calendar is None else calendar
    config = DEFAULT_CONFIG if config is None else config
    return [
        Deadline(
            name=deadline.name,
            description=deadline.description,
            due=deadline.counting.due(local, calendar, config).astimezone(UTC).astimezone(LONDON),
            basis=deadline.basis,
        )
        for deadline in rule.deadlines
    ]


def parse_datetime(text: str) -> datetime:
    """Read an ISO 8601 date or date-time, with or without a UTC offset.

    Without an offset the result is naive, meaning Europe/London local time. A date alone means
    midnight at the start of that day.
    """
    try:
        return datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError, TypeError):
        raise ValueError(
            f"Cannot read {text!r} as a date and time: expected {EXPECTED_DATETIME_FORMAT}"
        ) from None
