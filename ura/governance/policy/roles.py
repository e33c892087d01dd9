"""Who a user is in each mechanism, and what each role may do and read there (before any
condition on the case itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ura.governance import categories as cat
from ura.mechanisms.models import AgencyType, Membership, Role

if TYPE_CHECKING:
    from ura.mechanisms.models import Mechanism

# What each role may do in its mechanism, before object conditions.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({
        "referral.submit", "case.list", "case.view", "case.edit", "case.transition", "case.export",
        "person.search", "deconfliction.request", "inforequest.create", "meeting.manage", "consent.record",
        "consent.withdraw", "case.share", "agreement.manage", "intervention.manage", "postexit.record",
        "tasks.overdue", "assessment.record", "assessment.countersign", "credential.manage",
        # monitoring: aggregates, the annual report's text, and the registers
        "aggregates.view", "report.write", "training.manage", "activities.manage", "funding.manage",
        # rehabilitation and reintegration: households, custody milestones, central-to-local handover
        "household.manage", "custody.record", "handover.manage",
        # "is this person already known?": link, merge or dismiss candidates found at screening
        "identity.decide",
        # sees that a legal hold keeps the case from erasure (only the DPO places or lifts one)
        "legalhold.view",
    }),
    Role.PANEL_MEMBER: frozenset({"referral.submit", "case.view", "meeting.view", "meeting.vote",
                                  "inforequest.answer", "breakglass.open", "assessment.record",
                                  "assessment.countersign"}),
    Role.PROVIDER: frozenset({"referral.submit", "case.view", "session.record", "inforequest.answer",
                              "breakglass.open"}),
    Role.POLICE_LIAISON: frozenset({"referral.submit", "deconfliction.answer", "inforequest.answer", "case.view",
                                    "case.list", "case.export", "person.search", "breakglass.open",
                                    "assessment.record", "assessment.countersign"}),
    Role.REFERRER: frozenset({"referral.submit"}),
    # Aggregates only: the monitoring pages ask for this, never for a case.
    Role.ANALYST: frozenset({"aggregates.view"}),
    # The audit trail and its reviews, never case content (DESIGN.md §1, §4).
    # Retention, legal holds and the person's rights (access, erasure) are the DPO's too.
    Role.DPO: frozenset({"audit.view", "breakglass.review", "agreement.view", "access.review", "subject.access",
                         "legalhold.manage", "legalhold.view", "erasure.request"}),
    # Configuration (users, agencies, instruments), never case content.
    Role.ADMINISTRATOR: frozenset({"configuration.manage", "credential.manage"}),
}

# Agencies that read custody milestones of a case their role lets them open (DESIGN.md §2, R&R).
CUSTODY_AGENCIES = frozenset({AgencyType.PRISON, AgencyType.PROBATION})

# What each role reads of a case *that its condition lets it open* (see ``grants``).
ROLE_CATEGORIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: cat.ALL - {cat.POLICE},
    Role.PANEL_MEMBER: frozenset({cat.IDENTITY, cat.REFERRAL, cat.NEEDS_PLAN, cat.RISK, cat.MINUTES}),
    Role.PROVIDER: frozenset({cat.IDENTITY, cat.NEEDS_PLAN}),
    Role.POLICE_LIAISON: frozenset({cat.IDENTITY, cat.REFERRAL, cat.POLICE}),
}

# The categories in which a role may make assessments. An assessor keeps sight of their own
# assessment even where its category is otherwise hidden from them (the police's security check).
ROLE_ASSESSMENT_CATEGORIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({cat.NEEDS_PLAN, cat.RISK, cat.HEALTH}),
    Role.PANEL_MEMBER: frozenset({cat.NEEDS_PLAN, cat.RISK, cat.HEALTH}),
    Role.POLICE_LIAISON: frozenset({cat.RISK, cat.POLICE}),
}

# Roles whose agency may be sent case data (an information request, a sharing agreement).
RECEIVER_ROLES = frozenset({Role.PANEL_MEMBER, Role.PROVIDER, Role.POLICE_LIAISON})

# Actions a pseudonymised police member never has, whatever their role says.
PSEUDONYMISED_WITHOUT = frozenset({"person.search"})


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


def is_police(membership: Membership) -> bool:
    return membership.role == Role.POLICE_LIAISON or membership.agency.type == AgencyType.POLICE


def pseudonymised(membership: Membership) -> bool:
    """Passage4prevent: a police member of a mechanism that keeps identity from police."""
    return is_police(membership) and not membership.mechanism.police_identity_access


def pseudonymised_in(user: Any, mechanism_id: int) -> bool:
    return any(pseudonymised(m) for m in memberships(user) if m.mechanism_id == mechanism_id)


def _actions(membership: Membership) -> frozenset[str]:
    actions = ROLE_ACTIONS.get(membership.role, frozenset())
    return actions - PSEUDONYMISED_WITHOUT if pseudonymised(membership) else actions


def mechanisms_where(user: Any, action: str) -> list[Mechanism]:
    seen: dict[int, Mechanism] = {}
    for m in memberships(user):
        if action in _actions(m):
            seen.setdefault(m.mechanism_id, m.mechanism)
    return list(seen.values())


def allowed(user: Any, action: str, mechanism: Mechanism) -> bool:
    return any(action in _actions(m) for m in memberships(user) if m.mechanism_id == mechanism.pk)


def assessment_categories(user: Any, mechanism: Mechanism) -> frozenset[str]:
    """The categories in which ``user`` may make assessments in ``mechanism``."""
    granted: set[str] = set()
    for role in roles_in(user, mechanism):
        granted |= ROLE_ASSESSMENT_CATEGORIES.get(role, frozenset())
    return frozenset(granted)
