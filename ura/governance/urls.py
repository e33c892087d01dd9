from django.urls import path

from ura.governance import views

app_name = "governance"
urlpatterns = [
    path("emergency-access/", views.breakglass_open, name="breakglass_open"),
    path("emergency-access/reviews/", views.breakglass_reviews, name="breakglass_reviews"),
    path("emergency-access/<int:pk>/review/", views.breakglass_review, name="breakglass_review"),
    path("agreements/", views.agreements, name="agreements"),
    path("cases/<int:pk>/share/", views.case_share, name="case_share"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
