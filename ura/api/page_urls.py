from django.urls import path

from ura.api import pages

app_name = "tokens"

urlpatterns = [
    path("", pages.token_list, name="list"),
    path("new/", pages.token_new, name="create"),
    path("<int:pk>/revoke/", pages.token_end, name="revoke"),
]
