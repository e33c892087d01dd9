from django.contrib.auth import views as auth_views
from django.urls import include, path

from ura.accounts import views as account_views

urlpatterns = [
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("login/code/", account_views.two_factor, name="two_factor"),
    path("login/enrol/", account_views.two_factor_enrol, name="two_factor_enrol"),
    path("login/key/options/", account_views.two_factor_key_options, name="two_factor_key_options"),
    path("login/key/", account_views.two_factor_key, name="two_factor_key"),
    path("login/recovery/", account_views.two_factor_recovery, name="two_factor_recovery"),
    path("accounts/", include("ura.accounts.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("ura.web.urls")),
    path("cases/", include("ura.cases.urls")),
    path("panels/", include("ura.panels.urls")),
    path("support/", include("ura.support.urls")),
    path("tasks/", include("ura.tasks.urls")),
    path("assessments/", include("ura.assessments.urls")),
    path("monitoring/", include("ura.monitoring.urls")),
    path("reintegration/", include("ura.reintegration.urls")),
    path("matching/", include("ura.matching.urls")),
    path("governance/", include("ura.governance.urls")),
    path("account/tokens/", include("ura.api.page_urls")),
    path("api/", include("ura.api.urls")),
]
