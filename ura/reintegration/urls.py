from django.urls import path

from ura.reintegration import views

app_name = "reintegration"
urlpatterns = [
    path("cases/<int:pk>/household/", views.household, name="household"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:pk>/", views.handover, name="handover"),
]
