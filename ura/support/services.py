"""Support plans: interventions, sessions and post-exit reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, TimelineEntry
from ura.cases.workflow import Stage
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Agency, Membership, Role
from ura.support.models import (
    FundingSource,
    Intervention,
    InterventionStatus,
    InterventionType,
    PostExitOutcome,
    PostExitReview,
    Session,
)
from ura.tasks.notify import notify_on_commit

PLAN_STAGES = (Stage.CONSENT, Stage.SUPPORT, Stage.REVIEW)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def intervention_add(*, actor: Any, case: Case, type: InterventionType, provider: Agency, goal: str,
                     schedule: str, starts_on: dt.date, ends_on: dt.date | None, funding_source: str,
                     funder: str = "", cost: Decimal = Decimal("0")) -> Intervention:
    if not policy.can(actor, "intervention.manage", case=case):
        raise NotAllowed(_("You cannot change this support plan."))
    if case.stage not in PLAN_STAGES:
        raise ServiceError(_("Interventions are planned once the panel has adopted the case."))
    if provider.mechanism_id != case.mechanism_id:
        raise ServiceError(_("Choose a provider agency of this mechanism."), field="provider")
    if funding_source not in FundingSource.values:
        raise ServiceError(_("Choose a funding source."), field="funding_source")
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError(_("The end cannot be before the start."), field="ends_on")
    if cost < 0:
        raise ServiceError(_("The cost cannot be negative."), field="cost")
    with transaction.atomic():
        intervention = Intervention.objects.create(
            case=case, type=type, provider=provider, goal=goal, schedule=schedule, starts_on=starts_on,
            ends_on=ends_on, funding_source=funding_source, funder=funder, cost=cost, created_by=actor,
            status=InterventionStatus.ACTIVE if case.stage == Stage.SUPPORT else InterventionStatus.PLANNED)
        TimelineEntry.objects.create(case=case, actor=actor, kind="intervention_added", category=cat.NEEDS_PLAN,
                                     data={"type": type.name, "provider": provider.name})
        audit_record(actor=actor, action="support.intervention_added", obj=intervention, case=case)
    providers = [m.user for m in Membership.objects.filter(agency=provider, role=Role.PROVIDER, active=True)
                 .select_related("user")]
    notify_on_commit(providers, _("New intervention"),
                     _("Your agency was asked to deliver an intervention (%(type)s).") % {"type": type.name})
    return intervention


def intervention_set_status(*, actor: Any, intervention: Intervention, status: str) -> Intervention:
    case = intervention.case
    if not policy.can(actor, "intervention.manage", case=case):
        raise NotAllowed(_("You cannot change this support plan."))
    if status not in InterventionStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    with transaction.atomic():
        intervention.status = status
        intervention.save(update_fields=["status"])
        TimelineEntry.objects.create(case=case, actor=actor, kind="intervention_status", category=cat.NEEDS_PLAN,
                                     data={"type": intervention.type.name, "status": status})
        audit_record(actor=actor, action="support.intervention_status", obj=intervention, case=case,
                     data={"status": status})
    return intervention


def session_record(*, actor: Any, intervention: Intervention, held_on: dt.date, attended: bool,
                   minutes_spent: int, progress: str) -> Session:
    case = intervention.case
    if not policy.can(actor, "session.record", case=case, obj=intervention):
        raise NotAllowed(_("Only the providing agency records sessions."))
    if case.stage not in (Stage.SUPPORT, Stage.REVIEW):
        raise ServiceError(_("Sessions are recorded while support is under way."))
    if held_on > timezone.localdate():
        raise ServiceError(_("A session cannot be recorded for a future date."), field="held_on")
    if not 1 <= minutes_spent <= 600:
        raise ServiceError(_("Give the duration in minutes, between 1 and 600."), field="minutes_spent")
    with transaction.atomic():
        session = Session.objects.create(intervention=intervention, held_on=held_on, attended=attended,
                                         minutes_spent=minutes_spent, progress=progress, recorded_by=actor)
        if intervention.status == InterventionStatus.PLANNED:
            intervention.status = InterventionStatus.ACTIVE
            intervention.save(update_fields=["status"])
        TimelineEntry.objects.create(case=case, actor=actor, kind="session", category=cat.NEEDS_PLAN,
                                     data={"type": intervention.type.name, "attended": attended})
        audit_record(actor=actor, action="support.session_recorded", obj=session, case=case)
    return session


def interventions_end(*, case: Case, actor: Any, completed: bool) -> int:
    """Called by case_transition when a case leaves support: the providers' part ends with it."""
    status = InterventionStatus.COMPLETED if completed else InterventionStatus.STOPPED
    running = case.interventions.filter(status__in=[InterventionStatus.PLANNED, InterventionStatus.ACTIVE])
    ids = list(running.values_list("pk", flat=True))
    if ids:
        Intervention.objects.filter(pk__in=ids).update(status=status)
        TimelineEntry.objects.create(case=case, actor=actor, kind="interventions_ended", category=cat.NEEDS_PLAN,
                                     data={"count": len(ids), "status": status})
        audit_record(actor=actor, action="support.interventions_ended", obj=case, data={"interventions": ids})
    return len(ids)


def post_exit_reviews_schedule(*, case: Case, actor: Any) -> list[PostExitReview]:
    """Called by the exit transition, inside its transaction."""
    exited = case.exited_on or timezone.localdate()
    return [PostExitReview.objects.create(case=case, months_after_exit=months, due_on=_add_months(exited, months))
            for months in sorted(set(case.mechanism.post_exit_review_months))]


def post_exit_review_record(*, actor: Any, review: PostExitReview, outcome: str, notes: str,
                            held_on: dt.date | None = None) -> PostExitReview:
    case = review.case
    if not policy.can(actor, "postexit.record", case=case):
        raise NotAllowed(_("You cannot record this review."))
    if outcome not in PostExitOutcome.values:
        raise ServiceError(_("Choose an outcome."), field="outcome")
    if review.done_on is not None:
        raise ServiceError(_("This review has already been recorded."))
    with transaction.atomic():
        review.outcome, review.notes = outcome, notes
        review.done_on = held_on or timezone.localdate()
        review.done_by = actor
        review.save()
        TimelineEntry.objects.create(case=case, actor=actor, kind="post_exit_review", category=cat.NEEDS_PLAN,
                                     data={"months": review.months_after_exit, "outcome": outcome})
        audit_record(actor=actor, action="support.post_exit_review_recorded", obj=review, case=case,
                     data={"outcome": outcome})
        if outcome == PostExitOutcome.CONCERN:
            from ura.cases.models import SourceSector
            from ura.cases.services import case_rerefer

            # A concern at a post-exit review re-opens as a new episode of the same person.
            case_rerefer(actor=actor, previous=case, submission_key=f"post-exit-{review.pk}",
                         referral={"source_sector": SourceSector.OTHER, "concern_type": case.concern_type,
                                   "concern": notes or _("Concern raised at a post-exit review.")})
    return review
