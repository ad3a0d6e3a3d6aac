"""A user's private calendar (ICS, RFC 5545) of their hearings and deadlines.

It leaves the service for a phone or a desktop calendar, so it carries no one's name, address
or story: only the order's reference and type, what is due, the court, and a link that needs a
sign-in. Each event's UID is stable, so a calendar updates an event rather than adding another.
Deadlines carry an alarm at the reminder lead time (compliance/deadlines.py).
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC
from typing import Any

from django.conf import settings
from django.urls import reverse
from icalendar import Alarm, Calendar, Event

from safeguard.compliance.deadlines import Scope, deadlines_for_feed, hearings_for
from safeguard.orders.services import statutory_calendar

PRODID = "-//Safeguard//Hearings and deadlines//EN"


def _link(order_id: int) -> str:
    return settings.SAFEGUARD_BASE_URL.rstrip("/") + reverse("order-detail", args=[order_id])


def build(user: Any, now: dt.datetime) -> tuple[bytes, int]:
    """The ICS bytes for the user, and how many events they hold."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Safeguard: hearings and deadlines")
    stamp = now.astimezone(UTC)
    count = 0
    for hearing in hearings_for(user, now):
        order = hearing.order
        event = Event()
        event.add("uid", f"hearing-{hearing.pk}@safeguard")
        event.add("dtstamp", stamp)
        event.add("dtstart", hearing.scheduled_for.astimezone(UTC))
        event.add("dtend", hearing.scheduled_for.astimezone(UTC) + dt.timedelta(hours=1))
        event.add("summary", f"{hearing.get_kind_display()} hearing: {order.reference}")
        event.add("location", hearing.court or order.court or "Court to be confirmed")
        event.add(
            "description",
            f"{order.spec.title} {order.reference}. Outcome: {hearing.get_outcome_display()}. "
            f"Details in Safeguard: {_link(order.pk)}",
        )
        event.add("url", _link(order.pk))
        event.add("categories", ["Hearing"])
        cal.add_component(event)
        count += 1
    calendar = statutory_calendar()
    for deadline in deadlines_for_feed(user, now, calendar=calendar):
        if deadline.key.startswith("hearing:"):
            continue  # already there as a hearing
        event = Event()
        event.add("uid", f"{deadline.key.replace(':', '-')}@safeguard")
        event.add("dtstamp", stamp)
        if deadline.date_only:
            day = deadline.due.date()
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
        else:
            event.add("dtstart", deadline.due.astimezone(UTC))
            event.add("dtend", deadline.due.astimezone(UTC))
        event.add("summary", f"Deadline: {deadline.what} ({deadline.order.reference})")
        event.add(
            "description",
            f"{deadline.order.spec.title} {deadline.order.reference}. {deadline.what}. "
            f"Law: {deadline.basis}. Details in Safeguard: {_link(deadline.order.pk)}",
        )
        event.add("url", _link(deadline.order.pk))
        event.add("categories", ["Deadline"])
        lead = deadline.lead().remind
        if lead > 0 and not deadline.date_only:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Deadline: {deadline.order.reference}")
            alarm.add("trigger", deadline.remind_at(calendar).astimezone(UTC))
            event.add_component(alarm)
        cal.add_component(event)
        count += 1
    return cal.to_ical(), count


__all__ = ["PRODID", "Scope", "build"]
