from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeguard.people"
    verbose_name = "People"

    def ready(self) -> None:
        from safeguard.access.audit_selectors import AuditSubject, register_subject
        from safeguard.access.restrict import Scope, register
        from safeguard.people import models as m

        # An officer reaches a person through the reports and the orders assigned to them or
        # their team that the person appears in.
        via = ("report_parties__report__", "orders_against__", "protected_by_orders__")
        person = Scope(
            "force",
            officer=tuple(f"{v}officer" for v in via),
            team=tuple(f"{v}team" for v in via),
        )
        register(m.Person, person)
        for model in (m.Alias, m.Identifier, m.ProtectedDetail, m.RetentionReview):
            register(
                model,
                Scope(
                    "person__force",
                    officer=tuple(f"person__{p}" for p in person.officer),  # type: ignore[union-attr]
                    team=tuple(f"person__{p}" for p in person.team),  # type: ignore[union-attr]
                ),
            )
        # Its access log: who opened the record and who revealed its protected details.
        register_subject(AuditSubject("people", m.Person, "person", details_key="person"))
