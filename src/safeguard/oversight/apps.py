from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "safeguard.oversight"
    verbose_name = "Oversight"
