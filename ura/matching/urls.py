from django.urls import path

from ura.matching import views

app_name = "matching"
urlpatterns = [
    path("cases/<int:pk>/", views.screen, name="screen"),
    path("cases/<int:pk>/decide/", views.decide, name="decide"),
    path("decisions/<int:pk>/undo/", views.undo, name="undo"),
]
