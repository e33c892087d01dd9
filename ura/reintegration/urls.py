from django.urls import path

from ura.reintegration import views

app_name = "reintegration"
urlpatterns = [
    path("cases/<int:pk>/household/", views.household, name="household"),
    path("cases/<int:pk>/household/new/", views.household_start, name="household_start"),
    path("cases/<int:pk>/household/members/", views.household_member_add, name="household_member_add"),
    path("cases/<int:pk>/household/programme/", views.household_programme, name="household_programme"),
    path("cases/<int:pk>/household/handover/", views.household_handover, name="household_handover"),
    path("cases/<int:pk>/phase/", views.phase_enter, name="phase_enter"),
    path("cases/<int:pk>/custody/", views.custody_record, name="custody_record"),
    path("cases/<int:pk>/pre-release/", views.pre_release_record, name="pre_release_record"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:pk>/", views.handover, name="handover"),
]
