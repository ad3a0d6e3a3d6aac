"""A coordinator imports a file of crime reports from the browser (issue 8): upload, the check
with its preview of what will change, confirm, the progress bar while a background job writes
it (htmx polling the progress fragment, no reload), and the done panel. Each page passes
axe-core's WCAG 2.x A/AA rules.

The background job runs on a thread here, as the job worker would run it (the queue's worker is
a separate process in production: `safeguard procrastinate worker`). The thread waits until the
test has seen the "waiting" state, and the importer writes in small batches, so the progress bar
is seen moving before the import completes.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from safeguard.reports.importers import crime_reports
from safeguard.reports.importers.sample import write_csv
from safeguard.reports.models import ImportRun, ImportStatus, Report
from tests.e2e.conftest import AxeReport, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPORTS = 120


def assert_accessible(axe: AxeReport, page: Page, name: str) -> None:
    violations = axe.check(page, name)
    assert violations == [], f"{name}: {violations}"


@pytest.fixture
def worker(monkeypatch, settings, tmp_path):
    """The job queue, in a thread: jobs deferred by a request start once it commits, after the
    test releases them (`go`); each batch pauses a little, as a large file's batches take time."""
    settings.SAFEGUARD_JOBS_EAGER = False
    settings.VAR_DIR = tmp_path / "var"
    go = threading.Event()
    threads: list[threading.Thread] = []

    def defer(task, **kwargs):
        def run() -> None:
            go.wait(30)
            task(**kwargs)

        def start() -> None:
            thread = threading.Thread(target=run, daemon=True)
            threads.append(thread)
            thread.start()

        transaction.on_commit(start)
        return None

    monkeypatch.setattr("safeguard.jobs.defer", defer)
    monkeypatch.setattr(crime_reports, "BATCH_REPORTS", 20)
    write = crime_reports.CrimeReportsImporter.write

    def slow_write(self, *, start_row, on_batch):
        def paced(*args):
            on_batch(*args)
            time.sleep(0.4)

        return write(self, start_row=start_row, on_batch=paced)

    monkeypatch.setattr(crime_reports.CrimeReportsImporter, "write", slow_write)
    yield go
    go.set()
    for thread in threads:
        thread.join(60)


def test_coordinator_imports_a_file_with_a_progress_bar(
    page: Page, axe_report: AxeReport, e2e_coordinator, worker, tmp_path
):
    path = tmp_path / "rms-export.csv"
    write_csv(path, REPORTS, seed=8)

    sign_in(page, e2e_coordinator, start="/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a file")
    assert_accessible(axe_report, page, "import: upload")

    # A file with no file chosen: the error summary links to the field.
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe_report, page, "import: upload with an error")

    page.get_by_label("What is in the file?").select_option("crime-reports")
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()

    # The preview: what will change, and nothing written yet.
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.get_by_role("heading", name="Check what will change")).to_be_visible()
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("New reports")
    expect(summary).to_contain_text(str(REPORTS))
    assert Report.objects.count() == 0
    assert_accessible(axe_report, page, "import: preview")

    page.get_by_role("button", name="Import the file").click()

    # Queued: the progress bar is on the page and polls for news.
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("Waiting to start")
    expect(page.locator("progress#import-progress-bar")).to_be_visible()
    assert_accessible(axe_report, page, "import: progress")
    worker.set()  # the worker takes the job

    # Moving: some rows written, not all (the page is not reloaded: htmx swaps the fragment).
    expect(progress).to_contain_text(re.compile(r"Importing: [1-9]\d* of \d+ rows"), timeout=20_000)
    bar = page.locator("progress#import-progress-bar")
    assert 0 < float(bar.get_attribute("value") or 0) < float(bar.get_attribute("max") or 0)

    # Done.
    expect(page.get_by_text("Import complete")).to_be_visible(timeout=60_000)
    expect(page.locator(".govuk-panel")).to_contain_text(f"{REPORTS} added")
    assert_accessible(axe_report, page, "import: done")
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.DONE
    assert Report.objects.count() == REPORTS
