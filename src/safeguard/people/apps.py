from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeguard.people"
    verbose_name = "People"

    def ready(self) -> None:
        from safeguard.access.restrict import Scope, register
        from safeguard.people import models as m

        via_reports = "report_parties__report__"
        person = Scope("force", f"{via_reports}officer", f"{via_reports}team")
        register(m.Person, person)
        for model in (m.Alias, m.Identifier, m.ProtectedDetail):
            register(
                model,
                Scope("person__force", f"person__{person.officer}", f"person__{person.team}"),
            )
