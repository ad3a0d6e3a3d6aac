"""Import jobs for the queue (safeguard/jobs.py, docs/adr/0004-job-queue.md).

An import confirmed in the browser runs here, in the worker, not in the web request. Running it
again is harmless: `runner.execute` carries on from the last committed batch, and does nothing
for a run that is finished or that another worker is still writing (fresh heartbeat).
"""

from __future__ import annotations

from procrastinate import RetryStrategy

from safeguard.jobs import app, job_body


@app.task(
    name="reports.import_file",
    queue="imports",
    retry=RetryStrategy(max_attempts=3, wait=30),
)
@job_body("import")
def import_file(run_id: int, user_id: int | None = None) -> str:
    """Write a checked import run, from where it stopped. Returns its final status."""
    from safeguard.access.models import User
    from safeguard.reports.importers import runner

    user = User.objects.filter(pk=user_id).first() if user_id else None
    return runner.execute(run_id, user=user).status
