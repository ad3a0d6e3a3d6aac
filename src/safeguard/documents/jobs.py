"""Document jobs for the queue (safeguard/jobs.py, docs/adr/0004-job-queue.md)."""

from __future__ import annotations

from procrastinate import RetryStrategy

from safeguard.jobs import app, job_body


@app.task(
    name="documents.render",
    queue="documents",
    retry=RetryStrategy(max_attempts=3, wait=10),
)
@job_body("documents")
def render_document(document_id: int) -> bool:
    """Render one queued document. Safe to run twice: the second run finds it done."""
    from safeguard.documents.services import render_queued

    return render_queued(document_id)
