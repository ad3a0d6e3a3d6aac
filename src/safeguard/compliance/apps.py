from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "safeguard.compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from safeguard.access.restrict import Scope, register
        from safeguard.compliance import models as m
        from safeguard.compliance import receivers  # noqa: F401 - connects signal receivers

        for model in (m.Notification, m.Breach):
            register(
                model,
                Scope(
                    "order__force",
                    "order__officer",
                    "order__team",
                    linked="order__advocate_links__user",
                ),
            )
