from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _shipped_catalogue(sender: AppConfig, apps: Any = None, **kwargs: Any) -> None:
    from ura.support.catalogue import catalogue_load

    catalogue_load(apps.get_model("support", "InterventionType") if apps else None)


class SupportConfig(AppConfig):
    name = "ura.support"
    label = "support"

    def ready(self) -> None:
        # The shipped catalogue comes back after a flush (as Django's content types do).
        post_migrate.connect(_shipped_catalogue, sender=self)
