from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ura.assessments"
    label = "assessments"
