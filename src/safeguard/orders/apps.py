from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "safeguard.orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from safeguard.access.restrict import Scope, register
        from safeguard.orders import models as m

        register(m.Order, Scope("force", "officer", "team"))
        for model in (
            m.StateChange,
            m.Hearing,
            m.Condition,
            m.Service,
            m.CourtApplication,
            m.Appeal,
        ):
            register(model, Scope("order__force", "order__officer", "order__team"))
