"""Why a user may open a case, and which categories each reason gives.

A user reaches a case through one or more *grants*:

- ``role``: their role's condition holds (a coordinator of the mechanism; a panel member and
  the case is on an agenda; a provider whose agency delivers a running intervention, and in a
  consent mechanism the person's consent covers that agency; a police liaison and the police
  were asked for a deconfliction check);
- ``request`` / ``agreement``: the mechanism disclosed categories of the case to their agency
  (an open information request, or a sharing agreement), and no withdrawn consent stopped it;
- ``breakglass``: they opened the case in an emergency and the time has not run out.

``cases_visible_to`` states the same conditions as one queryset filter, and ``access`` as
grants for one case (or a batch, with a fixed number of queries). A test checks both agree.
Passage4prevent's rule then takes identity out of every grant of a police member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ura.governance import categories as cat
from ura.governance.policy.roles import (
    CUSTODY_AGENCIES,
    RECEIVER_ROLES,
    ROLE_CATEGORIES,
    is_police,
    memberships,
    pseudonymised,
)
from ura.mechanisms.models import Membership, Role

if TYPE_CHECKING:
    from ura.cases.models import Case

ROLE, REQUEST, AGREEMENT, BREAKGLASS = "role", "request", "agreement", "breakglass"
RUNNING = ("planned", "active")  # intervention statuses during which a provider needs to know

# Who may open a case in an emergency, and what it shows them (never the police's own notes).
BREAK_GLASS_ROLES = frozenset({Role.PANEL_MEMBER, Role.PROVIDER, Role.POLICE_LIAISON})
BREAK_GLASS_CATEGORIES = frozenset({cat.IDENTITY, cat.REFERRAL, cat.NEEDS_PLAN, cat.RISK})
BREAK_GLASS_HOURS = 4


@dataclass(frozen=True)
class Grant:
    kind: str
    categories: frozenset[str]
    membership: Membership | None
    source: Any = None  # the Disclosure or BreakGlass behind it
    consent: Any = None  # for a provider in a consent mechanism: the consent that covers the agency
    withheld: frozenset[str] = frozenset()  # categories a mechanism rule took out (Passage4prevent)


@dataclass
class Access:
    case_id: int
    grants: list[Grant] = field(default_factory=list)
    # Agencies of the user whose sharing a withdrawn consent stopped, with that consent.
    stopped: dict[int, Any] = field(default_factory=dict)

    @property
    def categories(self) -> frozenset[str]:
        out: set[str] = set()
        for g in self.grants:
            out |= g.categories
        return frozenset(out)

    @property
    def breakglass(self) -> Any:
        return next((g.source for g in self.grants if g.kind == BREAKGLASS), None)

    @property
    def only_breakglass(self) -> bool:
        return bool(self.grants) and all(g.kind == BREAKGLASS for g in self.grants)


# --- the queryset -------------------------------------------------------------------------------

def _consents(agency_id: int, *, active: bool) -> QuerySet[Any]:
    from ura.governance.models import ConsentCoverage, ConsentDecision

    qs = ConsentCoverage.objects.filter(agencies=agency_id)
    if active:
        qs = qs.filter(consent__decision=ConsentDecision.GIVEN, withdrawn_at__isnull=True)
    else:
        qs = qs.filter(withdrawn_at__isnull=False)
    return qs.values("consent__case_id")


def _stopped_q(agency_id: int) -> Q:
    """Cases where a consent covering the agency was withdrawn and none covering it is in force."""
    return Q(pk__in=_consents(agency_id, active=False)) & ~Q(pk__in=_consents(agency_id, active=True))


def _visible_q(user: Any) -> Q:
    from ura.cases.models import Deconfliction
    from ura.governance.models import BreakGlass, Disclosure, DisclosureKind
    from ura.panels.models import AgendaItem
    from ura.support.models import Intervention

    now = timezone.now()
    condition = Q(pk__in=[])
    glass_mechanisms: set[int] = set()
    for m in memberships(user):
        here = Q(mechanism_id=m.mechanism_id)
        if m.role == Role.COORDINATOR:
            condition |= here
        elif m.role == Role.PANEL_MEMBER:
            condition |= here & Q(pk__in=AgendaItem.objects.values("case_id"))
        elif m.role == Role.PROVIDER:
            delivers = Q(pk__in=Intervention.objects.filter(provider_id=m.agency_id, status__in=RUNNING)
                         .values("case_id"))
            if m.mechanism.consent_required:
                delivers &= Q(pk__in=_consents(m.agency_id, active=True))
            condition |= here & delivers & ~_stopped_q(m.agency_id)
        elif m.role == Role.POLICE_LIAISON:
            condition |= here & Q(pk__in=Deconfliction.objects.values("case_id"))
        if m.role in RECEIVER_ROLES:
            shared = (Disclosure.objects.filter(agency_id=m.agency_id,
                                                kind__in=[DisclosureKind.REQUEST, DisclosureKind.AGREEMENT])
                      .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).exclude(categories=[])
                      .values("case_id"))
            condition |= here & Q(pk__in=shared) & ~_stopped_q(m.agency_id)
        if m.role in BREAK_GLASS_ROLES:
            glass_mechanisms.add(m.mechanism_id)
    if glass_mechanisms:
        opened = BreakGlass.objects.filter(user=user, expires_at__gt=now).values("case_id")
        condition |= Q(mechanism_id__in=glass_mechanisms) & Q(pk__in=opened)
    return condition


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases a user may open: the one filter every case list starts from."""
    from ura.cases.models import Case

    if not memberships(user):
        return Case.objects.none()
    return Case.objects.filter(_visible_q(user))


