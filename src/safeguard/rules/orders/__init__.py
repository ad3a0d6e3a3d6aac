"""Order types as data, and the checks the order state machine asks (rules/orders/)."""

from safeguard.rules.orders.checks import (
    check_action,
    check_authoriser,
    check_discharge,
    check_term,
    check_vary,
    spec,
)
from safeguard.rules.orders.model import (
    RANKS,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    BreachRule,
    Cited,
    ConditionOption,
    OrderSpec,
    RuleViolation,
    Standard,
    State,
    Term,
    rank_at_least,
)
from safeguard.rules.orders.specs import ORDER_TYPES

__all__ = [
    "ORDER_TYPES",
    "RANKS",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "Action",
    "BreachRule",
    "Cited",
    "ConditionOption",
    "OrderSpec",
    "RuleViolation",
    "Standard",
    "State",
    "Term",
    "check_action",
    "check_authoriser",
    "check_discharge",
    "check_term",
    "check_vary",
    "rank_at_least",
    "spec",
]
