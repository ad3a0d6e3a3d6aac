"""Import throughput from the browser: a coordinator imports 11,000 crime reports through the
web pages, as a person would, against the same rows through COPY (issue 8).

In one run, on a throwaway database on the configured PostgreSQL server:
1. makes a force and a coordinator with an authenticator-app device, and writes a sample file of
   11,000 reports in the documented format (about 24,000 file rows);
2. starts Safeguard as `make run` does, but served by gunicorn (`--workers`, DEBUG off), with the
   job queue's worker (`safeguard procrastinate worker`) beside it;
3. signs in over HTTP with the password and the second factor, uploads the file on /imports/
   (the check of every row runs in that request and answers with the preview), confirms it, and
   polls the progress fragment (/imports/<id>/progress/, what the page's htmx polls) until the
   done panel, noting the progress seen on the way;
4. takes the rows the import wrote and loads them again with COPY into the same tables, audit
   triggers on (benchmarks/import.py's `_copy_round`): the ceiling for these tables as they are.

Prints rows per second for each and writes benchmarks/results/import_browser.json.
    python benchmarks/import_browser.py [--reports 11000] [--workers 2] [--poll 1]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _support import ROOT, throwaway_database

PASSWORD = "a-long-bench-password"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROGRESS = re.compile(r"Importing: (\d+) of (\d+) rows")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _csrf(session, url: str) -> str:
    page = session.get(url, timeout=60)
    page.raise_for_status()
    found = CSRF.search(page.text)
    if not found:
        raise RuntimeError(f"No CSRF token on {url} ({page.status_code} {page.url})")
    return found.group(1)


def _seed():
    from safeguard.access import otp
    from safeguard.access.models import Force, Role, Team, User

    force = Force.objects.create(code="norfolk", name="Norfolk")
    team = Team.objects.create(force=force, name="Public Protection")
    user = User.objects.create_user(
        username="bench-coordinator",
        password=PASSWORD,
        role=Role.COORDINATOR,
        force=force,
        team=team,
    )
    return force, user, otp.provision_totp(user)


def _sign_in(session, base: str, user, device) -> None:
    from safeguard.access import otp

    token = _csrf(session, f"{base}/sign-in/")
    answer = session.post(
        f"{base}/sign-in/",
        data={"csrfmiddlewaretoken": token, "username": user.username, "password": PASSWORD},
        timeout=60,
    )
    if "/sign-in/two-factor/" not in answer.url:
        raise RuntimeError(f"Password not accepted: {answer.status_code} {answer.url}")
    token = CSRF.search(answer.text).group(1)  # type: ignore[union-attr]
    answer = session.post(
        answer.url,
        data={"csrfmiddlewaretoken": token, "code": otp.current_code(device)},
        timeout=60,
    )
    if "/sign-in/" in answer.url:
        raise RuntimeError(f"Second factor not accepted: {answer.status_code} {answer.url}")


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=11_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between progress polls")
    args = parser.parse_args()
    import requests

    copy_round = importlib.import_module("import")._copy_round
    with throwaway_database("bench_import_browser"):
        from django.db import connection, connections, transaction

        from safeguard.reports.importers.sample import write_csv
        from safeguard.reports.models import ImportRun

        force, user, device = _seed()
        connections.close_all()
        folder = Path(tempfile.mkdtemp())
        path = folder / "rms-export.csv"
        file_rows = write_csv(path, args.reports, seed=2025)
        size = path.stat().st_size
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "SAFEGUARD_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "safeguard.settings"}
        bin_dir = Path(sys.executable).parent
        server = _start(
            [str(bin_dir / "gunicorn"), "safeguard.wsgi:application", "--workers",
             str(args.workers), "--timeout", "600", "--bind", f"127.0.0.1:{port}"],
            env,
        )  # fmt: skip
        worker = _start([str(bin_dir / "safeguard"), "procrastinate", "worker"], env)
        samples: list[tuple[float, int]] = []
        try:
            for _ in range(240):
                try:
                    requests.get(f"{base}/sign-in/", timeout=2)
                    break
                except requests.RequestException:
                    time.sleep(0.5)
            else:
                print("The server did not start")
                return 1
            session = requests.Session()
            _sign_in(session, base, user, device)

            # Upload: the request stores the file and checks every row, then shows the preview.
            token = _csrf(session, f"{base}/imports/")
            started = time.perf_counter()
            with path.open("rb") as f:
                preview = session.post(
                    f"{base}/imports/",
                    data={"csrfmiddlewaretoken": token, "kind": "crime-reports"},
                    files={"file": (path.name, f, "text/csv")},
                    timeout=600,
                )
            checked = time.perf_counter() - started
            if "Check what will change" not in preview.text:
                print(f"No preview: {preview.status_code} {preview.url}")
                return 1
            run_id = int(re.search(r"/imports/(\d+)/", preview.url).group(1))  # type: ignore[union-attr]

            # Confirm, then follow the progress as the page does.
            token = CSRF.findall(preview.text)[-1]
            started = time.perf_counter()
            session.post(
                f"{base}/imports/{run_id}/confirm/",
                data={"csrfmiddlewaretoken": token},
                timeout=60,
            ).raise_for_status()
            polls = 0
            while True:
                fragment = session.get(f"{base}/imports/{run_id}/progress/", timeout=60).text
                polls += 1
                elapsed = time.perf_counter() - started
                if "Import complete" in fragment:
                    break
                if "The import stopped" in fragment or elapsed > 3600:
                    print(f"The import did not finish: {fragment[:400]}")
                    return 1
                moving = PROGRESS.search(fragment)
                if moving:
                    samples.append((round(elapsed, 1), int(moving.group(1))))
                time.sleep(args.poll)
            written = time.perf_counter() - started
        finally:
            _stop(worker)
            _stop(server)
        run = ImportRun.objects.get(pk=run_id)
        assert run.created_count == args.reports, run.created_count
        stored = Path(run.stored_path)
        with connection.cursor() as cursor:
            db_rows = 0
            for table in ("reports_report", "people_person", "reports_reportparty",
                          "people_identifier", "people_protecteddetail"):  # fmt: skip
                cursor.execute(f"SELECT count(*) FROM {table}")
                db_rows += cursor.fetchone()[0]
            with transaction.atomic():
                copy_rows, copy_seconds = copy_round(cursor, force.pk, "A")
        connections.close_all()
        shutil.rmtree(folder, ignore_errors=True)
        if stored.parent.name and stored.parent.parent.name == "imports":
            shutil.rmtree(stored.parent, ignore_errors=True)
    total = checked + written
    figures = {
        "reports": args.reports,
        "file_rows": file_rows,
        "file_mb": round(size / 1e6, 1),
        "db_rows": db_rows,
        "gunicorn_workers": args.workers,
        "upload_and_check_seconds": round(checked, 2),
        "confirm_to_done_seconds": round(written, 2),
        "progress_polls": polls,
        "progress_seen": samples[:: max(1, len(samples) // 10)],
        "browser_file_rows_per_s": round(file_rows / total),
        "browser_db_rows_per_s": round(db_rows / total),
        "browser_write_db_rows_per_s": round(db_rows / written),
        "copy_rows": copy_rows,
        "copy_seconds": round(copy_seconds, 2),
        "copy_db_rows_per_s": round(copy_rows / copy_seconds),
    }
    print(
        f"{args.reports:,} reports, {file_rows:,} file rows ({size / 1e6:.1f} MB) -> "
        f"{db_rows:,} table rows, through the browser pages (gunicorn x{args.workers} + worker)"
    )
    print(f"{'path':<46} {'seconds':>8} {'table rows/s':>13}")
    print(f"{'upload + check every row (-> preview)':<46} {checked:8.1f}")
    print(f"{'confirm -> done (job worker, polled)':<46} {written:8.1f} {db_rows / written:13,.0f}")
    print(
        f"{'browser: upload to done':<46} {total:8.1f} {db_rows / total:13,.0f}  "
        f"({file_rows / total:,.0f} file rows/s)"
    )
    print(f"{'COPY, same rows, same tables, audited':<46} {copy_seconds:8.1f} {copy_rows / copy_seconds:13,.0f}")  # fmt: skip
    print(f"progress seen in {polls} polls: {samples[:: max(1, len(samples) // 6)]}")
    print(
        f"browser import at {100 * (db_rows / total) / (copy_rows / copy_seconds):.0f}% of the "
        "audited COPY ceiling"
    )
    out = ROOT / "benchmarks" / "results" / "import_browser.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
