"""Reminders and escalation on a frozen clock: who is told, when, and never twice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from safeguard.access.models import Role
from safeguard.compliance import reminders, reviews
from safeguard.compliance.deadlines import Status, queue_for
from safeguard.compliance.models import Reminder, ReminderStage, ReviewKind, ReviewTask
from safeguard.orders import services
from safeguard.orders.models import Outcome
from safeguard.orders.services import ProposedCondition

LONDON = ZoneInfo("Europe/London")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(make_user, force, team, other_force):
    officer = make_user(Role.OFFICER, force, team=team, email="officer@example.invalid")
    supervisor = make_user(Role.SUPERVISOR, force, team=team, email="sup@example.invalid")
    other_supervisor = make_user(Role.SUPERVISOR, force, email="force-sup@example.invalid")
    stranger = make_user(Role.SUPERVISOR, other_force, email="elsewhere@example.invalid")
    return officer, supervisor, other_supervisor, stranger


@pytest.fixture
def easter_notice(force, team, people, defendant, victim):
    """A DVPN given at 10:00 on Thursday 17 April 2025, before Good Friday: the DVPO hearing
    deadline skips Good Friday, Easter Sunday and Easter Monday: 10:00 Tuesday 22 April."""
    officer = people[0]
    notice = services.create_order(
        force=force,
        order_type="dvpn",
        defendant=defendant,
        protected_persons=[victim],
        by=officer,
        officer=officer,
        team=team,
        conditions=[ProposedCondition("no-molestation")],
        reference="NOR-DVPN-00001",
    )
    return services.issue_notice(
        notice,
        authorised_by="Supt A",
        authoriser_rank="superintendent",
        issued_at=at(2025, 4, 17, 10),
        expected_version=notice.version,
        by=officer,
    )


def stages(order) -> list[tuple[str, str]]:
    return sorted((r.stage, r.recipient.email) for r in Reminder.objects.filter(order=order))


def test_reminder_then_escalation_then_missed_around_easter(easter_notice, people):
    officer, _supervisor, _other_supervisor, _stranger = people
    # 24 counted hours before Tuesday 10:00 is Saturday 10:00 (Mon, Sun, Fri disregarded).
    with time_machine.travel(at(2025, 4, 19, 9, 59), tick=False):
        assert reminders.run().created == 0
    with time_machine.travel(at(2025, 4, 19, 10, 0), tick=False):
        reminders.run()
    assert stages(easter_notice) == [("remind", "officer@example.invalid")]
    # 12 counted hours before is Saturday 22:00: the team's supervisor, and the officer.
    with time_machine.travel(at(2025, 4, 19, 21, 59), tick=False):
        assert reminders.run().created == 0
    with time_machine.travel(at(2025, 4, 19, 22, 0), tick=False):
        reminders.run()
    assert ("escalate", "sup@example.invalid") in stages(easter_notice)
    assert ("escalate", "officer@example.invalid") in stages(easter_notice)
    assert "force-sup@example.invalid" not in {e for _, e in stages(easter_notice)}
    # Over the bank holiday weekend nothing more; then the deadline passes unheard.
    with time_machine.travel(at(2025, 4, 21, 12), tick=False):
        assert reminders.run().created == 0
    with time_machine.travel(at(2025, 4, 22, 10, 0, 1), tick=False):
        reminders.run()
        rows = queue_for(officer, "mine")
    assert ("missed", "sup@example.invalid") in stages(easter_notice)
    assert rows[0].status == Status.MISSED
    assert "elsewhere@example.invalid" not in {e for _, e in stages(easter_notice)}
    # One e-mail per reminder, no names in any of them.
    assert len(mail.outbox) == Reminder.objects.count() == 5
    for message in mail.outbox:
        assert "NOR-DVPN-00001" in message.subject
        assert "Reeve" not in message.body
        assert "Marsh" not in message.body


def test_running_again_or_twice_at_once_tells_nobody_twice(easter_notice):
    with time_machine.travel(at(2025, 4, 19, 23), tick=False):
        first = reminders.run()
        second = reminders.run()
        reminders.run(send=False)
    assert first.created == 2
    assert second.created == 0
    assert len(mail.outbox) == 2
    assert reminders.send_pending() == 0


def test_with_no_team_supervisor_the_force_supervisors_are_told(easter_notice, people, team):
    people[1].team = None
    people[1].save()
    with time_machine.travel(at(2025, 4, 19, 23), tick=False):
        reminders.run()
    told = {e for stage, e in stages(easter_notice) if stage == "escalate"}
    assert told == {"officer@example.invalid", "sup@example.invalid", "force-sup@example.invalid"}


def test_old_missed_deadlines_are_shown_not_sent(easter_notice, people):
    with time_machine.travel(at(2025, 6, 1), tick=False):
        assert reminders.run().created == 0
        assert queue_for(people[0], "mine")[0].status == Status.MISSED


def test_a_heard_application_closes_the_notice_deadline(easter_notice, people, force, team):
    officer = people[0]
    dvpo = services.create_order(
        force=force,
        order_type="dvpo",
        defendant=easter_notice.defendant,
        protected_persons=list(easter_notice.protected_persons.all()),
        by=officer,
        officer=officer,
        team=team,
        parent=easter_notice,
        conditions=[ProposedCondition("no-molestation")],
    )
    dvpo = services.submit_application(
        dvpo, expected_version=dvpo.version, by=officer, at=at(2025, 4, 17, 12)
    )
    services.record_outcome(
        dvpo,
        Outcome.ADJOURNED,
        expected_version=dvpo.version,
        by=officer,
        decided_at=at(2025, 4, 19, 11),
        reasons="Defendant asked for time",
    )
    with time_machine.travel(at(2025, 4, 22, 11), tick=False):
        reminders.run()
        keys = {r.deadline.key for r in queue_for(officer, "mine")}
    assert f"order:{easter_notice.pk}:dvpo-hearing" not in keys
    assert not Reminder.objects.filter(order=easter_notice).exists()


def test_reminders_show_on_the_deadlines_page_and_can_be_marked_read(
    easter_notice, people, sign_in
):
    officer = people[0]
    with time_machine.travel(at(2025, 4, 19, 23), tick=False):
        reminders.run()
        client = Client()
        sign_in(client, officer)
        page = client.get("/deadlines/").content.decode()
        client.post("/deadlines/reminders/read/", {})
    assert "Reminders for you" in page
    assert "NOR-DVPN-00001" in page
    assert "Near: escalated" in page
    assert not reminders.unread_for(officer)


def test_queue_scopes_stay_within_restrict(easter_notice, people, make_user, force, sign_in):
    from safeguard.access.models import Team

    elsewhere = Team.objects.create(force=force, name="Other team")
    other_officer = make_user(Role.OFFICER, force, team=elsewhere)
    with time_machine.travel(at(2025, 4, 18), tick=False):
        assert queue_for(other_officer, "all") == []
        assert [r.deadline.order for r in queue_for(people[1], "all")] == [easter_notice]
        client = Client()
        sign_in(client, other_officer)
        page = client.get("/deadlines/?scope=all").content.decode()
    assert "NOR-DVPN-00001" not in page


# --- Review tasks ------------------------------------------------------------------------------


@pytest.fixture
def interim_case(force, team, people, defendant, victim):
    officer = people[0]
    main = services.create_order(
        force=force,
        order_type="spo",
        defendant=defendant,
        protected_persons=[victim],
        by=officer,
        officer=officer,
        team=team,
        conditions=[ProposedCondition("no-contact", necessity="n")],
    )
    main = services.submit_application(
        main, expected_version=main.version, by=officer, at=at(2025, 5, 1, 9)
    )
    interim = services.create_order(
        force=force,
        order_type="interim-spo",
        defendant=defendant,
        protected_persons=[victim],
        by=officer,
        officer=officer,
        team=team,
        parent=main,
        conditions=[ProposedCondition("no-contact", necessity="n")],
    )
    interim = services.submit_application(
        interim, expected_version=interim.version, by=officer, at=at(2025, 5, 1, 9)
    )
    interim = services.record_outcome(
        interim,
        Outcome.GRANTED,
        expected_version=interim.version,
        by=officer,
        decided_at=at(2025, 5, 2, 11),
        made_on=dt.date(2025, 5, 2),
        ends_on=dt.date(2025, 7, 31),
    )
    return main, interim


def test_interim_without_a_main_hearing_gets_a_task_until_one_is_listed(interim_case, people):
    main, interim = interim_case
    result = reviews.sweep(dt.date(2025, 5, 3))
    task = ReviewTask.objects.get(order=interim, kind=ReviewKind.INTERIM_UNLISTED)
    assert result.opened == 1
    assert task.due_on == dt.date(2025, 5, 9)
    assert reviews.sweep(dt.date(2025, 5, 4)).opened == 0  # never twice
    services.schedule_hearing(
        main,
        scheduled_for=dt.datetime.now(LONDON) + dt.timedelta(days=20),
        expected_version=main.version,
        by=None,
    )
    assert reviews.sweep(dt.date(2025, 5, 5)).closed == 1
    task.refresh_from_db()
    assert task.decision == "resolved"
    assert "hearing date" in task.note


def test_an_order_nearing_expiry_gets_a_renew_lapse_or_vary_decision(interim_case, people, sign_in):
    _, interim = interim_case
    # interim-spo reviews open 14 days before the end (31 July): on 17 July.
    assert (
        not reviews.sweep(dt.date(2025, 7, 16)).opened
        or not ReviewTask.objects.filter(kind=ReviewKind.EXPIRY).exists()
    )
    reviews.sweep(dt.date(2025, 7, 17))
    task = ReviewTask.objects.get(order=interim, kind=ReviewKind.EXPIRY)
    assert task.due_on == dt.date(2025, 7, 24)
    client = Client()
    sign_in(client, people[0])
    page = client.get(f"/deadlines/reviews/{task.pk}/")
    assert b"Apply to renew the order" in page.content
    assert b"Let the order end" in page.content
    error = client.post(f"/deadlines/reviews/{task.pk}/", {"decision": "renew", "note": ""})
    assert b"Say what happens next" in error.content
    done = client.post(
        f"/deadlines/reviews/{task.pk}/", {"decision": "renew", "note": "Application by 21 July"}
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.decision == "renew"
    assert task.decided_by == people[0]
    assert task.closed_at
    # An officer of another force cannot see or decide it.
    assert Client().get(f"/deadlines/reviews/{task.pk}/").status_code == 302  # sign in first


def test_reminder_stages_match_the_email_words(easter_notice):
    with time_machine.travel(at(2025, 4, 22, 10, 30), tick=False):
        reminders.run()
    missed = Reminder.objects.filter(stage=ReminderStage.MISSED).first()
    _subject, body = reminders.email_for(missed)
    assert "Deadline missed" in body
    assert "Was due: 10:00 on Tuesday 22 April 2025" in body
