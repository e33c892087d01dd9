from django.urls import path

from ura.accounts import views

app_name = "accounts"

urlpatterns = [
    path("locked/", views.locked, name="locked"),
    path("locked/unlock/", views.unlock, name="unlock"),
    path("security/", views.security, name="security"),
    path("security/keys/options/", views.security_key_options, name="security_key_options"),
    path("security/keys/", views.security_key_add, name="security_key_add"),
    path("security/keys/<int:pk>/remove/", views.security_key_remove, name="security_key_remove"),
    path("security/recovery-codes/", views.recovery_codes_new, name="recovery_codes_new"),
]
