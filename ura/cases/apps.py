from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ura.cases"
    label = "cases"
