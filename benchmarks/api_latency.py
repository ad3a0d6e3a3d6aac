"""API latency under load: wrk with 50 concurrent connections on loopback.

On a throwaway database: a force with 400 reports and their draft orders, and a coordinator's
API token. Starts Safeguard as production serves it (gunicorn, `--workers` processes, DEBUG off; or
`--server runserver`, Django's one threaded process) on a free port, runs wrk against three
endpoints for a bounded time each, first with one connection (the service time of one request)
then with 50 (the figure asked for: requests queue for the workers, so p50 is roughly
50 / throughput), stops the server, and prints requests per second, median (p50) and
99th-percentile (p99) latency. Writes benchmarks/results/api_latency.json.

    python benchmarks/api_latency.py [--seconds 15] [--connections 50] [--workers 5]

Needs wrk (`apt-get install -y wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _support import ROOT, throwaway_database

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def _seed(reports: int) -> tuple[str, int]:
    import datetime as dt

    from django.utils import timezone

    from safeguard.access.models import Force, Role, Team, User
    from safeguard.api import authentication
    from safeguard.orders import services as orders
    from safeguard.reports import services

    force = Force.objects.create(code="norfolk", name="Norfolk")
    team = Team.objects.create(force=force, name="Public Protection")
    coordinator = User.objects.create_user(
        username="bench-coordinator",
        password="a-long-bench-password",
        role=Role.COORDINATOR,
        force=force,
        team=team,
    )
    new = [
        services.NewReport(
            reference=f"BENCH/{n:05d}",
            offence_code="8Q",
            reported_at=timezone.now() - dt.timedelta(days=n % 300 + 1),
            occurred_from=timezone.localdate() - dt.timedelta(days=n % 300 + 30),
            behaviours=("contact",),
            team=team,
            parties=(
                services.NewParty(role="victim", given_name="Vicky", surname=f"Marsh{n}"),
                services.NewParty(role="suspect", given_name="Dan", surname=f"Reeve{n}"),
            ),
        )
        for n in range(reports)
    ]
    created = services.create_reports(force=force, reports=new, by=None)
    order_id = 0
    for report in created:
        parties = {p.role: p.person for p in report.report_parties.select_related("person")}
        order = orders.create_order(
            force=force,
            order_type="spo",
            defendant=parties["suspect"],
            protected_persons=[parties["victim"]],
            by=None,
            reports=[report],
            team=team,
            conditions=[orders.ProposedCondition("no-contact", necessity="Messages")],
        )
        order_id = order.pk
    _, key = authentication.issue(coordinator, name="benchmark")
    return key, order_id


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--server", choices=("gunicorn", "runserver"), default="gunicorn")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed: apt-get install -y wrk")
        return 1
    results = {}
    with throwaway_database("bench_api"):
        key, order_id = _seed(args.reports)
        from django.db import connections

        connections.close_all()
        port = _free_port()
        env = {**os.environ, "SAFEGUARD_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "safeguard.settings"}
        bin_dir = Path(sys.executable).parent
        if args.server == "gunicorn":
            command = [str(bin_dir / "gunicorn"), "safeguard.wsgi:application",
                       "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]  # fmt: skip
        else:
            command = [str(bin_dir / "safeguard"), "runserver", f"127.0.0.1:{port}", "--noreload"]
        server = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/api/schema/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                print("The server did not start")
                return 1
            endpoints = {
                "GET /api/v1/orders/ (list, 50 a page)": f"{base}/api/v1/orders/",
                "GET /api/v1/orders/{id}/ (one order, in full)": f"{base}/api/v1/orders/{order_id}/",
                "GET /api/v1/reports/?offence_code=8Q": f"{base}/api/v1/reports/?offence_code=8Q",
            }
            for label, url in endpoints.items():
                for connections_ in (1, args.connections):
                    out = subprocess.run(
                        [
                            wrk,
                            f"-t{min(2, connections_)}",
                            f"-c{connections_}",
                            f"-d{args.seconds}s",
                            "--timeout",
                            "30s",
                            "--latency",
                            "-H",
                            f"Authorization: Bearer {key}",
                            url,
                        ],
                        capture_output=True,
                        text=True,
                        timeout=args.seconds + 60,
                        check=True,
                    ).stdout
                    latency = dict(
                        re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.MULTILINE)
                    )
                    if "50" not in latency:
                        print(out)
                        return 1
                    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
                    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                    results[f"{label} @{connections_}"] = {
                        "connections": connections_,
                        "requests_per_s": round(rps, 1),
                        "p50_ms": round(_ms(latency["50"]), 1),
                        "p99_ms": round(_ms(latency["99"]), 1),
                        "non_2xx": int(errors.group(1)) if errors else 0,
                    }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(
        f"wrk, 1 and {args.connections} connections, {args.seconds} s each, loopback, "
        f"{'gunicorn, ' + str(args.workers) + ' workers' if args.server == 'gunicorn' else 'runserver'}, "
        "token auth, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'endpoint @connections':<52} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, r in results.items():
        print(
            f"{label:<52} {r['requests_per_s']:7.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['non_2xx']:7d}"
        )
    out_path = ROOT / "benchmarks" / "results" / "api_latency.json"
    out_path.parent.mkdir(exist_ok=True)
    out_path.write_text(
        json.dumps(
            {
                "server": args.server,
                "workers": args.workers if args.server == "gunicorn" else 1,
                "connections": args.connections,
                "seconds": args.seconds,
                "endpoints": results,
            },
            indent=2,
        )
        + "\n"
    )
    return 0 if all(r["non_2xx"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
