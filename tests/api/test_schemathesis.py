"""Schema fuzzing of the live API (issue 8, item 4; issue 3, object-level fuzzing).

Schemathesis reads /api/schema/ from Safeguard's server, started on the test database and runs every
check it has (`--checks all`: no server errors, status codes, content types, headers and bodies
conforming to the schema, negative data rejected, positive data accepted, missing headers,
unsupported methods, use after free, resource availability, ignored authentication, and
object-level authorisation) through the examples, fuzzing and stateful phases (the stateful phase chains a created record
into the calls that read and change it), with a fixed seed, as two officers of different teams who must not see each other's cases
(the `peers` of the object-level check) and, for what no officer may do (screening candidates, the
force's metrics, exports of orders), an SPO coordinator: schemathesis tries the identities in order
on each operation and keeps the first one the operation admits. The test then reads the server's
request log and requires that the candidates list, the metrics and the report PATCH were each
answered 2xx at least once, so their success paths are fuzzed, not only their 403s.

The run must have 0 failures of any kind over at least 1,000 generated cases; the test prints
its figures (about 1,450 cases in 60 to 70 s of schemathesis, 80 s for the whole test, on two
cores at load average 4 to 7). The coverage phase is left out
to keep `make test` reasonable: it adds some 6,000 boundary cases and 12 minutes; run it with
SAFEGUARD_SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful. One setting departs from schemathesis's defaults, deliberately: a schema-valid
request that the law or the record's state refuses is answered 400/422 with the rule (a
hearing outcome for an order never applied for, say), which no JSON schema can express; so
`positive_data_acceptance` also expects 400 and 422. Everything else is as schemathesis ships it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from safeguard.reports.models import Report
from safeguard.reports.services import report_version
from safeguard.screening.models import Candidate
from tests.api.conftest import World

SEED = 20251128
MAX_EXAMPLES = int(os.environ.get("SAFEGUARD_SCHEMATHESIS_EXAMPLES", "30"))
MIN_CASES = 1000
PEERS = ("officer_a", "officer_b")
# Tried after the peers, for operations neither officer may use (schemathesis escalates on 403).
IDENTITIES = (*PEERS, "coordinator")
# Operations whose success path must be exercised (method, path pattern of the request log).
MUST_SUCCEED = {
    "GET candidates/": re.compile(r"GET /api/v1/candidates/(\?\S*)? "),
    # A candidate's own read and status change are fuzzed too, but a generated id finds the seeded
    # candidate only by chance (pinning it turns negative cases into valid requests, which
    # schemathesis then reports as accepted): their success paths are asserted in
    # tests/api/test_candidates_metrics.py instead.
    "GET metrics/": re.compile(r"GET /api/v1/metrics/(\?\S*)? "),
    "PATCH reports/{id}/": re.compile(r"PATCH /api/v1/reports/\d+/(\?\S*)? "),
}

CONFIG = """
[auth.wfc]
path = "{auth}"
peers = ["officer_a", "officer_b"]

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "422"]

# A report of officer_a's: ids are fuzzed everywhere else, but its read and its change must find
# one, or the change's success path is never reached (with random ids both are 404s).
[[operations]]
include-path = "/api/v1/reports/{{id}}/"
parameters = {{ id = {report} }}
"""


# A report's version is a fingerprint of its facts, which no generator can guess: the client reads
# it and names it as `expected_version` (the schema's ChangeReport link says so). The stateful
# phase seldom follows that link within its budget, so these hooks do what a client does: keep
# the version of each report last read or changed, and name it in a PATCH of that report whose
# generated `expected_version` is a plausible one (a string within its length). A mutated one (a
# number, too long) is left as generated, so negative cases stay negative; schemathesis
# revalidates a case a `before_call` hook changed.
HOOKS = """
import schemathesis

PATH = "/api/v1/reports/{id}/"
VERSIONS = {}  # filled below with the pinned report's version when the run starts


@schemathesis.hook
def after_call(context, case, response):
    if case.operation.path != PATH or response.status_code != 200:
        return
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict) and isinstance(body.get("version"), str):
        VERSIONS[str(body.get("id"))] = body["version"]


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.path != PATH or case.operation.method.upper() != "PATCH":
        return
    if not isinstance(case.body, dict):
        return
    version = VERSIONS.get(str((case.path_parameters or {}).get("id")))
    current = case.body.get("expected_version")
    if version and isinstance(current, str) and len(current) <= 64:
        case.body["expected_version"] = version
