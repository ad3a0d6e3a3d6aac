"""Screening configuration: thresholds, weights and look-back windows.

No public source gives an RFG formula (DOMAIN.md 5.4: UNCONFIRMED), so every number here is a
default a force can change (ScreeningSettings in the admin), and every score is stored with the
configuration and the inputs that made it (docs/screening.md gives the formulas).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any


def _gravity() -> dict[str, float]:
    # Points per report by Home Office Counting Rules code (rules/offences.py). An assumption for
    # ranking only: harm indices are not published for these classifications (DOMAIN.md 5.4).
    return {
        "8Q": 5,  # stalking
        "8L": 3,  # harassment
        "8M": 4,  # racially or religiously aggravated harassment
        "8R": 2,  # malicious communications
        "CCB": 5,  # controlling or coercive behaviour
        "8N": 6,  # assault with injury
        "58C": 3,  # criminal damage to a dwelling
        "9A": 2,  # public fear, alarm or distress
        "8SPO": 6,  # breach of an SPO
        "8DAPO": 6,  # breach of a DAPO
        "8RO": 6,  # breach of a restraining order
    }


@dataclass(frozen=True)
class ScreeningConfig:
    # Identity linkage
    link_threshold: float = 0.9  # match probability at which two records are one person
    review_threshold: float = 0.5  # pairs kept (with their weights) for analysts to review

    # Candidate queue: points per piece of evidence; a pair at or above the threshold is queued.
    candidate_threshold: float = 6.0
    min_occasions: int = 2  # a course of conduct needs two or more occasions (PHA 1997 s.7(3))
    points_per_occasion: float = 1.5  # for each occasion after the first
    points_threats: float = 2.0  # for each report with threats recorded (at most 3 counted)
    points_escalation: float = 2.0
    points_breach: float = 3.0
    points_other_victims: float = 1.5  # for each other victim of the same suspect (at most 3)
    points_stalking_offence: float = 1.0  # any report recorded as 8Q stalking
    points_sdash_high: float = 2.0  # S-DASH at or above sdash_high
    sdash_high: int = 5
    points_recent: float = 1.0  # last report within recent_days
    recent_days: int = 90
    course_window_days: int = 365  # reports further apart than this start a new course

    # RFGV ranking of perpetrators (Recency, Frequency, Gravity, Victims).
    lookback_days: int = 1095  # 3 years, as Northumbria's serial perpetrator definition
    recency_bands: tuple[tuple[int, float], ...] = (
        (30, 5.0),
        (90, 4.0),
        (180, 3.0),
        (365, 2.0),
        (1095, 1.0),
    )
    frequency_cap: int = 10
    gravity_cap: float = 50.0
    victims_cap: int = 5
    weight_recency: float = 4.0
    weight_frequency: float = 2.0
    weight_gravity: float = 2.0
    weight_victims: float = 3.0
    gravity: dict[str, float] = field(default_factory=_gravity)
    gravity_threats: float = 1.0  # added for each report with threats recorded
    gravity_default: float = 2.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["recency_bands"] = [list(b) for b in self.recency_bands]
        return d

    @classmethod
    def from_values(cls, values: dict[str, Any] | None) -> ScreeningConfig:
        """The defaults with a force's own values over them; unknown keys are an error."""
        if not values:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"Unknown screening setting(s): {', '.join(sorted(unknown))}")
        values = dict(values)
        if "recency_bands" in values:
            values["recency_bands"] = tuple(tuple(b) for b in values["recency_bands"])
        if "gravity" in values:
            values["gravity"] = {**_gravity(), **values["gravity"]}
        return replace(cls(), **values)
