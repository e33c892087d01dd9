"""Reads for the registers and the case page. Aggregates for analysts live in ``indicators``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from ura.governance import policy

from .models import Activity, BudgetLine, ReportNarrative, Training, TrainingParticipation


def referrer_trained(case: Any) -> bool | None:
    """Had the referrer been trained before the referral? None when the referrer has no Ura account."""
    if case.referred_by_id is None:
        return None
    return TrainingParticipation.objects.filter(user_id=case.referred_by_id,
                                                training__held_on__lte=case.referred_on).exists()


def trainings_for(user: Any) -> QuerySet[Training]:
    mechanisms = policy.mechanisms_where(user, "training.manage")
    return (Training.objects.filter(mechanism__in=mechanisms).select_related("mechanism")
            .annotate(participants=Sum("participations__headcount"),
                      agencies=Count("participations__agency", distinct=True))
            .order_by("-held_on", "-id"))


def activities_for(user: Any) -> QuerySet[Activity]:
    mechanisms = policy.mechanisms_where(user, "activities.manage")
    return (Activity.objects.filter(mechanism__in=mechanisms).select_related("mechanism")
            .prefetch_related("partners").order_by("-held_on", "-id"))


def budget_lines_for(user: Any) -> QuerySet[BudgetLine]:
    from .models import Allocation

    mechanisms = policy.mechanisms_where(user, "funding.manage")
    return (BudgetLine.objects.filter(mechanism__in=mechanisms).select_related("mechanism")
            .annotate(allocated=Sum("allocations__amount"),
                      used=Exists(Allocation.objects.filter(line=OuterRef("pk"))))
            .order_by("-year", "funder", "title"))


def narrative(scope_code: str, year: int) -> ReportNarrative | None:
    return ReportNarrative.objects.filter(scope=scope_code, year=year).first()
