from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "ura.governance"
    label = "governance"
