"""Hand-worked examples for every clock event.

Each expectation is worked out in the comment beside it from the statute's words (DOMAIN.md
sections 1.4, 2, 3.2 and 8), not read back from the implementation. Times are Europe/London.
"""

import re
from datetime import UTC, date, datetime

import pytest

from safeguard.rules.calendar import DEFAULT_CALENDAR, LONDON
from safeguard.rules.clock import (
    EVENTS,
    ClockConfig,
    Deadline,
    HoursDisregarding,
    UnknownEvent,
    add_elapsed_hours,
    add_hours_disregarding,
    compute_deadlines,
    end_of_day,
    end_of_period_beginning_with,
    parse_datetime,
    to_london,
)

NO_CSA_DISREGARD = ClockConfig(
    csa_dvpn_hearing_disregards_days=False, csa_breach_arrest_disregards_days=False
)


def due(event: str, at: datetime, **kwargs: object) -> dict[str, str]:
    """The deadlines as {name: ISO 8601 with offset}, so a wrong UTC offset fails the test too."""
    return {d.name: d.due.isoformat() for d in compute_deadlines(event, at, **kwargs)}  # type: ignore[arg-type]


# -- 48 hours, disregarding Sundays, Christmas Day, Good Friday and bank holidays ------------------
# DVPN: CSA 2010 s.27(3) (disregarded days M, DOMAIN section 2). DAPN: DAA 2021 s.29(2)-(3) (H).


@pytest.mark.parametrize("event", ["dvpn-served", "dapn-given"])
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # DOMAIN section 2 worked example. Sat 15 Mar 2025 10:00: Saturday gives 14h, Sunday is
        # disregarded, Monday gives 24h (38h), so 10 more hours on Tuesday: Tue 18 Mar 10:00.
        (datetime(2025, 3, 15, 10), "2025-03-18T10:00:00+00:00"),
        # Same, but Monday 5 May 2025 is the early May bank holiday: Sat 14h, Sun and Mon
        # disregarded, Tue 24h (38h), Wed 10h: Wed 7 May 10:00 (BST).
        (datetime(2025, 5, 3, 10), "2025-05-07T10:00:00+01:00"),
        # Served on a Sunday: nothing counts until Monday 00:00; Mon 24h + Tue 24h = 48h, so the
        # period ends at the end of Tuesday, i.e. Wed 19 Mar 00:00.
        (datetime(2025, 3, 16, 14), "2025-03-19T00:00:00+00:00"),
        # Late evening, ordinary week: Wed 12 Mar 23:50 gives 10 min, Thu 24h, then 23h50 on Fri:
        # Fri 14 Mar 23:50.
        (datetime(2025, 3, 12, 23, 50), "2025-03-14T23:50:00+00:00"),
        # Late on a Saturday: Sat 10 min, Sun disregarded, Mon 24h, Tue 23h50: Tue 18 Mar 23:50.
        (datetime(2025, 3, 15, 23, 50), "2025-03-18T23:50:00+00:00"),
        # Easter 2025. Thu 17 Apr 15:00: Thu 9h; Good Friday 18th disregarded; Sat 19th 24h (33h);
        # Sunday 20th and Easter Monday 21st disregarded; 15h on Tue 22nd: Tue 22 Apr 15:00 BST.
        (datetime(2025, 4, 17, 15), "2025-04-22T15:00:00+01:00"),
        # Christmas 2025. Wed 24 Dec 12:00: Wed 12h; Thu 25th Christmas Day and Fri 26th Boxing
        # Day disregarded; Sat 27th 24h (36h); Sun 28th disregarded; Mon 29th 12h: Mon 29 Dec 12:00.
        (datetime(2025, 12, 24, 12), "2025-12-29T12:00:00+00:00"),
        # Christmas 2021, with substitute days. Fri 24 Dec 18:00: Fri 6h; Sat 25th Christmas Day;
        # Sun 26th; Mon 27th (bank holiday: 26th was a Sunday) and Tue 28th (substitute for
        # Christmas Day on a Saturday) all disregarded; Wed 29th 24h (30h); Thu 30th 18h.
        (datetime(2021, 12, 24, 18), "2021-12-30T18:00:00+00:00"),
        # New Year 2022. Fri 31 Dec 2021 10:00: Fri 14h; Sat 1 Jan is NOT a bank holiday (the
        # proclaimed day is Monday 3 Jan), so it gives 24h (38h); Sun 2nd and Mon 3rd disregarded;
        # Tue 4th 10h: Tue 4 Jan 2022 10:00.
        (datetime(2021, 12, 31, 10), "2022-01-04T10:00:00+00:00"),
        # Coronation bank holiday, Mon 8 May 2023 (proclaimed). Sat 6 May 10:00: Sat 14h; Sun 7th
        # and Mon 8th disregarded; Tue 9th 24h (38h); Wed 10th 10h: Wed 10 May 10:00 BST.
        (datetime(2023, 5, 6, 10), "2023-05-10T10:00:00+01:00"),
        # Clocks go forward on Sun 30 Mar 2025, which is disregarded anyway. Sat 29 Mar 10:00 GMT:
        # Sat 14h, Mon 31st 24h (38h), Tue 1 Apr 10h: Tue 1 Apr 10:00 BST (09:00 UTC).
        (datetime(2025, 3, 29, 10), "2025-04-01T10:00:00+01:00"),
        # Clocks go back on Sun 26 Oct 2025, disregarded. Sat 25 Oct 10:00 BST: Sat 14h, Mon 27th
        # 24h (38h), Tue 28th 10h: Tue 28 Oct 10:00 GMT.
        (datetime(2025, 10, 25, 10), "2025-10-28T10:00:00+00:00"),
    ],
)
def test_48_hour_hearing_deadlines(event: str, at: datetime, expected: str) -> None:
    [value] = due(event, at).values()
    assert value == expected


