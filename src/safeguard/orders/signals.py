"""Signals orders sends so later apps (compliance) can act without orders importing them
(DESIGN.md, Direction of dependence). Receivers run inside the sender's transaction."""

from django.dispatch import Signal

# order, served_at, needs_initial_notification
order_served = Signal()
# order (just granted; made_on set)
order_made = Signal()
