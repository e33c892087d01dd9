from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ura.web"
    label = "web"
