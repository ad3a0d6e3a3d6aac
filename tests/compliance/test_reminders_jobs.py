"""The job queue for real (Procrastinate on the test database): jobs survive a restart of the
web server and the worker, two workers never run one job twice, a job whose worker died is run
again exactly once, and each scheduled reminder run is queued once per tick.

These tests commit (transaction=True): a worker sees only committed rows."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from safeguard.access.models import AuditEvent, AuditKind, Role
from safeguard.compliance.jobs import run_reminders
from safeguard.compliance.models import Reminder
from safeguard.documents import services
from safeguard.documents.models import Document, DocumentKind, DocumentStatus
from safeguard.jobs import retry_stalled_jobs
from safeguard.orders import services as orders
from safeguard.orders.services import ProposedCondition

pytestmark = pytest.mark.django_db(transaction=True)
LONDON = ZoneInfo("Europe/London")


QUEUE_TABLES = "procrastinate_jobs, procrastinate_periodic_defers, procrastinate_events"


def _empty_queue() -> None:
    # Procrastinate's tables are not Django-managed, so a test flush leaves them as they were.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {QUEUE_TABLES}, procrastinate_workers CASCADE")


@pytest.fixture(autouse=True)
def queued(settings):
    settings.SAFEGUARD_JOBS_EAGER = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _empty_queue()
    yield
    _empty_queue()


@contextlib.contextmanager
def worker_app():
    """The app as `safeguard procrastinate worker` runs it: its connector swapped for a pool of
    its own to the (test) database. The scheduled jobs are left out, so that only the jobs a
    test makes are in the queue."""
    from procrastinate.contrib.django import app

    periodic = dict(app.periodic_registry.periodic_tasks)
    app.periodic_registry.periodic_tasks.clear()
    try:
        with app.replace_connector(app.connector.get_worker_connector()):
            yield app
    finally:
        app.periodic_registry.periodic_tasks.update(periodic)


OPTIONS = {
    "wait": False,
    "install_signal_handlers": False,
    "listen_notify": False,
    "delete_jobs": "never",
}


def run_worker(queues: list[str], **options) -> None:
    """One worker, started afresh, that stops when the queue is empty."""
    with worker_app() as app:
        app.run_worker(queues=queues, **OPTIONS, **options)


def run_workers(queues: list[str], count: int, **options) -> None:
    """`count` workers at once, each with its own worker id, competing for the same jobs."""
    with worker_app() as app:

        async def all_of_them() -> None:
            async with app.open_async():
                await asyncio.gather(
                    *(
                        app.run_worker_async(queues=queues, **OPTIONS, **options)
                        for _ in range(count)
                    )
                )

        asyncio.run(all_of_them())


def jobs(task: str) -> list[tuple[int, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, status, attempts FROM procrastinate_jobs WHERE task_name = %s ORDER BY id",
            [task],
        )
        return cursor.fetchall()


@pytest.fixture
def case(force, team, make_user, defendant, victim):
    officer = make_user(Role.OFFICER, force, team=team, email="pc@example.invalid")
    order = orders.create_order(
        force=force,
        order_type="spo",
        defendant=defendant,
        protected_persons=[victim],
        by=officer,
        officer=officer,
        team=team,
        court="Norwich Magistrates' Court",
        conditions=[ProposedCondition("no-contact", necessity="Repeated contact")],
    )
    return officer, order


def ask(officer, order) -> Document:
    return services.request_document(
        officer, order.pk, DocumentKind.CASE_SUMMARY, recipients="MARAC", purpose="Meeting"
    )


def disclosures(document: Document) -> int:
    return sum(
        1
        for e in AuditEvent.objects.filter(kind=AuditKind.DISCLOSE)
        if (e.changes or {}).get("document") == document.pk
    )


def test_a_queued_job_survives_a_restart_and_runs_once(case):
    officer, order = case
    document = ask(officer, order)
    assert document.status == DocumentStatus.QUEUED
    [(job_id, status, _)] = jobs("documents.render")
    assert status == "todo"
    connections.close_all()  # the web process stops; nothing is held in memory

    run_worker(["documents"])  # a worker started afterwards finds the job in the database
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert bytes(document.pdf).startswith(b"%PDF")
    assert jobs("documents.render") == [(job_id, "succeeded", 1)]

    run_worker(["documents"])  # restarted again: nothing left to run
    assert jobs("documents.render") == [(job_id, "succeeded", 1)]
    assert services.render_queued(document.pk) is False  # and running the body again: no-op
    assert Document.objects.filter(order=order).count() == 1
    assert disclosures(document) == 1


def test_two_workers_at_once_never_run_a_job_twice(case):
    officer, order = case
    documents = [ask(officer, order) for _ in range(6)]
    connections.close_all()
    run_workers(["documents"], count=2, concurrency=2)
    assert [status for _, status, _ in jobs("documents.render")] == ["succeeded"] * 6
    for document in documents:
        document.refresh_from_db()
        assert document.status == DocumentStatus.READY
        assert disclosures(document) == 1
    assert sorted(Document.objects.values_list("version", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_a_job_whose_worker_died_is_retried_and_completes_once(case):
    officer, order = case
    document = ask(officer, order)
    [(job_id, _, _)] = jobs("documents.render")
    # A worker took the job, then died (its transaction rolled back, its heartbeat stopped).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '10 minutes') RETURNING id"
        )
        dead = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
            [dead, job_id],
        )
    run_worker(["documents"])
    assert jobs("documents.render")[0][1] == "doing"  # nobody else takes a job being done

    async def sweep(app) -> int:
        async with app.open_async():
            return await retry_stalled_jobs(SimpleNamespace(app=app), timestamp=0)

    with worker_app() as app:
        assert asyncio.run(sweep(app)) == 1
    run_worker(["documents"])
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert jobs("documents.render")[0][1] == "succeeded"
    assert disclosures(document) == 1


def test_each_scheduled_reminder_run_is_queued_once_however_many_workers(case, force, team):
    officer, order = case
    order = orders.submit_application(
        order,
        expected_version=order.version,
        by=officer,
        hearing_at=dt.datetime.now(LONDON) + dt.timedelta(hours=30),
    )
    timestamp = 1_800_000_000

    async def two_workers_defer(app) -> list[int | None]:
        job = (
            app.tasks["compliance.run_reminders"]
            .configure(task_kwargs={"timestamp": timestamp})
            .job
        )
        async with app.open_async():
            return [
                await app.job_manager.defer_periodic_job(
                    job, periodic_id="reminders", defer_timestamp=timestamp
                )
                for _ in range(2)
            ]

    with worker_app() as app:
        first, second = asyncio.run(two_workers_defer(app))
    assert first is not None
    assert second is None
    assert len(jobs("compliance.run_reminders")) == 1
    run_worker(["reminders"])
    assert jobs("compliance.run_reminders")[0][1] == "succeeded"
    # 30 hours before a hearing: inside the 72-hour reminder lead time.
    assert list(Reminder.objects.values_list("stage", "recipient")) == [("remind", officer.pk)]
    run_reminders(timestamp=timestamp + 60)  # the next tick, run again: nothing new
    assert Reminder.objects.count() == 1
