"""Assessment pages. Thin: sign-in, a policy-filtered lookup (404 for missing and forbidden
alike), the service or selector, the audit event of the read, render.

Every page that shows an assessment writes ``assessment.viewed`` (or ``assessment.compared``);
none of them shows a number computed from the ratings.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ura.assessments import selectors, services
from ura.assessments.forms import (
    AssessmentForm,
    ConfirmForm,
    CountersignRuleForm,
    CredentialForm,
    NeedsForm,
    RevisionForm,
    StartForm,
    form_field,
    initial_for,
)
from ura.assessments.models import Assessment
from ura.errors import Conflict, NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Mechanism
from ura.support import selectors as support_selectors


def _status_for(error: ServiceError) -> int:
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, NotAllowed):
        return 403
    return 400


def _case_url(case: Any) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#assessments"


def _viewed(request: HttpRequest, a: Assessment, page: str) -> None:
    audit_record(actor=request.user, action="assessment.viewed", obj=a, case=a.case,
                 data={"page": page, "instrument": a.instrument.code, **policy.read_flags(request.user, a.case)})


# --- starting, editing, signing -------------------------------------------------------------

@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    if not policy.can(request.user, "assessment.record", case=case):
        raise PermissionDenied
    form = StartForm(request.POST, instruments=services.latest_versions())
    if not form.is_valid():
        messages.error(request, _("Choose one of the instruments offered."))
        return redirect(_case_url(case))
    try:
        a = services.assessment_start(actor=request.user, case=case, instrument=form.cleaned_data["instrument"])
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect(_case_url(case))
    messages.success(request, _("A draft was started. Only its assessors see it until it is submitted."))
    return redirect("assessments:edit", a.pk)


def _edit_form(a: Assessment, user: Any, data: Any = None) -> AssessmentForm:
    candidates = selectors.co_assessor_candidates(a, user)
    if data is None:
        return AssessmentForm(initial=initial_for(a), assessment=a, co_assessors=candidates)
    return AssessmentForm(data, assessment=a, co_assessors=candidates)


def _render_edit(request: HttpRequest, a: Assessment, form: AssessmentForm, status: int = 200) -> HttpResponse:
    _viewed(request, a, "edit")
    return render(request, "assessments/edit.html", {
        "a": a, "form": form, "spec": a.instrument.spec, "case": a.case,
        "countersign_required": services.countersign_required(a.case.mechanism)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.assessment_for(request.user, pk)
    if not any(x.user_id == request.user.pk for x in a.assessors.all()):
        raise Http404
    if not a.is_draft:
        messages.info(request, _("A submitted assessment is never edited; start a new version to change it."))
        return redirect("assessments:detail", a.pk)
    if request.method != "POST":
        return _render_edit(request, a, _edit_form(a, request.user))
    form = _edit_form(a, request.user, request.POST)
    if not form.is_valid():
        messages.error(request, _("The draft was not saved. Check the marked fields."))
        return _render_edit(request, a, form, 400)
    submit = request.POST.get("action") == "submit"
    try:
        a = services.assessment_save(actor=request.user, assessment=a,
                                     expected_revision=form.cleaned_data["revision"], **form.changes())
        if submit:
            a = services.assessment_submit(actor=request.user, assessment=a, expected_revision=a.revision)
    except services.Incomplete as e:
        # The draft is saved as typed; what is missing is marked on its fields.
        data = request.POST.copy()
        data["revision"] = str(a.revision)
        form = _edit_form(a, request.user, data)
        form.is_valid()
        for name, message in e.problems.items():
            form.add_error(form_field(name) if form_field(name) in form.fields else None, message)
        messages.error(request, _("Your draft is saved, but it cannot be submitted yet: see the marked fields."))
        return _render_edit(request, selectors.assessment_for(request.user, a.pk), form, 400)
    except Conflict as e:
        messages.error(request, e.message)
        fresh = selectors.assessment_for(request.user, a.pk)
        data = request.POST.copy()
        data["revision"] = str(fresh.revision)
        form = _edit_form(fresh, request.user, data)
        form.is_valid()
        return _render_edit(request, fresh, form, 409)
    except ServiceError as e:
        target = form_field(e.field)
        form.add_error(target if target in form.fields else None, e.message)
        return _render_edit(request, a, form, _status_for(e))
    if submit:
        if services.countersign_required(a.case.mechanism):
            messages.success(request, _("The assessment is submitted. It now needs a second signature."))
        else:
            messages.success(request, _("The assessment is submitted."))
        return redirect("assessments:detail", a.pk)
    messages.success(request, _("The draft is saved."))
    return redirect("assessments:edit", a.pk)


def _revision(request: HttpRequest) -> int | None:
    """The revision of the assessment the user acted on, from the page's form; ``None`` if damaged."""
    form = RevisionForm(request.POST)
    return form.cleaned_data["revision"] if form.is_valid() else None


