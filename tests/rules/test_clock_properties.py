"""Properties of the statutory clock that must hold for any time and any calendar.

Instants are compared with .timestamp(): PEP 495 makes a datetime in the repeated autumn hour
unequal to every datetime in another zone, so == and < across zones can mislead there.
"""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.rules.calendar import LONDON, Calendar
from safeguard.rules.clock import (
    DEFAULT_CONFIG,
    EVENTS,
    ClockConfig,
    HoursDisregarding,
    compute_deadlines,
)

# Naive London wall-clock times, including the non-existent and repeated hours around clock
# changes, late evenings and leap days; whole minutes keep the brute-force oracle below cheap.
local_times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda dt: dt.replace(second=0, microsecond=0)
)
# Aware times too: compute_deadlines must treat both alike.
any_times = st.one_of(local_times, local_times.map(lambda dt: dt.replace(tzinfo=UTC)))
event_names = st.sampled_from(sorted(EVENTS))
configs = st.builds(ClockConfig, st.booleans(), st.booleans())


@st.composite
def calendars_near(draw: st.DrawFn, at: datetime) -> Calendar:
    """A calendar with up to 3 extra bank holidays in the fortnight after `at`."""
    start = at.date()
    offsets = draw(st.lists(st.integers(min_value=0, max_value=14), max_size=3))
    return Calendar([start + timedelta(days=n) for n in offsets])


def _hour_rules(config: ClockConfig) -> list[tuple[str, str, HoursDisregarding]]:
    return [
        (event.name, deadline.name, deadline.counting)
        for event in EVENTS.values()
        for deadline in event.deadlines
        if isinstance(deadline.counting, HoursDisregarding) and deadline.counting.disregards(config)
    ]


def _earliest_instant(naive: datetime) -> datetime:
    # The documented reading of a naive London time that is repeated or skipped by a clock change.
    return min(
        naive.replace(tzinfo=LONDON, fold=0).astimezone(UTC),
        naive.replace(tzinfo=LONDON, fold=1).astimezone(UTC),
    )


def _london_day(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


@given(at=any_times, data=st.data())
def test_disregard_aware_deadline_never_ends_inside_a_disregarded_day(
    at: datetime, data: st.DataObject
) -> None:
    calendar = data.draw(calendars_near(at.replace(tzinfo=None)))
    for event, name, _ in _hour_rules(DEFAULT_CONFIG):
        [due] = [d.due for d in compute_deadlines(event, at, calendar=calendar) if d.name == name]
        # The last counted instant lies just before `due`; it must be on a counted day. (A period
        # ending exactly at midnight ends with the day before, which is the day that counts.)
        last_counted = due.astimezone(UTC) - timedelta(microseconds=1)
        assert not calendar.is_disregarded(_london_day(last_counted)), (event, at, due)


@given(at=any_times, event=event_names, config=configs, data=st.data())
def test_adding_a_bank_holiday_never_brings_a_deadline_earlier(
    at: datetime, event: str, config: ClockConfig, data: st.DataObject
) -> None:
    base = data.draw(calendars_near(at.replace(tzinfo=None)))
    extra = at.replace(tzinfo=None).date() + timedelta(days=data.draw(st.integers(0, 14)))
    before = compute_deadlines(event, at, calendar=base, config=config)
    after = compute_deadlines(event, at, calendar=base.with_extra(extra), config=config)
    assert [d.name for d in before] == [d.name for d in after]
    for old, new in zip(before, after, strict=True):
        assert new.due.timestamp() >= old.due.timestamp(), (event, at, extra, old, new)


@given(at=any_times, event=event_names, config=configs)
def test_deadlines_are_never_before_the_event(
    at: datetime, event: str, config: ClockConfig
) -> None:
    instant = at if at.tzinfo else _earliest_instant(at)
    for deadline in compute_deadlines(event, at, config=config):
        assert deadline.due.timestamp() >= instant.timestamp(), (event, at, deadline)
        assert deadline.due.tzinfo is LONDON


# Day boundaries (London midnights) are whole UTC hours, so with events on a 10-minute grid a
# 10-minute walk lands exactly on every boundary and on the deadline.
STEP = timedelta(minutes=10)


@settings(max_examples=60, deadline=None)
@given(at=local_times.map(lambda dt: dt.replace(minute=dt.minute - dt.minute % 10)), data=st.data())
def test_counted_time_is_exactly_the_statutory_hours(at: datetime, data: st.DataObject) -> None:
    # A brute-force oracle independent of the implementation: walk in 10-minute steps from the
    # event to the deadline and count the steps whose London day is not disregarded.
    calendar = data.draw(calendars_near(at))
    for event, name, rule in _hour_rules(DEFAULT_CONFIG):
        [deadline] = [d for d in compute_deadlines(event, at, calendar=calendar) if d.name == name]
        end = deadline.due.astimezone(UTC)
        cursor = _earliest_instant(at)
        counted = timedelta(0)
        while cursor < end:
            if not calendar.is_disregarded(_london_day(cursor)):
                counted += STEP
            cursor += STEP
        assert counted == timedelta(hours=rule.hours), (event, at, deadline)


@given(at=any_times, event=event_names)
def test_day_count_deadlines_end_at_23_59_59_local(at: datetime, event: str) -> None:
    for rule, deadline in zip(EVENTS[event].deadlines, compute_deadlines(event, at), strict=True):
        if not isinstance(rule.counting, HoursDisregarding):
            local = deadline.due.astimezone(LONDON)
            assert (local.hour, local.minute, local.second) == (23, 59, 59)
