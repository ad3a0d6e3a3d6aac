from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "safeguard.screening"
    verbose_name = "Screening"
