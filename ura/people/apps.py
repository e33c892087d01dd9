from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ura.people"
    label = "people"
