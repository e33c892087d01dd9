from django.apps import AppConfig


class MechanismsConfig(AppConfig):
    name = "ura.mechanisms"
    label = "mechanisms"
