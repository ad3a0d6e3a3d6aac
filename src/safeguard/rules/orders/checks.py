"""Rules that need more than data: is this step, term, authoriser or discharge lawful?"""

from __future__ import annotations

from datetime import date

from safeguard.rules.clock import end_of_period_beginning_with
from safeguard.rules.config import DEFAULT_CONFIG, RulesConfig
from safeguard.rules.orders.model import (
    TRANSITIONS,
    Action,
    OrderSpec,
    RuleViolation,
    State,
    rank_at_least,
)
from safeguard.rules.orders.specs import CSA, ORDER_TYPES, SPA


def spec(key: str) -> OrderSpec:
    try:
        return ORDER_TYPES[key]
    except KeyError:
        raise ValueError(
            f"Unknown order type {key!r}; valid types are: {', '.join(ORDER_TYPES)}"
        ) from None


# --- Rules that need more than data ---------------------------------------------------------


def check_action(order_type: str, state: str, action: Action | str) -> State:
    """The state an action leads to, or a RuleViolation naming why it is not lawful."""
    s = spec(order_type)
    action = Action(action)
    if action not in s.actions:
        basis = s.may_vary_renew_discharge.basis if s.may_vary_renew_discharge else s.term.basis
        raise RuleViolation(f"A {s.title} cannot be {_past(action)}", basis=basis)
    allowed_from, to_state = TRANSITIONS[action]
    if State(state) not in allowed_from:
        raise RuleViolation(
            f"A {s.title} that is {State(state).value.replace('_', ' ')} cannot be "
            f"{_past(action)}; only one that is "
            + " or ".join(sorted(x.value.replace("_", " ") for x in allowed_from)),
            basis=s.act,
        )
    return to_state


def _past(action: Action) -> str:
    return {
        Action.SUBMIT: "applied for",
        Action.ISSUE: "issued",
        Action.GRANT: "granted",
        Action.REFUSE: "refused",
        Action.ADJOURN: "adjourned",
        Action.WITHDRAW: "withdrawn",
        Action.VARY: "varied",
        Action.RENEW: "renewed",
        Action.DISCHARGE: "discharged",
        Action.EXPIRE: "expired",
        Action.END: "ended",
        Action.LAPSE: "lapsed",
        Action.QUASH: "quashed",
    }[action]


def _long_date(d: date) -> str:
    """GOV.UK style: 9 March 2027 (no leading zero)."""
    return f"{d.day} {d:%B %Y}"


def check_term(
    order_type: str, made_on: date, ends_on: date | None, *, until_further_order: bool = False
) -> None:
    """Refuse a term the statute does not allow, naming the rule."""
    s = spec(order_type)
    term = s.term
    if term.lasts_until_hearing:
        if ends_on or until_further_order:
            raise RuleViolation(
                f"A {s.title} has no term of its own: {term.text}", basis=term.basis
            )
        return
    if until_further_order:
        if not term.until_further_order_allowed:
            raise RuleViolation(
                f"A {s.title} cannot be made until further order: {term.text}", basis=term.basis
            )
        if ends_on is not None:
            raise RuleViolation(
                "Give either an end date or 'until further order', not both", basis=term.basis
            )
        return
    if ends_on is None:
        raise RuleViolation(
            f"A {s.title} needs an end date"
            + (" or 'until further order'" if term.until_further_order_allowed else "")
            + f": {term.text}",
            basis=term.basis,
        )
    if ends_on < made_on:
        raise RuleViolation("The end date is before the day the order was made", basis=term.basis)
    if term.minimum_years:
        earliest = end_of_period_beginning_with(made_on, years=term.minimum_years)
        if ends_on < earliest:
            raise RuleViolation(
                f"A fixed-term {s.title} must last at least {term.minimum_years} years beginning "
                f"with the day it is made: made on {_long_date(made_on)}, it cannot end before "
                f"{_long_date(earliest)}",
                basis=term.basis,
            )
    if term.minimum_days:
        earliest = end_of_period_beginning_with(made_on, days=term.minimum_days)
        if ends_on < earliest:
            raise RuleViolation(
                f"A {s.title} must last at least {term.minimum_days} days counting the day it is "
                f"made: it cannot end before {_long_date(earliest)}",
                basis=term.basis,
            )
    if term.maximum_days:
        latest = end_of_period_beginning_with(made_on, days=term.maximum_days)
        if ends_on > latest:
            raise RuleViolation(
                f"A {s.title} may last at most {term.maximum_days} days counting the day it is "
                f"made: it cannot end after {_long_date(latest)}",
                basis=term.basis,
            )


def check_discharge(
    order_type: str,
    made_on: date,
    on: date,
    *,
    defendant_consents: bool,
    chief_officer_consents: bool,
    config: RulesConfig = DEFAULT_CONFIG,
) -> None:
    """A full SPO may not be discharged within 2 years without both consents (UNCONFIRMED rule,
    on by default: RulesConfig.spo_early_discharge_needs_consent)."""
    s = spec(order_type)
    if order_type != "spo" or not config.spo_early_discharge_needs_consent:
        return
    two_years_end = end_of_period_beginning_with(made_on, years=s.term.minimum_years)
    if on <= two_years_end and not (defendant_consents and chief_officer_consents):
        raise RuleViolation(
            f"A {s.title} made on {_long_date(made_on)} cannot be discharged before "
            f"{_long_date(two_years_end)} without the consent of the defendant and the chief officer",
            basis=f"{SPA} s.4 (UNCONFIRMED: check with legal adviser)",
        )


def check_authoriser(order_type: str, rank: str) -> None:
    s = spec(order_type)
    if s.authoriser_min_rank and not rank_at_least(rank, s.authoriser_min_rank):
        assert s.authoriser is not None
        raise RuleViolation(
            f"A {s.title} must be authorised by {s.authoriser.text.lower()}; "
            f"a {rank} cannot authorise it",
            basis=s.authoriser.basis,
        )


def check_vary(order_type: str, config: RulesConfig = DEFAULT_CONFIG) -> None:
    if order_type == "dvpo" and not config.dvpo_may_be_varied:
        raise RuleViolation(
            "A Domestic Violence Protection Order cannot be varied or discharged: it runs for "
            "the period granted",
            basis=f"{CSA} ss.27-29 (UNCONFIRMED: RulesConfig.dvpo_may_be_varied)",
        )
