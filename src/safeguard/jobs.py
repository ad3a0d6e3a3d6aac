"""The job queue: Procrastinate on the service's own PostgreSQL (docs/adr/0004-job-queue.md).

Jobs are defined in each app's `jobs.py` (found by PROCRASTINATE_AUTODISCOVER_MODULE_NAME) with
`@app.task`, and run by `safeguard procrastinate worker`, which `make run` starts beside the web
server. A job is a row in procrastinate_jobs: it outlives a restart of the web server or the
worker, and a worker takes it with SELECT ... FOR UPDATE SKIP LOCKED, so no two workers run it.
A worker that dies mid-job stops sending heartbeats; `retry_stalled_jobs` below puts its job
back in the queue, and every job here is written so that running it again is harmless.

Deferring goes through Django's own database connection, so a job deferred inside a
transaction exists only if that transaction commits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from procrastinate.contrib.django import app

from safeguard.access import audit

__all__ = ["app", "defer", "job_body"]

F = TypeVar("F", bound=Callable[..., Any])

# A worker that has sent no heartbeat for this long is dead; its running jobs are retried.
STALLED_AFTER_SECONDS = 60


def job_body(label: str) -> Callable[[F], F]:
    """Run a job's body on a fresh database connection, attributed to `label` in the audit
    trail. The worker runs sync jobs in threads, whose connections Django does not recycle."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            fresh = not connection.in_atomic_block  # inline in a transaction: keep it
            if fresh:
                close_old_connections()
            try:
                with audit.acting_as(label=label, purpose=f"Background job: {label}"):
                    return fn(*args, **kwargs)
            finally:
                if fresh:
                    # The worker's threads come and go: leave no connection behind in them.
                    connections.close_all()

        return wrapper  # type: ignore[return-value]

    return decorate


def defer(task: Any, **kwargs: Any) -> int | None:
    """Queue `task` with `kwargs`; the id of the job, or None when run inline
    (SAFEGUARD_JOBS_EAGER: tests and one-off scripts only). Inline, the task runs once the
    current transaction commits, as a queued job would become visible to a worker."""
    if settings.SAFEGUARD_JOBS_EAGER:
        transaction.on_commit(lambda: task(**kwargs))
        return None
    return task.defer(**kwargs)


@app.periodic(cron="*/2 * * * *", periodic_id="retry-stalled-jobs")
@app.task(
    name="safeguard.retry_stalled_jobs", queueing_lock="retry-stalled-jobs", pass_context=True
)
async def retry_stalled_jobs(context: Any, timestamp: int) -> int:
    """Put back in the queue the jobs of workers that died while running them."""
    stalled = await context.app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=STALLED_AFTER_SECONDS
    )
    for job in stalled:
        await context.app.job_manager.retry_job(job)
    return len(list(stalled))
