from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ura.monitoring"
    label = "monitoring"
