from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _shipped_instruments(sender: AppConfig, apps: Any = None, **kwargs: Any) -> None:
    from ura.assessments.instruments import shipped_load

    shipped_load(apps.get_model("assessments", "InstrumentVersion") if apps else None)


class AssessmentsConfig(AppConfig):
    name = "ura.assessments"
    label = "assessments"

    def ready(self) -> None:
        # Shipped instruments come back after a flush (as Django's content types do).
        post_migrate.connect(_shipped_instruments, sender=self)
        # The case history tells each kind of entry in a sentence; this app's kinds are told here.
        from ura.assessments.timeline import SENTENCES
        from ura.cases import timeline

        timeline.SENTENCES.update(SENTENCES)