def test_dvpn_hearing_names_and_cites_section_27() -> None:
    [deadline] = compute_deadlines("dvpn-served", datetime(2025, 3, 15, 10))
    assert deadline == Deadline(
        name="dvpo-hearing",
        description="Latest time the DVPO application must be heard",
        due=datetime(2025, 3, 18, 10, tzinfo=LONDON),
        basis="Crime and Security Act 2010, s.27(3)",
    )


def test_dapn_hearing_cites_section_29() -> None:
    [deadline] = compute_deadlines("dapn-given", datetime(2025, 5, 24, 10))
    assert deadline.name == "dapo-hearing"
    assert deadline.basis == "Domestic Abuse Act 2021, s.29(2)-(3)"
    # Mon 26 May 2025 is the spring bank holiday: Sat 14h, Sun + Mon disregarded, Tue 24h, Wed
    # 10h: Wed 28 May 10:00 BST.
    assert deadline.due.isoformat() == "2025-05-28T10:00:00+01:00"


def test_an_extra_proclaimed_bank_holiday_is_disregarded() -> None:
    # Fri 6 Jun 2025 10:00: Fri 14h, Sat 24h (38h), Sun disregarded, Mon 10h: Mon 9 Jun 10:00.
    assert due("dvpn-served", datetime(2025, 6, 6, 10)) == {
        "dvpo-hearing": "2025-06-09T10:00:00+01:00"
    }
    # If Mon 9 Jun were proclaimed a bank holiday, Tuesday supplies the last 10h.
    calendar = DEFAULT_CALENDAR.with_extra(date(2025, 6, 9))
    assert due("dvpn-served", datetime(2025, 6, 6, 10), calendar=calendar) == {
        "dvpo-hearing": "2025-06-10T10:00:00+01:00"
    }


# -- CSA periods with disregarding switched off (ClockConfig): plain elapsed time -----------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # 48 real hours from Sat 15 Mar 2025 10:00: Mon 17 Mar 10:00.
        (datetime(2025, 3, 15, 10), "2025-03-17T10:00:00+00:00"),
        # Across the spring change: Sat 29 Mar 10:00 GMT is 10:00 UTC; +48h is Mon 31 Mar
        # 10:00 UTC, which the wall clock shows as 11:00 BST (Sunday had only 23 hours).
        (datetime(2025, 3, 29, 10), "2025-03-31T11:00:00+01:00"),
        # Across the autumn change: Sat 25 Oct 10:00 BST is 09:00 UTC; +48h is Mon 27 Oct
        # 09:00 UTC, shown as 09:00 GMT (Sunday had 25 hours).
        (datetime(2025, 10, 25, 10), "2025-10-27T09:00:00+00:00"),
    ],
)
def test_dvpn_hearing_without_disregarded_days_counts_real_elapsed_time(
    at: datetime, expected: str
) -> None:
    assert due("dvpn-served", at, config=NO_CSA_DISREGARD) == {"dvpo-hearing": expected}


