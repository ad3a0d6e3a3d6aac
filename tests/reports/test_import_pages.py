"""Importing from the browser: upload, check, preview, confirm, progress (jobs run inline here,
when the request's transaction commits: SAFEGUARD_JOBS_EAGER)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safeguard.access.models import Role
from safeguard.reports.importers.sample import COLUMNS, write_csv
from safeguard.reports.models import ImportRun, ImportStatus, Report


@pytest.fixture
def browser(coordinator, sign_in, settings, tmp_path) -> Client:
    settings.SAFEGUARD_JOBS_EAGER = True
    settings.VAR_DIR = tmp_path / "var"
    client = Client()
    sign_in(client, coordinator)
    return client


def upload(client: Client, tmp_path, name: str, content: bytes, kind: str = "crime-reports"):
    return client.post(
        "/imports/",
        {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")},
        follow=True,
    )


def test_upload_preview_confirm_and_done(browser, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "reports.csv"
    write_csv(path, 15, seed=21)
    page = upload(browser, tmp_path, "reports.csv", path.read_bytes())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Check what will change" in text
    assert "15" in text
    assert Report.objects.count() == 0  # nothing until confirmed
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.READY
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/imports/{run.pk}/confirm/")
    done = browser.get(f"/imports/{run.pk}/")
    assert done.status_code == 200
    assert "Import complete" in done.content.decode()
    assert Report.objects.count() == 15
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert run.rows_done == run.total_rows
    fragment = browser.get(f"/imports/{run.pk}/progress/")
    assert "15 added" in fragment.content.decode()
    # The same file again: nothing to do.
    upload(browser, tmp_path, "reports.csv", path.read_bytes())
    again = ImportRun.objects.latest("created_at")
    page = browser.post(f"/imports/{again.pk}/confirm/", follow=True)
    assert "changes nothing" in page.content.decode()
    assert Report.objects.count() == 15


def test_a_file_with_problems_lists_them_and_imports_nothing(browser, tmp_path):
    content = b"reference,offence_code\nA/1,8Q\n"
    page = upload(browser, tmp_path, "short.csv", content)
    text = page.content.decode()
    assert "nothing was imported" in text
    assert "Missing columns" in text
    assert ImportRun.objects.get().status == ImportStatus.INVALID
    assert Report.objects.count() == 0


def test_a_file_in_the_wrong_encoding(browser, tmp_path):
    content = (
        ",".join(COLUMNS) + "\nA/1,8Q,2024-01-01,2024-01-01" + "," * 8 + "victim,Ann,,Bront\u00eb\n"
    ).encode("cp1252")
    text = upload(browser, tmp_path, "excel.csv", content).content.decode()
    assert "Windows-1252" in text


def test_who_may_import(make_user, force, sign_in, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    for role, status in (
        (Role.ANALYST, 403),
        (Role.LEGAL, 403),
        (Role.OFFICER, 200),
        (Role.COORDINATOR, 200),
    ):
        client = Client()
        sign_in(client, make_user(role, force))
        assert client.get("/imports/").status_code == status, role


def test_runs_are_seen_only_within_the_force(browser, make_user, other_force, sign_in, tmp_path):
    path = tmp_path / "reports.csv"
    write_csv(path, 3, seed=22)
    upload(browser, tmp_path, "reports.csv", path.read_bytes())
    run = ImportRun.objects.get()
    outsider = Client()
    sign_in(outsider, make_user(Role.COORDINATOR, other_force))
    assert outsider.get(f"/imports/{run.pk}/").status_code == 404
    assert outsider.post(f"/imports/{run.pk}/confirm/").status_code == 404
