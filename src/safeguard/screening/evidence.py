"""Behaviour rules: the evidence, for one suspect and one victim, that the SPO tests may be met.

Pure Python over plain facts (no database), so each rule can be tested with a hand-worked case.
For each linked suspect-victim pair it gathers:

- the course of conduct: reports on two or more occasions (PHA 1997 s.7(3));
- the acts recorded (SPA 2019 s.1(6), via PHA 1997 s.2A(3): following, contacting, publishing,
  monitoring, loitering, interfering with property, watching) and threats;
- escalation over time (reports closer together, or more kinds of act, or threats appearing);
- breaches of earlier orders (breach offences, or an order already made against the suspect);
- other victims of the same suspect (several victims; stalking by proxy);
- S-DASH answers where recorded (DOMAIN.md 5.1) and the FOUR pattern (fixated, obsessive,
  unwanted, repeated: DOMAIN.md 5.2);
- the spellings of the suspect's name across the reports (what linkage brought together);

then sets it against the court's test in SPA 2019 s.2(1), limb by limb, as indications for a
person to weigh, never as a decision, and scores it with the configured points.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from safeguard.rules.offences import BEHAVIOURS, STALKING_CODES
from safeguard.rules.risk import SDASH_KEYS, sdash_score
from safeguard.screening.config import ScreeningConfig

BREACH_CODES = frozenset({"8SPO", "8DAPO", "8RO"})
# SPA 2019 s.1(6) / PHA 1997 s.2A(3): the acts associated with stalking (threats are not among
# them, but are evidence of risk).
STALKING_ACTS = tuple(k for k in BEHAVIOURS if k != "threats")
FIXATION_ACTS = frozenset({"following", "monitoring", "watching", "loitering"})


@dataclass(frozen=True)
class ReportFacts:
    report_id: int
    reference: str
    offence_code: str
    occurred_on: dt.date
    reported_at: dt.datetime
    behaviours: tuple[str, ...] = ()
    sdash: dict[str, bool | None] = field(default_factory=dict)
    suspect_spelling: str = ""
    relationship: str = ""

    @property
    def threats(self) -> bool:
        return "threats" in self.behaviours or self.sdash.get("threats") is True

    @property
    def sdash_yes(self) -> int | None:
        answers = {k: v for k, v in self.sdash.items() if k in SDASH_KEYS}
        return sdash_score(answers) if answers else None


@dataclass
class Limb:
    test: str
    basis: str
    indicated: bool
    evidence: list[str]


@dataclass
class DyadEvidence:
    suspect_key: str
    victim_key: str
    reports: list[ReportFacts]
    other_victims: int = 0
    orders_against_suspect: int = 0
    live_spo_for_victim: bool = False
    today: dt.date = field(default_factory=dt.date.today)

    # --- the facts, derived ------------------------------------------------------------------

    @property
    def occasions(self) -> int:
        return len({r.occurred_on for r in self.reports})

    @property
    def first(self) -> dt.date:
        return min(r.occurred_on for r in self.reports)

    @property
    def last(self) -> dt.date:
        return max(r.occurred_on for r in self.reports)

    @property
    def last_reported_at(self) -> dt.datetime:
        return max(r.reported_at for r in self.reports)

    @property
    def span_days(self) -> int:
        return (self.last - self.first).days

    @property
    def spellings(self) -> list[str]:
        return sorted({r.suspect_spelling for r in self.reports if r.suspect_spelling})

    @property
    def behaviours(self) -> Counter[str]:
        return Counter(b for r in self.reports for b in set(r.behaviours))

    @property
    def threat_reports(self) -> int:
        return sum(1 for r in self.reports if r.threats)

    @property
    def breach_reports(self) -> int:
        return sum(1 for r in self.reports if r.offence_code in BREACH_CODES)

    @property
    def stalking_reports(self) -> int:
        return sum(1 for r in self.reports if r.offence_code in STALKING_CODES)

    @property
    def sdash_best(self) -> int | None:
        scores = [s for s in (r.sdash_yes for r in self.reports) if s is not None]
        return max(scores) if scores else None

    def escalation(self) -> list[str]:
        """How the conduct has grown worse over time, in words (empty if it has not)."""
        ordered = sorted(self.reports, key=lambda r: r.occurred_on)
        if len(ordered) < 3:
            if len(ordered) == 2 and not ordered[0].threats and ordered[1].threats:
                return ["threats first recorded in the later report"]
            return []
        found = []
        gaps = [(b.occurred_on - a.occurred_on).days for a, b in itertools.pairwise(ordered)]
        half = len(gaps) // 2
        early, late = gaps[: max(half, 1)], gaps[max(half, 1) :]
        if late and early:
            early_mean, late_mean = sum(early) / len(early), sum(late) / len(late)
            if late_mean < early_mean * 0.6:
                found.append(
                    f"reports closer together (from every {early_mean:.0f} days to every "
                    f"{max(late_mean, 0):.0f})"
                )
        mid = len(ordered) // 2
        kinds_early = {b for r in ordered[:mid] for b in r.behaviours}
        kinds_late = {b for r in ordered[mid:] for b in r.behaviours}
        new_kinds = sorted(kinds_late - kinds_early - {"threats"})
        if new_kinds and len(kinds_late) > len(kinds_early):
            found.append("new kinds of act: " + ", ".join(BEHAVIOURS[k].lower() for k in new_kinds))
        if not any(r.threats for r in ordered[:mid]) and any(r.threats for r in ordered[mid:]):
            found.append("threats appearing in the later reports")
        return found

    def four(self) -> dict[str, list[str]]:
        """FOUR (Fixated, Obsessive, Unwanted, Repeated): each letter with what shows it."""
        acts = self.behaviours
        out: dict[str, list[str]] = {"fixated": [], "obsessive": [], "unwanted": [], "repeated": []}
        if len(self.reports) >= 3:
            out["fixated"].append(f"{len(self.reports)} reports about the same victim")
        fixing = sorted(FIXATION_ACTS & set(acts))
        if fixing:
            out["fixated"].append("recorded: " + ", ".join(fixing))
        if len({k for k in acts if k in STALKING_ACTS}) >= 3:
            out["obsessive"].append(f"{len([k for k in acts if k in STALKING_ACTS])} kinds of act")
        contact = acts.get("contact", 0)
        if contact >= 3:
            out["obsessive"].append(f"contact recorded in {contact} reports")
        if self.occasions >= 2:
            out["unwanted"].append("it went on after the victim had reported it to the police")
        if self.breach_reports or self.orders_against_suspect:
            out["unwanted"].append("despite a court order")
        if self.occasions >= 2:
            out["repeated"].append(f"{self.occasions} occasions")
        return out

    # --- the court's test, limb by limb ------------------------------------------------------

    def spo_tests(self, config: ScreeningConfig) -> list[Limb]:
        acts = self.behaviours
        acts_seen = [BEHAVIOURS[k] for k in STALKING_ACTS if acts.get(k)]
        a = Limb(
            "The defendant has carried out acts associated with stalking",
            "Stalking Protection Act 2019 s.2(1)(a); acts as in s.1(6) and PHA 1997 s.2A(3)",
            bool(acts_seen) or self.stalking_reports > 0,
            [f"{x} ({acts[k]} report{'s' if acts[k] != 1 else ''})"
             for k, x in zip([k for k in STALKING_ACTS if acts.get(k)], acts_seen, strict=True)]
            + ([f"{self.stalking_reports} report(s) recorded as stalking (8Q)"]
               if self.stalking_reports else []),
        )  # fmt: skip
        risk: list[str] = []
        if self.occasions >= config.min_occasions:
            risk.append(f"a course of conduct on {self.occasions} occasions")
        if self.threat_reports:
            risk.append(f"threats recorded on {self.threat_reports} occasion(s)")
        risk += self.escalation()
        if self.breach_reports:
            risk.append(f"{self.breach_reports} breach(es) of an earlier order")
        if self.sdash_best is not None and self.sdash_best >= config.sdash_high:
            risk.append(f"S-DASH: {self.sdash_best} of {len(SDASH_KEYS)}")
        if self.other_victims:
            risk.append(f"the suspect has {self.other_victims} other victim(s)")
        b = Limb(
            "The defendant poses a risk associated with stalking to another person",
            "Stalking Protection Act 2019 s.2(1)(b); risk may be physical or psychological (s.1(4))",
            bool(risk),
            risk,
        )
        necessity: list[str] = []
        days = (self.today - self.last).days
        if days <= config.recent_days:
            necessity.append(f"the last report was {days} days ago: the conduct may be going on")
        if not self.live_spo_for_victim:
            necessity.append("no Stalking Protection Order protects this victim from this suspect")
        c = Limb(
            "An order is necessary to protect the person from that risk",
            "Stalking Protection Act 2019 s.2(1)(c)",
            days <= config.recent_days and not self.live_spo_for_victim,
            necessity,
        )
        return [a, b, c]

    # --- score and reasons -------------------------------------------------------------------

    def score(self, config: ScreeningConfig) -> tuple[float, dict[str, float]]:
        parts: dict[str, float] = {}
        if self.occasions > 1:
            parts["occasions"] = config.points_per_occasion * (self.occasions - 1)
        if self.threat_reports:
            parts["threats"] = config.points_threats * min(self.threat_reports, 3)
        if self.escalation():
            parts["escalation"] = config.points_escalation
        if self.breach_reports or self.orders_against_suspect:
            parts["breach"] = config.points_breach
        if self.other_victims:
            parts["other_victims"] = config.points_other_victims * min(self.other_victims, 3)
        if self.stalking_reports:
            parts["stalking_offence"] = config.points_stalking_offence
        if self.sdash_best is not None and self.sdash_best >= config.sdash_high:
            parts["sdash"] = config.points_sdash_high
        if (self.today - self.last).days <= config.recent_days:
            parts["recent"] = config.points_recent
        return round(sum(parts.values()), 2), parts

    def qualifies(self, config: ScreeningConfig) -> bool:
        if self.live_spo_for_victim or self.occasions < config.min_occasions:
            return False
        return self.score(config)[0] >= config.candidate_threshold

    def reasons(self) -> list[str]:
        """The reasons, in plain words, most telling first."""
        out = []
        n = len(self.reports)
        spell = len(self.spellings)
        line = f"{n} reports against the same victim in {_duration(self.span_days)}"
        if spell > 1:
            line += f" under {spell} spellings of the suspect's name"
        out.append(line)
        if self.threat_reports:
            out.append(
                f"threats recorded on {self.threat_reports} occasion{_s(self.threat_reports)}"
            )
        if self.sdash_best is not None:
            out.append(f"S-DASH: {self.sdash_best} of {len(SDASH_KEYS)}")
        esc = self.escalation()
        if esc:
            out.append("escalating: " + "; ".join(esc))
        if self.breach_reports:
            out.append(
                f"{self.breach_reports} breach{'es' if self.breach_reports > 1 else ''} of an earlier order"
            )
        elif self.orders_against_suspect:
            out.append("an order has been made against the suspect before")
        if self.other_victims:
            out.append(
                f"the suspect is reported for {self.other_victims} other victim{_s(self.other_victims)}"
            )
        acts = [
            BEHAVIOURS[k].lower() for k, _ in self.behaviours.most_common() if k in STALKING_ACTS
        ]
        if acts:
            out.append("acts recorded: " + "; ".join(acts[:4]))
        return out

    def summary(self) -> str:
        return "; ".join(self.reasons())

    def as_json(self, config: ScreeningConfig) -> dict[str, Any]:
        score, parts = self.score(config)
        return {
            "occasions": self.occasions,
            "reports": len(self.reports),
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "span_days": self.span_days,
            "spellings": self.spellings,
            "behaviours": dict(self.behaviours),
            "threat_reports": self.threat_reports,
            "breach_reports": self.breach_reports,
            "orders_against_suspect": self.orders_against_suspect,
            "other_victims": self.other_victims,
            "sdash_best": self.sdash_best,
            "escalation": self.escalation(),
            "four": self.four(),
            "spo_tests": [vars(limb) for limb in self.spo_tests(config)],
            "score": score,
            "score_parts": parts,
            "score_threshold": config.candidate_threshold,
        }


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _duration(days: int) -> str:
    if days < 1:
        return "one day"
    if days < 14:
        return f"{days + 1} days"
    if days < 70:
        return f"{round(days / 7)} weeks"
    if days < 730:
        return f"{round(days / 30.4)} months"
    return f"{days / 365.25:.1f} years"


def courses(reports: Sequence[ReportFacts], window_days: int) -> list[list[ReportFacts]]:
    """Split a pair's reports where more than `window_days` pass between two of them: each part
    is one course of conduct (a suspect who returns after years starts afresh)."""
    ordered = sorted(reports, key=lambda r: r.occurred_on)
    out: list[list[ReportFacts]] = []
    for r in ordered:
        if out and (r.occurred_on - out[-1][-1].occurred_on).days <= window_days:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def latest_course(reports: Iterable[ReportFacts], window_days: int) -> list[ReportFacts]:
    parts = courses(list(reports), window_days)
    return parts[-1] if parts else []