# --- grants for given cases ---------------------------------------------------------------------

CACHE = "_ura_access"


def _strip(grant: Grant, user_memberships: list[Membership]) -> Grant:
    """Passage4prevent: no identity for police members, whatever the grant."""
    if cat.IDENTITY in grant.categories and any(pseudonymised(m) for m in user_memberships):
        return Grant(grant.kind, grant.categories - {cat.IDENTITY}, grant.membership, grant.source, grant.consent,
                     grant.withheld | {cat.IDENTITY})
    return grant


def prefetch_access(user: Any, cases: Iterable[Case]) -> None:
    """Work out ``access`` for many cases at once (a fixed number of queries) and keep it on them."""
    from ura.cases.models import Deconfliction
    from ura.governance.models import BreakGlass, ConsentCoverage, ConsentDecision, Disclosure, DisclosureKind
    from ura.panels.models import AgendaItem
    from ura.support.models import Intervention

    cases = [c for c in cases if user is None or user.pk not in getattr(c, CACHE, {})]
    if not cases:
        return
    uid = getattr(user, "pk", None)
    by_mech: dict[int, list[Membership]] = defaultdict(list)
    for m in memberships(user):
        by_mech[m.mechanism_id].append(m)
    ids = [c.pk for c in cases if c.mechanism_id in by_mech]
    roles = {m.role for ms in by_mech.values() for m in ms}
    agencies = {m.agency_id for ms in by_mech.values() for m in ms if m.role in RECEIVER_ROLES}
    now = timezone.now()

    agenda: set[int] = set()
    asked_police: set[int] = set()
    delivers: dict[int, set[int]] = defaultdict(set)  # case -> provider agencies with running work
    shared: dict[int, list[Any]] = defaultdict(list)
    active: dict[int, dict[int, Any]] = defaultdict(dict)  # case -> agency -> coverage in force
    withdrawn: dict[int, dict[int, Any]] = defaultdict(dict)
    glass: dict[int, Any] = {}
    if ids and Role.PANEL_MEMBER in roles:
        agenda = set(AgendaItem.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    if ids and Role.POLICE_LIAISON in roles:
        asked_police = set(Deconfliction.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    if ids and Role.PROVIDER in roles:
        for case_id, agency_id in (Intervention.objects.filter(case_id__in=ids, status__in=RUNNING,
                                                               provider_id__in=agencies)
                                   .values_list("case_id", "provider_id")):
            delivers[case_id].add(agency_id)
    if ids and agencies:
        for d in (Disclosure.objects.filter(case_id__in=ids, agency_id__in=agencies,
                                            kind__in=[DisclosureKind.REQUEST, DisclosureKind.AGREEMENT])
                  .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).exclude(categories=[])
                  .select_related("agency", "agreement")
                  .order_by("disclosed_at", "id")):
            shared[d.case_id].append(d)
        for cov in (ConsentCoverage.objects.filter(consent__case_id__in=ids, agencies__in=agencies)
                    .select_related("consent").prefetch_related("agencies").distinct()):
            for agency in cov.agencies.all():
                if agency.pk not in agencies:
                    continue
                case_id = cov.consent.case_id
                if cov.withdrawn_at is not None:
                    withdrawn[case_id][agency.pk] = cov
                elif cov.consent.decision == ConsentDecision.GIVEN:
                    active[case_id][agency.pk] = cov
    if ids and roles & BREAK_GLASS_ROLES:
        for bg in BreakGlass.objects.filter(user_id=uid, case_id__in=ids, expires_at__gt=now).order_by("opened_at"):
            glass[bg.case_id] = bg

    for case in cases:
        access = Access(case.pk)
        ms = by_mech.get(case.mechanism_id, [])
        for agency_id, cov in withdrawn[case.pk].items():
            if agency_id not in active[case.pk]:
                access.stopped[agency_id] = cov
        for m in ms:
            grant = _role_grant(m, case, agenda=agenda, asked_police=asked_police, delivers=delivers,
                                active=active[case.pk], stopped=access.stopped)
            if grant is not None:
                access.grants.append(_strip(grant, ms))
        receivers = {m.agency_id: m for m in ms if m.role in RECEIVER_ROLES}
        for d in shared[case.pk]:
            m = receivers.get(d.agency_id)
            if m is not None and d.agency_id not in access.stopped:
                kind = REQUEST if d.kind == DisclosureKind.REQUEST else AGREEMENT
                access.grants.append(_strip(Grant(kind, frozenset(d.categories) & cat.ALL, m, d), ms))
        bg = glass.get(case.pk)
        if bg is not None and any(m.role in BREAK_GLASS_ROLES for m in ms):
            member = next(m for m in ms if m.role in BREAK_GLASS_ROLES)
            access.grants.append(_strip(Grant(BREAKGLASS, BREAK_GLASS_CATEGORIES, member, bg), ms))
        case.__dict__.setdefault(CACHE, {})[uid] = access


def _role_grant(m: Membership, case: Case, *, agenda: set[int], asked_police: set[int],
                delivers: dict[int, set[int]], active: dict[int, Any], stopped: dict[int, Any]) -> Grant | None:
    categories = ROLE_CATEGORIES.get(m.role, frozenset())
    if m.role == Role.COORDINATOR:
        return Grant(ROLE, categories, m)
    if m.role == Role.PANEL_MEMBER and case.pk in agenda:
        if m.agency.type in CUSTODY_AGENCIES:
            categories = categories | {cat.CUSTODY}
        return Grant(ROLE, categories, m)
    if m.role == Role.POLICE_LIAISON and case.pk in asked_police:
        return Grant(ROLE, categories, m)
    if m.role == Role.PROVIDER and m.agency_id in delivers[case.pk] and m.agency_id not in stopped:
        if not m.mechanism.consent_required:
            return Grant(ROLE, categories, m)
        coverage = active.get(m.agency_id)
        if coverage is not None:
            # The consent says which categories may go to the agency.
            return Grant(ROLE, categories & frozenset(coverage.categories), m, consent=coverage)
    return None


def access(user: Any, case: Case) -> Access:
    """The grants through which ``user`` reaches ``case`` (kept on the case object for the request)."""
    uid = getattr(user, "pk", None)
    cached = case.__dict__.get(CACHE, {}).get(uid)
    if cached is None:
        prefetch_access(user, [case])
        cached = case.__dict__[CACHE][uid]
    return cached


def forget(case: Case) -> None:
    """Drop what was worked out for this case object (after a change of who may see it)."""
    case.__dict__.pop(CACHE, None)


def visible_categories(user: Any, case: Case) -> frozenset[str]:
    return access(user, case).categories


def police_member(user: Any, mechanism_id: int) -> bool:
    return any(is_police(m) for m in memberships(user) if m.mechanism_id == mechanism_id)