def test_csa_config_does_not_touch_the_daa_periods() -> None:
    # DAA 2021 s.29(3) states the disregarded days, so the CSA switch must not change DAPNs.
    at = datetime(2025, 3, 15, 10)
    assert due("dapn-given", at, config=NO_CSA_DISREGARD) == {
        "dapo-hearing": "2025-03-18T10:00:00+00:00"
    }


# -- 24 hours from a breach arrest -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "at", "expected"),
    [
        # DAA 2021 s.26(2)(a), (4). Sat 15 Mar 2025 23:50: Sat 10 min, Sun disregarded, Mon
        # 23h50: Mon 17 Mar 23:50.
        ("dapn-breach-arrest", datetime(2025, 3, 15, 23, 50), "2025-03-17T23:50:00+00:00"),
        # Thu 17 Apr 2025 20:00: Thu 4h, Good Friday disregarded, Sat 20h: Sat 19 Apr 20:00 BST.
        ("dapn-breach-arrest", datetime(2025, 4, 17, 20), "2025-04-19T20:00:00+01:00"),
        # Arrested on Good Friday 09:00: counting starts Sat 19 Apr 00:00 and all 24 hours are
        # Saturday's, so the period ends at the end of Saturday = Sun 20 Apr 00:00.
        ("dapn-breach-arrest", datetime(2025, 4, 18, 9), "2025-04-20T00:00:00+01:00"),
        # CSA 2010 s.26 (M). Wed 24 Dec 2025 09:00: Wed 15h, Christmas Day and Boxing Day
        # disregarded, Sat 27th 9h: Sat 27 Dec 09:00.
        ("dvpn-breach-arrest", datetime(2025, 12, 24, 9), "2025-12-27T09:00:00+00:00"),
        # CSA 2010 s.29 (M). Mon 10 Mar 2025 14:30, nothing disregarded: Tue 11 Mar 14:30.
        ("dvpo-breach-arrest", datetime(2025, 3, 10, 14, 30), "2025-03-11T14:30:00+00:00"),
        # Christmas 2022: Sat 24 Dec 20:00 gives 4h; Sun 25th (Christmas Day), Mon 26th (Boxing
        # Day) and Tue 27th (substitute for Christmas Day on a Sunday) disregarded; Wed 28th 20h.
        ("dvpo-breach-arrest", datetime(2022, 12, 24, 20), "2022-12-28T20:00:00+00:00"),
    ],
)
def test_breach_arrest_court_appearance(event: str, at: datetime, expected: str) -> None:
    assert due(event, at) == {"court-appearance": expected}


def test_csa_breach_arrest_without_disregarded_days() -> None:
    # 24 real hours from Sat 15 Mar 2025 23:50: Sun 16 Mar 23:50.
    assert due("dvpn-breach-arrest", datetime(2025, 3, 15, 23, 50), config=NO_CSA_DISREGARD) == {
        "court-appearance": "2025-03-16T23:50:00+00:00"
    }


# -- DVPO: 14 to 28 days counting the day made (CSA 2010 s.28(10)) --------------------------------


@pytest.mark.parametrize(
    ("made", "earliest", "latest"),
    [
        # Made Mon 10 Mar 2025: day 14 is 10 + 13 = 23 Mar; day 28 is 10 + 27 = 37 Mar = 6 Apr,
        # after the clocks went forward, so 23:59:59 BST.
        (datetime(2025, 3, 10, 15), "2025-03-23T23:59:59+00:00", "2025-04-06T23:59:59+01:00"),
        # Made Sat 20 Dec 2025: Christmas counts (no disregarded days). Day 14 is 20 + 13 = 33
        # Dec = 2 Jan 2026; day 28 is 20 + 27 = 47 Dec = 16 Jan 2026.
        (datetime(2025, 12, 20, 11), "2026-01-02T23:59:59+00:00", "2026-01-16T23:59:59+00:00"),
        # Leap year: made 16 Feb 2024: day 14 is 16 + 13 = 29 Feb; day 28 is 16 + 27 = 43 Feb =
        # 14 Mar (February 2024 has 29 days).
        (datetime(2024, 2, 16, 10), "2024-02-29T23:59:59+00:00", "2024-03-14T23:59:59+00:00"),
    ],
)
def test_dvpo_expiry_window(made: datetime, earliest: str, latest: str) -> None:
    assert due("dvpo-made", made) == {"earliest-expiry": earliest, "latest-expiry": latest}


