"""Thin views: policy, selector or service, render. Missing and forbidden both answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case
from ura.errors import NotAllowed, ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Mechanism
from ura.reintegration import selectors, services
from ura.reintegration.forms import (
    CustodyForm,
    HandoverAnswerForm,
    HandoverForm,
    HouseholdForm,
    MemberForm,
    PhaseForm,
    PreReleaseForm,
    ProgrammeForm,
)
from ura.reintegration.models import CustodyKind, Handover, HandoverStatus, Household, HouseholdMember
from ura.reintegration.services import handover_respond


@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.household_for_case(request.user, pk)
    return render(request, "reintegration/household.html", {"v": view, "case_pk": pk})


@login_required
def handovers(request: HttpRequest) -> HttpResponse:
    mechanisms = policy.mechanisms_where(request.user, "handover.manage")
    if not mechanisms:
        raise PermissionDenied
    rows = (Handover.objects.filter(to_mechanism__in=mechanisms)
            .exclude(status=HandoverStatus.ACCEPTED)
            .select_related("household", "case", "from_mechanism", "to_mechanism"))
    rows = list(rows)
    audit_record(actor=request.user, action="reintegration.handovers_viewed",
                 mechanism=mechanisms[0] if len(mechanisms) == 1 else None,
                 data={"handovers": [h.pk for h in rows], "households": [h.household_id for h in rows],
                       "cases": [h.case_id for h in rows if h.case_id]})
    return render(request, "reintegration/handovers.html", {"handovers": rows})


@login_required
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    h = selectors.handover_for(request.user, pk)
    form = HandoverAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                handover_respond(actor=request.user, handover=h,
                                 accept=form.cleaned_data["answer"] == HandoverAnswerForm.ACCEPT,
                                 response=form.cleaned_data["response"])
            except NotAllowed:
                raise Http404 from None
            except ServiceError as e:
                form.add_error(e.field if e.field in form.fields else None, str(e))
            else:
                messages.success(request, _("Your answer was sent to the central division."))
                return redirect("reintegration:handovers")
        status = 400
    members = h.household.members.count() if h.household_id else 1
    return render(request, "reintegration/handover.html", {"h": h, "form": form, "members": members},
                  status=status)


# --- Forms: each is one page (GET shows it, POST records through the service, errors come back
# on the same page with a 400). The policy is asked before the form is even shown.

def _form_page(request: HttpRequest, *, form: Any, title: str, intro: str, back: str, submit: str,
                case: Case | None = None) -> HttpResponse:
    """The form, empty (200) or shown again with what was refused (400: a valid POST has redirected)."""
    return render(request, "reintegration/form.html", {"form": form, "title": title, "intro": intro,
                                                       "back": back, "submit": submit, "case": case},
                  status=400 if request.method == "POST" else 200)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _apply(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _member_of(case: Case) -> HouseholdMember | None:
    return HouseholdMember.objects.filter(case=case).select_related("household__mechanism").first()


def _household_of(request: HttpRequest, pk: int) -> tuple[Case, Household]:
    case = policy.case_for(request.user, pk)
    member = _member_of(case)
    if member is None:
        raise Http404
    _require(policy.can(request.user, "household.manage", mechanism=member.household.mechanism))
    return case, member.household


@login_required
def household_start(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    _require(policy.can(request.user, "household.manage", case=case) and case.mechanism.has_feature("households"))
    if _member_of(case) is not None:
        return redirect("reintegration:household", case.pk)
    form = HouseholdForm(request.POST or None, initial={"name": _("Family of %(ref)s") % {"ref": case.reference}})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                h = services.household_create(actor=request.user, mechanism=case.mechanism, name=d["name"],
                                              returned_on=d["returned_on"])
                services.household_member_add(actor=request.user, household=h, case=case,
                                              relationship=d["relationship"], lives_at=d["lives_at"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The household is recorded. Add the other members' cases to it."))
            return redirect("reintegration:household", case.pk)
    return _form_page(request, form=form, case=case, title=_("Start a household"),
                      intro=_("A household links the cases of a family's members. Each member keeps their own "
                              "case, plan and access rules."),
                      back=reverse("cases:detail", args=[case.pk]), submit=_("Record the household"))


@login_required
def household_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    case, household = _household_of(request, pk)
    form = MemberForm(request.POST or None, members=household.members.select_related("case"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        other = (policy.cases_visible_to(request.user).filter(reference=d["reference"].strip(),
                                                               mechanism=household.mechanism).first())
        if other is None:
            form.add_error("reference", _("No case with this reference that you may open in this mechanism."))
        else:
            try:
                services.household_member_add(actor=request.user, household=household, case=other,
                                              relationship=d["relationship"], guardian=d["guardian"],
                                              lives_at=d["lives_at"])
            except ServiceError as e:
                _apply(form, e)
            else:
                messages.success(request, _("%(ref)s is now a member of the household.") % {"ref": other.reference})
                return redirect("reintegration:household", case.pk)
    return _form_page(request, form=form, case=case,
                      title=_("Add a member to %(name)s") % {"name": household.name},
                      intro=_("Link the member's own case; it keeps its own plan and access rules."),
                      back=reverse("reintegration:household", args=[case.pk]), submit=_("Add the member"))


@login_required
def household_programme(request: HttpRequest, pk: int) -> HttpResponse:
    case, household = _household_of(request, pk)
    form = ProgrammeForm(request.POST or None, initial={"programme": household.programme,
                                                        "elements": household.programme_elements})
    if request.method == "POST" and form.is_valid():
        try:
            services.household_programme_set(actor=request.user, household=household,
                                             programme=form.cleaned_data["programme"],
                                             elements=form.cleaned_data["elements"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The family programme is saved."))
            return redirect("reintegration:household", case.pk)
    return _form_page(request, form=form, case=case,
                      title=_("Family programme of %(name)s") % {"name": household.name},
                      intro=_("The general programme for the family. Each member's individual plan is made on "
                              "their own case."),
                      back=reverse("reintegration:household", args=[case.pk]), submit=_("Save the programme"))


@login_required
def household_handover(request: HttpRequest, pk: int) -> HttpResponse:
    case, household = _household_of(request, pk)
    _require(policy.can(request.user, "handover.manage", mechanism=household.mechanism)
             and household.mechanism.has_feature("handover"))
    teams = Mechanism.objects.exclude(pk=household.mechanism_id).order_by("name")
    form = HandoverForm(request.POST or None, mechanisms=teams)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_propose(actor=request.user, household=household,
                                      to_mechanism=form.cleaned_data["to_mechanism"], note=form.cleaned_data["note"])
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The handover is offered; "
                                        "the receiving team will accept it or ask for more."))
            return redirect("reintegration:household", case.pk)
    return _form_page(request, form=form, case=case,
                      title=_("Hand %(name)s over to a local team") % {"name": household.name},
                      intro=_("All the household's cases move with their history once the receiving team accepts; "
                              "until then nothing changes."),
                      back=reverse("reintegration:household", args=[case.pk]), submit=_("Offer the handover"))


@login_required
def phase_enter(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    _require(policy.can(request.user, "case.edit", case=case) and case.track == "reintegration")
    form = PhaseForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_enter(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The R&R phase is recorded."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#reintegration")
    return _form_page(request, form=form, case=case, title=_("Record an R&R phase"),
                      intro=_("Where the rehabilitation and reintegration programme stands; the case's stage is "
                              "not changed by it."),
                      back=reverse("cases:detail", args=[case.pk]), submit=_("Record the phase"))


def _custody_case(request: HttpRequest, pk: int) -> Case:
    case = policy.case_for(request.user, pk)
    _require(policy.can(request.user, "custody.record", case=case)
             and (case.track == "reintegration" or case.mechanism.has_feature("custody")))
    return case


@login_required
def custody_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = _custody_case(request, pk)
    form = CustodyForm(request.POST or None, mechanism=case.mechanism, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        to_mechanism = data.pop("to_mechanism")
        try:
            if data["kind"] == CustodyKind.RELEASED:
                data.pop("kind")
                services.release_record(actor=request.user, case=case, to_mechanism=to_mechanism, **data)
            else:
                services.custody_record(actor=request.user, case=case, **data)
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The custody milestone is recorded.") if to_mechanism is None else
                             _("The release is recorded and the case is offered to %(team)s.")
                             % {"team": to_mechanism.name})
            return redirect(reverse("cases:detail", args=[case.pk]) + "#reintegration")
    return _form_page(request, form=form, case=case, title=_("Record a custody milestone"),
                      intro=_("Detention, trial, sentence, prison programme, a visit in prison before release, the "
                              "release date and its conditions, release, the post-release plan."),
                      back=reverse("cases:detail", args=[case.pk]), submit=_("Record the milestone"))


@login_required
def pre_release_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = _custody_case(request, pk)
    form = PreReleaseForm(request.POST or None, mechanism=case.mechanism, receivers=services.RISK_RECEIVERS,
                          initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.pre_release_meeting_record(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The pre-release meeting is recorded; the risk assessments are shared with "
                                        "the agencies chosen, and only with them."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#reintegration")
    return _form_page(request, form=form, case=case, title=_("Record the pre-release planning meeting"),
                      intro=_("Prison, probation, police, social services and the CSO plan the release together. "
                              "The risk assessments go only to the agencies that manage the release."),
                      back=reverse("cases:detail", args=[case.pk]), submit=_("Record the meeting"))
