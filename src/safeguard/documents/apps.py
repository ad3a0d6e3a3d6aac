from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "safeguard.documents"
    verbose_name = "Documents and calendars"
