"""A hand-made force for the oversight tests: every figure in test_metrics.py is worked out by
hand from this data set (the comments give the sums). Orders go through the order and
compliance services, as the service makes them; reports are written directly (no report service
exists yet).

Period used by the tests: 1 January to 30 June 2021 (Q1 and Q2), Europe/London.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from safeguard.compliance import services as compliance
from safeguard.orders import services
from safeguard.orders.models import Order, Outcome
from safeguard.reports.models import Report, ReportStatus
from tests.web import builders
from tests.web.builders import NO_CONTACT, NO_MOLESTATION

LONDON = ZoneInfo("Europe/London")
VICTIM_NAME = "Zenobia Canarywood"  # must never appear on an oversight page or export
DEFENDANT_NAME = "Quentin Canaryhurst"


def at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


@dataclass
class Dataset:
    a: Order  # SPO: report 5 Feb, applied 1 Mar, made 6 Apr, served, notifications, breach
    b: Order  # SPO: report 10 Jan, applied 20 Jan, refused 15 Feb
    c: Order  # SPO: applied 20 Apr, withdrawn 20 May, no report
    d: Order  # SPO: report 2 Apr, applied 1 May, pending
    e: Order  # SPO: made 1 Dec 2020 (before the period), in force throughout
    interim: Order  # interim SPO on d: applied 2 May, made 3 May
    dvpn: Order  # DVPN given 10 Mar, ended when the DVPO was made
    dvpo: Order  # DVPO applied 11 Mar, made 12 Mar, ends 1 Apr


def _report(force, reference: str, code: str, when: dt.datetime, **extra) -> Report:
    return Report.objects.create(
        force=force,
        reference=reference,
        offence_code=code,
        reported_at=when,
        occurred_from=when.date(),
        summary=f"Report about {VICTIM_NAME}",
        **extra,
    )


@pytest.fixture
def dataset(force, other_force, make_person) -> Dataset:
    return build_dataset(force, other_force, make_person)


def build_dataset(force, other_force, make_person) -> Dataset:
    """The data set itself (also used by the browser test, tests/e2e/test_oversight.py)."""
    # Reports. Q1: stalking 3 (10 Jan x2, 5 Feb), harassment 1 (8L 3 Mar); flagged 2.
    #          Q2: stalking 2 (2 Apr, 30 Jun 23:30 BST), harassment 2 (8M 5 May, 8R 1 Jun).
    referred = _report(force, "R1", "8Q", at("2021-01-10", "09:00"), status=ReportStatus.REFERRED)
    r_b = _report(force, "R2", "8Q", at("2021-01-10", "18:00"))
    r_a = _report(force, "R3", "8Q", at("2021-02-05"))
    _report(force, "R4", "8L", at("2021-03-03"))
    r_d = _report(force, "R5", "8Q", at("2021-04-02"))
    _report(force, "R6", "8M", at("2021-05-05"))
    _report(force, "R7", "8R", at("2021-06-01"))
    _report(force, "R8", "8Q", at("2021-06-30", "23:30"))  # 22:30 UTC: still 30 June locally
    _report(force, "R9", "8Q", at("2021-07-01", "00:30"))  # 23:30 UTC on 30 June: July locally
    _report(force, "R10", "8Q", at("2020-12-31", "23:59"))  # before the period
    _report(force, "R11", "8N", at("2021-02-01"))  # not a stalking or harassment code
    _report(other_force, "X1", "8Q", at("2021-02-01"))  # another force's
    assert referred.status == ReportStatus.REFERRED

    def people(n: int):
        defendant = make_person(force, "Quentin", f"Canaryhurst{n}")
        victim = make_person(force, "Zenobia", f"Canarywood{n}")
        return defendant, victim

    def spo(n: int, report: Report | None = None, order_type: str = "spo", **kwargs) -> Order:
        defendant, victim = people(n)
        return services.create_order(
            force=force,
            order_type=order_type,
            defendant=defendant,
            protected_persons=[victim],
            by=None,
            reports=[report] if report else [],
            conditions=(NO_MOLESTATION,) if order_type in ("dvpn", "dvpo") else (NO_CONTACT,),
            court=builders.COURT,
            **kwargs,
        )

    def decide(order: Order, outcome: str, when: dt.datetime) -> Order:
        return services.record_outcome(
            order,
            outcome,
            expected_version=order.version,
            by=None,
            decided_at=when,
            reasons="The court's reasons",
        )

    # A: first report 5 Feb; applied 1 Mar (24 days); made 6 Apr (60 days); served 6 Apr.
    a = builders.apply(spo(1, r_a), at("2021-03-01", "09:00"))
    a = builders.make(a, dt.date(2021, 4, 6), until_further_order=True)
    a = builders.serve(a, at("2021-04-06", "15:00"))
    compliance.record_notification_made(
        a.notifications.get(),
        notified_at=at("2021-04-07", "10:00"),
        police_station="Norwich",
        received_by="PC 1",
        by=None,
    )
    moved = compliance.record_change(a, "address_changed", changed_at=at("2021-05-20"), by=None)
    compliance.record_notification_made(
        moved, notified_at=at("2021-05-30"), police_station="Norwich", received_by="PC 1", by=None
    )
    compliance.record_change(a, "name_changed", changed_at=at("2021-06-25"), by=None)  # not made
    compliance.record_breach(
        a, occurred_at=at("2021-05-10", "20:00"), description="Contact", by=None
    )

    # B: first report 10 Jan (18:00); applied 20 Jan (10 days); refused 15 Feb.
    b = decide(builders.apply(spo(2, r_b), at("2021-01-20")), Outcome.REFUSED, at("2021-02-15"))
    # C: no report; applied 20 Apr; withdrawn 20 May.
    c = decide(builders.apply(spo(3), at("2021-04-20")), Outcome.WITHDRAWN, at("2021-05-20"))
    # D: first report 2 Apr; applied 1 May (29 days); not yet heard.
    d = builders.apply(spo(4, r_d), at("2021-05-01"))
    # E: made before the period, in force throughout it.
    e = builders.apply(spo(5), at("2020-11-01"))
    e = builders.make(e, dt.date(2020, 12, 1), until_further_order=True)
    # Interim SPO pending D: applied 2 May, made 3 May.
    interim = builders.apply(spo(6, order_type="interim-spo", parent=d), at("2021-05-02"))
    interim = services.record_outcome(
        interim,
        Outcome.GRANTED,
        expected_version=interim.version,
        by=None,
        decided_at=at("2021-05-03", "11:00"),
        made_on=dt.date(2021, 5, 3),
        ends_on=dt.date(2021, 8, 2),
    )
    # DVPN given 10 Mar; DVPO applied 11 Mar, made 12 Mar for 21 days (to 1 Apr).
    dvpn = builders.give_notice(spo(7, order_type="dvpn"), at("2021-03-10", "10:00"))
    dvpo = builders.apply(spo(8, order_type="dvpo", parent=dvpn), at("2021-03-11"))
    dvpo = builders.make(dvpo, dt.date(2021, 3, 12), ends_on=dt.date(2021, 4, 1))

    # Another force's SPO, never counted.
    other_defendant = make_person(other_force, "Other", "Defendant")
    other_victim = make_person(other_force, "Other", "Victim")
    other = services.create_order(
        force=other_force,
        order_type="spo",
        defendant=other_defendant,
        protected_persons=[other_victim],
        by=None,
        conditions=(NO_CONTACT,),
    )
    builders.apply(other, at("2021-02-01"))

    for order in (a, b, c, d, e, interim, dvpn, dvpo):
        order.refresh_from_db()
    return Dataset(a, b, c, d, e, interim, dvpn, dvpo)
