from django.urls import path

from ura.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.csv", views.case_export, name="export"),
    path("refer/", views.refer, name="refer"),
    path("refer/received/<int:pk>/", views.referral_received, name="referral_received"),
    path("my-referrals/", views.my_referrals, name="my_referrals"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/transition/<slug:name>/", views.transition, name="transition"),
    path("<int:pk>/deconfliction/", views.deconfliction_ask, name="deconfliction_request"),
    path("<int:pk>/requests/new/", views.request_create, name="request_create"),
    path("<int:pk>/rerefer/", views.rerefer, name="rerefer"),
    path("deconfliction/", views.deconfliction_queue, name="deconfliction_queue"),
    path("deconfliction/<int:pk>/answer/", views.deconfliction_answer_view, name="deconfliction_answer"),
    path("requests/", views.request_inbox, name="request_inbox"),
    path("requests/<int:pk>/", views.request_answer, name="request_answer"),
]
