from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "ura.tasks"
    label = "tasks"
