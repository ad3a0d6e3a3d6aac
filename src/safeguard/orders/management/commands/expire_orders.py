from typing import Any

from django.core.management.base import BaseCommand

from safeguard.orders.services import expire_orders, lapse_notices


class Command(BaseCommand):
    help = "End orders whose fixed term has run out and notices whose hearing deadline passed."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_orders()
        lapsed = lapse_notices()
        self.stdout.write(f"{expired} order(s) expired, {lapsed} notice(s) lapsed")
