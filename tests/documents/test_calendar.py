"""The private calendar feed: valid ICS (parsed back with icalendar), the user's hearings and
deadlines only, no victim details, and a token that can be revoked."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from icalendar import Calendar

from safeguard.access.models import AuditEvent, AuditKind
from safeguard.documents import services
from tests.documents.conftest import VICTIM_ADDRESS, at


def feed_url(token: str) -> str:
    return f"/documents/calendar/{token}.ics"


@time_machine.travel(at(2026, 4, 2, 12), tick=False)
def test_feed_parses_and_holds_hearings_and_deadlines_without_victim_details(world):
    _, token = services.new_calendar_feed(world.officer)
    response = Client().get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    summaries = [str(e["summary"]) for e in events.values()]
    # The SPO application's hearing on 16 March is within the last month: listed.
    hearing = next(e for e in events.values() if "hearing: NOR-SPO-00042" in str(e["summary"]))
    assert hearing.decoded("dtstart") == dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC)
    assert str(hearing["location"]) == "Norwich Magistrates' Court"
    # The DVPN given at 10:00 on Thursday 2 April 2026: Good Friday, Easter Sunday and Easter
    # Monday are disregarded, so the DVPO must be heard by 10:00 (BST) on Tuesday 7 April.
    dvpo = next(e for e in events.values() if "DVPO application" in str(e["summary"]))
    assert dvpo.decoded("dtstart") == dt.datetime(2026, 4, 7, 9, tzinfo=dt.UTC)
    alarm = dvpo.walk("VALARM")[0]
    assert alarm.decoded("trigger") < dvpo.decoded("dtstart")
    term = next(
        e for e in events.values() if "Fixed term ends (NOR-SPO-00031)" in str(e["summary"])
    )
    assert term.decoded("dtstart") == dt.date(2028, 2, 8)  # a day, not a moment
    assert any("Initial notification" in s for s in summaries) is False  # made on time
    body = response.content.decode()
    for secret in ("Marsh", "Vicky", "Reeve", "Daniel", VICTIM_ADDRESS, "Hidden Lane"):
        assert secret not in body
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT, actor_id=world.officer.pk).count() == 1


def test_revoked_or_replaced_tokens_stop_working(world):
    _, first = services.new_calendar_feed(world.officer)
    assert Client().get(feed_url(first)).status_code == 200
    _, second = services.new_calendar_feed(world.officer)  # a new address replaces the old
    assert Client().get(feed_url(first)).status_code == 404
    assert Client().get(feed_url(second)).status_code == 200
    services.revoke_calendar_feeds(world.officer)
    assert Client().get(feed_url(second)).status_code == 404
    assert Client().get(feed_url("not-a-token")).status_code == 404


def test_an_inactive_users_feed_stops(world):
    _, token = services.new_calendar_feed(world.officer)
    world.officer.is_active = False
    world.officer.save()
    assert Client().get(feed_url(token)).status_code == 404


def test_calendar_page_shows_the_address_once_and_revokes(world, sign_in):
    client = Client()
    sign_in(client, world.officer)
    assert b"You do not have a calendar address" in client.get("/documents/calendar/").content
    client.post("/documents/calendar/", {"action": "new"})
    shown = client.get("/documents/calendar/").content.decode()
    assert "/documents/calendar/" in shown
    assert ".ics" in shown
    assert "not be shown again" in shown
    again = client.get("/documents/calendar/").content.decode()
    assert ".ics" not in again  # shown once
    client.post("/documents/calendar/", {"action": "revoke"})
    assert not world.officer.calendar_feeds.filter(revoked_at__isnull=True).exists()
