from django.urls import path

from ura.support import views

app_name = "support"
urlpatterns = [
    path("mine/", views.my_interventions, name="my_interventions"),
    path("interventions/<int:pk>/", views.intervention_detail, name="intervention"),
    path("interventions/<int:pk>/sessions/", views.session_record, name="session_record"),
    path("interventions/<int:pk>/status/", views.intervention_set_status, name="intervention_set_status"),
    path("cases/<int:pk>/consent/", views.consent_record, name="consent_record"),
    path("cases/<int:pk>/interventions/", views.intervention_add, name="intervention_add"),
    path("reviews/<int:pk>/", views.post_exit_review_record, name="post_exit_review_record"),
]
