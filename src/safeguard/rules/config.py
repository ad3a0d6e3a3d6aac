"""Points DOMAIN.md marks UNCONFIRMED: configuration with a safe default, never hard-coded.

Each field says what is unconfirmed and why its default is the safe one. A force changes them
through the Django setting SAFEGUARD_RULES (a dict of field name to value), after checking the
statute; docs/rules.md lists them as points a force must confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safeguard.rules.clock import ClockConfig


@dataclass(frozen=True)
class RulesConfig:
    # DOMAIN 1.3 / 9.1: SPA 2019 s.4 text unseen. Requiring both consents before discharging a full
    # SPO within 2 years is the reading that protects the victim; a court may still be asked.
    spo_early_discharge_needs_consent: bool = True
    # DOMAIN 1.5 / 9.5: the "general limit in a magistrates' court" has changed over time. Kept as
    # a reference to the statute; the value is shown only once a force has confirmed it.
    magistrates_general_limit: str = (
        "the general limit in a magistrates' court (Sentencing Act 2020 s.224; "
        "confirm the current value)"
    )
    # DOMAIN 2: the Act is believed to give no power to vary or discharge a DVPO (UNCONFIRMED).
    # Refusing variation is the safe default: the order runs for the period granted.
    dvpo_may_be_varied: bool = False
    # DOMAIN 1.6: appeal time limits are UNCONFIRMED. None means "not computed": the UI asks the
    # user to check the Criminal Procedure Rules rather than showing a date that may be wrong.
    appeal_period_days: int | None = None
    # DOMAIN 3.1: DAPN/DAPO pilot areas after 31 Mar 2026 are UNCONFIRMED; a force code listed
    # here may use DAPN/DAPO, every other force uses DVPN/DVPO.
    dapo_regime_forces: tuple[str, ...] = field(
        default=("GMP", "MPS", "BTP", "CLEVELAND", "NORTH-WALES")
    )

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> RulesConfig:
        if not values:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"Unknown SAFEGUARD_RULES setting(s): {', '.join(unknown)}. "
                f"Valid settings are: {', '.join(sorted(known))}"
            )
        return replace(cls(), **values)


DEFAULT_CONFIG = RulesConfig()


def split_rules_settings(values: dict[str, Any] | None) -> tuple[RulesConfig, ClockConfig]:
    """One SAFEGUARD_RULES setting configures both the order rules and the statutory clock."""
    from safeguard.rules.clock import ClockConfig

    values = dict(values or {})
    clock_names = {f.name for f in fields(ClockConfig)}
    clock_values = {k: values.pop(k) for k in list(values) if k in clock_names}
    try:
        rules = RulesConfig.from_mapping(values)
    except ValueError as exc:
        raise ValueError(f"{exc}, {', '.join(sorted(clock_names))}") from None
    return rules, replace(ClockConfig(), **clock_values)
