"""One access mechanism: every read of case data goes through `restrict` (DESIGN.md,
Protecting victims; the NetBox RestrictedQuerySet idea).

A model joins by registering how to reach its force and its case owners. Rules by role:
- national roles and analysts: no case records at all (aggregates only, through oversight);
- coordinators, supervisors, legal advisers, force administrators: their force's records;
- investigating officers: records assigned to them or held by their team;
- advocates: nothing here until linked to a case (victim-safety view, issue 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from safeguard.access.models import Role

FORCE_WIDE_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.LEGAL, Role.FORCE_ADMIN})


@dataclass(frozen=True)
class Scope:
    force: str  # lookup path to the Force, e.g. "order__force"
    officer: str | None = None  # lookup path to the assigned officer
    team: str | None = None  # lookup path to the owning team


_SCOPES: dict[type[Model], Scope] = {}


def register(model: type[Model], scope: Scope) -> None:
    _SCOPES[model] = scope


def scope_for(model: type[Model]) -> Scope:
    try:
        return _SCOPES[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} is not registered with access.restrict; register its scope "
            "before reading it"
        ) from None


def restrict(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """The part of `queryset` that `user` may `action`. Unknown users and roles see nothing."""
    scope = scope_for(queryset.model)
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    role = user.role
    if role in FORCE_WIDE_ROLES and user.force_id:
        return queryset.filter(**{f"{scope.force}_id": user.force_id})
    if role == Role.OFFICER and user.force_id:
        mine = Q()
        if scope.officer:
            mine |= Q(**{f"{scope.officer}_id": user.pk})
        if scope.team and user.team_id:
            mine |= Q(**{f"{scope.team}_id": user.team_id})
        if not mine:
            return queryset.none()
        return queryset.filter(Q(**{f"{scope.force}_id": user.force_id}) & mine).distinct()
    return queryset.none()
