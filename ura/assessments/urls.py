from django.urls import path

from ura.assessments import views

app_name = "assessments"
urlpatterns = [
    path("cases/<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/countersign/", views.countersign, name="countersign"),
    path("<int:pk>/revise/", views.revise, name="revise"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("compare/<int:first>/<int:second>/", views.compare, name="compare"),
    path("interventions/<int:pk>/needs/", views.intervention_needs, name="intervention_needs"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/definition.json", views.instrument_download, name="instrument_download"),
    path("credentials/", views.credentials, name="credentials"),
    path("credentials/<int:pk>/revoke/", views.credential_revoke, name="credential_revoke"),
    path("mechanisms/<int:pk>/countersign/", views.countersign_rule, name="countersign_rule"),
]
