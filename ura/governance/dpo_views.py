"""The data-protection officer's pages: the start page, a person's file (legal holds, erasure
request, exports), who accessed it, and the access review. Thin views: sign-in, the policy's
mechanisms for the action (404 for anyone else, and for a case elsewhere), the service, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ura.cases.models import Case
from ura.cases.workflow import OPEN_STAGES
from ura.errors import ServiceError
from ura.governance import dpo, policy, retention, subject_access
from ura.governance.audit import audit_record, request_audit
from ura.governance.dpo_forms import DaysForm, ErasureForm, FindForm, HoldForm, LiftForm, MarkForm
from ura.governance.models import Erasure, LegalHold


def _need(request: HttpRequest, action: str) -> None:
    if not policy.mechanisms_where(request.user, action):
        raise Http404


def _apply(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_GET
def dpo_home(request: HttpRequest) -> HttpResponse:
    _need(request, "subject.access")
    form = FindForm(request.GET or None)
    status = 200
    if request.GET:
        if form.is_valid():
            case = dpo.dpo_case_by_reference(request.user, form.cleaned_data["reference"])
            if case is not None:
                return redirect("governance:dpo_person", case.pk)
            form.add_error("reference", _("No case of your mechanisms has this reference."))
        status = 400
    today = timezone.localdate()
    mechanisms = policy.mechanisms_where(request.user, "legalhold.manage")
    due = retention.due_for_erasure(today=today, mechanisms=mechanisms) if mechanisms else []
    flags = dpo.access_flags(request.user, days=30) if policy.mechanisms_where(request.user, "access.review") else []
    holds = dpo.legal_holds_of(request.user)
    current = request_audit()
    if current is None or not current.events:  # the page lists the cases on legal hold
        audit_record(actor=request.user, action="dpo.home_viewed", data={"holds": [h.case_id for h in holds]})
    return render(request, "governance/dpo_home.html", {
        "form": form, "holds": holds,
        "due": sum(1 for d in due if not d.held), "due_held": sum(1 for d in due if d.held),
        "unreviewed": sum(1 for f in flags if f.mark is None)}, status=status)


def _person_page(request: HttpRequest, case: Case, *, forms: dict[str, Any] | None = None,
                 status: int = 200) -> HttpResponse:
    cases = dpo.person_cases(case)
    holds = {h.case_id: h for h in LegalHold.objects.filter(case__in=cases, lifted_at__isnull=True)}
    erased = {e.case_id: e for e in Erasure.objects.filter(case__in=cases)}
    from ura.panels.models import Decision

    adopted = set(Decision.objects.filter(case__in=cases, outcome="adopt").values_list("case_id", flat=True))
    rows = [{"case": c, "hold": holds.get(c.pk), "erasure": erased.get(c.pk), "open": c.stage in OPEN_STAGES,
             "expires": retention.expires_on(c, adopted=c.pk in adopted or c.exited_on is not None)}
            for c in cases]
    forms = forms or {}
    for row in rows:
        c = row["case"]
        if row["erasure"] is None:
            key = ("lift" if row["hold"] else "hold", c.pk)
            row["form"] = forms.get(key) or (LiftForm(prefix=f"lift{c.pk}") if row["hold"]
                                             else HoldForm(prefix=f"hold{c.pk}"))
    audit_record(actor=request.user, action="dpo.person_viewed", obj=case.person, case=case,
                 data={"cases": [c.pk for c in cases]})
    return render(request, "governance/dpo_person.html", {
        "case": case, "person": case.person, "rows": rows,
        "person_name": f"{dpo.value(case.person, 'given_name')} {dpo.value(case.person, 'family_name')}".strip(),
        "erasure_form": forms.get(("erase", case.pk)) or ErasureForm(),
        "all_erased": all(r["erasure"] for r in rows)}, status=status)


@login_required
@require_GET
def dpo_person(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, dpo.dpo_case_for(request.user, pk))


@login_required
@require_POST
def legal_hold_place(request: HttpRequest, pk: int) -> HttpResponse:
    case = dpo.dpo_case_for(request.user, pk, "legalhold.manage")
    form = HoldForm(request.POST, prefix=f"hold{case.pk}")
    if form.is_valid():
        try:
            retention.legal_hold_place(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("Case %(ref)s is under a legal hold: it will not be erased until you lift "
                                        "the hold.") % {"ref": case.reference})
            return redirect("governance:dpo_person", case.pk)
    return _person_page(request, case, forms={("hold", case.pk): form}, status=400)


@login_required
@require_POST
def legal_hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    case = dpo.dpo_case_for(request.user, pk, "legalhold.manage")
    form = LiftForm(request.POST, prefix=f"lift{case.pk}")
    if form.is_valid():
        try:
            retention.legal_hold_lift(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The legal hold on %(ref)s is lifted.") % {"ref": case.reference})
            return redirect("governance:dpo_person", case.pk)
    return _person_page(request, case, forms={("lift", case.pk): form}, status=400)


@login_required
@require_POST
def erasure_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = dpo.dpo_case_for(request.user, pk, "erasure.request")
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            erased = retention.erasure_request(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The person's data is erased from %(n)s case(s); anonymous statistics "
                                        "remain.") % {"n": len(erased)})
            return redirect("governance:dpo_person", case.pk)
    return _person_page(request, case, forms={("erase", case.pk): form}, status=400)


@login_required
@require_GET
def dpo_accesses(request: HttpRequest, pk: int) -> HttpResponse:
    case = dpo.dpo_case_for(request.user, pk)
    lines = dpo.accesses_of(case)
    audit_record(actor=request.user, action="dpo.accesses_viewed", obj=case.person, case=case,
                 data={"events": len(lines)})
    return render(request, "governance/dpo_accesses.html", {
        "case": case, "lines": lines, "today": timezone.localdate(),
        "person_name": f"{dpo.value(case.person, 'given_name')} {dpo.value(case.person, 'family_name')}".strip()})


def _export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    case = dpo.dpo_case_for(request.user, pk)
    record = subject_access.subject_record(case)
    if fmt == "pdf":
        body, content_type = subject_access.render_pdf(record), "application/pdf"
    else:
        body = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
        content_type = "application/json; charset=utf-8"
    audit_record(actor=request.user, action="export.downloaded", obj=case.person, case=case,
                 data={"kind": "subject_access", "format": fmt, "cases": [c["reference"] for c in record["cases"]]})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ura-subject-access-{case.person_id}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def dpo_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "json")


@login_required
@require_GET
def dpo_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "pdf")


def _review_page(request: HttpRequest, *, days: int, bound: MarkForm | None = None, status: int = 200
                 ) -> HttpResponse:
    flags = dpo.access_flags(request.user, days=days)
    rows = [{"flag": f, "form": bound if bound is not None and bound["flag"].value() == f.key
             else MarkForm(initial={"flag": f.key}, prefix=None)} for f in flags]
    matched = bound is not None and any(r["form"] is bound for r in rows)
    audit_record(actor=request.user, action="dpo.access_review_viewed", data={"days": days, "flags": len(flags)})
    return render(request, "governance/access_review.html", {
        "rows": rows, "stray": bound if bound is not None and not matched else None, "days": days,
        "days_form": DaysForm(initial={"days": days}),
        "unreviewed": sum(1 for f in flags if f.mark is None), "rules": dpo.RULES,
        "many": dpo.MANY_READS, "hours": dpo.OFFICE_HOURS}, status=status)


@login_required
@require_GET
def access_review(request: HttpRequest) -> HttpResponse:
    _need(request, "access.review")
    form = DaysForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() else 30
    return _review_page(request, days=days, status=200 if form.is_valid() or not request.GET else 400)


@login_required
@require_POST
def access_review_mark(request: HttpRequest) -> HttpResponse:
    _need(request, "access.review")
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            dpo.access_review_mark(actor=request.user, flag=form.cleaned_data["flag"],
                                   note=form.cleaned_data["note"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("governance:access_review")
    return _review_page(request, days=max(dpo.REVIEW_DAYS), bound=form, status=400)
