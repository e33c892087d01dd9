from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ura.support"
    label = "support"