"""


def _schemathesis() -> str:
    return str(Path(sys.executable).with_name("schemathesis"))


@pytest.fixture
def server_log(tmp_path: Path) -> Path:
    return tmp_path / "server.log"


@pytest.fixture
def server(transactional_db, server_log: Path) -> Iterator[str]:
    """Safeguard's own server (`safeguard runserver`, DEBUG off) on the test database, in a
    process of its own, as a deployment would run it; stopped before the database is flushed.
    Its request log goes to `server_log` (a file: a pipe nobody reads would block it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    database = urlunsplit((url.scheme, url.netloc, "/" + connection.settings_dict["NAME"], "", ""))
    env = {**os.environ, "DATABASE_URL": database, "SAFEGUARD_DEBUG": "0"}
    log = server_log.open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("safeguard")),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/schema/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def seeded(world: World, make_case):
    """Cases held by each officer's team, and one in another force; a screening candidate made
    from each force's cases (the coordinator's queue, and one it must not reach)."""
    cases = []
    for n in range(3):
        cases.append(make_case(f"NF/A/{n}", officer="officer_a", team="north"))
        cases.append(make_case(f"NF/B/{n}", officer="officer_b", team="south"))
    cases.append(make_case("SF/X/1", force=world.other_force))
    now = timezone.now()
    for case in (cases[0], cases[1], cases[-1]):
        candidate, _ = Candidate.objects.update_or_create(
            force=case.report.force,
            suspect_key=f"P{case.suspect_id}",
            victim_key=f"P{case.victim_id}",
            defaults={
                "suspect_id": case.suspect_id,
                "victim_id": case.victim_id,
                "score": 0.91,
                "summary": "Following and messages on four occasions",
                "reasons": ["Reports on 4 occasions", "Following"],
                "evidence": {"occasions": 4},
                "last_report_at": now,
                "first_flagged_at": now,
                "updated_at": now,
            },
        )
        candidate.reports.add(case.report)
    return world


# Ids start from 1 as on a fresh server, whatever the tests before this one created, so the
# generated ids (small numbers first) find the seeded candidate and cases as a run alone does.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_live_schema_holds_under_fuzzing(
    seeded: World, server: str, server_log: Path, tmp_path: Path
):
    auth = tmp_path / "auth.json"
    auth.write_text(
        json.dumps(
            {
                "auth": [
                    {
                        "name": name,
                        "fixedHeaders": [
                            {"name": "Authorization", "value": f"Bearer {seeded.keys[name]}"}
                        ],
                    }
                    for name in IDENTITIES
                ]
            }
        )
    )
    config = tmp_path / "schemathesis.toml"
    report_id = Report.objects.get(reference="NF/A/0").pk
    config.write_text(CONFIG.format(auth=auth, report=report_id))
    report = tmp_path / "report.json"
    command = [
        _schemathesis(),
        "--config-file",
        str(config),
        "run",
        f"{server}/api/schema/",
        "--checks",
        "all",
        "--phases",
        os.environ.get("SAFEGUARD_SCHEMATHESIS_PHASES", "examples,fuzzing,stateful"),
        "--mode",
        "all",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "2",
        "--wait-for-schema",
        "30",
        "--request-timeout",
        "30",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--suppress-health-check",
        "all",
        "--no-color",
    ]
    started = time.perf_counter()
    # The client has read the pinned report once before it starts (as a real client must), so
    # a PATCH can succeed however the phases are ordered between the workers.
    pinned = Report.objects.get(pk=report_id)
    known = f"VERSIONS[{str(report_id)!r}] = {report_version(pinned)!r}\n"
    (tmp_path / "safeguard_hooks.py").write_text(HOOKS + known)
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "safeguard_hooks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=1200, check=False
    )
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    summary = _summary(report)
    succeeded = _successes(server_log)
    print(
        f"\nschemathesis: {summary['cases']} cases, {summary['operations']} operations, "
        f"{summary['failures']} failures, {summary['errors']} errors, seed {SEED}, "
        f"{seconds:.0f} s; 2xx answers: {succeeded}\n" + output[-3000:]
    )
    assert result.returncode == 0, output[-20000:]
    assert summary["failures"] == 0, output[-20000:]
    assert summary["errors"] == 0, output[-20000:]
    assert summary["cases"] >= MIN_CASES, f"only {summary['cases']} cases were generated"
    missed = [operation for operation, count in succeeded.items() if count == 0]
    assert not missed, f"never answered 2xx, so their success paths went unfuzzed: {missed}"


def _successes(log: Path) -> dict[str, int]:
    """How many 2xx answers the server logged for each operation in MUST_SUCCEED."""
    counts = dict.fromkeys(MUST_SUCCEED, 0)
    for line in log.read_text(errors="replace").splitlines():
        answered = re.search(r'"([A-Z]+ \S+) HTTP/[\d.]+" (\d{3}) ', line)
        if not answered or not answered.group(2).startswith("2"):
            continue
        for operation, pattern in MUST_SUCCEED.items():
            if pattern.match(answered.group(1) + " "):
                counts[operation] += 1
    return counts


def _summary(path: Path) -> dict[str, int]:
    """Counts from schemathesis's JSON run report."""
    if not path.exists():
        return {"cases": 0, "operations": 0, "failures": -1, "errors": -1}
    data = json.loads(path.read_text())
    return {
        "cases": data["test_cases"]["generated"],
        "operations": data["operations"]["tested"],
        "failures": sum(f["count"] for f in data["failures"]),
        "errors": len(data["errors"]) + data["test_cases"]["errored"],
    }
