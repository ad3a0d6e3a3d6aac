"""The disregarded-day calendar: DAA 2021 s.29(3), BFDA 1971 Sch.1, proclaimed days.

Expected values come from the statute and the published bank holiday lists, not from the code.
"""

from datetime import date, datetime

import holidays
import pytest

from safeguard.rules.calendar import DEFAULT_CALENDAR, LONDON, Calendar, good_friday


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 4, 21), "Easter Monday, BFDA 1971 Sch.1"),
        (date(2025, 5, 5), "early May bank holiday, proclaimed"),
        (date(2025, 5, 26), "last Monday in May, Sch.1"),
        (date(2025, 8, 25), "last Monday in August, Sch.1"),
        (date(2025, 12, 26), "26 December, not a Sunday, Sch.1"),
        (date(2025, 1, 1), "New Year's Day, proclaimed"),
        (date(2021, 12, 27), "27 Dec 2021: 26 Dec was a Sunday, Sch.1"),
        (date(2021, 12, 28), "28 Dec 2021: substitute for Christmas Day on a Saturday"),
        (date(2022, 1, 3), "3 Jan 2022: substitute for New Year's Day on a Saturday"),
        (date(2020, 12, 26), "26 Dec 2020 was a Saturday: Sch.1 still makes it a bank holiday"),
        (date(2020, 12, 28), "28 Dec 2020: substitute for Boxing Day on a Saturday"),
        (date(2020, 5, 8), "VE Day 2020: the early May bank holiday moved to a Friday"),
        (date(2022, 9, 19), "state funeral of Queen Elizabeth II, proclaimed"),
        (date(2023, 5, 8), "coronation of King Charles III, proclaimed"),
    ],
)
def test_bank_holidays(day: date, why: str) -> None:
    assert DEFAULT_CALENDAR.is_bank_holiday(day), why
    assert DEFAULT_CALENDAR.is_disregarded(day), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2022, 1, 1), "New Year's Day on a Saturday: the bank holiday is Monday 3 Jan"),
        (date(2011, 1, 1), "New Year's Day on a Saturday: the bank holiday is Monday 3 Jan"),
        (date(2020, 5, 4), "the first Monday in May 2020 was moved to 8 May"),
        (date(2025, 3, 15), "an ordinary Saturday"),
        (date(2025, 3, 12), "an ordinary Wednesday"),
        (date(2025, 4, 19), "Easter Saturday is not a holiday"),
        (date(2025, 12, 24), "Christmas Eve is not a holiday"),
    ],
)
def test_days_that_count(day: date, why: str) -> None:
    assert not DEFAULT_CALENDAR.is_bank_holiday(day), why
    assert not DEFAULT_CALENDAR.is_disregarded(day), why


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2025, 3, 16), "Sunday"),
        (date(2025, 12, 25), "Christmas Day"),  # a Thursday
        (date(2021, 12, 25), "Christmas Day"),  # a Saturday
        (date(2025, 4, 18), "Good Friday"),
        (date(2024, 3, 29), "Good Friday"),
        (date(2025, 3, 30), "Sunday"),  # clocks go forward
        (date(2025, 10, 26), "Sunday"),  # clocks go back
    ],
)
def test_sundays_christmas_and_good_friday_are_disregarded(day: date, reason: str) -> None:
    assert DEFAULT_CALENDAR.is_disregarded(day)
    assert DEFAULT_CALENDAR.disregard_reason(day) == reason


def test_christmas_day_and_good_friday_are_common_law_holidays_not_bank_holidays() -> None:
    # DOMAIN.md section 8: listed separately because the 1971 Act does not make them bank holidays.
    assert not DEFAULT_CALENDAR.is_bank_holiday(date(2025, 12, 25))
    assert not DEFAULT_CALENDAR.is_bank_holiday(date(2025, 4, 18))


def test_disregard_reason_names_the_bank_holiday() -> None:
    assert DEFAULT_CALENDAR.disregard_reason(date(2025, 4, 21)) == "Bank holiday (Easter Monday)"
    assert DEFAULT_CALENDAR.disregard_reason(date(2025, 4, 22)) is None


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 3, 29)), (2025, date(2025, 4, 18)), (2026, date(2026, 4, 3))],
)
def test_good_friday(year: int, expected: date) -> None:
    assert good_friday(year) == expected


def test_wales_has_the_same_bank_holidays_as_england() -> None:
    # BFDA 1971 Sch.1 para.1 lists one set of days for "England and Wales".
    for year in range(1975, 2061):
        england = holidays.UK(subdiv="ENG", years=year)
        wales = holidays.UK(subdiv="WLS", years=year)
        assert dict(england) == dict(wales), year


def test_extra_bank_holiday_is_added_without_changing_the_original() -> None:
    proclaimed = date(2026, 6, 12)  # a Friday; imagine a one-off proclamation
    assert not DEFAULT_CALENDAR.is_disregarded(proclaimed)
    calendar = DEFAULT_CALENDAR.with_extra(proclaimed)
    assert calendar.is_bank_holiday(proclaimed)
    assert calendar.is_disregarded(proclaimed)
    assert calendar.disregard_reason(proclaimed) == "Bank holiday (Proclaimed bank holiday)"
    assert not DEFAULT_CALENDAR.is_disregarded(proclaimed)
    assert Calendar([proclaimed]) == calendar
    assert hash(Calendar([proclaimed])) == hash(calendar)


def test_cancelled_bank_holiday_removes_a_moved_day() -> None:
    calendar = Calendar(cancelled_bank_holidays=[date(2025, 5, 26)])
    assert not calendar.is_bank_holiday(date(2025, 5, 26))
    assert not calendar.is_disregarded(date(2025, 5, 26))
    # Keeps its cancellations when a day is added.
    assert not calendar.with_extra(date(2025, 6, 2)).is_disregarded(date(2025, 5, 26))


def test_a_day_cannot_be_both_extra_and_cancelled() -> None:
    with pytest.raises(ValueError, match="2025-06-02"):
        Calendar([date(2025, 6, 2)], cancelled_bank_holidays=[date(2025, 6, 2)])


def test_datetimes_are_refused_because_their_day_depends_on_the_timezone() -> None:
    with pytest.raises(TypeError):
        DEFAULT_CALENDAR.is_disregarded(datetime(2025, 3, 16, 12, tzinfo=LONDON))
    with pytest.raises(TypeError):
        Calendar([datetime(2025, 6, 2)])
