from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safeguard.demo"
    verbose_name = "Demonstration data"
