"""Start the defendant's notification duties when orders says an order was served or made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from safeguard.compliance.models import NotificationKind
from safeguard.compliance.services import create_duty
from safeguard.orders.signals import order_made, order_served


@receiver(order_served)
def start_initial_notification_on_service(
    sender: Any, order: Any, served_at: dt.datetime, needs_initial_notification: bool, **_: Any
) -> None:
    # SPA 2019 s.9(1): 3 days beginning with the day of service.
    if needs_initial_notification and order.spec.initial_notification_on == "served":
        create_duty(order, NotificationKind.INITIAL, "served", served_at)


@receiver(order_made)
def start_initial_notification_on_making(sender: Any, order: Any, **_: Any) -> None:
    # DAA 2021 s.41: for a DAPO the 3 days begin with the day the order is made, not served.
    if order.spec.initial_notification_on == "made":
        made_at = timezone.make_aware(dt.datetime.combine(order.made_on, dt.time(12, 0)))
        create_duty(order, NotificationKind.INITIAL, "made", made_at)
