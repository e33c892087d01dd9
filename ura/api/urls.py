from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ura.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from a URL, not inline (Content-Security-Policy).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/referrals/", views.ReferralCreateView.as_view(), name="referrals"),
    path("v1/cases/", views.CaseListView.as_view(), name="cases"),
    path("v1/cases/<str:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("v1/cases/<str:pk>/transitions/", views.CaseTransitionView.as_view(), name="case_transition"),
    path("v1/cases/<str:pk>/information-requests/", views.InformationRequestCreateView.as_view(),
         name="case_request_create"),
    path("v1/cases/<str:pk>/assessments/", views.CaseAssessmentsView.as_view(), name="case_assessments"),
    path("v1/assessments/<str:pk>/", views.AssessmentDetailView.as_view(), name="assessment"),
    path("v1/information-requests/", views.InformationRequestInboxView.as_view(), name="requests"),
    path("v1/information-requests/<str:pk>/answer/", views.InformationRequestAnswerView.as_view(),
         name="request_answer"),
    path("v1/meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("v1/meetings/<str:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("v1/meetings/<str:pk>/items/<str:item>/vote/", views.VoteView.as_view(), name="vote"),
    path("v1/meetings/<str:pk>/items/<str:item>/decision/", views.DecisionView.as_view(), name="decision"),
    path("v1/interventions/", views.InterventionListView.as_view(), name="interventions"),
    path("v1/interventions/<str:pk>/sessions/", views.SessionView.as_view(), name="sessions"),
    path("v1/indicators/scopes/", views.IndicatorScopesView.as_view(), name="indicator_scopes"),
    path("v1/indicators/", views.IndicatorsView.as_view(), name="indicators"),
    # Anything else under /api/ answers in the API's own error shape, not with an HTML page.
    re_path(r"^.*$", views.not_found),
]
