from django.urls import path

from ura.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("report/text/", views.narrative_edit, name="narrative"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("indicators.csv", views.export_csv, name="export_csv"),
    path("indicators.xlsx", views.export_xlsx, name="export_xlsx"),
    path("trainings/", views.trainings, name="trainings"),
    path("activities/", views.activities, name="activities"),
    path("funding/", views.funding, name="funding"),
]
