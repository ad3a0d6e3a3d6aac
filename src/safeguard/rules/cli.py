"""`safeguard rules`: ask the statutory clock from the command line, without Django.

    python -m safeguard.rules.cli events [--json]
    python -m safeguard.rules.cli deadline dvpn-served --at 2025-03-15T10:00 [--json]
        [--extra-bank-holiday 2025-06-09 ...]

Run it as a module (-m): run as a script, its directory would shadow the standard library's
`calendar` module with rules/calendar.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TextIO

from safeguard.rules.calendar import DEFAULT_CALENDAR, Calendar
from safeguard.rules.clock import (
    DEFAULT_CONFIG,
    EVENTS,
    ClockConfig,
    Deadline,
    EventRule,
    UnknownEvent,
    compute_deadlines,
    get_event,
    parse_datetime,
    to_london,
)

PROG = "safeguard rules"


def _datetime_argument(text: str) -> datetime:
    # argparse shows an ArgumentTypeError's own message but replaces a ValueError's with a generic
    # one, which would hide the expected format from the user.
    try:
        return parse_datetime(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"Cannot read {text!r} as a date: expected YYYY-MM-DD, e.g. 2025-06-09"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The statutory clock: deadlines that case events start (England and Wales).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    events = commands.add_parser("events", help="list every event, its deadlines and citations")
    events.add_argument("--json", action="store_true", help="print JSON")

    deadline = commands.add_parser("deadline", help="compute the deadlines an event starts")
    deadline.add_argument("event", metavar="EVENT", help="an event name; see `events`")
    deadline.add_argument(
        "--at",
        required=True,
        type=_datetime_argument,
        metavar="DATETIME",
        help='when the event happened, ISO 8601: "2025-03-10T14:30" is Europe/London time, '
        '"2025-03-10T14:30+00:00" has an explicit offset',
    )
    deadline.add_argument("--json", action="store_true", help="print JSON")
    deadline.add_argument(
        "--extra-bank-holiday",
        action="extend",
        nargs="+",
        type=_date_argument,
        default=[],
        metavar="YYYY-MM-DD",
        help="a proclaimed bank holiday missing from the built-in calendar (repeatable)",
    )
    return parser


def _format_due(moment: datetime) -> str:
    return f"{moment:%a %d %b %Y %H:%M:%S} {moment.tzname()}"


def _event_json(rule: EventRule, config: ClockConfig) -> dict[str, Any]:
    return {
        "name": rule.name,
        "description": rule.description,
        "basis": rule.basis,
        "deadlines": [
            {
                "name": d.name,
                "description": d.description,
                "basis": d.basis,
                "counting": d.counting.explain(config),
            }
            for d in rule.deadlines
        ],
    }


def _print_events(as_json: bool, config: ClockConfig, out: TextIO) -> None:
    if as_json:
        payload = {"events": [_event_json(rule, config) for rule in EVENTS.values()]}
        out.write(json.dumps(payload, indent=2) + "\n")
        return
    for rule in EVENTS.values():
        out.write(f"{rule.name}\n    {rule.description} ({rule.basis})\n")
        for d in rule.deadlines:
            out.write(f"    -> {d.name}: {d.description} ({d.basis})\n")
            out.write(f"       counting: {d.counting.explain(config)}\n")
        out.write("\n")


def _deadline_json(event: str, at: datetime, deadlines: Sequence[Deadline]) -> dict[str, Any]:
    return {
        "event": event,
        "at": at.isoformat(),
        "deadlines": [
            {
                "name": d.name,
                "description": d.description,
                "due": d.due.isoformat(),
                "basis": d.basis,
            }
            for d in deadlines
        ],
    }


def _print_deadlines(
    rule: EventRule,
    at: datetime,
    deadlines: Sequence[Deadline],
    config: ClockConfig,
    out: TextIO,
) -> None:
    out.write(f"Event  {rule.name}: {rule.description} ({rule.basis})\n")
    out.write(f"At     {_format_due(at)}  ({at.isoformat()})\n\n")
    dues = [_format_due(d.due) for d in deadlines]
    name_width = max(len("Deadline"), *(len(d.name) for d in deadlines))
    due_width = max(len("Due (Europe/London)"), *(len(due) for due in dues))
    out.write(f"{'Deadline':<{name_width}}  {'Due (Europe/London)':<{due_width}}  Basis\n")
    indent = " " * (name_width + 2)
    for d, due, spec in zip(deadlines, dues, rule.deadlines, strict=True):
        out.write(f"{d.name:<{name_width}}  {due:<{due_width}}  {d.basis}\n")
        out.write(f"{indent}{d.description}\n")
        out.write(f"{indent}counting: {spec.counting.explain(config)}\n")
        if spec.caveat:
            out.write(f"{indent}note: {spec.caveat}\n")


def main(
    argv: list[str] | None = None,
    *,
    calendar: Calendar | None = None,
    config: ClockConfig | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run `safeguard rules`; returns the exit status (0 ok, 2 usage error)."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    calendar = DEFAULT_CALENDAR if calendar is None else calendar
    config = DEFAULT_CONFIG if config is None else config
    parser = build_parser()
    # argparse writes usage errors and --help straight to sys.stdout/sys.stderr and exits, so
    # point those at the caller's streams and turn the exit into a return value.
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)

    if args.command == "events":
        _print_events(args.json, config, out)
        return 0

    try:
        rule = get_event(args.event)
    except UnknownEvent as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return 2
    if args.extra_bank_holiday:
        calendar = calendar.with_extra(*args.extra_bank_holiday)
    at = to_london(args.at)
    deadlines = compute_deadlines(rule.name, at, calendar=calendar, config=config)
    if args.json:
        out.write(json.dumps(_deadline_json(rule.name, at, deadlines), indent=2) + "\n")
    else:
        _print_deadlines(rule, at, deadlines, config, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
