from django.urls import path

from ura.governance import dpo_views, views

app_name = "governance"
urlpatterns = [
    path("emergency-access/", views.breakglass_open, name="breakglass_open"),
    path("emergency-access/reviews/", views.breakglass_reviews, name="breakglass_reviews"),
    path("emergency-access/<int:pk>/review/", views.breakglass_review, name="breakglass_review"),
    path("agreements/", views.agreements, name="agreements"),
    path("cases/<int:pk>/share/", views.case_share, name="case_share"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    # the data-protection officer: a person's file, legal holds, erasure, who accessed it, access review
    path("data-protection/", dpo_views.dpo_home, name="dpo_home"),
    path("data-protection/cases/<int:pk>/", dpo_views.dpo_person, name="dpo_person"),
    path("data-protection/cases/<int:pk>/accesses/", dpo_views.dpo_accesses, name="dpo_accesses"),
    path("data-protection/cases/<int:pk>/record.json", dpo_views.dpo_export_json, name="dpo_export_json"),
    path("data-protection/cases/<int:pk>/record.pdf", dpo_views.dpo_export_pdf, name="dpo_export_pdf"),
    path("data-protection/cases/<int:pk>/hold/", dpo_views.legal_hold_place, name="legal_hold_place"),
    path("data-protection/cases/<int:pk>/hold/lift/", dpo_views.legal_hold_lift, name="legal_hold_lift"),
    path("data-protection/cases/<int:pk>/erase/", dpo_views.erasure_request, name="erasure_request"),
    path("data-protection/access-review/", dpo_views.access_review, name="access_review"),
    path("data-protection/access-review/mark/", dpo_views.access_review_mark, name="access_review_mark"),
]
