"""Emergency access, its review by the DPO, sharing agreements, sharing a case and withdrawing
consent. Thin views: sign-in, a policy-filtered lookup (404 for missing and forbidden alike),
the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ura.errors import ServiceError
from ura.governance import policy, selectors, services
from ura.governance.audit import audit_record
from ura.governance.forms import AgreementForm, BreakGlassForm, BreakGlassReviewForm, ShareForm
from ura.governance.models import BreakGlass


def _apply(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- emergency access ----------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def breakglass_open(request: HttpRequest) -> HttpResponse:
    if not policy.mechanisms_where(request.user, "breakglass.open"):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                bg = services.breakglass_open(actor=request.user, reference=form.cleaned_data["reference"],
                                              reason=form.cleaned_data["reason"])
            except ServiceError as e:
                _apply(form, e)
            else:
                messages.warning(request, _("Emergency access is open for %(hours)s hours. Every page you open is "
                                            "recorded and the data-protection officer will review it.")
                                 % {"hours": policy.BREAK_GLASS_HOURS})
                return redirect("cases:detail", bg.case_id)
    return render(request, "governance/breakglass_open.html",
                  {"form": form, "hours": policy.BREAK_GLASS_HOURS}, status=status)


def _render_reviews(request: HttpRequest, *, bound: BreakGlassReviewForm | None = None, bound_pk: int | None = None,
                    status: int = 200) -> HttpResponse:
    rows = selectors.breakglass_for_review(request.user)
    for row in rows:
        if row.bg.reviewed_at is None:
            row.form = bound if bound is not None and bound_pk == row.bg.pk else BreakGlassReviewForm(pk=row.bg.pk)
    audit_record(actor=request.user, action="breakglass.reviews_viewed",
                 data={"breakglass": [r.bg.pk for r in rows]})
    return render(request, "governance/breakglass_reviews.html", {
        "rows": rows, "unreviewed": sum(1 for r in rows if r.bg.reviewed_at is None)}, status=status)


@login_required
@require_GET
def breakglass_reviews(request: HttpRequest) -> HttpResponse:
    if not policy.mechanisms_where(request.user, "breakglass.review"):
        raise Http404
    return _render_reviews(request)


@login_required
@require_POST
def breakglass_review(request: HttpRequest, pk: int) -> HttpResponse:
    mechanisms = [m.pk for m in policy.mechanisms_where(request.user, "breakglass.review")]
    bg = BreakGlass.objects.filter(pk=pk, mechanism_id__in=mechanisms).select_related("mechanism").first()
    if bg is None:
        raise Http404
    form = BreakGlassReviewForm(request.POST, pk=bg.pk)
    if form.is_valid():
        try:
            services.breakglass_review(actor=request.user, breakglass=bg, review=form.cleaned_data["review"],
                                       note=form.cleaned_data["note"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("governance:breakglass_reviews")
    return _render_reviews(request, bound=form, bound_pk=bg.pk, status=400)


# --- sharing agreements and sharing a case ------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def agreements(request: HttpRequest) -> HttpResponse:
    managed = policy.mechanisms_where(request.user, "agreement.manage")
    readable = {m.pk: m for m in [*managed, *policy.mechanisms_where(request.user, "agreement.view")]}
    if not readable:
        raise Http404
    form = AgreementForm(request.POST or None, mechanisms=managed) if managed else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        status = 400
        if form.is_valid():
            try:
                services.agreement_create(actor=request.user, **form.cleaned_data)
            except ServiceError as e:
                _apply(form, e)
                status = 403 if e.__class__.__name__ == "NotAllowed" else 400
            else:
                messages.success(request, _("The sharing agreement is recorded."))
                return redirect("governance:agreements")
    return render(request, "governance/agreements.html", {
        "agreements": selectors.agreements_of(list(readable)), "form": form}, status=status)


@login_required
@require_POST
def case_share(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    if not policy.can(request.user, "case.share", case=case):
        raise Http404
    form = ShareForm(request.POST)
    agreement = None
    if form.is_valid():
        agreement = next((a for a in services.agreements_in_force(case.mechanism)
                          if a.pk == form.cleaned_data["agreement"]), None)
    if agreement is None:
        messages.error(request, _("Choose a sharing agreement in force in this mechanism."))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#disclosures")
    try:
        services.case_share(actor=request.user, case=case, agreement=agreement)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The case was shared with %(agency)s.") % {"agency": agreement.agency.name})
    return redirect(reverse("cases:detail", args=[case.pk]) + "#disclosures")


# --- consent -------------------------------------------------------------------------------------------

@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_for(request.user, pk)
    if not policy.can(request.user, "consent.withdraw", case=consent.case):
        raise Http404
    try:
        services.consent_withdraw(actor=request.user, consent=consent)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The withdrawal is recorded: from now on nothing of this case goes to the "
                                    "agencies the consent covered."))
    return redirect(reverse("cases:detail", args=[consent.case_id]) + "#support")