def _damaged(request: HttpRequest, a: Assessment) -> HttpResponse:
    messages.error(request, _("This form is damaged or out of date. Reload the page and try again."))
    return _render_detail(request, a, status=400)


@login_required
@require_POST
def countersign(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.assessment_for(request.user, pk)
    revision = _revision(request)
    if revision is None:
        return _damaged(request, a)
    try:
        services.assessment_countersign(actor=request.user, assessment=a, expected_revision=revision)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("You countersigned the assessment."))
    return redirect("assessments:detail", a.pk)


@login_required
@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.assessment_for(request.user, pk)
    revision = _revision(request)
    if revision is None:
        return _damaged(request, a)
    try:
        new = services.assessment_revise(actor=request.user, assessment=a, expected_revision=revision)
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("assessments:detail", a.pk)
    messages.success(request, _("A new version was started from the current one. Check every rating and its "
                                "evidence, and give your summary judgement afresh."))
    return redirect("assessments:edit", new.pk)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.assessment_for(request.user, pk)
    case = a.case
    revision = _revision(request)
    if revision is None:
        return _damaged(request, a)
    try:
        services.assessment_discard(actor=request.user, assessment=a, expected_revision=revision)
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("assessments:detail", a.pk)
    messages.success(request, _("The draft was discarded."))
    return redirect(_case_url(case))


# --- reading ---------------------------------------------------------------------------------

def _render_detail(request: HttpRequest, a: Assessment, status: int = 200) -> HttpResponse:
    page = selectors.assessment_page(request.user, a)
    _viewed(request, a, "detail")
    return render(request, "assessments/detail.html", {"page": page, "a": a, "case": a.case, "spec": page.spec},
                  status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.assessment_for(request.user, pk))


@login_required
@require_GET
def compare(request: HttpRequest, first: int, second: int) -> HttpResponse:
    c = selectors.comparison(request.user, first, second)
    audit_record(actor=request.user, action="assessment.compared", obj=c.later, case=c.later.case,
                 data={"assessments": [c.earlier.pk, c.later.pk], "instrument": c.later.instrument.code,
                       **policy.read_flags(request.user, c.later.case)})
    return render(request, "assessments/compare.html", {"c": c, "case": c.later.case,
                                                        "spec": c.later.instrument.spec})


# --- needs feed the plan -------------------------------------------------------------------------

