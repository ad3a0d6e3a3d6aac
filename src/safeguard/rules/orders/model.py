"""The vocabulary of order rules: ranks, actions, states, the lawful moves, and the spec shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

RANKS: tuple[str, ...] = (
    "constable",
    "sergeant",
    "inspector",
    "chief inspector",
    "superintendent",
    "chief superintendent",
    "assistant chief constable",
    "deputy chief constable",
    "chief constable",
)


def rank_at_least(rank: str, minimum: str) -> bool:
    try:
        return RANKS.index(rank.lower()) >= RANKS.index(minimum.lower())
    except ValueError as exc:
        raise ValueError(f"Unknown rank {rank!r}; valid ranks are: {', '.join(RANKS)}") from exc


class Standard(StrEnum):
    BALANCE_OF_PROBABILITIES = "balance of probabilities"
    REASONABLE_GROUNDS = "reasonable grounds for believing"
    APPEARS = "it appears to the chief officer"
    APPROPRIATE = "the court considers it appropriate"
    CONVICTION = "on conviction, the court considers it necessary"
    ACQUITTAL = "on acquittal, necessary to protect a person from harassment"


class Action(StrEnum):
    """Everything that can happen to an order; the state machine lives in orders/services/."""

    SUBMIT = "submit"  # application made to the court
    ISSUE = "issue"  # a police notice given by an authorising officer
    GRANT = "grant"
    REFUSE = "refuse"
    ADJOURN = "adjourn"
    WITHDRAW = "withdraw"
    VARY = "vary"
    RENEW = "renew"
    DISCHARGE = "discharge"
    EXPIRE = "expire"
    END = "end"  # an interim order or notice ends when the main application is determined
    LAPSE = "lapse"  # a notice whose hearing deadline passed
    QUASH = "quash"  # an appeal against the making of the order succeeded


class State(StrEnum):
    DRAFT = "draft"
    APPLIED = "applied"
    IN_FORCE = "in_force"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    DISCHARGED = "discharged"
    EXPIRED = "expired"
    ENDED = "ended"
    LAPSED = "lapsed"
    QUASHED = "quashed"


# The lawful moves, common to all order types; each spec narrows them to the actions its statute
# provides (OrderSpec.actions).
TRANSITIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.SUBMIT: (frozenset({State.DRAFT}), State.APPLIED),
    Action.ISSUE: (frozenset({State.DRAFT}), State.IN_FORCE),
    Action.GRANT: (frozenset({State.APPLIED}), State.IN_FORCE),
    Action.REFUSE: (frozenset({State.APPLIED}), State.REFUSED),
    Action.ADJOURN: (frozenset({State.APPLIED}), State.APPLIED),
    Action.WITHDRAW: (frozenset({State.DRAFT, State.APPLIED}), State.WITHDRAWN),
    Action.VARY: (frozenset({State.IN_FORCE}), State.IN_FORCE),
    Action.RENEW: (frozenset({State.IN_FORCE}), State.IN_FORCE),
    Action.DISCHARGE: (frozenset({State.IN_FORCE}), State.DISCHARGED),
    Action.EXPIRE: (frozenset({State.IN_FORCE}), State.EXPIRED),
    Action.END: (frozenset({State.IN_FORCE}), State.ENDED),
    Action.LAPSE: (frozenset({State.IN_FORCE}), State.LAPSED),
    Action.QUASH: (frozenset({State.IN_FORCE, State.EXPIRED, State.DISCHARGED}), State.QUASHED),
}
TERMINAL_STATES = frozenset(
    {
        State.REFUSED,
        State.WITHDRAWN,
        State.DISCHARGED,
        State.EXPIRED,
        State.ENDED,
        State.LAPSED,
        State.QUASHED,
    }
)


@dataclass(frozen=True)
class Cited:
    text: str
    basis: str


@dataclass(frozen=True)
class ConditionOption:
    code: str
    kind: str  # "prohibition" or "requirement"
    title: str
    basis: str
    max_months: int | None = None  # e.g. DAPO electronic monitoring, DAA 2021 s.38(5)


@dataclass(frozen=True)
class Term:
    """How long the order lasts, and what the court may set."""

    text: str
    basis: str
    fixed_term_allowed: bool = True
    until_further_order_allowed: bool = False
    fixed_term_required: bool = False
    minimum_years: int = 0  # counted "beginning with the day made"
    minimum_days: int = 0  # counted including the making day
    maximum_days: int | None = None  # counted including the making day
    lasts_until_hearing: bool = False  # a police notice


@dataclass(frozen=True)
class BreachRule:
    offence: str
    criminal: bool
    max_on_indictment: str | None
    max_summary: str | None
    basis: str
    conditional_discharge_available: bool | None = None  # None: UNCONFIRMED


@dataclass(frozen=True)
class OrderSpec:
    key: str
    title: str
    act: str
    applicant: Cited
    court: Cited | None
    tests: tuple[Cited, ...]
    standard: Cited
    term: Term
    actions: frozenset[Action]
    breach: BreachRule
    authoriser: Cited | None = None
    authoriser_min_rank: str | None = None
    subject_min_age: int | None = None
    conditions: tuple[ConditionOption, ...] = ()
    mandatory_conditions: tuple[str, ...] = ()
    duties: tuple[Cited, ...] = ()
    # Lifecycle moment -> statutory clock event (rules/clock.py) that it starts.
    clock_events: dict[str, str] = field(default_factory=dict)
    # The moment the initial notification duty starts: "served" for an SPO (SPA 2019 s.9(1)),
    # "made" for a DAPO (DAA 2021 s.41); None where the order imposes no notification duty.
    initial_notification_on: str | None = None
    may_vary_renew_discharge: Cited | None = None
    appeals: tuple[Cited, ...] = ()
    interim_for: str | None = None  # an interim order pending this order type
    follows_notice: str | None = None  # the notice this order type's application follows
    notes: tuple[str, ...] = ()

    def condition(self, code: str) -> ConditionOption:
        for option in self.conditions:
            if option.code == code:
                return option
        valid = ", ".join(o.code for o in self.conditions) or "none"
        raise RuleViolation(
            f"{self.title} cannot carry the condition {code!r}; it may carry: {valid}",
            basis=self.act,
        )


class RuleViolation(ValueError):
    """A step the law does not allow. The message names the rule; `basis` cites it."""

    def __init__(self, message: str, *, basis: str) -> None:
        super().__init__(f"{message} ({basis})")
        self.basis = basis
