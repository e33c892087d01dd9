from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("api/", include("ura.api.urls")),
]
