"""One access mechanism: every read of case data goes through `restrict` (DESIGN.md, Protecting
victims; the NetBox RestrictedQuerySet idea).

`restrict(queryset, user, action)` asks the permission table (access/permissions.py) for the
rule letting the user's role do `action` to the object the queryset's model is (or is a field
of), then filters the rows to the rule's reach:
- force: the user's force;
- assigned: the user's force, and assigned to the user or held by the user's team;
- linked: the user's force, and an order the user is linked to (victim advocates).
No rule, no rows: unknown users, inactive users, users without a force and roles without a rule
(analysts, national administrators) get an empty queryset.

A model joins by registering, in its app's ready(), the lookup paths from its rows to their force,
assigned officer, owning team and advocate link (`Scope`), and by having its place in
`permissions.MODELS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from safeguard.access import permissions
from safeguard.access.models import Role

# The roles whose rules reach their whole force, for pages that say so in words (the dashboard).
FORCE_WIDE_ROLES = frozenset(
    role
    for role in Role
    if (rule := permissions.rule_for(role, "order", "view"))
    and rule.reach == permissions.Reach.FORCE
)

# The relation, on an order, from the order to the advocates linked to it (orders.AdvocateLink).
ORDER_LINK = "advocate_links__user"

Paths = str | tuple[str, ...] | None


def _paths(value: Paths) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Scope:
    force: str  # lookup path to the Force, e.g. "order__force"
    officer: Paths = None  # lookup path(s) to the assigned officer
    team: Paths = None  # lookup path(s) to the owning team
    linked: str | None = None  # lookup path to the users linked to the case (advocates)

    @property
    def linked_path(self) -> str | None:
        """The path to the linked users. A record reached through its order (force path
        "...order__force") is linked when its order is, unless the scope says otherwise."""
        if self.linked:
            return self.linked
        if self.force.endswith("order__force"):
            return self.force[: -len("force")] + ORDER_LINK
        return None


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
    """The part of `queryset` that `user` may `action`. Nothing unless a rule allows it."""
    model = queryset.model
    scope = scope_for(model)
    object_, field_name = permissions.object_for_model(model)
    if user is None or not user.is_authenticated or not user.is_active or not user.force_id:
        return queryset.none()
    rule = permissions.rule_for(user.role, object_, action)
    if rule is None or (field_name is not None and not rule.grants(field_name)):
        return queryset.none()
    in_force = Q(**{f"{scope.force}_id": user.force_id})
    if rule.reach == permissions.Reach.FORCE:
        return queryset.filter(in_force)
    mine = Q()
    if rule.reach == permissions.Reach.ASSIGNED:
        for path in _paths(scope.officer):
            mine |= Q(**{f"{path}_id": user.pk})
        if user.team_id:
            for path in _paths(scope.team):
                mine |= Q(**{f"{path}_id": user.team_id})
    elif rule.reach == permissions.Reach.LINKED and scope.linked_path:
        mine = Q(**{f"{scope.linked_path}_id": user.pk})
    if not mine:
        return queryset.none()
    # A subquery rather than a join on the outer query: no duplicate rows, no DISTINCT, and the
    # caller's aggregates and ordering stay as they were.
    allowed = model._default_manager.filter(in_force & mine).values("pk")
    return queryset.filter(in_force, pk__in=allowed)


def may(user: Any, obj: Model, action: str) -> bool:
    """Whether `user` may `action` this one record (restrict() on a one-row queryset)."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


class RestrictedAdminMixin:
    """Makes a Django ModelAdmin read through restrict(), so the admin is no way round it.

    Its lists, change pages, inlines, raw-id lookups and bulk actions see only what the user's
    role may see under the permission table, whatever Django permissions (or superuser status)
    the account has; opening a record is logged as a consultation; and encrypted fields
    (protected details' values) never appear on an admin form: they are read only through the
    reveal page, with a reason. Put it first in the bases: `class PersonAdmin(
    RestrictedAdminMixin, admin.ModelAdmin)`; inlines too.
    """

    model: type[Model]

    def get_queryset(self, request: Any) -> QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, "view")  # type: ignore[misc]

    def _allowed(self, request: Any, action: str) -> bool:
        object_, field_name = permissions.object_for_model(self.model)
        return permissions.allows(request.user, object_, action, field_name)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request, "view") and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request, "change") and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return (
            self._allowed(request, "change")
            and not self._encrypted_fields()
            and super().has_add_permission(request, *args)  # type: ignore[misc]
        )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request, "erase") and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def _encrypted_fields(self) -> list[str]:
        from safeguard.access.crypto import EncryptedTextField

        return [f.name for f in self.model._meta.fields if isinstance(f, EncryptedTextField)]

    def get_exclude(self, request: Any, obj: Any = None) -> list[str]:
        excluded = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        return excluded + [name for name in self._encrypted_fields() if name not in excluded]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        readonly = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        return [name for name in readonly if name not in self._encrypted_fields()]

    def change_view(self, request: Any, object_id: str, *args: Any, **kwargs: Any) -> Any:
        response = super().change_view(request, object_id, *args, **kwargs)  # type: ignore[misc]
        if getattr(response, "status_code", None) == 200 and request.method == "GET":
            from safeguard.access import audit
            from safeguard.access.models import AuditKind

            audit.record(
                AuditKind.VIEW,
                user=request.user,
                table_name=self.model._meta.db_table,
                object_id=object_id,
                details={"page": "admin"},
            )
        return response
