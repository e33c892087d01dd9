from django.apps import AppConfig


class ReintegrationConfig(AppConfig):
    name = "ura.reintegration"
    label = "reintegration"
