"""When reminders fall due, with a frozen clock around bank holidays (docs/reminders.md).

Lead times are counted the way the deadline is: a DVPO or DAPO hearing deadline disregards
Sundays, Christmas Day, Good Friday and bank holidays, and so does the time before it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from safeguard.compliance.deadlines import LeadTimes, lead_times, subtract_hours_disregarding
from safeguard.rules.calendar import Calendar
from safeguard.rules.clock import add_hours_disregarding

LONDON = ZoneInfo("Europe/London")
CAL = Calendar()


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("end", "hours", "expected"),
    [
        # Tuesday 22 April 2025 10:00, after Easter: 10 hours on Tuesday, then Easter Monday,
        # Easter Sunday are skipped; the other 2 hours end at 22:00 on Saturday 19 April.
        (at(2025, 4, 22, 10), 12, at(2025, 4, 19, 22)),
        (at(2025, 4, 22, 10), 24, at(2025, 4, 19, 10)),
        # Good Friday (18 April) is skipped too: 48 hours before Tuesday 10:00 is Thursday 10:00.
        (at(2025, 4, 22, 10), 48, at(2025, 4, 17, 10)),
        # Monday 29 December 2025 15:00: Sunday 28th, Boxing Day (Friday, a bank holiday) and
        # Christmas Day are skipped; 15 h Monday + 24 h Saturday + 9 h Wednesday 24th.
        (at(2025, 12, 29, 15), 48, at(2025, 12, 24, 15)),
        # An ordinary Wednesday: plain hours.
        (at(2025, 6, 11, 18), 12, at(2025, 6, 11, 6)),
        # Exactly at midnight: the hours before it belong to the day before.
        (at(2025, 6, 12, 0), 3, at(2025, 6, 11, 21)),
        # Across the clocks going forward (Sunday 30 March 2025, disregarded anyway).
        (at(2025, 3, 31, 6), 12, at(2025, 3, 29, 18)),
    ],
)
def test_lead_time_before_a_deadline_skips_disregarded_days(end, hours, expected):
    assert subtract_hours_disregarding(end, hours, CAL) == expected


@pytest.mark.parametrize(
    "start",
    [at(2025, 4, 17, 10), at(2025, 12, 24, 15), at(2025, 10, 25, 23, 30), at(2026, 3, 27, 9)],
)
def test_subtracting_undoes_adding(start):
    for hours in (1, 12, 24, 48):
        end = add_hours_disregarding(start, hours, CAL)
        assert subtract_hours_disregarding(end, hours, CAL) == start


def test_lead_times_come_from_settings_and_can_be_overridden(settings):
    assert lead_times("dvpo-hearing") == LeadTimes(remind=24, escalate=12)
    assert lead_times("no-such-deadline") == LeadTimes(remind=48, escalate=12)
    settings.SAFEGUARD_REMINDER_LEAD_TIMES_OVERRIDE = '{"dvpo-hearing": {"escalate": 6}}'
    assert lead_times("dvpo-hearing") == LeadTimes(remind=24, escalate=6)
