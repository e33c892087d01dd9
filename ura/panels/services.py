"""Panel meetings: agenda, attendance, conflicts of interest, votes and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, TimelineEntry
from ura.cases.services import case_transition
from ura.cases.workflow import DECISION_TRANSITIONS, Stage
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Mechanism, Membership, Role
from ura.panels import rules
from ura.panels.models import (
    DECISION_OUTCOMES,
    REVIEW_OUTCOMES,
    AgendaItem,
    AgendaPurpose,
    Attendance,
    ConflictOfInterest,
    Decision,
    Meeting,
    MeetingStatus,
    Vote,
)
from ura.tasks.notify import notify_on_commit


def _require_manager(actor: Any, mechanism: Mechanism) -> None:
    if not policy.can(actor, "meeting.manage", mechanism=mechanism):
        raise NotAllowed(_("Only the coordinator manages panel meetings."))


def panel_members(mechanism: Mechanism) -> list[Membership]:
    return list(Membership.objects.filter(mechanism=mechanism, role=Role.PANEL_MEMBER, active=True)
                .select_related("user", "agency").order_by("agency__name", "user__last_name"))


def meeting_create(*, actor: Any, mechanism: Mechanism, starts_at: dt.datetime, location: str = "") -> Meeting:
    _require_manager(actor, mechanism)
    with transaction.atomic():
        meeting = Meeting.objects.create(mechanism=mechanism, starts_at=starts_at, location=location,
                                         created_by=actor)
        audit_record(actor=actor, action="panel.meeting_created", obj=meeting, mechanism=mechanism)
    notify_on_commit([m.user for m in panel_members(mechanism)], _("Panel meeting"),
                     _("A panel meeting of %(mech)s is planned for %(when)s.")
                     % {"mech": mechanism.name, "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")})
    return meeting


def agenda_add(*, actor: Any, meeting: Meeting, case: Case) -> AgendaItem:
    """Put a case on the agenda: for a decision (from case review) or a review (from support)."""
    _require_manager(actor, meeting.mechanism)
    if case.mechanism_id != meeting.mechanism_id:
        raise ServiceError(_("The case belongs to another mechanism."))
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("The meeting has already been held."))
    purposes = {Stage.CASE_REVIEW: (AgendaPurpose.DECISION, "to_panel"),
                Stage.SUPPORT: (AgendaPurpose.REVIEW, "to_review")}
    if case.stage not in purposes:
        raise ServiceError(_("Only cases in case review or support can go on the agenda."))
    purpose, transition = purposes[case.stage]
    with transaction.atomic():
        if AgendaItem.objects.filter(case=case, decision__isnull=True).exists():
            raise ServiceError(_("The case is already on an agenda."))
        position = meeting.items.count() + 1
        item = AgendaItem.objects.create(meeting=meeting, case=case, purpose=purpose, position=position)
        case_transition(case=case, transition=transition, actor=actor)
        audit_record(actor=actor, action="panel.agenda_added", obj=item, case=case)
    return item


def attendance_record(*, actor: Any, meeting: Meeting, present_ids: set[int]) -> None:
    _require_manager(actor, meeting.mechanism)
    members = panel_members(meeting.mechanism)
    with transaction.atomic():
        for m in members:
            Attendance.objects.update_or_create(meeting=meeting, membership=m,
                                                defaults={"present": m.pk in present_ids})
        audit_record(actor=actor, action="panel.attendance_recorded", obj=meeting, mechanism=meeting.mechanism,
                     data={"present": sorted(present_ids)})


def _present(meeting: Meeting) -> list[Membership]:
    return [a.membership for a in meeting.attendance.filter(present=True)
            .select_related("membership__agency", "membership__user")]


def conflict_declare(*, actor: Any, item: AgendaItem, reason: str) -> ConflictOfInterest:
    membership = policy.membership_for(actor, item.meeting.mechanism, Role.PANEL_MEMBER)
    if membership is None:
        raise NotAllowed(_("Only panel members declare conflicts of interest."))
    if not reason.strip():
        raise ServiceError(_("Describe the conflict of interest."), field="reason")
    with transaction.atomic():
        conflict, _created = ConflictOfInterest.objects.get_or_create(
            item=item, membership=membership, defaults={"reason": reason})
        Vote.objects.filter(item=item, membership=membership).delete()
        audit_record(actor=actor, action="panel.conflict_declared", obj=conflict, case=item.case)
    return conflict


def outcomes_for(item: AgendaItem) -> tuple[str, ...]:
    return DECISION_OUTCOMES if item.purpose == AgendaPurpose.DECISION else REVIEW_OUTCOMES


def eligible_voters(item: AgendaItem) -> list[Membership]:
    conflicted = set(item.conflicts.values_list("membership_id", flat=True))
    return [m for m in _present(item.meeting) if m.agency.votes_on_panel and m.pk not in conflicted]


def vote_cast(*, actor: Any, item: AgendaItem, outcome: str) -> Vote:
    mechanism = item.meeting.mechanism
    membership = policy.membership_for(actor, mechanism, Role.PANEL_MEMBER)
    if membership is None or not policy.can(actor, "meeting.vote", mechanism=mechanism):
        raise NotAllowed(_("Only panel members vote."))
    if outcome not in outcomes_for(item):
        raise ServiceError(_("Choose one of the outcomes offered."), field="outcome")
    if hasattr(item, "decision"):
        raise ServiceError(_("This item has already been decided."))
    if item.conflicts.filter(membership=membership).exists():
        raise ServiceError(_("You declared a conflict of interest on this case and cannot vote."))
    if membership not in eligible_voters(item):
        raise ServiceError(_("Only members recorded as present, whose agency votes, can vote."))
    with transaction.atomic():
        vote, _created = Vote.objects.update_or_create(item=item, membership=membership,
                                                       defaults={"outcome": outcome})
        audit_record(actor=actor, action="panel.vote_cast", obj=vote, case=item.case)
    return vote


def decision_record(*, actor: Any, item: AgendaItem, reasons: str, chair_outcome: str | None = None) -> Decision:
    """Apply the mechanism's decision rule to the votes and move the case accordingly."""
    mechanism = item.meeting.mechanism
    if not (policy.can(actor, "meeting.manage", mechanism=mechanism) or policy.is_chair(actor, mechanism)):
        raise NotAllowed(_("Only the coordinator or the chair records the decision."))
    if not reasons.strip():
        raise ServiceError(_("A decision needs its reasons."), field="reasons")
    if chair_outcome and chair_outcome not in outcomes_for(item):
        raise ServiceError(_("Choose one of the outcomes offered."), field="outcome")
    present = _present(item.meeting)
    voting_agencies = {m.agency_id for m in panel_members(mechanism) if m.agency.votes_on_panel}
    present_agencies = {m.agency_id for m in present if m.agency.votes_on_panel}
    if not rules.quorum_met(present_agencies=len(present_agencies), voting_agencies=len(voting_agencies),
                            quorum_percent=mechanism.quorum_percent):
        raise ServiceError(_("The meeting is not quorate: %(p)s of %(v)s member agencies present, "
                             "%(q)s%% needed.") % {"p": len(present_agencies), "v": len(voting_agencies),
                                                  "q": mechanism.quorum_percent})
    eligible = eligible_voters(item)
    votes = list(Vote.objects.filter(item=item, membership__in=eligible).values_list("outcome", flat=True))
    result = rules.tally(rule=mechanism.decision_rule, votes=votes, eligible=len(eligible),
                         chair_outcome=chair_outcome)
    if result.outcome is None:
        raise ServiceError(result.problem or _("No decision can be recorded yet."))
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("mechanism").get(pk=item.case_id)
        if Decision.objects.filter(item=item).exists():
            raise ServiceError(_("This item has already been decided."))
        if (case.stage, result.outcome) not in DECISION_TRANSITIONS:
            raise ServiceError(_("This outcome does not fit the case's stage."))
        decision = Decision.objects.create(item=item, case=case, outcome=result.outcome,
                                           rule=mechanism.decision_rule, reasons=reasons,
                                           tally={"counts": result.counts, "eligible": result.eligible},
                                           decided_by=actor)
        transition = DECISION_TRANSITIONS[(case.stage, result.outcome)]
        if transition == "adopt" and mechanism.consent_required:
            transition = "adopt_pending_consent"
        TimelineEntry.objects.create(case=case, actor=actor, kind="decision", category=cat.MINUTES,
                                     data={"outcome": result.outcome, "rule": mechanism.decision_rule,
                                           "counts": result.counts}, note=reasons)
        if case.stage == Stage.PANEL:
            case.decided_on = timezone.localdate()
            case.save(update_fields=["decided_on"])
        audit_record(actor=actor, action="panel.decision_recorded", obj=decision, case=case,
                     data={"outcome": result.outcome})
        case_transition(case=case, transition=transition, actor=actor)
    return decision


def meeting_close(*, actor: Any, meeting: Meeting, minutes: str) -> Meeting:
    _require_manager(actor, meeting.mechanism)
    if meeting.items.filter(decision__isnull=True).exists():
        raise ServiceError(_("Every item on the agenda needs a decision before the meeting is closed."))
    with transaction.atomic():
        meeting.status = MeetingStatus.HELD
        meeting.minutes = minutes
        meeting.save(update_fields=["status", "minutes"])
        audit_record(actor=actor, action="panel.meeting_closed", obj=meeting, mechanism=meeting.mechanism)
    return meeting
