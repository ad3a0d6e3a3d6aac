"""A year of stalking and harassment reports for one force: who, when, which offence, what.

Nothing here touches the database: the plan is plain objects that generate.py bulk-creates.

Offence mix (HOCR codes, DOMAIN.md 5.3), from the real figures for Norfolk where they exist:

* Scale: Norfolk recorded 11,058 stalking and harassment offences in the year to September 2021
  and 9,775 in the year to March 2021 (ONS police recorded crime, as reported by the EDP;
  DOMAIN.md 6.3). The ONS files kept with the project's shared data
  (ons-rec-crime-pfa: ONS rec-crime-pfa.csv; ons-pfa-tables: ONS "Police force area data tables",
  Table P1) give the group total only: 4,120 for the year to December 2018 and 5,358 for the year
  to December 2019 (E23000024), so --reports defaults to 11,000.
* 8Q stalking: Norfolk recorded 1,166 stalking offences in April-December 2020 (Home Office
  outcomes data, compiled by the BBC Shared Data Unit, "stalking_protection_orders",
  stalking_offences_by_force_2015-2021.csv), about 1,555 a year, against 9,775 stalking and
  harassment offences in the year to March 2021: 16%. (In 2019/20 it was 283 of about 5,400,
  5%; the April 2020 counting rule that records a former partner's course of conduct as stalking
  explains much of the rise: DOMAIN.md 5.3.)
* 8L, 8M, 8R: no file available to the project splits the rest of the group (both ONS SOURCE.md
  files say so; the Home Office open data tables with offence codes are not among them). The split
  below is an ASSUMPTION for demonstration, not a statistic: malicious communications and
  harassment make up nearly all of the rest, racially or religiously aggravated harassment a
  small share. Replace it from the Home Office "prc-pfa" open data tables when they are to hand.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from safeguard.demo.population import Identity, Population, RecordedPerson
from safeguard.rules.risk import SDASH_KEYS

LONDON = ZoneInfo("Europe/London")

OFFENCE_MIX: dict[str, float] = {
    "8Q": 0.16,  # Norfolk, from the BBC SDU / Home Office and ONS figures above
    "8R": 0.45,  # assumption (see module docstring)
    "8L": 0.37,  # assumption
    "8M": 0.02,  # assumption
}

# Relationship of suspect to victim. Former partners are the largest group in stalking
# (DOMAIN.md 5.1: ex-intimates who threaten are the highest-risk group).
SINGLE_RELATIONSHIPS = {
    "ex_partner": 0.30, "partner": 0.04, "family": 0.08, "acquaintance": 0.18,
    "colleague": 0.04, "neighbour": 0.12, "online": 0.08, "stranger": 0.10, "unknown": 0.06,
}  # fmt: skip
REPEAT_RELATIONSHIPS = {
    "ex_partner": 0.58, "partner": 0.03, "family": 0.05, "acquaintance": 0.14,
    "colleague": 0.04, "neighbour": 0.07, "online": 0.05, "stranger": 0.04,
}  # fmt: skip

# How likely each act (rules.offences.BEHAVIOURS) is in a report of each offence.
BEHAVIOUR_ODDS: dict[str, dict[str, float]] = {
    "8Q": {"contact": 0.95, "following": 0.45, "loitering": 0.5, "watching": 0.4,
           "monitoring": 0.3, "property": 0.25, "publishing": 0.1, "threats": 0.35},
    "8L": {"contact": 0.85, "threats": 0.35, "property": 0.2, "loitering": 0.2,
           "publishing": 0.05},
    "8M": {"contact": 0.6, "threats": 0.6, "property": 0.2},
    "8R": {"contact": 0.95, "publishing": 0.25, "threats": 0.3},
    "8N": {"threats": 0.6, "contact": 0.3},
    "CCB": {"monitoring": 0.6, "contact": 0.6, "threats": 0.4, "property": 0.2},
    "8SPO": {"contact": 0.8, "loitering": 0.4, "following": 0.2},
    "8DAPO": {"contact": 0.7, "loitering": 0.4},
    "8RO": {"contact": 0.8, "loitering": 0.3},
}  # fmt: skip

# Share of reports with S-DASH answers: S-DASH is used where there are 2 or more incidents
# and/or the victim is very frightened (DOMAIN.md 5.1), so mostly on stalking reports.
SDASH_ODDS = {"8Q": 0.75, "8L": 0.3, "8M": 0.15, "8R": 0.12}
SDASH_BASE = {
    "frightened": 0.55, "previous_harassment": 0.4, "property_damage": 0.15, "visits": 0.15,
    "loitering": 0.3, "threats": 0.25, "third_parties": 0.3, "violent_now": 0.1,
    "others_help": 0.1, "substances": 0.3, "violent_past": 0.25,
}  # fmt: skip

RELATION_WORDS = {
    "ex_partner": "former partner",
    "partner": "partner",
    "family": "relative",
    "acquaintance": "acquaintance",
    "colleague": "colleague",
    "neighbour": "neighbour",
    "online": "contact known only online",
    "stranger": "stranger",
    "unknown": "person not known",
}

ACT_PHRASES: dict[str, tuple[str, ...]] = {
    "contact": (
        "sent repeated unwanted messages",
        "called up to {n} times a day",
        "kept messaging from new accounts after being blocked",
        "sent messages through friends and family",
    ),
    "following": ("followed {obj} home", "followed {obj} by car", "turned up wherever {sub} went"),
    "loitering": ("waited outside {pos} home", "hung around near {pos} workplace"),
    "watching": ("watched {pos} house from a parked car", "photographed {obj} in the street"),
    "monitoring": (
        "tracked {pos} location through a shared account",
        "got into {pos} e-mail and social media",
    ),
    "property": ("damaged {pos} car", "left items on {pos} doorstep", "took {pos} post"),
    "publishing": ("posted about {obj} online", "set up a fake profile in {pos} name"),
    "threats": ("threatened to hurt {obj}", "threatened to kill {obj}", "made veiled threats"),
}


@dataclass(eq=False, slots=True)
class Dyad:
    """A suspect and a victim: the reports between them share both identities."""

    id: int
    suspect: Identity | None
    victim: Identity
    relationship: str
    kind: str  # single, repeat, serial, namesake, father-son, twin, case
    reports: list[ReportSpec] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class ReportSpec:
    """One report to create; `purpose` says why it exists (window reports are the force-year)."""

    n: int
    dyad: Dyad
    reported_at: dt.datetime
    offence: str = ""
    purpose: str = "window"  # window, history, trigger, breach
    behaviours: list[str] = field(default_factory=list)
    sdash: dict[str, bool | None] = field(default_factory=dict)
    summary: str = ""
    status: str = "open"
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    extra_victims: list[Identity] = field(default_factory=list)
    witnesses: list[Identity] = field(default_factory=list)
    reference: str = ""
    # Filled in when created (generate.py).
    recorded: dict[str, list[RecordedPerson]] = field(default_factory=dict)
    report: Any = None  # reports.Report
    persons: dict[str, list[Any]] = field(default_factory=dict)  # role -> people.Person

    @property
    def victim_person(self):
        return self.persons["victim"][0]

    @property
    def suspect_person(self):
        return self.persons["suspect"][0] if self.persons.get("suspect") else None


def _choice(rng: random.Random, odds: dict[str, float]) -> str:
    keys = list(odds)
    return rng.choices(keys, [odds[k] for k in keys])[0]


def _quota(total: int, mix: dict[str, float]) -> dict[str, int]:
    """Exact counts per code adding up to `total` (largest remainder)."""
    raw = {code: total * share for code, share in mix.items()}
    counts = {code: int(value) for code, value in raw.items()}
    left = total - sum(counts.values())
    for code in sorted(raw, key=lambda c: (-(raw[c] - counts[c]), c))[:left]:
        counts[code] += 1
    return counts


_HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 8, 8, 7, 5, 3, 2]
_HOUR_CUM_WEIGHTS = list(accumulate(_HOUR_WEIGHTS))  # summed once (the draws are the same)


class ReportPlanner:
    """Plans the force-year of reports (and the extra reports that orders need)."""

    def __init__(self, rng: random.Random, population: Population, now: dt.datetime) -> None:
        self.rng = rng
        self.population = population
        self.now = now
        self.window_start = now.date() - dt.timedelta(days=364)
        self.window_days = 365
        self.dyads: list[Dyad] = []
        self.reports: list[ReportSpec] = []

    # --- Times ----------------------------------------------------------------------------------

    def moment(self, day: dt.date, *, hours: tuple[int, int] | None = None) -> dt.datetime:
        rng = self.rng
        hour = (
            rng.randint(*hours)
            if hours
            else rng.choices(range(24), cum_weights=_HOUR_CUM_WEIGHTS)[0]
        )
        at = dt.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=LONDON)
        at = at.astimezone(dt.UTC).astimezone(LONDON)  # normalise a time the clocks skip
        if at > self.now:
            at = self.now - dt.timedelta(minutes=rng.randint(5, 600))
        return at

    def _dates(self, k: int) -> list[dt.date]:
        rng = self.rng
        span = min(self.window_days - 1, rng.randint(20, 70) * k)
        start = rng.randint(0, self.window_days - 1 - span)
        offsets = sorted(rng.randint(start, start + span) for _ in range(k))
        return [self.window_start + dt.timedelta(days=o) for o in offsets]

    # --- Dyads and reports ------------------------------------------------------------------------

    def dyad(
        self, suspect: Identity | None, victim: Identity, relationship: str, kind: str
    ) -> Dyad:
        d = Dyad(len(self.dyads) + 1, suspect, victim, relationship, kind)
        self.dyads.append(d)
        return d

    def add_report(
        self, dyad: Dyad, at: dt.datetime, *, purpose: str = "window", offence: str = ""
    ) -> ReportSpec:
        spec = ReportSpec(len(self.reports) + 1, dyad, at, offence=offence, purpose=purpose)
        dyad.reports.append(spec)
        self.reports.append(spec)
        return spec

    def plan_window(self, total: int) -> None:
        """`total` stalking and harassment reports over the 12 months to `now`."""
        rng, pop = self.rng, self.population
        planned = 0

        def victim_for(suspect: Identity | None) -> Identity:
            near = suspect.address.district if suspect else None
            return pop.new(role="victim", near=near)

        # Serial suspects: many reports, several victims (DOMAIN.md 5.4: serial perpetrators).
        for _ in range(max(2, round(total / 1000))):
            suspect = pop.new(role="suspect", sex="M" if rng.random() < 0.9 else "F")
            suspect.risk = min(1.0, 0.6 + rng.random() * 0.4)
            for _ in range(rng.randint(2, 5)):
                d = self.dyad(
                    suspect, victim_for(suspect), _choice(rng, REPEAT_RELATIONSHIPS), "serial"
                )
                for day in self._dates(rng.randint(2, 6)):
                    self.add_report(d, self.moment(day))
                    planned += 1
        # Repeat suspects: hundreds with two to five reports, mostly against one victim.
        for _ in range(round(total * 0.055)):
            suspect = pop.new(role="suspect")
            suspect.risk = min(1.0, suspect.risk + 0.15)
            for _ in range(1 if rng.random() < 0.85 else 2):
                d = self.dyad(
                    suspect, victim_for(suspect), _choice(rng, REPEAT_RELATIONSHIPS), "repeat"
                )
                for day in self._dates(rng.choices((2, 3, 4), (6, 3, 1))[0]):
                    self.add_report(d, self.moment(day))
                    planned += 1
        # Hard negatives: namesakes, fathers and sons with one name and address, twins.
        hard: list[tuple[Identity, str]] = [
            (i, "namesake") for i in pop.add_namesakes(max(3, total // 500))
        ]
        for father, son in pop.add_father_and_son(max(2, total // 2000)):
            hard += [(father, "father-son"), (son, "father-son")]
        for first, second in pop.add_twins(max(2, total // 2000)):
            hard += [(first, "twin"), (second, "twin")]
        for person, kind in hard:
            d = self.dyad(person, victim_for(person), _choice(rng, SINGLE_RELATIONSHIPS), kind)
            for day in self._dates(rng.choice((1, 1, 2))):
                self.add_report(d, self.moment(day))
                planned += 1
        # Everyone else: one report each; a few with no identified suspect.
        while planned < total:
            someone = None if rng.random() < 0.03 else pop.new(role="suspect")
            relationship = _choice(rng, SINGLE_RELATIONSHIPS) if someone else "unknown"
            d = self.dyad(someone, victim_for(someone), relationship, "single")
            day = self.window_start + dt.timedelta(days=rng.randrange(self.window_days))
            self.add_report(d, self.moment(day))
            planned += 1
        self._assign_offences([r for r in self.reports if r.purpose == "window"])

    def _assign_offences(self, reports: list[ReportSpec]) -> None:
        """Give the window reports exactly the OFFENCE_MIX, matching offence to circumstances."""
        rng = self.rng
        quota = _quota(len(reports), OFFENCE_MIX)
        stalking = {"ex_partner": 1.0, "stranger": 0.6, "acquaintance": 0.6, "colleague": 0.6,
                    "online": 0.5, "neighbour": 0.3, "family": 0.3, "partner": 0.2, "unknown": 0.1}  # fmt: skip
        malicious = {"online": 1.0, "unknown": 1.0, "acquaintance": 0.6, "ex_partner": 0.6,
                     "family": 0.5}  # fmt: skip
        aggravated = {"neighbour": 1.0, "stranger": 1.0, "unknown": 0.6, "colleague": 0.5}

        def take(
            pool: list[ReportSpec], code: str, score: dict[str, float], noise: float
        ) -> list[ReportSpec]:
            ranked = sorted(
                pool,
                key=lambda r: (
                    -(
                        score.get(r.dyad.relationship, 0.3)
                        + (0.8 if code == "8Q" and len(r.dyad.reports) > 1 else 0.0)
                        + rng.random() * noise
                    )
                ),
            )
            for r in ranked[: quota[code]]:
                r.offence = code
            return ranked[quota[code] :]

        rest = take(reports, "8Q", stalking, 1.2)
        rest = take(rest, "8M", aggravated, 0.5)
        rest = take(rest, "8R", malicious, 1.2)
        for r in rest:
            r.offence = "8L"

    # --- Filling in each report -------------------------------------------------------------------

    def finish(self) -> None:
        """Behaviours, S-DASH, narrative, dates, status, parties: for every planned report."""
        rng, pop = self.rng, self.population
        for spec in self.reports:
            d = spec.dyad
            day = spec.reported_at.date()
            spec.behaviours = self._behaviours(spec.offence)
            if rng.random() < SDASH_ODDS.get(spec.offence, 0.5):
                spec.sdash = self._sdash(spec, d.suspect)
            lookback = {"8Q": (14, 180), "8L": (3, 90), "8M": (0, 30), "8R": (0, 14)}
            lo, hi = lookback.get(spec.offence, (0, 2))
            spec.occurred_from = day - dt.timedelta(days=rng.randint(lo, hi))
            if rng.random() < 0.8:
                spec.occurred_to = max(
                    spec.occurred_from, day - dt.timedelta(days=rng.randint(0, 3))
                )
            age = (self.now.date() - day).days
            if spec.purpose in ("history",) or age > 90:
                spec.status = rng.choices(("closed", "open", "referred"), (75, 20, 5))[0]
            elif age > 30:
                spec.status = rng.choices(("closed", "open", "referred"), (40, 55, 5))[0]
            else:
                spec.status = rng.choices(("open", "referred"), (92, 8))[0]
            if spec.purpose == "window" and rng.random() < 0.06:
                # A second person harmed: the victim's new partner, a relative (stalking by proxy).
                spec.extra_victims.append(pop.new(role="victim", near=d.victim.address.district))
            if rng.random() < 0.04:
                spec.witnesses.append(pop.new(role="witness", near=d.victim.address.district))
            spec.summary = self._summary(spec)
            spec.recorded = {
                "victim": [pop.record(d.victim, day, role="victim")]
                + [pop.record(v, day, role="victim") for v in spec.extra_victims],
                "suspect": [pop.record(d.suspect, day, role="suspect")] if d.suspect else [],
                "witness": [pop.record(w, day, role="witness") for w in spec.witnesses],
            }

    def _behaviours(self, offence: str) -> list[str]:
        odds = BEHAVIOUR_ODDS.get(offence, {"contact": 1.0})
        chosen = [b for b, p in odds.items() if self.rng.random() < p]
        return chosen or [max(odds, key=lambda b: odds[b])]

    def _sdash(self, spec: ReportSpec, suspect: Identity | None) -> dict[str, bool | None]:
        rng = self.rng
        risk = suspect.risk if suspect else 0.3
        links = {
            "loitering": "loitering",
            "threats": "threats",
            "property_damage": "property",
            "visits": "following",
        }
        answers: dict[str, bool | None] = {}
        for key in SDASH_KEYS:
            if rng.random() < 0.05:
                answers[key] = None  # not known
                continue
            p = SDASH_BASE[key] * (0.5 + risk * 1.2)
            if links.get(key) in spec.behaviours:
                p = max(p, 0.75)
            if key == "previous_harassment" and len(spec.dyad.reports) > 1:
                p = max(p, 0.85)
            answers[key] = rng.random() < min(p, 0.97)
        return answers

    def _summary(self, spec: ReportSpec) -> str:
        rng = self.rng
        d = spec.dyad
        sub, obj, pos = {"F": ("she", "her", "her"), "M": ("he", "him", "his")}[d.victim.sex]
        acts = []
        for b in spec.behaviours[:3]:
            phrase = rng.choice(ACT_PHRASES[b])
            acts.append(phrase.format(n=rng.randint(8, 60), sub=sub, obj=obj, pos=pos))
        acts_text = acts[0] if len(acts) == 1 else ", ".join(acts[:-1]) + " and " + acts[-1]
        if d.suspect is None:
            who = "an unknown person"
        elif d.relationship == "stranger":
            who = "a stranger"
        elif d.relationship == "online":
            who = f"someone {sub} knows only online"
        elif d.relationship == "unknown":
            who = "someone"
        else:
            who = f"{pos} {RELATION_WORDS[d.relationship]}"
        since = spec.occurred_from.strftime("%B") if spec.occurred_from else "recently"
        text = f"Victim reports that {who} has {acts_text} since {since}."
        if spec.offence == "8M":
            text += " The messages and remarks were racially or religiously abusive."
        if spec.offence == "8N":
            text += " Police attended; the victim had visible injuries."
        if spec.purpose == "breach":
            text = f"Reported breach of an order: {who} {acts[0]} despite the order."
        if spec.sdash.get("frightened"):
            text += f" {sub.capitalize()} is very frightened."
        if len(d.reports) > 1 and spec is not d.reports[0]:
            text += " Further incident; see earlier reports."
        return text
