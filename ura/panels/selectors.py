from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.cases.models import Case
from ura.cases.workflow import Stage
from ura.governance import categories as cat
from ura.governance import policy
from ura.mechanisms.models import DecisionRule, Membership, Role
from ura.panels import rules
from ura.panels.models import AgendaItem, ConflictOfInterest, Decision, Meeting, MeetingStatus, Outcome


def latest_decision(*, case: Any) -> Decision | None:
    return Decision.objects.filter(case=case).order_by("-decided_at", "-id").first()


def open_agenda_item(*, case: Any) -> AgendaItem | None:
    """The agenda item awaiting a decision on this case, if any."""
    return (AgendaItem.objects.filter(case=case, decision__isnull=True)
            .select_related("meeting").order_by("meeting__starts_at").first())


# --- Reads for the meeting pages -------------------------------------------------------
# The policy decides which mechanisms' meetings a user may see; everything below starts
# from ``meetings_visible_to`` so a meeting of another mechanism is simply not found.

def meeting_mechanism_ids(user: Any) -> set[int]:
    return {m.pk for action in ("meeting.view", "meeting.manage") for m in policy.mechanisms_where(user, action)}


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(mechanism_id__in=meeting_mechanism_ids(user))


def meeting_list(*, user: Any, now: dt.datetime | None = None, past_limit: int = 50) -> tuple[list[Meeting],
                                                                                             list[Meeting]]:
    """Upcoming (planned, from today on) and past meetings, each with its number of agenda items."""
    today = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = meetings_visible_to(user).select_related("mechanism").annotate(item_count=Count("items"))
    upcoming = list(qs.filter(status=MeetingStatus.PLANNED, starts_at__gte=today).order_by("starts_at", "id"))
    past = list(qs.exclude(status=MeetingStatus.PLANNED, starts_at__gte=today)
                .order_by("-starts_at", "-id")[:past_limit])
    return upcoming, past


def meeting_for(user: Any, pk: int | str) -> Meeting:
    """The meeting, if this user may see it; ``Http404`` whether it is missing or forbidden."""
    meeting = meetings_visible_to(user).select_related("mechanism").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def agenda_item_for(user: Any, meeting: Meeting, pk: int | str) -> AgendaItem:
    item = (AgendaItem.objects.filter(meeting=meeting, meeting__mechanism_id__in=meeting_mechanism_ids(user))
            .select_related("meeting__mechanism", "case__mechanism", "case__person").filter(pk=pk).first())
    if item is None:
        raise Http404
    return item


def agenda_candidates(*, meeting: Meeting) -> QuerySet[Case]:
    """Cases of the mechanism that may go on an agenda: in case review or support, not already on one."""
    waiting = AgendaItem.objects.filter(decision__isnull=True).values("case_id")
    return (Case.objects.filter(mechanism_id=meeting.mechanism_id, stage__in=[Stage.CASE_REVIEW, Stage.SUPPORT])
            .exclude(pk__in=waiting).select_related("person").order_by("reference"))


RULE_EXPLANATIONS = {
    DecisionRule.MAJORITY: _("An outcome is decided when more than half of the eligible members present vote "
                             "for it."),
    DecisionRule.CONSENSUS: _("Every eligible member present votes, and all for the same outcome."),
    DecisionRule.CHAIR: _("Members may vote to advise; after the discussion the chair states the decision."),
}


@dataclass
class Quorum:
    present_agencies: int
    voting_agencies: int
    percent: int

    @property
    def met(self) -> bool:
        return rules.quorum_met(present_agencies=self.present_agencies, voting_agencies=self.voting_agencies,
                                quorum_percent=self.percent)


@dataclass
class ItemState:
    """One agenda item as one viewer sees it."""

    item: AgendaItem
    show_name: bool
    outcomes: tuple[str, ...]
    counts: list[tuple[str, str, int]]
    votes_cast: int
    eligible: int
    result: rules.Tally | None
    conflicts: list[ConflictOfInterest]
    my_vote: str | None = None
    my_conflict: ConflictOfInterest | None = None
    vote_refusal: str | None = None
    can_vote: bool = False
    can_declare: bool = False
    can_decide: bool = False
    forms: dict[str, Any] = field(default_factory=dict)

    @property
    def decision(self) -> Decision | None:
        return getattr(self.item, "decision", None)


