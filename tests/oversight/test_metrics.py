"""Each metric of docs/metrics.md on the hand-made data set (tests/oversight/conftest.py), with
the figures worked out by hand, for each quarter and the whole period."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from safeguard.oversight import metrics
from safeguard.oversight.metrics import METRICS, MetricsError, buckets, compute
from safeguard.reports.models import Report

pytestmark = pytest.mark.django_db

START, END = dt.date(2021, 1, 1), dt.date(2021, 6, 30)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"

# Worked by hand from the data set: (Q1, Q2, whole period).
EXPECTED: dict[str, tuple] = {
    "stalking_reports": (3, 2, 5),
    "harassment_reports": (1, 2, 3),
    "stalking_and_harassment_reports": (4, 4, 8),
    "spo_applied": (2, 2, 4),  # B 20 Jan, A 1 Mar | C 20 Apr, D 1 May
    "interim_spo_applied": (0, 1, 1),
    "interim_spo_granted": (0, 1, 1),
    "spo_granted": (0, 1, 1),  # A 6 Apr (E was made in December 2020)
    "spo_refused": (1, 0, 1),  # B 15 Feb
    "spo_withdrawn": (0, 1, 1),  # C 20 May
    "spo_grant_rate": (0.0, 50.0, 33.3),  # 0/1, 1/2, 1/3
    "spo_per_1000_stalking": (0.0, 500.0, 200.0),  # 0/3, 1/2, 1/5 x 1,000
    "spo_per_1000_stalking_and_harassment": (0.0, 250.0, 125.0),
    "spo_median_days_to_application": (17.0, 29.0, 24.0),  # (24, 10) | (29; C has no report)
    "spo_median_days_to_application_cases": (2, 1, 3),
    "spo_median_days_to_order": (None, 60.0, 60.0),
    "spo_median_days_to_order_cases": (0, 1, 1),
    "spo_in_force": (1, 2, 2),  # E | A, E
    "spo_notifications_on_time": (0, 1, 1),
    "spo_notifications_late": (0, 1, 1),
    "spo_notifications_not_made": (0, 1, 1),
    "spo_breaches": (0, 1, 1),
    "spo_orders_in_force_during": (1, 3, 3),  # E | A, E, interim
    "spo_orders_breached": (0, 1, 1),
    "spo_breach_rate": (0.0, 33.3, 33.3),
    "dvpn_issued": (1, 0, 1),
    "dvpo_applied": (1, 0, 1),
    "dvpo_granted": (1, 0, 1),
    "dvpo_refused": (0, 0, 0),
    "dvpo_withdrawn": (0, 0, 0),
    "dvpo_grant_rate": (100.0, None, 100.0),
    "dvpo_median_days_to_application": (None, None, None),  # no linked report
    "dvpo_median_days_to_application_cases": (0, 0, 0),
    "dvpo_in_force": (1, 0, 0),  # made 12 Mar, ends 1 Apr (not yet marked expired)
    "dvpo_breaches": (0, 0, 0),
    "dvpo_orders_in_force_during": (2, 1, 2),  # DVPN and DVPO | DVPO on 1 Apr
    "dvpo_orders_breached": (0, 0, 0),
    "dvpo_breach_rate": (0.0, 0.0, 0.0),
    "dapo_applied": (0, 0, 0),
    "dapn_issued": (0, 0, 0),
    "dapo_granted": (0, 0, 0),
    "dapo_grant_rate": (None, None, None),
    "dapo_in_force": (0, 0, 0),
    "dapo_notifications_on_time": (0, 0, 0),
    "dapo_breach_rate": (None, None, None),
}


@pytest.fixture
def result(force, dataset):
    return compute(force, START, END, "quarter")


def test_flagged_counts_referred_and_linked_reports_by_report_date(result):
    # R1 (referred) and R2, R3 (linked to B, A) are in Q1; R5 (linked to D) is in Q2.
    q1, q2 = result.rows
    assert q1.values["cases_flagged"] == 3
    assert q2.values["cases_flagged"] == 1
    assert result.total.values["cases_flagged"] == 4


def test_a_report_linked_to_several_orders_is_flagged_once(force, dataset):
    # R5 (Q2) is linked to D; link it to D's interim SPO as well. R1 (Q1) is referred; link it to
    # A too. Each is still one flagged case, and the other force's report is never counted.
    reports = {r.reference: r for r in Report.objects.filter(force=force)}
    dataset.interim.reports.add(reports["R5"])
    dataset.a.reports.add(reports["R1"])
    q1, q2 = compute(force, START, END, "quarter").rows
    assert (q1.values["cases_flagged"], q2.values["cases_flagged"]) == (3, 1)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_metric_on_the_hand_made_data_set(result, key):
    q1, q2 = result.rows
    got = (q1.values[key], q2.values[key], result.total.values[key])
    assert got == EXPECTED[key], f"{key}: {got} != {EXPECTED[key]}"


def test_every_metric_is_computed_and_defined_in_the_docs(result):
    documented = DOCS.read_text()
    for metric in METRICS:
        assert metric.key in result.total.values
        assert f"`{metric.key}`" in documented, f"{metric.key} is not defined in docs/metrics.md"


def test_months_place_events_by_local_date(force, dataset):
    result = compute(force, dt.date(2021, 6, 1), dt.date(2021, 7, 31), "month")
    june, july = result.rows
    # R8 at 23:30 BST on 30 June is June; R9 at 00:30 BST on 1 July is July.
    assert june.values["stalking_reports"] == 1
    assert july.values["stalking_reports"] == 1


def test_year_and_part_buckets():
    parts = buckets(dt.date(2020, 11, 15), dt.date(2022, 2, 10), "year")
    assert [(b.key, b.start, b.end) for b in parts] == [
        ("2020", dt.date(2020, 11, 15), dt.date(2020, 12, 31)),
        ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        ("2022", dt.date(2022, 1, 1), dt.date(2022, 2, 10)),
    ]
    assert "part" in parts[0].label
    assert "part" not in parts[1].label
    quarters = buckets(dt.date(2021, 2, 1), dt.date(2021, 7, 1), "quarter")
    assert [b.key for b in quarters] == ["2021-Q1", "2021-Q2", "2021-Q3"]
    assert quarters[1].label == "Apr to Jun 2021"
    months = buckets(dt.date(2020, 12, 1), dt.date(2021, 1, 31), "month")
    assert [b.label for b in months] == ["December 2020", "January 2021"]


def test_an_impossible_period_is_refused_with_what_to_change():
    with pytest.raises(MetricsError, match="end is before its start"):
        buckets(END, START, "month")
    with pytest.raises(MetricsError, match="month, quarter, year"):
        buckets(START, END, "week")


def test_families_come_from_the_rules_specs():
    assert [(f.main, f.first) for f in metrics.FAMILIES] == [
        ("spo", "interim-spo"),
        ("dvpo", "dvpn"),
        ("dapo", "dapn"),
    ]
    assert [f.has_notification_duty for f in metrics.FAMILIES] == [True, False, True]


def test_cli_metrics_json(force, dataset):
    out = StringIO()
    call_command(
        "oversight",
        "metrics",
        "--force",
        "Norfolk",
        "--from",
        "2021-01-01",
        "--to",
        "2021-06-30",
        "--by",
        "quarter",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["force"] == "Norfolk"
    assert [p["period"] for p in data["periods"]] == ["2021-Q1", "2021-Q2"]
    assert data["total"]["spo_applied"] == 4
    assert data["total"]["spo_grant_rate"] == 33.3
    assert set(data["definitions"]) == {m.key for m in METRICS}
    assert not re.search(r"Canary|Zenobia|Quentin", out.getvalue())
