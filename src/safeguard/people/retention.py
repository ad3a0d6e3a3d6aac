"""Retention rules: when a person's record must be reviewed, and what a disposal erases.

The outline is the Management of Police Information (MoPI) review groups as DOMAIN.md 7.2
recalls them, which it marks UNCONFIRMED: so every number and list here is configuration, with
safe defaults, set through the Django setting SAFEGUARD_RETENTION (docs/retention.md). Nothing
is erased automatically: a review date only says when a person with the erase right must decide.

Pure Python apart from reading the setting; people/services.py applies it to the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from safeguard.rules.offences import OFFENCES, STALKING_AND_HARASSMENT_CODES

PUBLIC_PROTECTION = "public_protection"
SERIOUS = "serious"
OTHER = "other"
GROUP_ORDER = (PUBLIC_PROTECTION, SERIOUS, OTHER)  # the first that applies wins

# What a disposal can erase. The person record itself stays while a report or order names them:
# those are legal records (an order is evidence for as long as it may be breached or appealed).
ERASABLE_PARTS = {
    "protected_details": "Addresses, workplaces, phone numbers and e-mail addresses",
    "aliases": "Aliases, nicknames, previous and online names",
    "identifiers": "PNC, CRO and other identifiers",
    "date_of_birth": "Date of birth",
}


@dataclass(frozen=True)
class GroupRule:
    title: str
    review_every_years: int  # the next review falls this long after the latest activity
    retain_until_age: int | None = None  # kept at least until the subject is this old
    erase: tuple[str, ...] = ("protected_details",)  # what a disposal at review erases


@dataclass(frozen=True)
class RetentionRules:
    groups: dict[str, GroupRule]
    public_protection_offences: frozenset[str]
    serious_offences: frozenset[str]
    other_offences: frozenset[str]
    # Anyone named in a protective order (defendant or protected person) is a public protection
    # matter: the order exists because a court or a senior officer found a risk.
    orders_are_public_protection: bool = True
    # An offence code in none of the lists above: reviewed as this group. The default keeps the
    # record longer rather than shorter, so a missing code never causes an early disposal.
    unlisted_offence_group: str = SERIOUS
    source: str = field(default="defaults", compare=False)


DEFAULT_RULES = RetentionRules(
    groups={
        # Group 1: retained until the subject is deemed 100 years old, reviewed every 10 years.
        PUBLIC_PROTECTION: GroupRule(
            "Group 1: certain public protection matters", 10, 100, ("protected_details",)
        ),
        # Group 2: reviewed every 10 years.
        SERIOUS: GroupRule(
            "Group 2: other sexual, violent or serious offences",
            10,
            None,
            ("protected_details", "aliases", "identifiers"),
        ),
        # Group 3: a 6-year clear period, then disposal if there has been no further information.
        OTHER: GroupRule(
            "Group 3: all other offences",
            6,
            None,
            ("protected_details", "aliases", "identifiers", "date_of_birth"),
        ),
    },
    public_protection_offences=frozenset(
        STALKING_AND_HARASSMENT_CODES | {"CCB", "8SPO", "8DAPO", "8RO"}
    ),
    serious_offences=frozenset({"8N"}),
    other_offences=frozenset({"58C", "9A"}),
)


class RetentionConfigError(ValueError):
    """SAFEGUARD_RETENTION names something that does not exist; the message says what."""


def from_setting(setting: Mapping[str, Any] | None) -> RetentionRules:
    """The defaults with SAFEGUARD_RETENTION's overrides applied. Refuses unknown names, so a
    typing mistake cannot silently leave a default in place."""
    if not setting:
        return DEFAULT_RULES
    rules = DEFAULT_RULES
    known = {
        "groups",
        "public_protection_offences",
        "serious_offences",
        "other_offences",
        "orders_are_public_protection",
        "unlisted_offence_group",
    }
    unknown = set(setting) - known
    if unknown:
        raise RetentionConfigError(
            f"SAFEGUARD_RETENTION has unknown setting(s) {sorted(unknown)}; valid: {sorted(known)}"
        )
    groups = dict(rules.groups)
    for name, overrides in (setting.get("groups") or {}).items():
        if name not in groups:
            raise RetentionConfigError(f"Unknown retention group {name!r}; valid: {GROUP_ORDER}")
        bad = set(overrides) - {"title", "review_every_years", "retain_until_age", "erase"}
        if bad:
            raise RetentionConfigError(f"Group {name!r} has unknown setting(s) {sorted(bad)}")
        parts = tuple(overrides.get("erase", groups[name].erase))
        if set(parts) - set(ERASABLE_PARTS):
            raise RetentionConfigError(
                f"Group {name!r} erases unknown part(s) {sorted(set(parts) - set(ERASABLE_PARTS))}; "
                f"valid: {sorted(ERASABLE_PARTS)}"
            )
        years = int(overrides.get("review_every_years", groups[name].review_every_years))
        if years < 1:
            raise RetentionConfigError(f"Group {name!r}: review_every_years must be at least 1")
        groups[name] = replace(
            groups[name],
            title=overrides.get("title", groups[name].title),
            review_every_years=years,
            retain_until_age=overrides.get("retain_until_age", groups[name].retain_until_age),
            erase=parts,
        )
    changes: dict[str, Any] = {"groups": groups, "source": "SAFEGUARD_RETENTION"}
    for name in ("public_protection_offences", "serious_offences", "other_offences"):
        if name in setting:
            codes = frozenset(setting[name])
            if codes - set(OFFENCES):
                raise RetentionConfigError(
                    f"{name} has unknown offence code(s) {sorted(codes - set(OFFENCES))}"
                )
            changes[name] = codes
    if "orders_are_public_protection" in setting:
        changes["orders_are_public_protection"] = bool(setting["orders_are_public_protection"])
    if "unlisted_offence_group" in setting:
        if setting["unlisted_offence_group"] not in GROUP_ORDER:
            raise RetentionConfigError(f"unlisted_offence_group must be one of {GROUP_ORDER}")
        changes["unlisted_offence_group"] = setting["unlisted_offence_group"]
    result = replace(rules, **changes)
    lists = ("public_protection_offences", "serious_offences", "other_offences")
    for n, first in enumerate(lists):
        for second in lists[n + 1 :]:
            both = getattr(result, first) & getattr(result, second)
            if both:
                raise RetentionConfigError(
                    f"Offence code(s) {sorted(both)} are in both {first} and {second}: "
                    "put each code in one list"
                )
    return result


def configured_rules() -> RetentionRules:
    from django.conf import settings

    return from_setting(getattr(settings, "SAFEGUARD_RETENTION", None))


# --- Applying the rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    group: str
    basis: str
    last_activity_on: dt.date
    review_on: dt.date
    retain_until: dt.date | None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none: the day before
        return day.replace(year=day.year + years, day=28)


def classify(
    offence_codes: Iterable[str], *, in_orders: bool, rules: RetentionRules
) -> tuple[str, str]:
    """The group a person's record falls in, and why in words."""
    codes = set(offence_codes)
    if in_orders and rules.orders_are_public_protection:
        return PUBLIC_PROTECTION, "Named in a protective order"
    reasons: dict[str, list[str]] = {g: [] for g in GROUP_ORDER}
    for code in sorted(codes):
        if code in rules.public_protection_offences:
            reasons[PUBLIC_PROTECTION].append(code)
        elif code in rules.serious_offences:
            reasons[SERIOUS].append(code)
        elif code in rules.other_offences:
            reasons[OTHER].append(code)
        else:
            reasons[rules.unlisted_offence_group].append(code)
    for group in GROUP_ORDER:
        if reasons[group]:
            titles = ", ".join(OFFENCES[c].title if c in OFFENCES else c for c in reasons[group])
            return group, f"Reported offences: {titles}"[:200]
    return OTHER, "No offence recorded against the record"


def review(
    *,
    offence_codes: Iterable[str],
    in_orders: bool,
    last_activity_on: dt.date,
    date_of_birth: dt.date | None,
    rules: RetentionRules,
) -> Review:
    group, basis = classify(offence_codes, in_orders=in_orders, rules=rules)
    rule = rules.groups[group]
    retain_until = (
        _add_years(date_of_birth, rule.retain_until_age)
        if rule.retain_until_age and date_of_birth
        else None
    )
    return Review(
        group=group,
        basis=basis,
        last_activity_on=last_activity_on,
        review_on=_add_years(last_activity_on, rule.review_every_years),
        retain_until=retain_until,
    )
