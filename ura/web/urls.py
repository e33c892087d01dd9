from django.urls import path

from ura.web import views

urlpatterns = [
    path("", views.start, name="start"),
    path("language/", views.language_set, name="set_language"),
]
