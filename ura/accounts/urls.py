from django.urls import path

from ura.accounts import views

app_name = "accounts"

urlpatterns = [
    path("locked/", views.locked, name="locked"),
    path("locked/unlock/", views.unlock, name="unlock"),
]