# -- 3 days beginning with the day of the event (SPA 2019 s.9; DAA 2021 s.41) ---------------------


@pytest.mark.parametrize(
    ("event", "at", "name", "expected"),
    [
        # DOMAIN 1.4: served Monday -> end of Wednesday. Mon 10 Mar 2025 14:30 -> Wed 12 Mar.
        ("spo-served", datetime(2025, 3, 10, 14, 30), "initial-notification",
         "2025-03-12T23:59:59+00:00"),
        # Served at 23:50 on Christmas Eve 2021: day 1 is Fri 24th (however late), day 2 is
        # Christmas Day (which counts: s.9 disregards nothing), day 3 is Sun 26 Dec.
        ("spo-served", datetime(2021, 12, 24, 23, 50), "initial-notification",
         "2021-12-26T23:59:59+00:00"),
        # Leap year: 28 Feb, 29 Feb, 1 Mar 2024.
        ("spo-served", datetime(2024, 2, 28, 9), "initial-notification",
         "2024-03-01T23:59:59+00:00"),
        # Common year: 28 Feb, 1 Mar, 2 Mar 2025.
        ("spo-served", datetime(2025, 2, 28, 9), "initial-notification",
         "2025-03-02T23:59:59+00:00"),
        # Over the spring clock change: 29, 30, 31 Mar 2025; 23:59:59 on the 31st is BST.
        ("spo-served", datetime(2025, 3, 29, 12), "initial-notification",
         "2025-03-31T23:59:59+01:00"),
        # Interim SPO served on Good Friday 2025 (which counts): 18, 19, 20 Apr.
        ("interim-spo-served", datetime(2025, 4, 18, 10), "initial-notification",
         "2025-04-20T23:59:59+01:00"),
        # New name first used Sat 25 Oct 2025: 25, 26 (clocks go back), 27 Oct, GMT by then.
        ("spo-name-changed", datetime(2025, 10, 25, 16), "name-notification",
         "2025-10-27T23:59:59+00:00"),
        # Moved home on 31 Dec 2025: 31 Dec, 1 Jan (bank holiday, counts), 2 Jan 2026.
        ("spo-address-changed", datetime(2025, 12, 31, 8), "address-notification",
         "2026-01-02T23:59:59+00:00"),
        # SOA 2003 notification's "final day" 30 Jan 2025: 30, 31 Jan, 1 Feb.
        ("spo-soa-notification-ended", datetime(2025, 1, 30), "initial-notification",
         "2025-02-01T23:59:59+00:00"),
        # DAPO made Fri 4 Apr 2025 16:00 (DAA s.41(2): from the day MADE, not served): 4, 5,
        # 6 Apr.
        ("dapo-made", datetime(2025, 4, 4, 16), "initial-notification",
         "2025-04-06T23:59:59+01:00"),
        # New name first used Wed 24 Dec 2025: 24, 25 (Christmas Day counts), 26 Dec.
        ("dapo-name-changed", datetime(2025, 12, 24, 10), "name-notification",
         "2025-12-26T23:59:59+00:00"),
        # Moved on Sun 30 Mar 2025, the day the clocks go forward: 30, 31 Mar, 1 Apr (BST).
        ("dapo-address-changed", datetime(2025, 3, 30, 12), "address-notification",
         "2025-04-01T23:59:59+01:00"),
        # Lost any home address on 27 Feb 2028 (a leap year): 27, 28, 29 Feb 2028.
        ("dapo-no-home-address", datetime(2028, 2, 27, 12), "no-home-address-notification",
         "2028-02-29T23:59:59+00:00"),
    ],
)  # fmt: skip
def test_three_day_notification_periods(event: str, at: datetime, name: str, expected: str) -> None:
    assert due(event, at) == {name: expected}


def test_the_day_is_the_london_day_not_the_utc_day() -> None:
    # 23:30 UTC on 10 Jun 2025 is 00:30 BST on 11 Jun, so day 1 is 11 Jun: due 13 Jun.
    at = datetime(2025, 6, 10, 23, 30, tzinfo=UTC)
    assert due("spo-served", at) == {"initial-notification": "2025-06-13T23:59:59+01:00"}