def _need_choices(intervention: Any) -> list[tuple[str, str]]:
    current = services.current_needs_assessments(intervention.case)
    keys = services.need_keys(current)
    labels: dict[tuple[str, str], str] = {}
    for a in current:
        for item in a.instrument.spec.items():
            labels[(a.instrument.code, item.id)] = f"{a.instrument.name}: {item.label}"
    cited = {(n.instrument_code, n.item_id) for n in intervention.needs.all()}
    choices = [(f"{c}:{i}", labels[(c, i)]) for c, i in sorted(keys, key=lambda k: labels[k])]
    for c, i in sorted(cited - keys):
        label = labels.get((c, i), f"{c}: {i}")
        choices.append((f"{c}:{i}", _("%(need)s (no longer rated as a need)") % {"need": label}))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def intervention_needs(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = support_selectors.intervention_for_manager(request.user, pk)
    case = intervention.case
    if cat.NEEDS_PLAN not in policy.visible_categories(request.user, case):
        raise Http404
    choices = _need_choices(intervention)
    initial = {"needs": [f"{n.instrument_code}:{n.item_id}" for n in intervention.needs.all()]}
    form = NeedsForm(request.POST or None, choices=choices, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.intervention_needs_set(actor=request.user, intervention=intervention, needs=form.keys())
            except ServiceError as e:
                form.add_error("needs" if e.field == "needs" else None, e.message)
                status = _status_for(e)
            else:
                messages.success(request, _("The needs this intervention addresses are saved."))
                return redirect(_case_url(case))
    audit_record(actor=request.user, action="assessment.viewed", obj=intervention, case=case,
                 data={"page": "intervention_needs", **policy.read_flags(request.user, case)})
    return render(request, "assessments/intervention_needs.html",
                  {"i": intervention, "case": case, "form": form}, status=status)


# --- instruments -----------------------------------------------------------------------------

def _member(request: HttpRequest) -> None:
    if not policy.memberships(request.user):
        raise PermissionDenied


@login_required
@require_GET
def instruments(request: HttpRequest) -> HttpResponse:
    _member(request)
    return render(request, "assessments/instruments.html", {
        "instruments": selectors.instruments(), "manages": bool(selectors.credential_mechanisms(request.user))})


@login_required
@require_GET
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _member(request)
    v = selectors.instrument_for(pk)
    return render(request, "assessments/instrument_detail.html", {
        "v": v, "spec": v.spec, "readable": selectors.may_read_instrument(request.user, v),
        "category": cat.LABELS.get(v.category, v.category)})


@login_required
@require_GET
def instrument_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The definition, loadable with ``ura instruments load``; only where its licence allows copies."""
    _member(request)
    v = selectors.instrument_for(pk)
    if not v.redistributable:
        raise Http404
    body = json.dumps(v.definition, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{v.code}-{v.version}.json"'
    return response


# --- credentials and the mechanism's rule --------------------------------------------------------

def _credentials_page(request: HttpRequest, form: CredentialForm | None = None, status: int = 200) -> HttpResponse:
    rows = selectors.credential_rows(request.user)
    codes = selectors.credential_codes()
    form = form or CredentialForm(members=[r.user for r in rows], codes=codes)
    rule_mechanisms = policy.mechanisms_where(request.user, "configuration.manage")
    rules = [(m, CountersignRuleForm(prefix=f"m{m.pk}", initial={"required": services.countersign_required(m)}))
             for m in rule_mechanisms]
    audit_record(actor=request.user, action="assessment.credentials_viewed",
                 data={"users": [r.user.pk for r in rows]})
    return render(request, "assessments/credentials.html", {
        "rows": rows, "form": form, "codes": codes, "rules": rules,
        "mechanisms": selectors.credential_mechanisms(request.user)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def credentials(request: HttpRequest) -> HttpResponse:
    mechanisms = selectors.credential_mechanisms(request.user)
    if not mechanisms:
        raise PermissionDenied
    if request.method != "POST":
        return _credentials_page(request)
    rows = selectors.credential_rows(request.user)
    form = CredentialForm(request.POST, members=[r.user for r in rows], codes=selectors.credential_codes())
    if not form.is_valid():
        return _credentials_page(request, form, 400)
    member = form.cleaned_data["user"]
    mechanism = next(m for m in mechanisms if policy.membership_for(member, m) is not None)
    try:
        services.credential_record(actor=request.user, mechanism=mechanism, **form.cleaned_data)
    except ServiceError as e:
        form.add_error(e.field if e.field in form.fields else None, e.message)
        return _credentials_page(request, form, _status_for(e))
    messages.success(request, _("The credential is recorded."))
    return redirect("assessments:credentials")


@login_required
@require_POST
def credential_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    credential, mechanism = selectors.credential_for(request.user, pk)
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("This form is damaged or out of date. Reload the page and try again."))
        return HttpResponse(status=400)
    try:
        services.credential_revoke(actor=request.user, credential=credential, mechanism=mechanism)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The credential is revoked from today."))
    return redirect("assessments:credentials")


@login_required
@require_POST
def countersign_rule(request: HttpRequest, pk: int) -> HttpResponse:
    mechanism = next((m for m in policy.mechanisms_where(request.user, "configuration.manage") if m.pk == pk), None)
    if mechanism is None:
        raise Http404
    form = CountersignRuleForm(request.POST, prefix=f"m{mechanism.pk}")
    if not form.is_valid():
        messages.error(request, _("This form is damaged or out of date. Reload the page and try again."))
        return redirect("assessments:credentials")
    try:
        services.countersign_set(actor=request.user, mechanism=Mechanism.objects.get(pk=mechanism.pk),
                                 required=form.cleaned_data.get("required", False))
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The rule for %(mech)s is saved.") % {"mech": mechanism.name})
    return redirect("assessments:credentials")
