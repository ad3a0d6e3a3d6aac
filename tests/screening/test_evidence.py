"""Behaviour rules and RFGV scores, with hand-worked cases (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.screening.config import ScreeningConfig
from safeguard.screening.evidence import DyadEvidence, ReportFacts, courses
from safeguard.screening.scoring import Incident, rfgv

TODAY = dt.date(2025, 6, 30)
CONFIG = ScreeningConfig()


def report(n: int, day: dt.date, *acts: str, code: str = "8L", sdash=None, spelling="dan reeve"):
    return ReportFacts(
        report_id=n,
        reference=f"NC/{n}",
        offence_code=code,
        occurred_on=day,
        reported_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        behaviours=tuple(acts),
        sdash=sdash or {},
        suspect_spelling=spelling,
    )


def five_reports() -> DyadEvidence:
    start = dt.date(2025, 5, 1)
    sdash = dict.fromkeys(("frightened", "previous_harassment", "loitering", "threats", "third_parties", "substances", "violent_past"), True)  # fmt: skip
    reports = [
        report(1, start, "contact", spelling="daniel reeve"),
        report(2, start + dt.timedelta(days=14), "contact", spelling="dan reeve"),
        report(3, start + dt.timedelta(days=28), "contact", "threats", spelling="danny reeve"),
        report(4, start + dt.timedelta(days=35), "contact", "loitering", "threats", code="8Q",
               sdash=sdash),
        report(5, start + dt.timedelta(days=40), "contact", "following", "watching", code="8Q"),
    ]  # fmt: skip
    return DyadEvidence("P1", "P2", reports, today=TODAY)


def test_reasons_in_plain_words():
    e = five_reports()
    reasons = e.reasons()
    assert (
        reasons[0]
        == "5 reports against the same victim in 6 weeks under 3 spellings of the suspect's name"
    )
    assert "threats recorded on 2 occasions" in reasons
    assert "S-DASH: 7 of 11" in reasons
    assert any(r.startswith("escalating: reports closer together") for r in reasons)
    assert e.summary().startswith("5 reports against the same victim in 6 weeks")


def test_spo_tests_limb_by_limb():
    a, b, c = five_reports().spo_tests(CONFIG)
    assert a.indicated
    assert "s.2(1)(a)" in a.basis
    assert any(x == "Following the person (1 report)" for x in a.evidence)
    assert b.indicated
    assert "a course of conduct on 5 occasions" in b.evidence
    assert c.indicated  # last report 20 days ago, no order protects her


def test_four():
    four = five_reports().four()
    assert four["repeated"] == ["5 occasions"]
    assert "5 reports about the same victim" in four["fixated"]
    assert four["obsessive"]  # contact in 5 reports
    assert four["unwanted"]


def test_score_and_threshold():
    e = five_reports()
    score, parts = e.score(CONFIG)
    # 4 more occasions x1.5, threats 2x2, escalation 2, stalking 1, S-DASH 7>=5: 2, recent 1
    assert parts == {"occasions": 6.0, "threats": 4.0, "escalation": 2.0,
                     "stalking_offence": 1.0, "sdash": 2.0, "recent": 1.0}  # fmt: skip
    assert score == 16.0
    assert e.qualifies(CONFIG)
    assert not e.qualifies(ScreeningConfig(candidate_threshold=17))


def test_one_report_is_not_a_course_of_conduct():
    e = DyadEvidence("P1", "P2", [report(1, TODAY, "contact", "threats", code="8Q")], today=TODAY)
    assert not e.qualifies(CONFIG)


def test_live_order_means_no_candidate():
    e = five_reports()
    e.live_spo_for_victim = True
    assert not e.qualifies(CONFIG)
    assert not e.spo_tests(CONFIG)[2].indicated


def test_courses_split_on_long_gaps():
    rs = [
        report(1, dt.date(2020, 1, 1)),
        report(2, dt.date(2020, 2, 1)),
        report(3, dt.date(2024, 1, 1)),
    ]
    assert [[r.report_id for r in c] for c in courses(rs, 365)] == [[1, 2], [3]]


def test_rfgv_hand_worked():
    incidents = [
        Incident(1, "A", dt.date(2025, 6, 10), "8Q", "V1", True),  # gravity 5 + 1
        Incident(2, "B", dt.date(2025, 3, 1), "8L", "V1", False),  # 3
        Incident(3, "C", dt.date(2024, 9, 1), "8R", "V2", False),  # 2
        Incident(4, "D", dt.date(2020, 1, 1), "8Q", "V3", False),  # outside 3 years
    ]
    r = rfgv(incidents, TODAY, CONFIG)
    assert r.recency == 5.0  # 20 days
    assert r.frequency == 3.0
    assert r.gravity == 2.2  # 11 of 50, scaled to 10
    assert r.victims == 2.0
    # 100 * (4*5/5 + 2*3/10 + 2*2.2/10 + 3*2/5) / 11
    assert r.score == round(100 * (4 + 0.6 + 0.44 + 1.2) / 11, 1)
    assert [i["report"] for i in r.inputs["incidents"]] == ["C", "B", "A"]


def test_config_overrides_and_rejects_unknown():
    c = ScreeningConfig.from_values({"weight_victims": 5, "gravity": {"8R": 3}})
    assert c.weight_victims == 5
    assert c.gravity["8R"] == 3
    assert c.gravity["8Q"] == 5
    with pytest.raises(ValueError, match="wieght"):
        ScreeningConfig.from_values({"wieght": 1})
