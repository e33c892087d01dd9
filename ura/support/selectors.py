"""Reads for support plans. A provider's reads start from their agency, never from the case."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from ura.cases.models import Case
from ura.cases.workflow import Stage
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import note_opened
from ura.governance.models import Consent
from ura.mechanisms.models import Role
from ura.support.models import Intervention, InterventionStatus, PostExitReview, Session
from ura.support.services import PLAN_STAGES


def with_session_summary(qs: QuerySet[Intervention]) -> QuerySet[Intervention]:
    """Each intervention with its number of sessions, sessions attended and the last session's date."""
    return qs.annotate(session_count=Count("sessions"),
                       attended_count=Count("sessions", filter=Q(sessions__attended=True)),
                       last_session=Max("sessions__held_on"))


def provider_agency_ids(user: Any) -> set[int]:
    return {m.agency_id for m in policy.memberships(user) if m.role == Role.PROVIDER}


def interventions_for_provider(user: Any) -> QuerySet[Intervention]:
    """The interventions the user's own agency delivers; nothing else."""
    qs = Intervention.objects.filter(provider_id__in=provider_agency_ids(user))
    return with_session_summary(qs.select_related("type", "provider", "case__person", "case__mechanism")
                                .order_by("case__reference", "starts_on", "id"))


def intervention_for_provider(user: Any, pk: int | str) -> Intervention:
    """``Http404`` for a missing intervention and for another agency's alike."""
    intervention = interventions_for_provider(user).filter(pk=pk).first()
    if intervention is None:
        raise Http404
    return intervention


def provider_list(user: Any) -> tuple[list[Intervention], list[Intervention]]:
    """Current (planned or under way) and ended interventions, each marked with whether the name may show."""
    current: list[Intervention] = []
    ended: list[Intervention] = []
    interventions = list(interventions_for_provider(user))
    policy.prefetch_access(user, [i.case for i in interventions])
    for i in interventions:
        ongoing = i.status in (InterventionStatus.PLANNED, InterventionStatus.ACTIVE)
        # Once the work has ended the provider keeps its own record, not the person's name.
        i.show_name = ongoing and cat.IDENTITY in policy.visible_categories(user, i.case)  # type: ignore[attr-defined]
        (current if ongoing else ended).append(i)
    return current, ended


def sessions_of(intervention: Intervention) -> QuerySet[Session]:
    return intervention.sessions.select_related("recorded_by")


def session_allowed(case: Case) -> bool:
    return case.stage in (Stage.SUPPORT, Stage.REVIEW)


def case_for_manager(user: Any, pk: int | str, action: str) -> Case:
    """The case, if the user may open it and take ``action`` on it; otherwise ``Http404``."""
    case = policy.case_for(user, pk)
    if not policy.can(user, action, case=case):
        raise Http404
    return case


def intervention_for_manager(user: Any, pk: int | str) -> Intervention:
    intervention = (Intervention.objects.filter(case__in=policy.cases_visible_to(user))
                    .select_related("case__mechanism", "type", "provider").filter(pk=pk).first())
    if intervention is None or not policy.can(user, "intervention.manage", case=intervention.case):
        raise Http404
    note_opened(intervention.case)  # the request's one audit event names the case (ura.governance.audit)
    return intervention


def review_for_manager(user: Any, pk: int | str) -> PostExitReview:
    review = (PostExitReview.objects.filter(case__in=policy.cases_visible_to(user))
              .select_related("case__mechanism", "case__person").filter(pk=pk).first())
    if review is None or not policy.can(user, "postexit.record", case=review.case):
        raise Http404
    note_opened(review.case)
    return review


@dataclass
class SupportSection:
    """What the case page's support part shows to one viewer."""

    case: Case
    show_plan: bool
    show_consent: bool
    can_consent: bool
    can_manage: bool
    can_review: bool
    interventions: list[Intervention] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    reviews: list[PostExitReview] = field(default_factory=list)
    next_episode: Case | None = None
    only_own_agency: bool = False

    @property
    def visible(self) -> bool:
        return self.show_plan or self.can_consent


def support_section(*, case: Case, user: Any) -> SupportSection:
    cats = policy.visible_categories(user, case)
    roles = policy.roles_in(user, case.mechanism)
    # Coordinators and panel members see the whole plan; a provider only what their agency delivers.
    only_own = not roles & {Role.COORDINATOR, Role.PANEL_MEMBER}
    section = SupportSection(
        case=case, show_plan=cat.NEEDS_PLAN in cats, show_consent=cat.REFERRAL in cats,
        can_consent=case.stage == Stage.CONSENT and policy.can(user, "consent.record", case=case),
        can_manage=case.stage in PLAN_STAGES and policy.can(user, "intervention.manage", case=case),
        can_review=policy.can(user, "postexit.record", case=case), only_own_agency=only_own)
    if section.show_consent and case.mechanism.consent_required:
        section.consents = list(case.consents.select_related("coverage").prefetch_related("coverage__agencies"))
    if section.show_plan:
        qs = case.interventions.select_related("type", "provider")
        if only_own:
            qs = qs.filter(provider_id__in=provider_agency_ids(user))
        section.interventions = list(with_session_summary(qs))
        if case.stage in (Stage.EXITED, Stage.CLOSED) and not only_own:
            section.reviews = list(case.post_exit_reviews.all())
            section.next_episode = Case.objects.filter(previous=case).first()
    return section
