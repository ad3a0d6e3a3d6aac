from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeguard.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from safeguard.access.restrict import Scope, register
        from safeguard.reports import models as m

        register(m.Report, Scope("force", "officer", "team"))
        register(m.ReportParty, Scope("report__force", "report__officer", "report__team"))
