"""The case timeline shared by planning and building, and small date helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from safeguard.demo.reports import Dyad, ReportSpec
from safeguard.orders.models import Order
from safeguard.rules.calendar import DEFAULT_CALENDAR

LONDON = ZoneInfo("Europe/London")
SPA_COMMENCEMENT = dt.date(2020, 1, 20)  # S.I. 2020/26 (DOMAIN.md 1)

# Moves whose StateChange the services do not (yet) stamp with the time of the decision; the
# demo sets it afterwards so the history reads true (see the report to the lead).
UNSTAMPED = ("end", "vary", "renew", "discharge", "quash", "expire", "lapse")


@dataclass(eq=False)
class Event:
    at: dt.datetime
    kind: str  # notify, change, vary, renew, breach, appeal, discharge
    data: dict = field(default_factory=dict)


@dataclass(eq=False)
class Case:
    key: str
    order_type: str
    state: str
    dyads: list[Dyad]
    opts: dict = field(default_factory=dict)
    t: dict = field(default_factory=dict)  # the timeline: name -> datetime or date
    events: list[Event] = field(default_factory=list)
    order: Order | None = None
    interim: Order | None = None
    notice: Order | None = None

    @property
    def dyad(self) -> Dyad:
        return self.dyads[0]

    def linked_reports(self) -> list[ReportSpec]:
        cutoff = self.t.get("applied") or self.t.get("issued") or self.t["created"]
        return sorted(
            (
                r
                for d in self.dyads
                for r in d.reports
                if r.reported_at <= cutoff and r.purpose != "breach"
            ),
            key=lambda r: r.reported_at,
        )


def suspect_id(dyad: Dyad) -> int:
    assert dyad.suspect is not None  # the pool holds only dyads with a suspect
    return dyad.suspect.id


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _sits(day: dt.date) -> bool:
    return day.weekday() < 5 and not DEFAULT_CALENDAR.is_bank_holiday(day)


def court_day(day: dt.date) -> dt.date:
    """The first weekday on or after `day` that is not a bank holiday."""
    while not _sits(day):
        day += dt.timedelta(days=1)
    return day


def previous_court_day(day: dt.date) -> dt.date:
    while not _sits(day):
        day -= dt.timedelta(days=1)
    return day
