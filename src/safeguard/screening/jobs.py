"""Screening on the job queue (safeguard/jobs.py, docs/adr/0004-job-queue.md).

Every minute the worker screens each force whose reports have changed since its last run
(services.screen_pending: an incremental run with the saved model), so a new case reaches the
coordinator's queue within a minute or so of the report being saved. The lock keeps one run at a
time; running it again finds nothing pending and does nothing.
"""

from __future__ import annotations

from safeguard.jobs import app, job_body


@app.periodic(cron="* * * * *", periodic_id="screening")
@app.task(
    name="screening.screen_pending",
    queue="screening",
    queueing_lock="screening",
    lock="screening",
)
@job_body("screening")
def screen_pending(timestamp: int) -> dict:
    from safeguard.screening import services

    runs = services.screen_pending()
    return {"forces": len(runs), "candidates": sum(r.candidates for r in runs)}
