"""Reads of R&R data. Every read starts from the policy and keeps only what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from ura.cases.models import Case
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Role
from ura.reintegration.models import Handover, HandoverStatus, Household, HouseholdMember
from ura.support.models import Intervention, InterventionType


@dataclass
class MemberView:
    member: HouseholdMember
    case: Case
    categories: frozenset[str]
    interventions: list[Intervention] = field(default_factory=list)
    phases: list[Any] = field(default_factory=list)
    custody: list[Any] = field(default_factory=list)

    @property
    def shows_identity(self) -> bool:
        return cat.IDENTITY in self.categories


@dataclass
class HouseholdView:
    household: Household
    members: list[MemberView]
    programme_types: list[InterventionType]
    shows_programme: bool
    open_handover: Handover | None
    can_answer_handover: bool
    can_manage: bool = False
    can_hand_over: bool = False


def _only_own_interventions(user: Any, case: Case) -> int | None:
    """A provider (and nothing more) in the case's mechanism sees only their agency's interventions."""
    roles = policy.roles_in(user, case.mechanism_id)
    if roles == {Role.PROVIDER}:
        m = policy.membership_for(user, case.mechanism, Role.PROVIDER)
        return m.agency_id if m else -1
    return None


def household_for_case(user: Any, case_pk: Any) -> HouseholdView:
    """The household of a case the user may open, with each member the user may open; ``Http404``
    if the case is missing, forbidden or in no household. Writes the read to the audit log."""
    case = policy.case_for(user, case_pk)
    member = HouseholdMember.objects.filter(case=case).select_related("household__mechanism").first()
    if member is None:
        raise Http404
    household = member.household
    cases = list(policy.cases_visible_to(user)
                 .filter(household_member__household=household)
                 .select_related("person", "mechanism", "household_member__guardian__case__person")
                 .prefetch_related(
                     Prefetch("interventions", queryset=Intervention.objects.select_related("type", "provider")),
                     "rr_phases",
                     Prefetch("custody_events", queryset=_custody_qs()))
                 .order_by("household_member__id"))
    policy.prefetch_access(user, cases)
    members = []
    for c in cases:
        categories = policy.visible_categories(user, c)
        view = MemberView(member=c.household_member, case=c, categories=categories)
        if cat.NEEDS_PLAN in categories:
            own = _only_own_interventions(user, c)
            view.interventions = [i for i in c.interventions.all() if own is None or i.provider_id == own]
            view.phases = list(c.rr_phases.all())
        if cat.CUSTODY in categories:
            view.custody = list(c.custody_events.all())
        members.append(view)
    shows_programme = any(cat.NEEDS_PLAN in m.categories for m in members)
    types = (list(InterventionType.objects.filter(code__in=household.programme_elements))
             if shows_programme and household.programme_elements else [])
    open_handover = (household.handovers.filter(status__in=[HandoverStatus.PROPOSED, HandoverStatus.MORE_ASKED])
                     .select_related("from_mechanism", "to_mechanism").first())
    can_answer = bool(open_handover) and policy.can(user, "handover.manage",
                                                    mechanism=open_handover.to_mechanism)  # type: ignore[union-attr]
    audit_record(actor=user, action="reintegration.household.viewed", obj=household, case=case,
                 data={"cases": [c.pk for c in cases], **policy.read_flags(user, case)})
    can_manage = policy.can(user, "household.manage", mechanism=household.mechanism)
    return HouseholdView(household=household, members=members, programme_types=types,
                         shows_programme=shows_programme, open_handover=open_handover,
                         can_answer_handover=can_answer, can_manage=can_manage,
                         can_hand_over=(can_manage and open_handover is None
                                        and household.mechanism.has_feature("handover")
                                        and policy.can(user, "handover.manage", mechanism=household.mechanism)))


def _custody_qs() -> Any:
    from ura.reintegration.models import CustodyEvent

    return CustodyEvent.objects.prefetch_related("agencies")


def handover_for(user: Any, pk: Any) -> Handover:
    """An open handover the user's team may answer; ``Http404`` otherwise (missing or not theirs)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    mechanisms = [m.pk for m in policy.mechanisms_where(user, "handover.manage")]
    h = (Handover.objects.filter(pk=pk, to_mechanism_id__in=mechanisms)
         .exclude(status=HandoverStatus.ACCEPTED).select_related("household", "case", "to_mechanism").first())
    if h is None:
        raise Http404
    return h


def case_section(user: Any, case: Case) -> dict[str, Any]:
    """What the case page shows of R&R: the household link, the phases and custody milestones,
    within the categories the reader may see (the case page already audited the read)."""
    member = HouseholdMember.objects.filter(case=case).select_related("household").first()
    categories = policy.visible_categories(user, case)
    return {
        "case": case,
        "member": member,
        "phases": list(case.rr_phases.all()) if cat.NEEDS_PLAN in categories else [],
        "custody": (list(case.custody_events.prefetch_related("agencies"))
                    if cat.CUSTODY in categories else []),
        "relevant": member is not None or case.track == "reintegration",
        "can_start_household": (member is None and case.mechanism.has_feature("households")
                                and policy.can(user, "household.manage", case=case)),
        "can_phase": case.track == "reintegration" and policy.can(user, "case.edit", case=case),
        "can_custody": ((case.track == "reintegration" or case.mechanism.has_feature("custody"))
                        and policy.can(user, "custody.record", case=case)),
    }