# -- SPO fixed term: at least 2 years beginning with the day made (SPA 2019 s.3) -------------------


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        # DOMAIN 1.1: made 10 Mar 2025 -> the minimum runs to the end of 9 Mar 2027.
        (datetime(2025, 3, 10, 11), "2027-03-09T23:59:59+00:00"),
        # Made 1 Apr 2025 -> end of 31 Mar 2027, which is in BST.
        (datetime(2025, 4, 1, 11), "2027-03-31T23:59:59+01:00"),
        # Leap day: 29 Feb 2024 has no anniversary in 2026; taken as 1 Mar 2026, so the minimum
        # ends 28 Feb 2026, the later reading (documented in docs/rules-clock.md).
        (datetime(2024, 2, 29, 11), "2026-02-28T23:59:59+00:00"),
        # The neighbouring days: 28 Feb 2024 -> 27 Feb 2026; 1 Mar 2024 -> 28 Feb 2026.
        (datetime(2024, 2, 28, 11), "2026-02-27T23:59:59+00:00"),
        (datetime(2024, 3, 1, 11), "2026-02-28T23:59:59+00:00"),
    ],
)
def test_spo_earliest_fixed_term_end(made: datetime, expected: str) -> None:
    assert due("spo-made", made) == {"earliest-fixed-term-end": expected}


# -- DAPO electronic monitoring: no more than 12 months (DAA 2021 s.38(5)) -------------------------


@pytest.mark.parametrize(
    ("imposed", "expected"),
    [
        # 12 months beginning with 10 Mar 2025 end on 9 Mar 2026.
        (datetime(2025, 3, 10, 12), "2026-03-09T23:59:59+00:00"),
        # 15 Jul 2025 -> 14 Jul 2026, BST.
        (datetime(2025, 7, 15, 12), "2026-07-14T23:59:59+01:00"),
        # Leap day: the corresponding date in Feb 2025 is clamped to 28 Feb, so the maximum ends
        # 27 Feb 2025, the earlier (safe) reading for a maximum.
        (datetime(2024, 2, 29, 12), "2025-02-27T23:59:59+00:00"),
        # 1 Mar 2024 -> 28 Feb 2025.
        (datetime(2024, 3, 1, 12), "2025-02-28T23:59:59+00:00"),
    ],
)
def test_dapo_electronic_monitoring_maximum(imposed: datetime, expected: str) -> None:
    assert due("dapo-em-imposed", imposed) == {"em-maximum-end": expected}


# -- the event catalogue ---------------------------------------------------------------------------

REQUIRED_EVENTS = {
    "dvpn-served",
    "dapn-given",
    "dapn-breach-arrest",
    "spo-served",
    "interim-spo-served",
    "spo-name-changed",
    "spo-address-changed",
    "spo-made",
    "dvpo-made",
    "dapo-made",
    "dapo-address-changed",
    "dvpn-breach-arrest",
    "spo-soa-notification-ended",
    "dapo-name-changed",
    "dapo-no-home-address",
    "dapo-em-imposed",
}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ACT = re.compile(r"^(Crime and Security Act 2010|Domestic Abuse Act 2021|Stalking Protection Act "
                 r"2019), ss?\.\d")  # fmt: skip


def test_every_required_event_exists() -> None:
    assert not REQUIRED_EVENTS - set(EVENTS)


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_event_and_deadline_is_named_and_cited(name: str) -> None:
    rule = EVENTS[name]
    assert rule.name == name
    assert KEBAB.match(name)
    assert ACT.match(rule.basis), rule.basis
    assert rule.description
    assert rule.deadlines
    for deadline in rule.deadlines:
        assert KEBAB.match(deadline.name)
        assert ACT.match(deadline.basis), deadline.basis
        assert deadline.description
        assert deadline.counting.explain()


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_due_time_is_aware_and_in_london(name: str) -> None:
    for deadline in compute_deadlines(name, datetime(2025, 6, 1, 12)):
        assert deadline.due.tzinfo is LONDON


def test_unknown_event_names_the_valid_choices() -> None:
    with pytest.raises(UnknownEvent) as caught:
        compute_deadlines("dvpn-servd", datetime(2025, 3, 10))
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert "'dvpn-servd'" in message
    for name in EVENTS:
        assert name in message


def test_compute_deadlines_refuses_a_date() -> None:
    with pytest.raises(TypeError):
        compute_deadlines("spo-served", date(2025, 3, 10))  # type: ignore[arg-type]


