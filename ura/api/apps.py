from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ura.api"
    label = "api"
    verbose_name = "API"
