from django.apps import AppConfig
from django.conf import settings


class VaultConfig(AppConfig):
    name = "ura.vault"
    label = "vault"

    def ready(self) -> None:
        if getattr(settings, "PRODUCTION", False):
            from ura.vault import keyring

            keyring.current()  # a missing or malformed keyring stops production at start, not at first use
