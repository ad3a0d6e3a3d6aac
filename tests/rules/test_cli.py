"""`safeguard rules`: the statutory clock's command line."""

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from safeguard.rules.calendar import Calendar
from safeguard.rules.cli import main
from safeguard.rules.clock import EVENTS


def run(*argv: str, calendar: Calendar | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), calendar=calendar, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_deadline_json_has_the_documented_shape() -> None:
    code, out, err = run("deadline", "spo-served", "--at", "2025-03-10T14:30", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "event": "spo-served",
        "at": "2025-03-10T14:30:00+00:00",
        "deadlines": [
            {
                "name": "initial-notification",
                "description": "Latest time D must notify the police, in person, of D's name(s) "
                "and home address",
                # Served Monday: 3 days beginning with that day end on Wednesday (SPA s.9(1)).
                "due": "2025-03-12T23:59:59+00:00",
                "basis": "Stalking Protection Act 2019, s.9(1)-(2)",
            }
        ],
    }


def test_deadline_json_converts_an_offset_to_london_time() -> None:
    # 09:00 UTC on Sat 14 Jun 2025 is 10:00 BST; Sat 14h, Sun disregarded, Mon 24h, Tue 10h.
    code, out, _ = run("deadline", "dapn-given", "--at", "2025-06-14T09:00Z", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["at"] == "2025-06-14T10:00:00+01:00"
    assert [d["due"] for d in payload["deadlines"]] == ["2025-06-17T10:00:00+01:00"]


def test_dvpo_made_lists_both_deadlines_in_order() -> None:
    code, out, _ = run("deadline", "dvpo-made", "--at", "2025-03-10", "--json")
    assert code == 0
    deadlines = json.loads(out)["deadlines"]
    assert [(d["name"], d["due"]) for d in deadlines] == [
        ("earliest-expiry", "2025-03-23T23:59:59+00:00"),
        ("latest-expiry", "2025-04-06T23:59:59+01:00"),
    ]
    assert all(set(d) == {"name", "description", "due", "basis"} for d in deadlines)


def test_extra_bank_holidays_move_the_deadline() -> None:
    # Fri 6 Jun 2025 10:00: normally Mon 9 Jun 10:00; with Mon 9 and Tue 10 Jun proclaimed bank
    # holidays, Wednesday supplies the last 10 hours.
    argv = ["deadline", "dvpn-served", "--at", "2025-06-06T10:00", "--json"]
    _, plain, _ = run(*argv)
    assert json.loads(plain)["deadlines"][0]["due"] == "2025-06-09T10:00:00+01:00"
    code, out, _ = run(*argv, "--extra-bank-holiday", "2025-06-09", "--extra-bank-holiday",
                       "2025-06-10")  # fmt: skip
    assert code == 0
    assert json.loads(out)["deadlines"][0]["due"] == "2025-06-11T10:00:00+01:00"
    _, several, _ = run(*argv, "--extra-bank-holiday", "2025-06-09", "2025-06-10")
    assert several == out


def test_a_calendar_passed_in_is_used() -> None:
    calendar = Calendar([date(2025, 6, 9)])
    code, out, _ = run(
        "deadline", "dvpn-served", "--at", "2025-06-06T10:00", "--json", calendar=calendar
    )
    assert code == 0
    assert json.loads(out)["deadlines"][0]["due"] == "2025-06-10T10:00:00+01:00"


def test_deadline_table_is_readable() -> None:
    code, out, _ = run("deadline", "dvpn-served", "--at", "2025-03-15T10:00")
    assert code == 0
    assert "dvpo-hearing" in out
    assert "Tue 18 Mar 2025 10:00:00 GMT" in out
    assert "Crime and Security Act 2010, s.27(3)" in out
    assert "Latest time the DVPO application must be heard" in out


def test_unknown_event_exits_2_and_names_the_valid_events() -> None:
    code, out, err = run("deadline", "dvpn-servd", "--at", "2025-03-10T14:30")
    assert code == 2
    assert out == ""
    assert "dvpn-servd" in err
    for name in EVENTS:
        assert name in err


@pytest.mark.parametrize("value", ["10/03/2025", "2025-13-01", "tomorrow"])
def test_bad_datetime_fails_with_the_expected_format(value: str) -> None:
    code, out, err = run("deadline", "spo-served", "--at", value)
    assert code != 0
    assert out == ""
    assert value in err
    assert '"2025-03-10T14:30"' in err
    assert "2025-03-10T14:30+00:00" in err


def test_bad_extra_bank_holiday_fails_with_the_expected_format() -> None:
    code, _, err = run(
        "deadline", "spo-served", "--at", "2025-03-10", "--extra-bank-holiday", "9 June"
    )
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_missing_at_is_a_usage_error() -> None:
    code, _, err = run("deadline", "spo-served")
    assert code == 2
    assert "--at" in err


def test_events_lists_every_event_with_its_citation() -> None:
    code, out, _ = run("events")
    assert code == 0
    for rule in EVENTS.values():
        assert rule.name in out
        assert rule.basis in out
        for deadline in rule.deadlines:
            assert deadline.basis in out


def test_events_json() -> None:
    code, out, _ = run("events", "--json")
    assert code == 0
    events = json.loads(out)["events"]
    assert [e["name"] for e in events] == list(EVENTS)
    for event in events:
        assert set(event) == {"name", "description", "basis", "deadlines"}
        for deadline in event["deadlines"]:
            assert set(deadline) == {"name", "description", "basis", "counting"}
            assert deadline["basis"]


def test_help_exits_0() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "safeguard rules" in out


def test_runs_as_a_module_without_django() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "import sys, runpy; sys.argv = ['cli', 'deadline', 'spo-made', '--at', '2025-03-10', '--json']; "
        "runpy.run_module('safeguard.rules.cli', run_name='__main__')"
    )
    # Django must not be imported by the rules package (DESIGN.md: rules is framework-free).
    check = "import sys; assert 'django' not in sys.modules, 'rules imported Django'"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "2027-03-09T23:59:59+00:00" in result.stdout
    no_django = subprocess.run(
        [sys.executable, "-c", f"import safeguard.rules.cli; {check}"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert no_django.returncode == 0, no_django.stderr
