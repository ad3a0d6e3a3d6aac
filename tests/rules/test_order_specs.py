"""The order specs: complete, cited, and their lifecycle closed under the lawful moves."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules.clock import EVENTS
from safeguard.rules.orders import (
    ORDER_TYPES,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    RuleViolation,
    State,
    check_action,
    check_authoriser,
    check_discharge,
    check_term,
)

REQUIRED_TYPES = {
    "spo",
    "interim-spo",
    "dvpn",
    "dvpo",
    "dapn",
    "dapo",
    "ro-conviction",
    "ro-acquittal",
}


def test_every_required_order_type_has_a_spec():
    assert set(ORDER_TYPES) >= REQUIRED_TYPES


@pytest.mark.parametrize("key", sorted(ORDER_TYPES))
def test_every_spec_cites_its_sources(key):
    spec = ORDER_TYPES[key]
    cited = [spec.applicant, spec.standard, *spec.tests, *spec.duties, *spec.appeals]
    assert all(c.basis for c in cited), key
    assert spec.term.basis
    assert spec.breach.basis
    assert all(c.basis for c in spec.conditions)
    for event in spec.clock_events.values():
        assert event in EVENTS, f"{key} names unknown clock event {event}"


@pytest.mark.parametrize(
    ("order_type", "made", "ends", "lawful"),
    [
        ("spo", dt.date(2024, 2, 29), dt.date(2026, 2, 27), False),
        ("spo", dt.date(2024, 2, 29), dt.date(2026, 2, 28), True),  # leap day: 2 years end 28 Feb
        ("dvpo", dt.date(2025, 12, 25), dt.date(2026, 1, 7), True),  # 14 days incl. Christmas
        ("dvpo", dt.date(2025, 12, 25), dt.date(2026, 1, 22), False),  # 29 days
        ("interim-spo", dt.date(2025, 1, 1), dt.date(2025, 1, 2), True),  # no minimum (s.5(6))
        ("dapo", dt.date(2025, 1, 1), dt.date(2025, 1, 2), True),  # no minimum (DAA s.38)
    ],
)
def test_terms(order_type, made, ends, lawful):
    if lawful:
        check_term(order_type, made, ends)
    else:
        with pytest.raises(RuleViolation):
            check_term(order_type, made, ends)


def test_notices_have_no_term_of_their_own():
    with pytest.raises(RuleViolation, match="no term of its own"):
        check_term("dvpn", dt.date(2025, 1, 1), dt.date(2025, 1, 3))


def test_authorising_ranks():
    check_authoriser("dvpn", "chief superintendent")
    check_authoriser("dapn", "inspector")
    with pytest.raises(RuleViolation, match=r"s\.22\(8\)"):
        check_authoriser("dapn", "sergeant")
    with pytest.raises(ValueError, match="valid ranks"):
        check_authoriser("dvpn", "captain")


def test_discharge_after_two_years_needs_no_consent():
    check_discharge(
        "spo",
        dt.date(2025, 3, 10),
        dt.date(2027, 3, 10),
        defendant_consents=False,
        chief_officer_consents=False,
    )


@given(
    order_type=st.sampled_from(sorted(ORDER_TYPES)),
    actions=st.lists(st.sampled_from(list(Action)), max_size=12),
)
def test_lifecycle_never_leaves_a_terminal_state(order_type, actions):
    """Property: whatever is attempted, a closed order stays closed and states stay known."""
    state = State.DRAFT
    for action in actions:
        try:
            new_state = check_action(order_type, state, action)
        except RuleViolation:
            continue
        assert action in ORDER_TYPES[order_type].actions
        assert state in TRANSITIONS[action][0]
        if state in TERMINAL_STATES:
            # Only an appeal may reach back past the end of an order.
            assert action == Action.QUASH
        state = new_state
