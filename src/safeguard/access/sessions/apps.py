from django.apps import AppConfig


class UserSessionsConfig(AppConfig):
    name = "safeguard.access.sessions"
    label = "access_sessions"
    verbose_name = "Sessions"
    default_auto_field = "django.db.models.BigAutoField"
