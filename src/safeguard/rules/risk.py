"""Risk instruments: S-DASH screening questions and the FOUR mnemonic (DOMAIN.md 5.1, 5.2)."""

from __future__ import annotations

from collections.abc import Mapping

# S-DASH (2009), Sheridan, Roberts and Richards for ACPO with CAADA: 11 screening questions.
SDASH_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("frightened", "Is the victim very frightened?"),
    ("previous_harassment", "Has the suspect harassed this victim or others before?"),
    ("property_damage", "Has the suspect destroyed or vandalised the victim's property?"),
    ("visits", "Does the suspect visit the victim at work or home more than 3 times a week?"),
    ("loitering", "Has the suspect loitered around the victim's home or workplace?"),
    ("threats", "Has the suspect threatened physical or sexual violence in this harassment?"),
    ("third_parties", "Has the suspect harassed family, friends, colleagues or neighbours?"),
    ("violent_now", "Has the suspect acted violently towards anyone during this stalking?"),
    ("others_help", "Has the suspect got others to help, wittingly or unwittingly?"),
    ("substances", "Is the suspect known to abuse drugs or alcohol?"),
    ("violent_past", "Is the suspect known to have been violent in the past?"),
)
SDASH_KEYS = tuple(key for key, _ in SDASH_QUESTIONS)

# S-DASH is used where there are 2 or more incidents and/or the victim is very frightened.
SDASH_MIN_INCIDENTS = 2

# FOUR: Fixated, Obsessive, Unwanted, Repeated (College of Policing, DOMAIN 5.2).
FOUR = ("fixated", "obsessive", "unwanted", "repeated")


def sdash_score(answers: Mapping[str, bool | None]) -> int:
    """Number of 'yes' answers: more means higher risk (S-DASH gives no bands)."""
    unknown = set(answers) - set(SDASH_KEYS)
    if unknown:
        raise ValueError(f"Unknown S-DASH question(s): {', '.join(sorted(unknown))}")
    return sum(1 for key in SDASH_KEYS if answers.get(key) is True)


def sdash_applies(incident_count: int, victim_very_frightened: bool) -> bool:
    return incident_count >= SDASH_MIN_INCIDENTS or victim_very_frightened
