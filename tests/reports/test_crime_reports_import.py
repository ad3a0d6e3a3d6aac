"""The crime-reports importer (docs/data-formats.md): a valid file imports whole and once; a file
with any problem writes nothing and names every problem's row, column and fix; an interrupted
import resumes without duplicates."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safeguard.access.models import Role
from safeguard.people.models import Identifier, Person, ProtectedDetail
from safeguard.reports import services
from safeguard.reports.importers import ImportFailed, runner
from safeguard.reports.importers.sample import COLUMNS, sample_rows, write_csv, write_xlsx
from safeguard.reports.models import ImportRun, ImportStatus, Report, ReportParty

TABLES = (Report, ReportParty, Person, Identifier, ProtectedDetail)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in TABLES)


def write_rows(path: Path, rows: list[dict[str, str]], columns=COLUMNS, encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def problems_of(path: Path, force, user=None) -> list:
    before = counts()
    with pytest.raises(ImportFailed) as failed:
        runner.check("crime-reports", path, force=force, user=user)
    assert counts() == before  # checking writes nothing
    return failed.value.problems


def import_file(path: Path, force, user=None) -> ImportRun:
    preview = runner.check("crime-reports", path, force=force, user=user)
    started = runner.start(
        "crime-reports",
        path,
        file_name=path.name,
        force=force,
        user=user,
        preview=preview,
        stored_path=str(path),
    )
    if started.already_done:
        return started.run
    return runner.execute(started.run.pk, path=path, user=user)


def test_a_valid_file_imports_every_report_with_its_people(force, tmp_path):
    path = tmp_path / "reports.csv"
    rows = write_csv(path, 40, seed=3)
    preview = runner.check("crime-reports", path, force=force, user=None)
    assert preview["reports_new"] == 40
    assert preview["rows"] == rows
    assert preview["victims"] == 40
    assert counts() == (0, 0, 0, 0, 0)
    run = import_file(path, force)
    assert run.status == ImportStatus.DONE
    assert run.created_count == 40
    assert Report.objects.count() == 40
    assert ReportParty.objects.count() == rows
    assert ProtectedDetail.objects.count() == 80  # each victim: an address and a phone
    assert all(r.report_parties.filter(role="victim").exists() for r in Report.objects.all())
    # The protected values are stored encrypted, never in the preview.
    assert "Norwich" not in str(preview)


def test_importing_the_same_file_twice_changes_nothing(force, tmp_path):
    path = tmp_path / "reports.csv"
    write_csv(path, 25, seed=4)
    import_file(path, force)
    after_first = counts()
    again = import_file(path, force)
    assert again.status == ImportStatus.DONE
    assert counts() == after_first
    # The same reports in a different file (re-exported): found by reference, left unchanged.
    other = tmp_path / "again.csv"
    other.write_text(path.read_text().replace("\n", "\r\n"))
    preview = runner.check("crime-reports", other, force=force, user=None)
    assert preview["reports_existing"] == 25
    assert preview["reports_new"] == 0
    import_file(other, force)
    assert counts() == after_first


def test_an_xlsx_file_imports_like_a_csv(force, tmp_path):
    path = tmp_path / "reports.xlsx"
    write_xlsx(path, 10, seed=5)
    run = import_file(path, force)
    assert run.created_count == 10
    assert Report.objects.count() == 10


def test_the_command_line_imports_and_reports_problems(force, tmp_path, capsys):
    good = tmp_path / "good.csv"
    write_csv(good, 5, seed=6)
    call_command("import", "crime-reports", str(good), force_name="norfolk")
    assert Report.objects.count() == 5
    bad = tmp_path / "bad.csv"
    rows = list(sample_rows(2, seed=7))
    rows[0]["reported_at"] = "31/02/2024 10:00"
    write_rows(bad, rows)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "crime-reports", str(bad), force_name="norfolk")
    err = capsys.readouterr().err
    assert "bad.csv, row 2, column reported_at" in err
    assert Report.objects.count() == 5


# --- Malformed files: clear problems, nothing written ------------------------------------------


def test_wrong_encoding(force, tmp_path):
    rows = list(sample_rows(3, seed=8))
    rows[2]["surname"] = "Bront\u00eb"  # written as Windows-1252: one byte 0xeb
    path = write_rows(tmp_path / "excel.csv", rows, encoding="cp1252")
    [problem] = problems_of(path, force)
    assert problem.row is not None
    assert "not UTF-8" in problem.message
    assert "Windows-1252" in problem.message
    assert "CSV UTF-8" in problem.fix


def test_missing_columns(force, tmp_path):
    columns = [c for c in COLUMNS if c not in ("offence_code", "party_role")]
    path = write_rows(tmp_path / "short.csv", list(sample_rows(2, seed=9)), columns=columns)
    [problem] = problems_of(path, force)
    assert problem.row == 1
    assert problem.column == "offence_code, party_role"
    assert "docs/data-formats.md" in problem.fix


def test_unknown_columns_are_named(force, tmp_path):
    path = write_rows(
        tmp_path / "extra.csv", list(sample_rows(1, seed=9)), columns=[*COLUMNS, "dob"]
    )
    [problem] = problems_of(path, force)
    assert problem.column == "dob"


def test_bad_dates_name_the_row_and_column(force, tmp_path):
    rows = list(sample_rows(4, seed=10))
    victim_rows = [i for i, r in enumerate(rows) if r.get("party_role") == "victim"]
    rows[victim_rows[0]]["reported_at"] = "2024-13-40 10:00"
    rows[victim_rows[1]]["occurred_from"] = "yesterday"
    rows[victim_rows[2]]["date_of_birth"] = "31/02/1990"
    path = write_rows(tmp_path / "dates.csv", rows)
    found = {(p.row, p.column) for p in problems_of(path, force)}
    assert (victim_rows[0] + 2, "reported_at") in found
    assert (victim_rows[1] + 2, "occurred_from") in found
    assert (victim_rows[2] + 2, "date_of_birth") in found


def test_duplicate_rows(force, tmp_path):
    rows = list(sample_rows(2, seed=11))
    rows.insert(1, dict(rows[0]))
    path = write_rows(tmp_path / "dupes.csv", rows)
    problems = problems_of(path, force)
    assert any(p.row == 3 and "repeats row 2" in p.message for p in problems)


def test_rows_of_a_report_must_be_together(force, tmp_path):
    rows = list(sample_rows(2, seed=12))
    first = rows[0]["reference"]
    suspect = next(r for r in rows if r["reference"] == first and r["party_role"] == "suspect")
    rows.remove(suspect)
    rows.append(suspect)
    path = write_rows(tmp_path / "unsorted.csv", rows)
    problems = problems_of(path, force)
    assert any(p.column == "reference" and "Sort the file by reference" in p.fix for p in problems)


def test_every_problem_in_the_file_is_reported(force, tmp_path):
    rows = list(sample_rows(30, seed=13))
    for row in rows:
        if row.get("offence_code"):
            row["offence_code"] = "ZZ"
    path = write_rows(tmp_path / "codes.csv", rows)
    problems = problems_of(path, force)
    assert len([p for p in problems if p.column == "offence_code"]) == 30
    assert all("Use one of" in p.fix for p in problems)


def test_protected_values_never_appear_in_a_problem(force, tmp_path):
    rows = list(sample_rows(1, seed=14))
    rows[0]["home_postcode"] = "NR1 1AA"
    rows[0]["home_address"] = ""
    rows[0]["email"] = "not-an-address-CANARY"
    path = write_rows(tmp_path / "protected.csv", rows)
    problems = problems_of(path, force)
    assert {p.column for p in problems} >= {"home_postcode", "email"}
    assert all("CANARY" not in str(p) and "NR1 1AA" not in str(p) for p in problems)


def test_an_officer_imports_only_their_own_cases(force, team, make_user, tmp_path):
    officer = make_user(Role.OFFICER, force, team=team)
    rows = list(sample_rows(1, seed=15))
    path = write_rows(tmp_path / "theirs.csv", rows)
    problems = problems_of(path, force, user=officer)
    assert any(p.column == "officer" and "assigned to you" in p.message for p in problems)
    rows[0]["officer"] = officer.username
    path = write_rows(tmp_path / "mine.csv", rows)
    assert runner.check("crime-reports", path, force=force, user=officer)["reports_new"] == 1


def test_a_100_mb_file_is_read_in_full_with_flat_memory(force, tmp_path):
    """A 100 MB export (long narratives, as records management systems write them) with one bad
    date near its end: the whole file is read, that problem is named, nothing is written, and
    memory does not grow with the file."""
    import resource

    path = tmp_path / "big.csv"
    target = 100 * 1024 * 1024
    narrative = "He waited outside her work again and sent messages through the night. " * 60
    written, n, bad_row, row_number = 0, 0, None, 1
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        while written < target:
            for row in sample_rows(1000, seed=n):
                row["reference"] = row["reference"].replace("SMP/", f"B{n:04d}/")
                if row.get("summary"):
                    row["summary"] = narrative
                row_number += 1
                if bad_row is None and written > target * 0.95 and row.get("occurred_from"):
                    row["occurred_from"] = "2024-02-30"
                    bad_row = row_number
                cells = [row.get(c, "") for c in COLUMNS]
                writer.writerow(cells)
                written += sum(len(c) for c in cells) + len(cells)
            n += 1
    assert path.stat().st_size >= target
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    problems = problems_of(path, force)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"\n100 MB file ({path.stat().st_size / 1e6:.0f} MB, {row_number - 1:,} rows) checked in "
        f"{seconds:.1f} s; peak memory grew {grown:.0f} MB"
    )
    assert [(p.row, p.column) for p in problems] == [(bad_row, "occurred_from")]
    assert counts() == (0, 0, 0, 0, 0)
    assert grown < 200


def test_a_file_over_the_size_limit_is_refused(force, tmp_path, settings):
    settings.SAFEGUARD_IMPORT_MAX_BYTES = 1000
    path = tmp_path / "large.csv"
    write_csv(path, 20, seed=16)
    [problem] = problems_of(path, force)
    assert "Split it" in problem.fix


def test_a_crash_mid_import_resumes_without_duplicates(force, tmp_path, monkeypatch):
    from safeguard.reports.importers import crime_reports

    monkeypatch.setattr(crime_reports, "BATCH_REPORTS", 10)
    path = tmp_path / "crash.csv"
    write_csv(path, 35, seed=17)
    preview = runner.check("crime-reports", path, force=force, user=None)
    run = runner.start(
        "crime-reports",
        path,
        file_name=path.name,
        force=force,
        user=None,
        preview=preview,
        stored_path=str(path),
    ).run
    real = services.create_reports
    calls = {"n": 0}

    def crash_on_third_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_reports", crash_on_third_batch)
    with pytest.raises(ConnectionError):
        runner.execute(run.pk, path=path)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert Report.objects.count() == 20  # two whole batches, never half of one
    assert run.created_count == 20
    # Resume: from where it stopped, the same file, nothing twice.
    again = runner.start(
        "crime-reports",
        path,
        file_name=path.name,
        force=force,
        user=None,
        preview=preview,
        stored_path=str(path),
    )
    assert again.resumed
    assert again.run.pk == run.pk
    done = runner.execute(run.pk, path=path)
    assert done.status == ImportStatus.DONE
    assert Report.objects.count() == 35
    assert done.created_count == 35


def test_new_reports_are_announced_for_screening(
    force, tmp_path, django_capture_on_commit_callbacks
):
    from safeguard.reports.signals import reports_created

    heard = []

    def receiver(sender, force_id, report_ids, **kwargs):
        heard.extend(report_ids)

    reports_created.connect(receiver)
    try:
        path = tmp_path / "reports.csv"
        write_csv(path, 12, seed=18)
        with django_capture_on_commit_callbacks(execute=True):
            import_file(path, force)
    finally:
        reports_created.disconnect(receiver)
    assert sorted(heard) == sorted(Report.objects.values_list("pk", flat=True))
