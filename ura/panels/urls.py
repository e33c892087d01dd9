from django.urls import path

from ura.panels import views

app_name = "panels"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/attendance/", views.attendance_record, name="attendance_record"),
    path("<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("<int:pk>/items/<int:item_pk>/conflict/", views.conflict_declare, name="conflict_declare"),
    path("<int:pk>/items/<int:item_pk>/vote/", views.vote_cast, name="vote_cast"),
    path("<int:pk>/items/<int:item_pk>/decision/", views.decision_record, name="decision_record"),
    path("cases/<int:case_pk>/agenda/", views.case_schedule, name="case_schedule"),
]
