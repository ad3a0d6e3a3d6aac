"""Linking victim advocates to orders: the only code that creates or removes an AdvocateLink.

A link is what lets an advocate (a partner agency's worker, e.g. an ISAC or IDVA) see an order at
all, and then only the fields safety planning needs (access.permissions, Reach.LINKED,
SAFETY_PLANNING). So a link is a disclosure of the order to that person: it is made only by a
user who may change the order, only to an advocate of the order's own force, and every link and
removal is recorded in the audit trail (the database triggers on orders_advocatelink record the
row, its actor and the request; DPA 2018 s.62).

Each change takes the order's row lock and checks the version the caller read, like every other
write to an order (orders/services/): a link made on a stale page is a ConcurrentEdit, never a
silent change to an order someone else has just changed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from safeguard.access.models import Role, User
from safeguard.access.restrict import may
from safeguard.orders.models import AdvocateLink, Order
from safeguard.orders.services import InvalidStep, bump_version, lock_order


def _check_may_change(by: User | None, order: Order) -> None:
    """A person may link or unlink only on an order they may change (None: a system job)."""
    if by is not None and not may(by, order, "change"):
        raise PermissionDenied("Your role may not change who is linked to this order")


def advocates_of_force(order: Order) -> QuerySet[User]:
    """Active victim advocates of the order's force: the only people it may be linked to."""
    return User.objects.filter(
        role=Role.ADVOCATE, force_id=order.force_id, is_active=True
    ).order_by("first_name", "last_name", "username")


def linkable_advocates(order: Order) -> QuerySet[User]:
    """The force's advocates not yet linked to the order."""
    return advocates_of_force(order).exclude(advocate_links__order=order)


@transaction.atomic
def link_advocate(
    order: Order, advocate: User, *, by: User | None, expected_version: int | None
) -> AdvocateLink:
    """Link a victim advocate to the order so they can support the person it protects."""
    _check_may_change(by, order)
    locked = lock_order(order, expected_version)
    if advocate.role != Role.ADVOCATE or not advocate.is_active:
        raise InvalidStep("Choose a victim advocate: only advocates can be linked to an order")
    if advocate.force_id != locked.force_id:
        # No rule reaches beyond the user's own force (access.permissions).
        raise InvalidStep("Choose an advocate of this order's force")
    if AdvocateLink.objects.filter(order=locked, user=advocate).exists():
        raise InvalidStep(f"{advocate.display_name} is already linked to this order")
    link = AdvocateLink.objects.create(order=locked, user=advocate, linked_by=by)
    bump_version(locked)
    order.version = locked.version
    return link


@transaction.atomic
def unlink_advocate(
    order: Order, link_id: Any, *, by: User | None, expected_version: int | None
) -> User:
    """Remove an advocate's link: from now on they cannot see the order. Returns the advocate."""
    _check_may_change(by, order)
    locked = lock_order(order, expected_version)
    link = AdvocateLink.objects.filter(order=locked, pk=link_id).select_related("user").first()
    if link is None:
        raise InvalidStep("That advocate is no longer linked to this order")
    advocate = link.user
    link.delete()
    bump_version(locked)
    order.version = locked.version
    return advocate
