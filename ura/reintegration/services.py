"""Every change to R&R data goes through one of these functions: policy check, the change,
a timeline entry on each case concerned and an audit event, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, TimelineEntry
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.governance.models import Disclosure, DisclosureKind
from ura.mechanisms.models import Agency, AgencyType, Mechanism
from ura.reintegration.models import (
    CustodyEvent,
    CustodyKind,
    Handover,
    HandoverStatus,
    Household,
    HouseholdMember,
    Phase,
    PhaseEntry,
    Relationship,
)
from ura.support.models import InterventionType

# Who may receive the risk assessments at a pre-release meeting: need to know, nobody else.
RISK_RECEIVERS = frozenset({AgencyType.PRISON, AgencyType.PROBATION, AgencyType.POLICE})
PRE_RELEASE_SHARED = [cat.RISK, cat.CUSTODY]


def _timeline(case: Case, *, actor: Any, kind: str, category: str, **data: Any) -> None:
    TimelineEntry.objects.create(case=case, actor=actor, kind=kind, category=category, data=data)


def _check_feature(mechanism: Mechanism, feature: str) -> None:
    if not mechanism.has_feature(feature):
        raise ServiceError(_("This mechanism does not keep this kind of record."))


def _check_custody(case: Case) -> None:
    """Custody milestones belong to R&R cases, and to any case of a mechanism that keeps them;
    a local team that received an R&R case from the central division keeps recording them."""
    if case.track != "reintegration":
        _check_feature(case.mechanism, "custody")


def household_create(*, actor: Any, mechanism: Mechanism, name: str, returned_on: dt.date | None = None) -> Household:
    if not policy.can(actor, "household.manage", mechanism=mechanism):
        raise NotAllowed(_("You cannot create households here."))
    _check_feature(mechanism, "households")
    if not name.strip():
        raise ServiceError(_("Give the household a name."), field="name")
    with transaction.atomic():
        household = Household.objects.create(mechanism=mechanism, name=name.strip(), returned_on=returned_on,
                                             created_by=actor)
        audit_record(actor=actor, action="reintegration.household.created", obj=household, mechanism=mechanism)
    return household


def household_member_add(*, actor: Any, household: Household, case: Case, relationship: str,
                         guardian: HouseholdMember | None = None, lives_at: str = "") -> HouseholdMember:
    """Link a member's own case to the household; the case keeps its own plan and access rules."""
    if not policy.can(actor, "household.manage", case=case) or case.mechanism_id != household.mechanism_id:
        raise NotAllowed(_("You cannot add this case to the household."))
    if relationship not in Relationship.values:
        raise ServiceError(_("Choose a relationship."), field="relationship")
    if guardian is not None and guardian.household_id != household.pk:
        raise ServiceError(_("The guardian must be a member of the same household."), field="guardian")
    if HouseholdMember.objects.filter(case=case).exists():
        raise ServiceError(_("This case is already in a household."), field="case")
    with transaction.atomic():
        member = HouseholdMember.objects.create(household=household, case=case, relationship=relationship,
                                                guardian=guardian, lives_at=lives_at)
        _timeline(case, actor=actor, kind="household_joined", category=cat.NEEDS_PLAN,
                  household=household.pk, relationship=relationship)
        audit_record(actor=actor, action="reintegration.household.member_added", obj=member, case=case,
                     data={"household": household.pk})
    return member


