"""Views are thin: policy, service or selector, render.

Service errors become messages or form errors on the same page (with what the user typed
kept), never a server error. A case someone may not open is a 404, exactly like a missing one.
"""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ura.assessments.selectors import case_section
from ura.cases import selectors
from ura.cases.forms import (
    DANGER_NOTE,
    SECTOR_BY_AGENCY_TYPE,
    CaseEditForm,
    CaseFilterForm,
    DeconflictionAnswerForm,
    InformationAnswerForm,
    InformationRequestForm,
    ReferralForm,
    RereferralForm,
    TransitionForm,
    new_submission_key,
)
from ura.cases.models import Case, ConcernType, Track
from ura.cases.services import (
    case_rerefer,
    case_transition,
    case_update,
    deconfliction_answer,
    deconfliction_request,
    information_request_answer,
    information_request_create,
    referral_submit,
)
from ura.errors import Conflict, NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Mechanism

PAGE_SIZE = 50
EXPORT_LIMIT = 5000


def _status_for(error: ServiceError) -> int:
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, NotAllowed):
        return 403
    return 400


def _form_error(form: forms.Form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- referral intake -------------------------------------------------------------------------

def _default_sector(user: Any, mechanisms: list[Mechanism]) -> str | None:
    membership = policy.membership_for(user, mechanisms[0]) if mechanisms else None
    return SECTOR_BY_AGENCY_TYPE.get(membership.agency.type) if membership else None


@login_required
def refer(request: HttpRequest) -> HttpResponse:
    mechanisms = policy.mechanisms_where(request.user, "referral.submit")
    if not mechanisms:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ReferralForm(request.POST, mechanisms=mechanisms)
        if form.is_valid():
            try:
                case = referral_submit(actor=request.user, mechanism=form.chosen_mechanism, person=form.person(),
                                       referral=form.referral(), submission_key=form.cleaned_data["submission_key"])
            except ServiceError as e:
                _form_error(form, e)
            else:
                return redirect("cases:referral_received", case.pk)
        status = 400
    else:
        form = ReferralForm(mechanisms=mechanisms, initial={
            "submission_key": new_submission_key(), "source_sector": _default_sector(request.user, mechanisms)})
    return render(request, "cases/refer.html", {"form": form, "danger_note": DANGER_NOTE}, status=status)


@login_required
def referral_received(request: HttpRequest, pk: int) -> HttpResponse:
    # Policy: a referrer learns that their own referral was received, and nothing more.
    referral = selectors.own_referral(request.user, pk)
    audit_record(actor=request.user, action="case.receipt_viewed",
                 case=Case.objects.select_related("mechanism").get(pk=referral.pk))
    return render(request, "cases/referral_received.html", {"referral": referral})


@login_required
def my_referrals(request: HttpRequest) -> HttpResponse:
    # Policy: one's own submissions only, reduced to reference, date and a coarse status.
    referrals = list(selectors.referrals_by(request.user))
    audit_record(actor=request.user, action="case.my_referrals_viewed",
                 data={"cases": [r.pk for r in referrals]})
    return render(request, "cases/my_referrals.html", {"referrals": referrals})


# --- the case list -----------------------------------------------------------------------------

@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    mechanisms = selectors.list_mechanisms(user)
    if not mechanisms:
        raise PermissionDenied
    form = CaseFilterForm(request.GET or None, mechanisms=mechanisms, years=selectors.referral_years(user))
    filters = form.filters()
    page = Paginator(selectors.case_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.case_rows(user, list(page.object_list))
    by_pk = {m.pk: m for m in mechanisms}
    mechanism = by_pk.get(filters.get("mechanism", 0)) or (mechanisms[0] if len(mechanisms) == 1 else None)
    # The list shows names: one audit event per view, naming the cases shown (codes only, no search text).
    audit_record(actor=user, action="case.list_viewed", mechanism=mechanism, data={
        "filters": {k: v for k, v in filters.items() if k != "q"}, "search": "q" in filters,
        "page": page.number, "cases": [r.case.pk for r in rows],
        "breakglass": [r.case.pk for r in rows if policy.access(user, r.case).breakglass is not None]})
    partial = request.htmx and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "cases/_case_results.html" if partial else "cases/case_list.html"
    response = render(request, template, {"form": form, "page": page, "rows": rows})
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The case list as CSV: the same cases, and only the columns the policy lets the user read."""
    user = request.user
    mechanisms = [m for m in selectors.list_mechanisms(user) if policy.allowed(user, "case.export", m)]
    if not mechanisms:
        raise PermissionDenied
    form = CaseFilterForm(request.GET or None, mechanisms=mechanisms, years=selectors.referral_years(user))
    cases = list(selectors.case_list(user, form.filters()).filter(mechanism__in=mechanisms)[:EXPORT_LIMIT])
    header, lines = selectors.export_rows(user, cases)
    audit_record(actor=user, action="export.downloaded", mechanism=mechanisms[0] if len(mechanisms) == 1 else None,
                 data={"export": "cases", "cases": [c.pk for c in cases], "columns": header})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(lines)
    return response


# --- the case page -------------------------------------------------------------------------------

def _render_case(request: HttpRequest, case: Case, *, status: int = 200,
                 bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    """The case page, with any forms the user just submitted kept as typed."""
    bound = bound or {}
    page = selectors.case_page(request.user, case)
    # One event for the page: the categories and the assessment results it shows. A refused step
    # still shows the case the user may read: the same event, marked refused.
    shown = case_section(request.user, case).shown_ids
    audit_record(actor=request.user, action="case.viewed", obj=case,
                 data={"categories": sorted(page.categories), **policy.read_flags(request.user, case),
                       **({"assessments": sorted(shown)} if shown else {}),
                       **({"refused": "step_not_allowed"} if status == 403 else {})})
    transitions = [(t, bound.get(f"transition:{t.name}")
                    or TransitionForm(prefix=t.name, initial={"version": case.version}))
                   for t in page.transitions]
    request_form = None
    if page.can_request_information:
        request_form = bound.get("request") or InformationRequestForm(mechanism=case.mechanism)
    rerefer_form = None
    if page.can_rerefer:
        rerefer_form = bound.get("rerefer") or RereferralForm(initial={
            "submission_key": new_submission_key(), "source_sector": case.source_sector,
            "concern_type": case.concern_type})
    return render(request, "cases/case_detail.html", {
        "page": page, "case": case, "transitions": transitions, "request_form": request_form,
        "rerefer_form": rerefer_form, "identity": cat.IDENTITY, "referral": cat.REFERRAL,
        "needs": cat.NEEDS_PLAN, "risk": cat.RISK,
    }, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, policy.case_for(request.user, pk))


def _may_move(user: Any, case: Case) -> bool:
    return policy.can(user, "case.transition", case=case) or policy.is_chair(user, case.mechanism)


def _refuse_unless(request: HttpRequest, action: str, case: Case) -> None:
    """Writes are checked before the form is read; reading a case (even with emergency access)
    never lets anyone write to it."""
    if not policy.can(request.user, action, case=case):
        raise PermissionDenied


@login_required
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    if request.method != "POST":
        # A reload after a refused step lands here: show the case instead of an error.
        return redirect("cases:detail", case.pk)
    if not _may_move(request.user, case):
        # Refused before the form is read: the answer never depends on what was posted.
        messages.error(request, _("Your role cannot take this step."))
        return _render_case(request, case, status=403)
    form = TransitionForm(request.POST, prefix=name)
    if not form.is_valid():
        messages.error(request, _("This form is damaged. Reload the page and try again."))
        return _render_case(request, case, status=400)
    try:
        case = case_transition(case=case, transition=name, actor=request.user, reason=form.cleaned_data["reason"],
                               expected_version=form.cleaned_data["version"])
    except ServiceError as e:
        messages.error(request, e.message)
        # Show the case as it is now; keep the reason typed, against the current version.
        case = policy.case_for(request.user, pk)
        data = request.POST.copy()
        data[f"{name}-version"] = str(case.version)
        again = TransitionForm(data, prefix=name)
        if e.field:
            _form_error(again, e)
        return _render_case(request, case, status=_status_for(e), bound={f"transition:{name}": again})
    messages.success(request, _("Done: the case is now in stage “%(stage)s”.") % {"stage": case.get_stage_display()})
    return redirect("cases:detail", case.pk)


@login_required
@require_POST
def deconfliction_ask(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    _refuse_unless(request, "deconfliction.request", case)
    try:
        deconfliction_request(case=case, actor=request.user)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The police have been asked. You will see their answer here."))
    return redirect("cases:detail", case.pk)


@login_required
@require_POST
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    _refuse_unless(request, "inforequest.create", case)
    form = InformationRequestForm(request.POST, mechanism=case.mechanism)
    status = 400
    if form.is_valid():
        try:
            information_request_create(case=case, actor=request.user, **form.cleaned_data)
        except ServiceError as e:
            _form_error(form, e)
            status = _status_for(e)
        else:
            messages.success(request, _("The request was sent to %(agency)s.")
                             % {"agency": form.cleaned_data["to_agency"].name})
            return redirect("cases:detail", case.pk)
    messages.error(request, _("The information request was not sent. Check the form below."))
    return _render_case(request, case, status=status, bound={"request": form})


@login_required
@require_POST
def rerefer(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    _refuse_unless(request, "case.edit", case)
    form = RereferralForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            again = case_rerefer(actor=request.user, previous=case, referral=form.referral(),
                                 submission_key=form.cleaned_data["submission_key"])
        except ServiceError as e:
            _form_error(form, e)
            status = _status_for(e)
        else:
            messages.success(request, _("A new episode was opened: %(ref)s.") % {"ref": again.reference})
            return redirect("cases:detail", again.pk)
    messages.error(request, _("The new episode was not opened. Check the form below."))
    return _render_case(request, case, status=status, bound={"rerefer": form})


# --- editing the summary fields ---------------------------------------------------------------

def _edit_values(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in CaseEditForm.CHANGE_FIELDS}


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    if not policy.can(request.user, "case.edit", case=case):
        raise PermissionDenied
    tracks = [*case.mechanism.tracks, case.track]
    status, stored = 200, None
    if request.method == "POST":
        form = CaseEditForm(request.POST, tracks=tracks)
        status = 400
        if form.is_valid():
            try:
                case_update(case=case, actor=request.user, expected_version=form.cleaned_data["version"],
                            changes=form.changes())
            except Conflict as e:
                # Keep every word the user typed; show what is stored now; saving again is deliberate.
                messages.error(request, e.message)
                case = policy.case_for(request.user, pk)
                data = request.POST.copy()
                data["version"] = str(case.version)
                form = CaseEditForm(data, tracks=tracks)
                form.is_valid()
                stored, status = _stored_display(e.current), 409
            except ServiceError as e:
                _form_error(form, e)
                status = _status_for(e)
            else:
                messages.success(request, _("The case was saved."))
                return redirect("cases:detail", case.pk)
    else:
        form = CaseEditForm(initial={"version": case.version, **_edit_values(case)}, tracks=tracks)
    if request.method != "POST" or stored is not None:
        audit_record(actor=request.user, action="case.viewed", obj=case,
                     data={"page": "edit", **policy.read_flags(request.user, case)})
    return render(request, "cases/case_edit.html", {"form": form, "case": case, "stored": stored}, status=status)


def _stored_display(current: dict[str, Any]) -> list[tuple[str, str]]:
    labels = {name: str(field.label) for name, field in CaseEditForm.base_fields.items()}
    shown = {"concern_type": lambda v: ConcernType(v).label if v in ConcernType.values else v,
             "track": lambda v: Track(v).label if v in Track.values else v}
    return [(labels[f], str(shown.get(f, lambda v: v)(current.get(f, ""))))
            for f in CaseEditForm.CHANGE_FIELDS]


# --- police deconfliction -------------------------------------------------------------------

def _render_queue(request: HttpRequest, *, status: int = 200, bound: DeconflictionAnswerForm | None = None,
                  bound_pk: int | None = None) -> HttpResponse:
    user = request.user
    if not selectors.deconfliction_mechanisms(user):
        raise PermissionDenied
    pending = selectors.deconflictions_pending(user)
    policy.prefetch_access(user, [d.case for d in pending])
    items = []
    for d in pending:
        identity = cat.IDENTITY in policy.visible_categories(user, d.case)
        form = bound if bound is not None and bound_pk == d.pk else DeconflictionAnswerForm(pk=d.pk)
        items.append({"d": d, "person": d.case.person if identity else None, "form": form,
                      "pseudonym": policy.pseudonym(d.case) if policy.pseudonymised_in(user, d.case.mechanism_id)
                      else None})
    audit_record(actor=user, action="deconfliction.queue_viewed",
                 data={"cases": [d.case_id for d in pending],
                       "identities": [d.case_id for d, i in zip(pending, items, strict=True) if i["person"]]})
    return render(request, "cases/deconfliction_queue.html", {"items": items}, status=status)


@login_required
def deconfliction_queue(request: HttpRequest) -> HttpResponse:
    return _render_queue(request)


@login_required
@require_POST
def deconfliction_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.deconfliction_for(request.user, pk)
    form = DeconflictionAnswerForm(request.POST, pk=d.pk)
    status = 400
    if form.is_valid():
        try:
            deconfliction_answer(deconfliction=d, actor=request.user, answer=form.cleaned_data["answer"],
                                 police_note=form.cleaned_data["police_note"])
        except ServiceError as e:
            _form_error(form, e)
            status = _status_for(e)
        else:
            messages.success(request, _("Your answer for %(ref)s was sent. The note stays with the police.")
                             % {"ref": d.case.reference})
            return redirect("cases:deconfliction_queue")
    messages.error(request, _("The answer was not sent. Check the form below."))
    return _render_queue(request, status=status, bound=form, bound_pk=d.pk)


# --- information requests to the user's agencies -------------------------------------------

@login_required
def request_inbox(request: HttpRequest) -> HttpResponse:
    if not policy.mechanisms_where(request.user, "inforequest.answer"):
        raise PermissionDenied
    requests = list(selectors.requests_inbox(request.user))
    audit_record(actor=request.user, action="case.inforequests_viewed",
                 data={"requests": [r.pk for r in requests], "cases": [r.case_id for r in requests]})
    return render(request, "cases/request_inbox.html", {"requests": requests, "today": timezone.localdate()})


@login_required
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    r = selectors.request_for(request.user, pk)
    status = 200
    form = InformationAnswerForm(request.POST or None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                information_request_answer(request=r, actor=request.user, answer=form.cleaned_data["answer"],
                                           refusal_reason=form.cleaned_data["refusal_reason"])
            except ServiceError as e:
                _form_error(form, e)
                status = _status_for(e)
            else:
                messages.success(request, _("Your answer for %(ref)s was sent.") % {"ref": r.case.reference})
                return redirect("cases:request_inbox")
    person = r.case.person if cat.IDENTITY in policy.visible_categories(request.user, r.case) else None
    pseudonym = policy.pseudonym(r.case) if policy.pseudonymised_in(request.user, r.case.mechanism_id) else None
    audit_record(actor=request.user, action="case.inforequest.viewed", obj=r, case=r.case,
                 data={"identity": person is not None, **policy.read_flags(request.user, r.case)})
    return render(request, "cases/request_answer.html", {"r": r, "form": form, "person": person,
                                                         "pseudonym": pseudonym}, status=status)
