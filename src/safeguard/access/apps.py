from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeguard.access"
    verbose_name = "Access and forces"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_audit_triggers, sender=self)
        # Sign-in, sign-out and refused sign-ins in the audit trail; sessions ended on sign-out
        # and on account closure (access/signals.py).
        from safeguard.access import signals  # noqa: F401


def _install_audit_triggers(using: str = "default", **_: object) -> None:
    # After every migrate (including a test database's), attach the audit trigger to every case
    # table, so a table added later is audited without anyone remembering to do it.
    from safeguard.access.audit import install_triggers

    install_triggers(using)
