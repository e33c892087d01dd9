"""Support plans, consent, post-exit reviews and the provider's page.

Thin views: sign-in, a policy-filtered lookup (404 for missing and forbidden alike),
the service, render. The case-page forms are posted here; with HTMX an invalid form
comes back as the same form with its errors, in place on the case page; without HTMX
it is shown on a page of its own.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ura.cases.models import Case
from ura.errors import ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.governance.models import ConsentGiver
from ura.governance.services import consent_record as consent_record_service
from ura.support import selectors, services
from ura.support.forms import ConsentForm, InterventionForm, PostExitReviewForm, SessionForm, StatusForm
from ura.support.models import PostExitOutcome


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#support"


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        # A partial swap cannot show the case's new stage; the case page is loaded afresh. Without
        # "#support": from the case page itself, a change of fragment alone would not reload it.
        return HttpResponseClientRedirect(reverse("cases:detail", args=[case.pk]))
    return redirect(case_url(case))


def _apply(form: forms.Form, error: ServiceError) -> bool:
    """Put a service's error on the field it names; ``False`` if it names none of the form's fields."""
    if error.field in form.fields:
        form.add_error(error.field, error.message)
        return True
    return False


def _form(request: HttpRequest, partial: str, title: str, ctx: dict[str, Any]) -> HttpResponse:
    if request.htmx:
        return render(request, partial, ctx)
    return render(request, "support/form_page.html", {**ctx, "partial": partial, "title": title})


def _minor(case: Case) -> bool:
    return bool(case.person.is_minor_on(timezone.localdate()))


@login_required
@require_http_methods(["GET", "POST"])
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_manager(request.user, pk, "consent.record")
    minor = _minor(case)
    initial = {"decided_on": timezone.localdate()}
    if minor:
        initial["given_by"] = ConsentGiver.GUARDIAN
    form = ConsentForm(request.POST or None, initial=initial, mechanism=case.mechanism)
    if request.method == "POST" and form.is_valid():
        try:
            consent_record_service(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as e:
            if not _apply(form, e):
                messages.error(request, e.message)
                return redirect(case_url(case))
        else:
            return _done(request, case, _("The answer to the offer of support is recorded."))
    return _form(request, "support/_consent_form.html", _("Consent to support"),
                 {"case": case, "form": form, "minor": minor})


@login_required
@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_manager(request.user, pk, "intervention.manage")
    form = InterventionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_add(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as e:
            if not _apply(form, e):
                messages.error(request, e.message)
                return redirect(case_url(case))
        else:
            return _done(request, case, _("The intervention is added to the support plan."))
    return _form(request, "support/_intervention_form.html", _("Add an intervention"), {"case": case, "form": form})


@login_required
@require_POST
def intervention_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_for_manager(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect(case_url(intervention.case))
    try:
        services.intervention_set_status(actor=request.user, intervention=intervention,
                                         status=form.cleaned_data["status"])
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect(case_url(intervention.case))
    return _done(request, intervention.case, _("The intervention's status is changed."))


@login_required
@require_http_methods(["GET", "POST"])
def post_exit_review_record(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for_manager(request.user, pk)
    case = review.case
    form = PostExitReviewForm(request.POST or None, auto_id=f"id_%s_review{review.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.post_exit_review_record(actor=request.user, review=review, **form.cleaned_data)
        except ServiceError as e:
            if not _apply(form, e):
                messages.error(request, e.message)
                return redirect(case_url(case))
        else:
            if form.cleaned_data["outcome"] == PostExitOutcome.CONCERN:
                return _done(request, case, _("The review is recorded. The concern opened a new episode."))
            return _done(request, case, _("The review is recorded."))
    return _form(request, "support/_review_form.html", _("Post-exit review"),
                 {"case": case, "review": review, "form": form})


# --- The provider's page ---------------------------------------------------------------

@login_required
@require_GET
def my_interventions(request: HttpRequest) -> HttpResponse:
    current, ended = selectors.provider_list(request.user)
    shown = current + ended
    mechanisms = {i.case.mechanism_id: i.case.mechanism for i in shown}
    audit_record(actor=request.user, action="support.interventions_viewed",
                 mechanism=next(iter(mechanisms.values())) if len(mechanisms) == 1 else None,
                 data={"interventions": [i.pk for i in shown], "cases": sorted({i.case_id for i in shown})})
    return render(request, "support/my_interventions.html", {"current": current, "ended": ended})


def _intervention_page(request: HttpRequest, intervention: Any, form: SessionForm | None = None) -> HttpResponse:
    case = intervention.case
    audit_record(actor=request.user, action="support.interventions_viewed", obj=intervention, case=case)
    can_record = selectors.session_allowed(case) and policy.can(request.user, "session.record", case=case,
                                                                obj=intervention)
    return render(request, "support/intervention.html", {
        "i": intervention, "sessions": selectors.sessions_of(intervention),
        "show_name": cat.IDENTITY in policy.visible_categories(request.user, case),
        "form": (form or SessionForm()) if can_record else None,
    })


@login_required
@require_GET
def intervention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _intervention_page(request, selectors.intervention_for_provider(request.user, pk))


@login_required
@require_POST
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_for_provider(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_record(actor=request.user, intervention=intervention, **form.cleaned_data)
        except ServiceError as e:
            if not _apply(form, e):
                messages.error(request, e.message)
                return redirect("support:intervention", intervention.pk)
        else:
            messages.success(request, _("The session is recorded."))
            return redirect("support:intervention", intervention.pk)
    return _intervention_page(request, intervention, form)
