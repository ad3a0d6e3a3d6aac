from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "safeguard.orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from safeguard.access.audit_selectors import AuditSubject, register_subject
        from safeguard.access.restrict import ORDER_LINK, Scope, register
        from safeguard.orders import models as m

        register(m.Order, Scope("force", "officer", "team", linked=ORDER_LINK))
        for model in (
            m.StateChange,
            m.Hearing,
            m.Condition,
            m.Service,
            m.CourtApplication,
            m.Appeal,
            m.AdvocateLink,
            m.LegalReview,
        ):
            register(
                model,
                Scope("order__force", "order__officer", "order__team", f"order__{ORDER_LINK}"),
            )
        # Its change history: writes to the order and to every row it owns (conditions,
        # hearings, service, notifications, breaches, links...), found from its relations.
        register_subject(AuditSubject("orders", m.Order, "order"))
