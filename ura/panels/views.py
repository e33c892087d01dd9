"""Panel meetings: thin views over ``ura.panels.services`` and ``ura.panels.selectors``.

Each view: sign-in, a policy-filtered lookup (404 for missing and forbidden alike), the
service call, render. Item actions posted by HTMX get the item back as a partial, with
the outcome written inside it; without HTMX they redirect to the meeting page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ura.errors import ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import DecisionRule
from ura.panels import selectors, services
from ura.panels.forms import (
    AgendaAddForm,
    AttendanceForm,
    CloseForm,
    ConflictForm,
    DecisionForm,
    MeetingForm,
    ScheduleForm,
    VoteForm,
)
from ura.panels.models import AgendaItem, Meeting


def _item_forms(page: selectors.MeetingPage, bound: dict[tuple[str, int], Any]) -> None:
    chair_rule = page.meeting.mechanism.decision_rule == DecisionRule.CHAIR
    for s in page.items:
        pk = s.item.pk
        auto_id = f"id_%s_{pk}"
        if s.can_vote:
            s.forms["vote"] = bound.get(("vote", pk)) or VoteForm(
                outcomes=s.outcomes, auto_id=auto_id, initial={"outcome": s.my_vote})
        if s.can_declare:
            s.forms["conflict"] = bound.get(("conflict", pk)) or ConflictForm(auto_id=auto_id)
        if s.can_decide:
            # Its own ids: a chair who votes has both forms, each with an "outcome" field.
            s.forms["decision"] = bound.get(("decision", pk)) or DecisionForm(
                outcomes=s.outcomes, chair_rule=chair_rule, auto_id=f"id_decision_%s_{pk}")


def _page_context(request: HttpRequest, meeting: Meeting,
                  bound: dict[tuple[str, int], Any] | None = None, **forms: Any) -> dict[str, Any]:
    page = selectors.meeting_page(meeting=meeting, user=request.user)
    _item_forms(page, bound or {})
    ctx: dict[str, Any] = {"page": page, "meeting": meeting}
    if page.is_manager and page.planned:
        ctx["agenda_form"] = forms.get("agenda_form") or AgendaAddForm(
            candidates=selectors.agenda_candidates(meeting=meeting))
        ctx["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            members=page.members, initial={"present": sorted(page.present_ids)})
        ctx["close_form"] = forms.get("close_form") or CloseForm()
    return ctx


def _render_meeting(request: HttpRequest, meeting: Meeting, **kwargs: Any) -> HttpResponse:
    ctx = _page_context(request, meeting, **kwargs)
    # Every read of the meeting page is an audit event; it names the cases shown.
    audit_record(actor=request.user, action="panel.meeting_viewed", obj=meeting, mechanism=meeting.mechanism,
                 data={"cases": [s.item.case_id for s in ctx["page"].items]})
    return render(request, "panels/meeting_detail.html", ctx)


def _refuse_unless_manager(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """Managing the meeting is the coordinator's; refuse before reading the form, so that the
    answer never depends on what was posted (no probing for case ids)."""
    if policy.can(request.user, "meeting.manage", mechanism=meeting.mechanism):
        return None
    messages.error(request, _("Only the coordinator manages panel meetings."))
    return redirect(_meeting_url(meeting))


def _meeting_url(meeting: Meeting, item: AgendaItem | None = None) -> str:
    url = reverse("panels:detail", args=[meeting.pk])
    return f"{url}#item-{item.pk}" if item is not None else url


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    if not selectors.meeting_mechanism_ids(request.user):
        raise Http404
    upcoming, past = selectors.meeting_list(user=request.user)
    managed = policy.mechanisms_where(request.user, "meeting.manage")
    form = MeetingForm(mechanisms=managed) if managed else None
    return render(request, "panels/meeting_list.html", {"upcoming": upcoming, "past": past, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    managed = policy.mechanisms_where(request.user, "meeting.manage")
    if not managed:
        raise Http404
    form = MeetingForm(request.POST or None, mechanisms=managed)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, mechanism=form.cleaned_data["mechanism"],
                                              starts_at=form.cleaned_data["starts_at"],
                                              location=form.cleaned_data["location"])
        except ServiceError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("The meeting is planned. Add cases to its agenda."))
            return redirect("panels:detail", meeting.pk)
    return render(request, "panels/meeting_form.html", {"form": form})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, selectors.meeting_for(request.user, pk))


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    if refusal := _refuse_unless_manager(request, meeting):
        return refusal
    form = AgendaAddForm(request.POST, candidates=selectors.agenda_candidates(meeting=meeting))
    if not form.is_valid():
        return _render_meeting(request, meeting, agenda_form=form)
    try:
        services.agenda_add(actor=request.user, meeting=meeting, case=form.cleaned_data["case"])
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The case is on the agenda."))
    return redirect(_meeting_url(meeting))


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    if refusal := _refuse_unless_manager(request, meeting):
        return refusal
    form = AttendanceForm(request.POST, members=services.panel_members(meeting.mechanism))
    if not form.is_valid():
        return _render_meeting(request, meeting, attendance_form=form)
    try:
        services.attendance_record(actor=request.user, meeting=meeting, present_ids=set(form.cleaned_data["present"]))
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect(_meeting_url(meeting))


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    if refusal := _refuse_unless_manager(request, meeting):
        return refusal
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, close_form=form)
    try:
        services.meeting_close(actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The meeting is closed and its minutes are kept."))
    return redirect(_meeting_url(meeting))


def _item_done(request: HttpRequest, meeting: Meeting, item: AgendaItem, *, ok: str | None = None,
               error: str | None = None, bound: dict[tuple[str, int], Any] | None = None) -> HttpResponse:
    """Answer an item action: the item partial for HTMX, otherwise the page (errors) or a redirect."""
    if request.htmx:
        ctx = _page_context(request, meeting, bound=bound)
        state = ctx["page"].item(item.pk)
        if state is None:
            raise Http404
        audit_record(actor=request.user, action="panel.meeting_viewed", obj=meeting, mechanism=meeting.mechanism,
                     data={"cases": [item.case_id]})
        return render(request, "panels/_item.html", {**ctx, "s": state, "ok": ok, "error": error})
    if bound:
        return _render_meeting(request, meeting, bound=bound)
    if ok:
        messages.success(request, ok)
    if error:
        messages.error(request, error)
    return redirect(_meeting_url(meeting, item))


@login_required
@require_POST
def conflict_declare(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    item = selectors.agenda_item_for(request.user, meeting, item_pk)
    form = ConflictForm(request.POST, auto_id=f"id_%s_{item.pk}")
    if not form.is_valid():
        return _item_done(request, meeting, item, bound={("conflict", item.pk): form})
    try:
        services.conflict_declare(actor=request.user, item=item, reason=form.cleaned_data["reason"])
    except ServiceError as e:
        return _item_done(request, meeting, item, error=e.message)
    return _item_done(request, meeting, item,
                      ok=_("Your conflict of interest is recorded; you will not vote on this case."))


@login_required
@require_POST
def vote_cast(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    item = selectors.agenda_item_for(request.user, meeting, item_pk)
    form = VoteForm(request.POST, outcomes=services.outcomes_for(item), auto_id=f"id_%s_{item.pk}")
    if not form.is_valid():
        return _item_done(request, meeting, item, bound={("vote", item.pk): form})
    try:
        services.vote_cast(actor=request.user, item=item, outcome=form.cleaned_data["outcome"])
    except ServiceError as e:
        return _item_done(request, meeting, item, error=e.message)
    return _item_done(request, meeting, item, ok=_("Your vote is recorded."))


@login_required
@require_POST
def decision_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    item = selectors.agenda_item_for(request.user, meeting, item_pk)
    chair_rule = meeting.mechanism.decision_rule == DecisionRule.CHAIR
    form = DecisionForm(request.POST, outcomes=services.outcomes_for(item), chair_rule=chair_rule,
                        auto_id=f"id_decision_%s_{item.pk}")
    if not form.is_valid():
        return _item_done(request, meeting, item, bound={("decision", item.pk): form})
    try:
        services.decision_record(actor=request.user, item=item, reasons=form.cleaned_data["reasons"],
                                 chair_outcome=form.cleaned_data.get("outcome") or None)
    except ServiceError as e:
        return _item_done(request, meeting, item, error=e.message)
    return _item_done(request, meeting, item, ok=_("The decision is recorded."))


def case_url(case_pk: int) -> str:
    return reverse("cases:detail", args=[case_pk])


@login_required
@require_POST
def case_schedule(request: HttpRequest, case_pk: int) -> HttpResponse:
    """From the case page: put the case on the agenda of one of its mechanism's planned meetings."""
    case = policy.case_for(request.user, case_pk)
    if not policy.can(request.user, "meeting.manage", mechanism=case.mechanism):
        raise Http404
    form = ScheduleForm(request.POST, meetings=selectors.planned_meetings(mechanism=case.mechanism))
    if not form.is_valid():
        messages.error(request, _("Choose one of the planned meetings."))
        return redirect(case_url(case.pk))
    meeting = form.cleaned_data["meeting"]
    try:
        services.agenda_add(actor=request.user, meeting=meeting, case=case)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The case is on the agenda of the meeting of %(when)s.")
                         % {"when": date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")})
    return redirect(case_url(case.pk))
