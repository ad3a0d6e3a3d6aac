from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "safeguard.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from safeguard.access.restrict import Scope, register
        from safeguard.screening import models as m
        from safeguard.screening import signals

        # Force-wide roles only: screening joins records across every team's cases, so no
        # officer or team path is given and investigating officers see none of it.
        for model in (
            m.Candidate,
            m.PerpetratorScore,
            m.PersonIdentity,
            m.PersonLink,
            m.LinkDecision,
            m.ScreeningRun,
            m.LinkageModel,
        ):
            register(model, Scope("force"))
        signals.connect()