def household_programme_set(*, actor: Any, household: Household, programme: str,
                            elements: Iterable[str]) -> Household:
    """The general programme for the family; each member's individual plan stays on their case."""
    if not policy.can(actor, "household.manage", mechanism=household.mechanism):
        raise NotAllowed(_("You cannot change this family programme."))
    codes = sorted(set(elements))
    known = set(InterventionType.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        raise ServiceError(_("Choose programme elements from the catalogue."), field="elements")
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        household.programme, household.programme_elements = programme.strip(), codes
        household.save(update_fields=["programme", "programme_elements"])
        for member in household.members.select_related("case"):
            _timeline(member.case, actor=actor, kind="family_programme_set", category=cat.NEEDS_PLAN,
                      household=household.pk, elements=codes)
        audit_record(actor=actor, action="reintegration.household.programme_set", obj=household,
                     mechanism=household.mechanism, data={"elements": codes})
    return household


def phase_enter(*, actor: Any, case: Case, phase: str, started_on: dt.date | None = None,
                note: str = "") -> PhaseEntry:
    """Record that a reintegration case entered an R&R phase (its workflow stage is unchanged)."""
    if not policy.can(actor, "case.edit", case=case):
        raise NotAllowed(_("You cannot change this case."))
    if case.track != "reintegration":
        raise ServiceError(_("R&R phases are for cases on the reintegration track."))
    if phase not in Phase.values:
        raise ServiceError(_("Choose a phase."), field="phase")
    with transaction.atomic():
        entry = PhaseEntry.objects.create(case=case, phase=phase, started_on=started_on or timezone.localdate(),
                                          note=note[:300], recorded_by=actor)
        _timeline(case, actor=actor, kind="rr_phase", category=cat.NEEDS_PLAN, phase=phase)
        audit_record(actor=actor, action="reintegration.phase.entered", obj=entry, case=case,
                     data={"phase": phase})
    return entry


def custody_record(*, actor: Any, case: Case, kind: str, on: dt.date, detail: str = "", conditions: str = "",
                   agencies: Iterable[Agency] = ()) -> CustodyEvent:
    """One custody milestone: detention, trial, sentence, prison programme, visit, release."""
    if not policy.can(actor, "custody.record", case=case):
        raise NotAllowed(_("You cannot record custody milestones for this case."))
    _check_custody(case)
    if kind not in CustodyKind.values:
        raise ServiceError(_("Choose a milestone."), field="kind")
    if kind == CustodyKind.PRE_RELEASE:
        raise ServiceError(_("Record a pre-release meeting with who attended and what was shared."), field="kind")
    if kind == CustodyKind.RELEASE_SET and not conditions.strip():
        raise ServiceError(_("State the conditions of release."), field="conditions")
    agencies = list(agencies)
    if any(a.mechanism_id != case.mechanism_id for a in agencies):
        raise ServiceError(_("Choose agencies of this mechanism."), field="agencies")
    with transaction.atomic():
        event = CustodyEvent.objects.create(case=case, kind=kind, on=on, detail=detail, conditions=conditions,
                                            recorded_by=actor)
        event.agencies.set(agencies)
        _timeline(case, actor=actor, kind="custody", category=cat.CUSTODY, milestone=kind, on=on.isoformat())
        audit_record(actor=actor, action=f"reintegration.custody.{kind}", obj=event, case=case)
    return event


def pre_release_meeting_record(*, actor: Any, case: Case, on: dt.date, agencies: Iterable[Agency],
                               share_risk_with: Iterable[Agency], detail: str = "",
                               legal_basis: str) -> CustodyEvent:
    """The pre-release planning meeting. Risk assessments go to the agencies that need them to
    manage the release (prison, probation, police), each as a disclosure; never to the others present."""
    if not policy.can(actor, "custody.record", case=case):
        raise NotAllowed(_("You cannot record custody milestones for this case."))
    _check_custody(case)
    present, receivers = list(agencies), list(share_risk_with)
    if not present or any(a.mechanism_id != case.mechanism_id for a in present):
        raise ServiceError(_("Choose the agencies of this mechanism that attended."), field="agencies")
    if any(a not in present for a in receivers):
        raise ServiceError(_("Risk assessments can be shared only with agencies that attended."),
                           field="share_risk_with")
    if any(a.type not in RISK_RECEIVERS for a in receivers):
        raise ServiceError(_("Only prison, probation and police need the risk assessments."),
                           field="share_risk_with")
    if receivers and not legal_basis.strip():
        raise ServiceError(_("State the legal basis for sharing."), field="legal_basis")
    now = timezone.now()
    with transaction.atomic():
        event = CustodyEvent.objects.create(case=case, kind=CustodyKind.PRE_RELEASE, on=on, detail=detail,
                                            recorded_by=actor)
        event.agencies.set(present)
        for agency in receivers:
            d = Disclosure.objects.create(case=case, kind=DisclosureKind.AGREEMENT, agency=agency,
                                          categories=PRE_RELEASE_SHARED, purpose=_("Pre-release planning"),
                                          legal_basis=legal_basis.strip(), disclosed_by=actor, disclosed_at=now)
            audit_record(actor=actor, action="disclosure.pre_release", obj=d, case=case,
                         data={"agency": agency.pk, "categories": PRE_RELEASE_SHARED})
        _timeline(case, actor=actor, kind="custody", category=cat.CUSTODY, milestone=CustodyKind.PRE_RELEASE,
                  on=on.isoformat(), shared_with=[a.name for a in receivers])
        audit_record(actor=actor, action="reintegration.custody.pre_release", obj=event, case=case,
                     data={"agencies": [a.pk for a in present], "risk_shared_with": [a.pk for a in receivers]})
    policy.forget(case)
    return event


def handover_propose(*, actor: Any, household: Household, to_mechanism: Mechanism, note: str) -> Handover:
    """The central division offers a household (all its cases) to a local team."""
    if not policy.can(actor, "handover.manage", mechanism=household.mechanism):
        raise NotAllowed(_("You cannot hand this household over."))
    _check_feature(household.mechanism, "handover")
    if to_mechanism.pk == household.mechanism_id:
        raise ServiceError(_("Choose another team."), field="to_mechanism")
    if not note.strip():
        raise ServiceError(_("Say what the receiving team should know."), field="note")
    if household.handovers.filter(status__in=[HandoverStatus.PROPOSED, HandoverStatus.MORE_ASKED]).exists():
        raise ServiceError(_("A handover of this household is already open."))
    with transaction.atomic():
        h = Handover.objects.create(household=household, from_mechanism=household.mechanism,
                                    to_mechanism=to_mechanism, note=note.strip(), proposed_by=actor)
        for member in household.members.select_related("case"):
            _timeline(member.case, actor=actor, kind="handover_proposed", category=cat.REFERRAL,
                      to=to_mechanism.name)
        audit_record(actor=actor, action="reintegration.handover.proposed", obj=h, mechanism=household.mechanism,
                     data={"to": to_mechanism.pk})
        audit_record(actor=actor, action="reintegration.handover.received", obj=h, mechanism=to_mechanism,
                     data={"from": household.mechanism_id})
    return h


def case_handover_propose(*, actor: Any, case: Case, to_mechanism: Mechanism, note: str) -> Handover:
    """One case offered to the team that takes over, e.g. the municipal team at release from prison.
    Nothing moves until that team accepts."""
    if not policy.can(actor, "handover.manage", case=case):
        raise NotAllowed(_("You cannot hand this case over."))
    if to_mechanism.pk == case.mechanism_id:
        raise ServiceError(_("Choose another team."), field="to_mechanism")
    if not note.strip():
        raise ServiceError(_("Say what the receiving team should know."), field="note")
    open_statuses = [HandoverStatus.PROPOSED, HandoverStatus.MORE_ASKED]
    member = HouseholdMember.objects.filter(case=case).first()
    if (Handover.objects.filter(case=case, status__in=open_statuses).exists()
            or (member and member.household.handovers.filter(status__in=open_statuses).exists())):
        raise ServiceError(_("A handover of this case is already open."))
    with transaction.atomic():
        h = Handover.objects.create(case=case, from_mechanism=case.mechanism, to_mechanism=to_mechanism,
                                    note=note.strip(), proposed_by=actor)
        _timeline(case, actor=actor, kind="handover_proposed", category=cat.REFERRAL, to=to_mechanism.name)
        audit_record(actor=actor, action="reintegration.handover.proposed", obj=h, case=case,
                     data={"to": to_mechanism.pk})
        audit_record(actor=actor, action="reintegration.handover.received", obj=h, mechanism=to_mechanism,
                     data={"from": case.mechanism_id, "cases": [case.pk]})
    return h


def release_record(*, actor: Any, case: Case, on: dt.date, detail: str = "", conditions: str = "",
                   agencies: Iterable[Agency] = (), to_mechanism: Mechanism | None = None,
                   note: str = "") -> CustodyEvent:
    """Release from custody; with ``to_mechanism``, the case is offered to the team that takes over."""
    with transaction.atomic():
        event = custody_record(actor=actor, case=case, kind=CustodyKind.RELEASED, on=on, detail=detail,
                               conditions=conditions, agencies=agencies)
        if to_mechanism is not None:
            case_handover_propose(actor=actor, case=case, to_mechanism=to_mechanism,
                                  note=note or detail or _("Released on %(day)s.") % {"day": on.isoformat()})
    return event


def handover_respond(*, actor: Any, handover: Handover, accept: bool, response: str = "") -> Handover:
    """The receiving team accepts (the cases, their persons and the household move to it, with
    their history) or asks for more (the household stays where it is)."""
    with transaction.atomic():
        h = Handover.objects.select_for_update(of=("self",)).select_related("household", "case", "from_mechanism",
                                                                "to_mechanism").get(pk=handover.pk)
        if not policy.can(actor, "handover.manage", mechanism=h.to_mechanism):
            raise NotAllowed(_("Only the receiving team answers a handover."))
        if h.status == HandoverStatus.ACCEPTED:
            raise ServiceError(_("This handover was already accepted."))
        if not accept and not response.strip():
            raise ServiceError(_("Say what more the team needs."), field="response")
        h.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.MORE_ASKED
        h.response, h.responded_by, h.responded_at = response.strip(), actor, timezone.now()
        h.save()
        household = h.household
        if household is not None:
            cases = [m.case for m in household.members.select_related("case", "case__person")]
        else:
            cases = [Case.objects.select_related("person").get(pk=h.case_id)]
        if accept and household is not None:
            household.mechanism = h.to_mechanism
            household.save(update_fields=["mechanism"])
        if accept:
            for case in cases:
                case.mechanism, case.coordinator = h.to_mechanism, actor
                case.save(update_fields=["mechanism", "coordinator"])
                case.person.mechanism = h.to_mechanism
                case.person.save(update_fields=["mechanism"])
                policy.forget(case)
        kind = "handover_accepted" if accept else "handover_more_asked"
        for case in cases:
            _timeline(case, actor=actor, kind=kind, category=cat.REFERRAL, source=h.from_mechanism.name,
                      target=h.to_mechanism.name)
        for mechanism in (h.from_mechanism, h.to_mechanism):
            audit_record(actor=actor, action=f"reintegration.{kind.replace('_', '.', 1)}", obj=h,
                         mechanism=mechanism, data={"cases": [c.pk for c in cases]})
    return h
