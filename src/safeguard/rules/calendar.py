"""The England and Wales calendar of days that statutory hour-periods disregard.

DAA 2021 s.26(4) and s.29(3) (and, we believe, CSA 2010 ss.26-27: DOMAIN.md section 2, M) say that
when counting certain 24- and 48-hour periods "any Sunday, Christmas Day, Good Friday and any day
which is a bank holiday in England and Wales under the Banking and Financial Dealings Act 1971" are
disregarded. This module answers "is this day disregarded?" and nothing else; the counting itself
lives in clock.py.

Pure Python: no Django import (DESIGN.md, rules).
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import holidays
from dateutil.easter import easter  # type: ignore[import-untyped]  # a dependency of holidays

__all__ = ["DEFAULT_CALENDAR", "LONDON", "Calendar", "good_friday"]

# Statutory periods are counted in local time (DESIGN.md, Conventions: "count statutory periods in
# local time with the rule's own excluded days").
LONDON = zoneinfo.ZoneInfo("Europe/London")

_SATURDAY = 5
_SUNDAY = 6


def _require_date(value: object, what: str) -> date:
    # A datetime is a date subclass, but its calendar day depends on its timezone: making the
    # caller choose the day avoids silently counting the wrong one.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


def good_friday(year: int) -> date:
    """Good Friday of `year` (Western Easter, as observed in England and Wales)."""
    return easter(year) - timedelta(days=2)


@functools.lru_cache(maxsize=256)
def _statutory_bank_holidays(year: int) -> dict[date, str]:
    """Bank holidays in England and Wales for one year, from the maintained `holidays` table.

    The `holidays` package lists the days gov.uk publishes (statutory days under BFDA 1971 Sch.1
    para.1, the days proclaimed each year under s.1(3) such as New Year's Day and the early May
    bank holiday, substitute days, and one-off proclaimed days such as 19 Sep 2022). It also lists
    days that are *not* bank holidays in law. Those are dropped below, because disregarding a day
    that should count would make a deadline later than the law allows.
    """
    table = holidays.UK(subdiv="ENG", years=year)
    result: dict[date, str] = {}
    for day, name in table.items():
        if day == date(year, 12, 25) or day == good_friday(year):
            # Christmas Day and Good Friday are common-law holidays, not bank holidays under the
            # 1971 Act (DOMAIN.md section 8); Calendar.is_disregarded names them separately.
            continue
        if day.weekday() == _SUNDAY:
            # BFDA 1971 Sch.1 para.1: "26th December, if it be not a Sunday"; a Sunday is never
            # itself the bank holiday, the substitute day is (and Sundays are disregarded anyway).
            continue
        if day.weekday() == _SATURDAY and (day.month, day.day) != (12, 26):
            # New Year's Day falling on a Saturday: the proclaimed bank holiday is the Monday
            # (e.g. 3 Jan 2022), which the table also lists. 26 Dec on a Saturday stays: Sch.1
            # makes it a bank holiday ("if it be not a Sunday").
            continue
        result[day] = name
    return result


class Calendar:
    """England and Wales disregarded-day calendar (DAA 2021 s.29(3); CSA 2010 s.27).

    `extra_bank_holidays` are days proclaimed after this software's `holidays` table was
    published (BFDA 1971 s.1(3) lets the Crown appoint extra days at short notice, as for the
    state funeral on 19 Sep 2022); an administrator adds them. `cancelled_bank_holidays` removes a
    day the table lists but that was moved by proclamation (as 4 May 2020 was moved to 8 May):
    without it the clock would disregard a working day and give a deadline that is too late.
    """

    def __init__(
        self,
        extra_bank_holidays: Iterable[date] = (),
        *,
        cancelled_bank_holidays: Iterable[date] = (),
    ) -> None:
        self._extra = frozenset(
            _require_date(d, "An extra bank holiday") for d in extra_bank_holidays
        )
        self._cancelled = frozenset(
            _require_date(d, "A cancelled bank holiday") for d in cancelled_bank_holidays
        )
        both = sorted(self._extra & self._cancelled)
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise ValueError(
                f"A day cannot be both an extra and a cancelled bank holiday: {listed}"
            )

    @property
    def extra_bank_holidays(self) -> frozenset[date]:
        return self._extra

    @property
    def cancelled_bank_holidays(self) -> frozenset[date]:
        return self._cancelled

    def is_bank_holiday(self, d: date) -> bool:
        """Whether `d` is a bank holiday in England and Wales under the 1971 Act.

        Includes substitute days and proclaimed days. Christmas Day and Good Friday are not bank
        holidays in law (they are common-law holidays), so they return False here; use
        `is_disregarded` for the statutory question.
        """
        return self.bank_holiday_name(d) is not None

    def bank_holiday_name(self, d: date) -> str | None:
        """The bank holiday's name (e.g. "Easter Monday"), or None if `d` is not one."""
        _require_date(d, "The day")
        if d in self._extra:
            return "Proclaimed bank holiday"
        if d in self._cancelled:
            return None
        return _statutory_bank_holidays(d.year).get(d)

    def is_disregarded(self, d: date) -> bool:
        """Whether `d` does not count towards a disregard-aware hour period.

        Sunday, Christmas Day, Good Friday, or an E&W bank holiday: DAA 2021 s.26(4) and s.29(3);
        CSA 2010 s.27 (DOMAIN.md section 2).
        """
        return self.disregard_reason(d) is not None

    def disregard_reason(self, d: date) -> str | None:
        """Why `d` is disregarded, in words a user can check ("Sunday", "Good Friday", ...)."""
        _require_date(d, "The day")
        if d.weekday() == _SUNDAY:
            return "Sunday"
        if (d.month, d.day) == (12, 25):
            return "Christmas Day"
        if d == good_friday(d.year):
            return "Good Friday"
        name = self.bank_holiday_name(d)
        if name is not None:
            return f"Bank holiday ({name})"
        return None

    def with_extra(self, *days: date) -> Calendar:
        """A copy with more proclaimed bank holidays; this calendar is unchanged."""
        return Calendar(self._extra.union(days), cancelled_bank_holidays=self._cancelled)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return (self._extra, self._cancelled) == (other._extra, other._cancelled)

    def __hash__(self) -> int:
        return hash((self._extra, self._cancelled))

    def __repr__(self) -> str:
        extra = sorted(d.isoformat() for d in self._extra)
        cancelled = sorted(d.isoformat() for d in self._cancelled)
        return f"Calendar(extra_bank_holidays={extra}, cancelled_bank_holidays={cancelled})"


DEFAULT_CALENDAR = Calendar()
