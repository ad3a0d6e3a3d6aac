"""The national league table: every police force area in England and Wales side by side, from
the public data only (FOI answers on Stalking Protection Orders, ONS recorded crime). Read-only.

Definitions (docs/metrics.md, "National league table"):
- SPOs applied for / granted / rejected / not yet heard: as each force answered the FOI request,
  from 20 January 2020 to the day it answered. A force that did not answer is shown as not
  answering, never as zero; a force the request did not reach is shown as not in the data.
- Stalking offences: the stalking (8Q) offences of the latest period the data give that ends by
  the last answer (April to December 2020 in the BBC data).
- Granted per 1,000 stalking offences: SPOs granted / stalking offences x 1,000; only where both
  are known. Rank 1 is the highest; equal values share a rank (1, 2, 2, 4).
- Grant rate: SPOs granted as a percentage of SPOs applied for (applications not yet heard when
  the force answered are in the denominator, as the answers give them).
- National totals add up the forces that answered; the national rate uses only the forces that
  answered and have a stalking offence count, so both sides cover the same forces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from safeguard.oversight.areas import AREAS, BY_CODE, Area, area_for_name
from safeguard.oversight.models import (
    OffenceCount,
    OffenceGroup,
    OpenDataFile,
    Population,
    SpoFoiReturn,
)

# Sources of the same figure, most authoritative first: the ONS tables supersede the older
# rec-crime-pfa vintage for the same year (its SOURCE.md: Norfolk YE Sep 2018 differs).
SOURCE_PRIORITY = {"ons-pfa-tables": 0, "ons-pfa-table-p1-csv": 1, "ons-rec-crime-pfa": 2}


def area_for_force(force: Any) -> Area | None:
    """The police force area of a Force record: by name first, then by its ONS code."""
    if force is None:
        return None
    return area_for_name(force.name) or BY_CODE.get((force.ons_code or "").strip())


@dataclass
class LeagueRow:
    force: str
    ons_code: str
    region: str
    in_foi_data: bool
    answered: bool
    answered_on: dt.date | None = None
    spo_applied: int | None = None
    spo_granted: int | None = None
    spo_rejected: int | None = None
    spo_not_heard: int | None = None
    stalking_offences: int | None = None
    stalking_and_harassment_offences: int | None = None
    population: int | None = None
    granted_per_1000_stalking: float | None = None
    grant_rate_percent: float | None = None
    stalking_and_harassment_per_1000_people: float | None = None
    rank: int | None = None
    highlighted: bool = False

    @property
    def status(self) -> str:
        if not self.in_foi_data:
            return "Not in the FOI data"
        return "Answered" if self.answered else "Did not answer"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("highlighted")
        data["answered_on"] = self.answered_on.isoformat() if self.answered_on else None
        data["status"] = self.status
        return data


@dataclass
class Totals:
    forces: int = 0
    answered: int = 0
    did_not_answer: int = 0
    not_in_data: int = 0
    spo_applied: int = 0
    spo_granted: int = 0
    spo_rejected: int = 0
    spo_not_heard: int = 0
    rejected_forces: int = 0  # forces that gave a rejected figure
    not_heard_forces: int = 0
    rate_forces: int = 0  # forces in the national rate
    rate_granted: int = 0
    rate_stalking_offences: int = 0
    granted_per_1000_stalking: float | None = None
    grant_rate_percent: float | None = None


@dataclass
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


@dataclass
class League:
    rows: list[LeagueRow]
    totals: Totals
    foi_period: Period | None
    stalking_period: Period | None
    sh_period: Period | None
    population_years: list[int] = field(default_factory=list)
    sources: list[OpenDataFile] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.foi_period is not None

    def row_for(self, area: Area | None) -> LeagueRow | None:
        if area is None:
            return None
        return next((r for r in self.rows if r.ons_code == area.ons_code), None)


def _rate(numerator: int | None, denominator: int | None, per: int) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator * per / denominator


def _latest_period(group: str, by: dt.date | None) -> Period | None:
    periods = OffenceCount.objects.filter(offence_group=group)
    if by is not None:
        periods = periods.filter(period_end__lte=by)
    latest = periods.order_by("-period_end", "period_start").values("period_start", "period_end")
    first = latest.first()
    return Period(first["period_start"], first["period_end"]) if first else None


def _offences(group: str, period: Period | None) -> dict[str, int]:
    """Counts by ONS code for exactly this period, each from its most authoritative source."""
    if period is None:
        return {}
    rows = OffenceCount.objects.filter(
        offence_group=group, period_start=period.start, period_end=period.end
    ).values_list("area__ons_code", "count", "source__kind")
    best: dict[str, tuple[int, int]] = {}
    for code, count, kind in rows:
        priority = SOURCE_PRIORITY.get(kind, 9)
        if code not in best or priority < best[code][0]:
            best[code] = (priority, count)
    return {code: count for code, (_, count) in best.items()}


def _ranks(rows: list[LeagueRow]) -> None:
    ranked = sorted(
        (r for r in rows if r.granted_per_1000_stalking is not None),
        key=lambda r: -r.granted_per_1000_stalking,  # type: ignore[operator]
    )
    for position, row in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        if previous and previous.granted_per_1000_stalking == row.granted_per_1000_stalking:
            row.rank = previous.rank
        else:
            row.rank = position


def build_league(*, highlight: Area | None = None) -> League:
    """The league table for the FOI period, from the loaded public data."""
    answers = {
        a.area.ons_code: a
        for a in SpoFoiReturn.objects.select_related("area", "source").order_by("source__loaded_at")
    }
    answered_on = [a.period_end for a in answers.values() if a.period_end]
    foi_period = (
        Period(min(a.period_start for a in answers.values()), max(answered_on))
        if answered_on
        else None
    )
    until = foi_period.end if foi_period else None
    stalking_period = _latest_period(OffenceGroup.STALKING, until)
    sh_period = _latest_period(OffenceGroup.STALKING_AND_HARASSMENT, until)
    stalking = _offences(OffenceGroup.STALKING, stalking_period)
    sh = _offences(OffenceGroup.STALKING_AND_HARASSMENT, sh_period)
    population: dict[str, tuple[int, int]] = {}  # code -> (mid-year, count), latest year
    for code, year, count in Population.objects.values_list("area__ons_code", "mid_year", "count"):
        if code not in population or year > population[code][0]:
            population[code] = (year, count)

    rows = []
    totals = Totals(forces=len(AREAS))
    for area in AREAS:
        answer = answers.get(area.ons_code)
        row = LeagueRow(
            force=area.name,
            ons_code=area.ons_code,
            region=area.region,
            in_foi_data=answer is not None,
            answered=bool(answer and answer.answered),
            stalking_offences=stalking.get(area.ons_code),
            stalking_and_harassment_offences=sh.get(area.ons_code),
            population=population.get(area.ons_code, (0, None))[1],
            highlighted=highlight is not None and highlight.ons_code == area.ons_code,
        )
        row.stalking_and_harassment_per_1000_people = _rate(
            row.stalking_and_harassment_offences, row.population, 1000
        )
        if answer is None:
            totals.not_in_data += 1
        elif not answer.answered:
            totals.did_not_answer += 1
        else:
            row.answered_on = answer.period_end
            row.spo_applied, row.spo_granted = answer.applied, answer.granted
            row.spo_rejected, row.spo_not_heard = answer.rejected, answer.not_heard
            row.granted_per_1000_stalking = _rate(row.spo_granted, row.stalking_offences, 1000)
            row.grant_rate_percent = _rate(row.spo_granted, row.spo_applied, 100)
            totals.answered += 1
            totals.spo_applied += answer.applied or 0
            totals.spo_granted += answer.granted or 0
            if answer.rejected is not None:
                totals.spo_rejected += answer.rejected
                totals.rejected_forces += 1
            if answer.not_heard is not None:
                totals.spo_not_heard += answer.not_heard
                totals.not_heard_forces += 1
            if row.spo_granted is not None and row.stalking_offences:
                totals.rate_forces += 1
                totals.rate_granted += row.spo_granted
                totals.rate_stalking_offences += row.stalking_offences
        rows.append(row)
    _ranks(rows)
    totals.granted_per_1000_stalking = _rate(
        totals.rate_granted, totals.rate_stalking_offences, 1000
    )
    totals.grant_rate_percent = _rate(totals.spo_granted, totals.spo_applied, 100)
    return League(
        rows=rows,
        totals=totals,
        foi_period=foi_period,
        stalking_period=stalking_period,
        sh_period=sh_period,
        population_years=sorted({y for y, _ in population.values()}),
        sources=list(OpenDataFile.objects.all()),
    )


def sort_rows(rows: list[LeagueRow], sort: str) -> list[LeagueRow]:
    """Rows in the order a sortable heading asks ("-key" descending); unknown keys: by rank.
    Forces without the figure always come last, then by name."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    attribute = {
        "rank": "rank",
        "force": "force",
        "stalking": "stalking_offences",
        "sh": "stalking_and_harassment_offences",
        "applied": "spo_applied",
        "granted": "spo_granted",
        "rate": "granted_per_1000_stalking",
        "grant_rate": "grant_rate_percent",
    }.get(key, "rank")
    present = [r for r in rows if getattr(r, attribute) is not None]
    absent = sorted((r for r in rows if getattr(r, attribute) is None), key=lambda r: r.force)
    present.sort(key=lambda r: r.force)
    present.sort(key=lambda r: getattr(r, attribute), reverse=descending)  # stable: ties by name
    return present + absent


LEAGUE_SORTS = ("rank", "force", "stalking", "sh", "applied", "granted", "rate", "grant_rate")
