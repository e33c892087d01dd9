from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "ura.panels"
    label = "panels"
