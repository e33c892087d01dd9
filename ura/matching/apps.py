from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "ura.matching"
    label = "matching"
