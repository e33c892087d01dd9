from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ura.accounts"
    label = "accounts"