@dataclass
class MeetingPage:
    meeting: Meeting
    members: list[Membership]
    present_ids: set[int]
    quorum: Quorum
    items: list[ItemState]
    is_manager: bool
    is_chair: bool
    membership: Membership | None
    rule_explained: Any

    @property
    def planned(self) -> bool:
        return self.meeting.status == MeetingStatus.PLANNED

    @property
    def undecided(self) -> int:
        return sum(1 for s in self.items if s.decision is None)

    def item(self, pk: int) -> ItemState | None:
        return next((s for s in self.items if s.item.pk == pk), None)


def meeting_page(*, meeting: Meeting, user: Any) -> MeetingPage:
    """Everything the meeting page shows, in a fixed number of queries whatever the agenda's length."""
    from ura.panels.services import panel_members

    mechanism = meeting.mechanism
    members = panel_members(mechanism)
    attendance = list(meeting.attendance.select_related("membership__agency"))
    present = [a.membership for a in attendance if a.present]
    present_ids = {m.pk for m in present}
    quorum = Quorum(
        present_agencies=len({m.agency_id for m in present if m.agency.votes_on_panel}),
        voting_agencies=len({m.agency_id for m in members if m.agency.votes_on_panel}),
        percent=mechanism.quorum_percent)
    is_manager = policy.can(user, "meeting.manage", mechanism=mechanism)
    is_chair = policy.is_chair(user, mechanism)
    membership = policy.membership_for(user, mechanism, Role.PANEL_MEMBER)
    items = (meeting.items.select_related("case__person", "case__mechanism", "decision__decided_by")
             .prefetch_related("votes", Prefetch("conflicts", queryset=ConflictOfInterest.objects
                                                 .select_related("membership__agency").order_by("id"))))
    planned = meeting.status == MeetingStatus.PLANNED
    items = list(items)
    policy.prefetch_access(user, [item.case for item in items])
    states = [_item_state(item, user=user, present=present, membership=membership, planned=planned,
                          may_decide=is_manager or is_chair, rule=mechanism.decision_rule) for item in items]
    return MeetingPage(meeting=meeting, members=members, present_ids=present_ids, quorum=quorum, items=states,
                       is_manager=is_manager, is_chair=is_chair, membership=membership,
                       rule_explained=RULE_EXPLANATIONS.get(mechanism.decision_rule, ""))


def _item_state(item: AgendaItem, *, user: Any, present: list[Membership], membership: Membership | None,
                planned: bool, may_decide: bool, rule: str) -> ItemState:
    from ura.panels.services import outcomes_for

    conflicts = list(item.conflicts.all())
    conflicted = {c.membership_id for c in conflicts}
    eligible = {m.pk for m in present if m.agency.votes_on_panel and m.pk not in conflicted}
    votes = [v for v in item.votes.all() if v.membership_id in eligible]
    outcomes = outcomes_for(item)
    decided = hasattr(item, "decision")
    if decided:
        # The tally kept with the decision, not today's attendance, tells how it was reached.
        by_outcome = item.decision.tally.get("counts", {})
    else:
        by_outcome = {o: sum(1 for v in votes if v.outcome == o) for o in outcomes}
    counts = [(o, str(Outcome(o).label), by_outcome.get(o, 0)) for o in outcomes]
    result = None
    if not decided and rule != DecisionRule.CHAIR:
        result = rules.tally(rule=rule, votes=[v.outcome for v in votes], eligible=len(eligible))
    state = ItemState(item=item, show_name=cat.IDENTITY in policy.visible_categories(user, item.case),
                      outcomes=outcomes, counts=counts, votes_cast=len(votes), eligible=len(eligible),
                      result=result, conflicts=conflicts, can_decide=may_decide and not decided)
    if membership is None:
        return state
    state.my_conflict = next((c for c in conflicts if c.membership_id == membership.pk), None)
    state.my_vote = next((v.outcome for v in item.votes.all() if v.membership_id == membership.pk), None)
    if decided or not planned:
        return state
    state.can_declare = state.my_conflict is None
    if state.my_conflict is not None:
        state.vote_refusal = _("You declared a conflict of interest on this case, so you do not vote on it.")
    elif not membership.agency.votes_on_panel:
        state.vote_refusal = _("Your agency does not vote on this panel.")
    elif membership.pk not in eligible:
        state.vote_refusal = _("You are not recorded as present at this meeting, so you cannot vote yet.")
    else:
        state.can_vote = True
    return state


def case_panel_history(*, case: Any) -> list[AgendaItem]:
    """The case's agenda items, oldest first, each with its meeting and decision."""
    return list(AgendaItem.objects.filter(case=case).select_related("meeting", "decision")
                .order_by("meeting__starts_at", "id"))


def planned_meetings(*, mechanism: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(mechanism=mechanism, status=MeetingStatus.PLANNED).order_by("starts_at", "id")