def test_unknown_config_flag_fails_at_definition() -> None:
    with pytest.raises(ValueError, match="csa_typo"):
        HoursDisregarding(24, "csa_typo")


# -- helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"days": 1}, date(2025, 3, 10)),  # a 1-day period is the day itself
        ({"days": 3}, date(2025, 3, 12)),  # Mon -> Wed
        ({"days": 14}, date(2025, 3, 23)),
        ({"years": 2}, date(2027, 3, 9)),
        ({"months": 12}, date(2026, 3, 9)),
        ({"months": 1}, date(2025, 4, 9)),
    ],
)
def test_end_of_period_beginning_with(kwargs: dict[str, int], expected: date) -> None:
    assert end_of_period_beginning_with(date(2025, 3, 10), **kwargs) == expected


@pytest.mark.parametrize(
    "kwargs", [{}, {"days": 0}, {"days": -1}, {"days": 3, "years": 2}, {"years": 1, "months": 1}]
)
def test_end_of_period_needs_exactly_one_positive_unit(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        end_of_period_beginning_with(date(2025, 3, 10), **kwargs)


def test_end_of_period_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        end_of_period_beginning_with(datetime(2025, 3, 10, 12), days=3)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 3, 30), "2025-03-30T23:59:59+01:00"),  # clocks went forward at 01:00 GMT
        (date(2025, 10, 26), "2025-10-26T23:59:59+00:00"),  # clocks went back at 02:00 BST
        (date(2025, 7, 1), "2025-07-01T23:59:59+01:00"),
    ],
)
def test_end_of_day(day: date, expected: str) -> None:
    assert end_of_day(day).isoformat() == expected


def test_add_hours_disregarding_with_zero_hours_is_the_start() -> None:
    start = datetime(2025, 3, 16, 12, tzinfo=LONDON)  # even on a Sunday
    assert add_hours_disregarding(start, 0, DEFAULT_CALENDAR) == start


def test_negative_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_hours_disregarding(datetime(2025, 3, 10), -1, DEFAULT_CALENDAR)
    with pytest.raises(ValueError, match="negative"):
        add_elapsed_hours(datetime(2025, 3, 10), -1)


@pytest.mark.parametrize(
    ("naive", "expected"),
    [
        # Ordinary winter and summer times.
        (datetime(2025, 1, 15, 9), "2025-01-15T09:00:00+00:00"),
        (datetime(2025, 7, 15, 9), "2025-07-15T09:00:00+01:00"),
        # 01:30 happens twice on 26 Oct 2025: the first (BST) occurrence is the earlier instant.
        (datetime(2025, 10, 26, 1, 30), "2025-10-26T01:30:00+01:00"),
        # 01:30 never happens on 30 Mar 2025 (01:00 GMT -> 02:00 BST). Read as 01:30 BST it is
        # 00:30 UTC; read as GMT it is 01:30 UTC. The earlier instant is 00:30 GMT.
        (datetime(2025, 3, 30, 1, 30), "2025-03-30T00:30:00+00:00"),
    ],
)
def test_naive_times_are_london_local_time(naive: datetime, expected: str) -> None:
    assert to_london(naive).isoformat() == expected


def test_aware_times_keep_their_instant() -> None:
    at = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # second 01:30 in London, i.e. GMT
    assert to_london(at).isoformat() == "2025-10-26T01:30:00+00:00"
    # Compared as timestamps: PEP 495 makes a time in the repeated hour unequal to any time in
    # another zone, even the same instant.
    assert to_london(at).timestamp() == at.timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-10", datetime(2025, 3, 10)),
        ("2025-03-10T14:30", datetime(2025, 3, 10, 14, 30)),
        (" 2025-03-10T14:30:15 ", datetime(2025, 3, 10, 14, 30, 15)),
        ("2025-03-10T14:30+00:00", datetime(2025, 3, 10, 14, 30, tzinfo=UTC)),
        ("2025-03-10T14:30Z", datetime(2025, 3, 10, 14, 30, tzinfo=UTC)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert (parsed.tzinfo is None) == (expected.tzinfo is None)


@pytest.mark.parametrize("text", ["10/03/2025", "", "2025-03-10T25:00", "yesterday"])
def test_parse_datetime_error_names_the_expected_format(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape('"2025-03-10T14:30"')) as caught:
        parse_datetime(text)
    assert "2025-03-10T14:30+00:00" in str(caught.value)
