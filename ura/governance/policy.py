"""The one access policy. Every view, command and service asks here.

Three kinds of question:
- object: ``can(user, action, case=...)`` — may this user do this to this case?
- category: ``visible_categories(user, case)`` — which parts of the case may they read?
- queryset: ``cases_visible_to(user)`` — the cases they may open at all.

A missing case and a forbidden one look the same to the caller (``case_for`` raises
``Http404`` for both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ura.governance import categories as cat
from ura.mechanisms.models import Membership, Role

if TYPE_CHECKING:
    from ura.cases.models import Case
    from ura.mechanisms.models import Mechanism

# What each role may do in its mechanism, before object conditions.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({
        "referral.submit", "case.list", "case.view", "case.edit", "case.transition",
        "deconfliction.request", "inforequest.create", "meeting.manage", "consent.record",
        "intervention.manage", "postexit.record", "tasks.overdue",
    }),
    Role.PANEL_MEMBER: frozenset({"referral.submit", "case.view", "meeting.view", "meeting.vote",
                                  "inforequest.answer"}),
    Role.PROVIDER: frozenset({"referral.submit", "case.view", "session.record", "inforequest.answer"}),
    Role.POLICE_LIAISON: frozenset({"referral.submit", "deconfliction.answer", "inforequest.answer",
                                    "case.view"}),
    Role.REFERRER: frozenset({"referral.submit"}),
    Role.ANALYST: frozenset(),
    Role.DPO: frozenset(),
    Role.ADMINISTRATOR: frozenset(),
}

ROLE_CATEGORIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: cat.ALL - {cat.POLICE},
    Role.PANEL_MEMBER: frozenset({cat.IDENTITY, cat.REFERRAL, cat.NEEDS_PLAN, cat.RISK, cat.MINUTES}),
    Role.PROVIDER: frozenset({cat.IDENTITY, cat.NEEDS_PLAN}),
    Role.POLICE_LIAISON: frozenset({cat.IDENTITY, cat.REFERRAL, cat.POLICE}),
}


def memberships(user: Any) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_ura_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, active=True).select_related("agency", "mechanism"))
        user._ura_memberships = cached
    return cached


def roles_in(user: Any, mechanism: Mechanism | int) -> set[str]:
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    return {m.role for m in memberships(user) if m.mechanism_id == mechanism_id}


def membership_for(user: Any, mechanism: Mechanism | None, role: str | None = None) -> Membership | None:
    if mechanism is None:
        return None
    for m in memberships(user):
        if m.mechanism_id == mechanism.pk and (role is None or m.role == role):
            return m
    return None


def is_chair(user: Any, mechanism: Mechanism) -> bool:
    return any(m.is_chair for m in memberships(user) if m.mechanism_id == mechanism.pk)


def mechanisms_where(user: Any, action: str) -> list[Mechanism]:
    seen: dict[int, Mechanism] = {}
    for m in memberships(user):
        if action in ROLE_ACTIONS.get(m.role, frozenset()):
            seen.setdefault(m.mechanism_id, m.mechanism)
    return list(seen.values())


def allowed(user: Any, action: str, mechanism: Mechanism) -> bool:
    return any(action in ROLE_ACTIONS.get(role, frozenset()) for role in roles_in(user, mechanism))


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases a user may open: the one filter every case list starts from."""
    from ura.cases.models import Case

    condition = Q(pk__in=[])
    for m in memberships(user):
        if m.role == Role.COORDINATOR:
            condition |= Q(mechanism_id=m.mechanism_id)
        elif m.role == Role.PANEL_MEMBER:
            condition |= Q(mechanism_id=m.mechanism_id, agenda_items__isnull=False)
            condition |= Q(mechanism_id=m.mechanism_id, information_requests__to_agency_id=m.agency_id)
        elif m.role == Role.PROVIDER:
            # Only while the intervention runs: a provider's need to know ends with its work.
            condition |= Q(mechanism_id=m.mechanism_id, interventions__provider_id=m.agency_id,
                           interventions__status__in=["planned", "active"])
            condition |= Q(mechanism_id=m.mechanism_id, information_requests__to_agency_id=m.agency_id)
        elif m.role == Role.POLICE_LIAISON:
            condition |= Q(mechanism_id=m.mechanism_id, deconflictions__isnull=False)
            condition |= Q(mechanism_id=m.mechanism_id, information_requests__to_agency_id=m.agency_id)
    return Case.objects.filter(pk__in=Case.objects.filter(condition).values("pk"))


def can_view_case(user: Any, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def case_for(user: Any, pk: int | str, *, for_update: bool = False) -> Case:
    """The case, if this user may open it; ``Http404`` whether it is missing or forbidden."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = cases_visible_to(user).select_related("mechanism", "person", "coordinator", "referring_agency")
    case = qs.filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def visible_categories(user: Any, case: Case) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles_in(user, case.mechanism):
        granted |= ROLE_CATEGORIES.get(role, frozenset())
    if not case.mechanism.police_identity_access and roles_in(user, case.mechanism) == {Role.POLICE_LIAISON}:
        granted.discard(cat.IDENTITY)
    return frozenset(granted)


def can(user: Any, action: str, *, case: Case | None = None, mechanism: Mechanism | None = None,
        obj: Any = None) -> bool:
    """May ``user`` take ``action`` (on ``case`` / ``obj``) in ``mechanism``?"""
    mechanism = mechanism or (case.mechanism if case is not None else None)
    if mechanism is None or not allowed(user, action, mechanism):
        return False
    roles = roles_in(user, mechanism)
    if action == "session.record" and obj is not None:
        return any(m.agency_id == obj.provider_id and m.role == Role.PROVIDER
                   for m in memberships(user) if m.mechanism_id == mechanism.pk)
    if action == "inforequest.answer" and obj is not None:
        return any(m.agency_id == obj.to_agency_id for m in memberships(user) if m.mechanism_id == mechanism.pk)
    if action == "meeting.vote":
        return Role.PANEL_MEMBER in roles
    return True


def can_transition(user: Any, case: Case, transition: Any) -> bool:
    from ura.cases.workflow import CHAIR, COORDINATOR

    roles = roles_in(user, case.mechanism)
    if COORDINATOR in transition.roles and Role.COORDINATOR in roles:
        return True
    return CHAIR in transition.roles and is_chair(user, case.mechanism)
