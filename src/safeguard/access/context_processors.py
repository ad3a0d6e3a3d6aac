"""What the signed-in user's role lets them do, for templates: `{% if capabilities.sees_case_records %}`.

Templates ask for a capability, never compare role strings, so a change to the roles is made in
access/models.py and here, not in every template. Read from the user on each request (the user is
loaded afresh from the database each time), so a change of role shows on the next page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from safeguard.access import permissions
from safeguard.access.models import AGGREGATE_ONLY_ROLES, FORCE_OVERSIGHT_ROLES, NATIONAL_ROLES


@dataclass(frozen=True)
class Capabilities:
    signed_in: bool = False  # password and second factor both given
    sees_case_records: bool = False  # any case record at all (restrict() decides which)
    aggregates_only: bool = False  # analysts and national roles: figures, never personal data
    national: bool = False  # across forces (aggregates only)
    administers: bool = False  # may use the Django admin
    sees_screening: bool = False  # the SPO candidate queue (permission table: screening view)
    sees_reports: bool = False  # the reports list (permission table: report view)
    sees_oversight: bool = False  # a force's oversight dashboard
    linked_cases_only: bool = False  # only the cases they are linked to (victim advocates)
    has_work_queue: bool = False  # the coordinator's work queue (acts on screening candidates)
    reviews_applications: bool = False  # decides legal reviews (permission table: legal_review)


NOBODY = Capabilities()


def capabilities_for(user: Any) -> Capabilities:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    is_verified = getattr(user, "is_verified", None)  # django-otp's OTPMiddleware adds it
    if is_verified is None or not is_verified():
        return NOBODY  # half signed in: the second-factor pages show no navigation
    role = getattr(user, "role", None)
    aggregates_only = role in AGGREGATE_ONLY_ROLES | NATIONAL_ROLES
    return Capabilities(
        signed_in=True,
        sees_case_records=not aggregates_only,
        aggregates_only=aggregates_only,
        national=role in NATIONAL_ROLES,
        administers=bool(user.is_staff),
        sees_screening=permissions.allows(user, "screening", "view"),
        sees_reports=permissions.allows(user, "report", "view"),
        sees_oversight=role in FORCE_OVERSIGHT_ROLES | NATIONAL_ROLES,
        has_work_queue=permissions.allows(user, "screening", "change")
        and permissions.allows(user, "order", "change"),
        reviews_applications=permissions.allows(user, "legal_review", "change"),
        linked_cases_only=_order_reach(user) == permissions.Reach.LINKED,
    )


def _order_reach(user: Any) -> str | None:
    """Which orders the user's role reaches (permission table): "linked" for victim advocates."""
    rule = permissions.rule_for(user.role, "order", "view") if user.force_id else None
    return rule.reach if rule else None


def capabilities(request: HttpRequest) -> dict[str, Capabilities]:
    return {"capabilities": capabilities_for(getattr(request, "user", None))}
