"""RFGV: ranking perpetrators by Recency, Frequency, Gravity and Victims (DOMAIN.md 5.4).

The public sources name the dimensions (the RFG matrices of MATAC forces, with Victims added by
some) but publish no formula, so this one is ours, every number in it configuration
(screening/config.py), and every score stored with its inputs:

    R = points of the first recency band the last report falls in (30 days: 5 ... 3 years: 1)
    F = reports in the look-back window, at most frequency_cap
    G = sum over those reports of the offence's gravity (+ gravity_threats if threats were
        recorded), at most gravity_cap, scaled to 0-10
    V = distinct victims in the window, at most victims_cap
    score = 100 * (wR*R/5 + wF*F/cap_F + wG*G/10 + wV*V/cap_V) / (wR + wF + wG + wV)

so each dimension counts from 0 to its weight, and the score runs from 0 to 100.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from safeguard.screening.config import ScreeningConfig


@dataclass(frozen=True)
class Incident:
    report_id: int
    reference: str
    occurred_on: dt.date
    offence_code: str
    victim_key: str
    threats: bool


@dataclass(frozen=True)
class RFGV:
    score: float
    recency: float
    frequency: float
    gravity: float
    victims: float
    inputs: dict[str, Any]


def rfgv(incidents: list[Incident], today: dt.date, config: ScreeningConfig) -> RFGV:
    since = today - dt.timedelta(days=config.lookback_days)
    window = sorted(
        (i for i in incidents if since <= i.occurred_on <= today), key=lambda i: i.occurred_on
    )
    if not window:
        return RFGV(0.0, 0.0, 0.0, 0.0, 0.0, {"window_from": since.isoformat(), "incidents": []})
    days_since = (today - window[-1].occurred_on).days
    recency = next((pts for limit, pts in config.recency_bands if days_since <= limit), 0.0)
    frequency = float(min(len(window), config.frequency_cap))
    gravity_each = [
        config.gravity.get(i.offence_code, config.gravity_default)
        + (config.gravity_threats if i.threats else 0.0)
        for i in window
    ]
    gravity = min(sum(gravity_each), config.gravity_cap) / config.gravity_cap * 10
    victims = float(min(len({i.victim_key for i in window}), config.victims_cap))
    top_band = max(pts for _, pts in config.recency_bands)
    weights = (
        config.weight_recency,
        config.weight_frequency,
        config.weight_gravity,
        config.weight_victims,
    )
    parts = (
        recency / top_band,
        frequency / config.frequency_cap,
        gravity / 10,
        victims / config.victims_cap,
    )
    score = 100 * sum(w * p for w, p in zip(weights, parts, strict=True)) / sum(weights)
    inputs = {
        "today": today.isoformat(),
        "window_from": since.isoformat(),
        "days_since_last": days_since,
        "incidents": [
            {
                "report": i.reference,
                "occurred_on": i.occurred_on.isoformat(),
                "offence": i.offence_code,
                "gravity": g,
                "threats": i.threats,
                "victim": i.victim_key,
            }
            for i, g in zip(window, gravity_each, strict=True)
        ],
    }
    return RFGV(round(score, 1), recency, frequency, round(gravity, 2), victims, inputs)
