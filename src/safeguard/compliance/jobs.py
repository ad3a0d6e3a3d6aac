"""Compliance jobs for the queue (safeguard/jobs.py, docs/adr/0004-job-queue.md).

Both run on a schedule. Procrastinate records each scheduled run in procrastinate_periodic_defers
under a unique key (task, schedule, timestamp), so each tick is queued once however many workers
are running; the queueing lock keeps at most one waiting, and the lock one running, at a time.
"""

from __future__ import annotations

from django.conf import settings

from safeguard.jobs import app, job_body


@app.periodic(cron=settings.SAFEGUARD_REMINDER_CRON, periodic_id="reminders")
@app.task(
    name="compliance.run_reminders",
    queue="reminders",
    queueing_lock="reminders",
    lock="reminders",
)
@job_body("reminders")
def run_reminders(timestamp: int) -> dict:
    from safeguard.compliance import reminders

    result = reminders.run()
    return {"deadlines": result.deadlines, "created": result.created, "emailed": result.emailed}


@app.periodic(cron=settings.SAFEGUARD_REVIEW_CRON, periodic_id="reviews")
@app.task(
    name="compliance.sweep_reviews", queue="reminders", queueing_lock="reviews", lock="reviews"
)
@job_body("reviews")
def sweep_reviews(timestamp: int) -> dict:
    from safeguard.compliance import reviews

    result = reviews.sweep()
    return {"opened": result.opened, "closed": result.closed}
