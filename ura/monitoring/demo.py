"""Demonstration monitoring data for mechanisms that exist: trainings, prevention activities,
budget lines with allocations, and the text of last year's annual reports.

``monitoring_demo_load`` is idempotent by mechanism (one that has trainings is left alone)
and seeded, so two installations hold the same demo. It runs after ``ura demo``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ura.mechanisms.models import Agency, Level, Mechanism, Membership, Role
from ura.support.models import FundingSource, Intervention

from .models import (
    Activity,
    ActivityKind,
    Allocation,
    Audience,
    BudgetLine,
    ReportNarrative,
    Training,
    TrainingParticipation,
)
from .queries import published_until
from .scopes import country_scope, mechanism_scope

FIRST_YEAR = 2019
TOPICS = ("Recognising signs of radicalisation", "The referral pathway and information sharing",
          "Working with families of returnees", "Data protection in multi-agency work",
          "Online radicalisation and young people", "Gender-sensitive prevention work")
TRAINERS = ("OSCE mission trainer", "National P/CVE coordinator's office", "Municipal safety officer",
            "RAN practitioner", "University psychology department")
ACTIVITY_TITLES = {
    ActivityKind.AWARENESS_WORKSHOP: "Awareness workshop on online hate",
    ActivityKind.COMMUNITY_EVENT: "Neighbourhood community day",
    ActivityKind.SCHOOL_SESSION: "Classroom session on critical thinking",
    ActivityKind.PARENTS_MEETING: "Evening for parents: talking to teenagers",
    ActivityKind.MEDIA: "Local radio series on belonging",
    ActivityKind.OTHER: "Sports tournament for youth",
}
FUNDERS = {
    FundingSource.MUNICIPAL: "Municipal budget", FundingSource.NATIONAL: "Ministry budget",
    FundingSource.CSO: "Partner CSO",
}
DONORS = ("GCERF", "IOM", "EU", "OSCE", "UNDP", "USAID")
NARRATIVE = {
    "summary": "The mechanism met monthly. Schools and the centre for social work made most referrals; "
               "more cases than last year were adopted and supported by mentors and family counselling.",
    "achievements": "Joint trainings brought the police, teachers and social workers together for the first "
                    "time. Every adopted case had a named provider within two weeks.",
    "challenges": "Trust between agencies is still growing: some schools hesitate to refer. Most support is "
                  "paid by international donors; the municipal budget line is small.",
    "plans": "Train every school's psychologist; agree a municipal budget line for mentoring; review the "
             "information-sharing agreement with the police.",
}


def monitoring_demo_load(*, seed: int = 2026) -> list[str]:
    """Load monitoring data for every mechanism without trainings; returns the slugs loaded."""
    loaded = []
    until = published_until(timezone.localdate())
    for mechanism in Mechanism.objects.order_by("slug"):
        if Training.objects.filter(mechanism=mechanism).exists():
            continue
        rng = random.Random(f"{seed}:monitoring:{mechanism.slug}")
        with transaction.atomic():
            _load(mechanism, rng, until)
        loaded.append(mechanism.slug)
    last = until.year if (until.month, until.day) == (12, 31) else until.year - 1
    for country in Mechanism.objects.filter(level=Level.NATIONAL).values_list("country", flat=True).distinct():
        ReportNarrative.objects.get_or_create(scope=country_scope(country).code, year=last, defaults=NARRATIVE)
    return loaded


def _load(mechanism: Mechanism, rng: random.Random, until: dt.date) -> None:
    coordinator = (Membership.objects.filter(mechanism=mechanism, role=Role.COORDINATOR)
                   .select_related("user").first())
    if coordinator is None:
        return
    actor = coordinator.user
    agencies = list(Agency.objects.filter(mechanism=mechanism, secondary_actor=False).order_by("name"))
    members = list(Membership.objects.filter(mechanism=mechanism, active=True)
                   .exclude(role__in=[Role.ANALYST, Role.ADMINISTRATOR, Role.DPO]).select_related("agency"))
    prevention_heavy = mechanism.has_feature("cases_optional") or "general_population" in (mechanism.tracks or [])
    today = timezone.localdate()
    for year in range(FIRST_YEAR, today.year + 1):
        for _n in range(rng.randint(2, 5)):
            held = _day(rng, year, today)
            if held is None:
                continue
            training = Training.objects.create(mechanism=mechanism, topic=rng.choice(TOPICS), held_on=held,
                                               trainer=rng.choice(TRAINERS), place=mechanism.place,
                                               hours=rng.choice((3, 4, 6, 8)), created_by=actor)
            trained = rng.sample(members, k=min(len(members), rng.randint(1, 4)))
            seen = set()
            for m in trained:
                if m.user_id not in seen:
                    seen.add(m.user_id)
                    TrainingParticipation.objects.create(training=training, agency=m.agency, user=m.user)
            for agency in rng.sample(agencies, k=min(len(agencies), rng.randint(1, 3))):
                TrainingParticipation.objects.create(training=training, agency=agency, headcount=rng.randint(2, 12))
        for _n in range(rng.randint(6, 14) if prevention_heavy else rng.randint(1, 5)):
            held = _day(rng, year, today)
            if held is None:
                continue
            kind = rng.choice(list(ActivityKind))
            source = rng.choice((FundingSource.DONOR, FundingSource.DONOR, FundingSource.MUNICIPAL,
                                 FundingSource.CSO))
            activity = Activity.objects.create(
                mechanism=mechanism, kind=kind, title=ACTIVITY_TITLES[kind], held_on=held, place=mechanism.place,
                audience=rng.choice(list(Audience)), participants=rng.randint(12, 140), funding_source=source,
                funder=rng.choice(DONORS) if source == FundingSource.DONOR else FUNDERS.get(source, ""),
                cost=Decimal(rng.randrange(150, 2500, 50)), created_by=actor)
            if agencies:
                activity.partners.set(rng.sample(agencies, k=min(len(agencies), rng.randint(1, 2))))
        _budget(mechanism, rng, year, actor)
    year = until.year if (until.month, until.day) == (12, 31) else until.year - 1
    ReportNarrative.objects.get_or_create(scope=mechanism_scope(mechanism).code, year=year,
                                          defaults={**NARRATIVE, "updated_by": actor})


def _budget(mechanism: Mechanism, rng: random.Random, year: int, actor: object) -> None:
    lines = [BudgetLine.objects.create(mechanism=mechanism, funder=donor, source=FundingSource.DONOR,
                                       title="Support to the referral mechanism", year=year,
                                       amount=Decimal(rng.randrange(8000, 40000, 500)), created_by=actor)
             for donor in rng.sample(DONORS, k=2)]
    lines.append(BudgetLine.objects.create(
        mechanism=mechanism, funder="Municipal budget" if mechanism.level != Level.NATIONAL else "State budget",
        source=FundingSource.MUNICIPAL if mechanism.level != Level.NATIONAL else FundingSource.NATIONAL,
        title="Coordinator and meetings", year=year, amount=Decimal(rng.randrange(2000, 9000, 500)),
        created_by=actor))
    for intervention in Intervention.objects.filter(case__mechanism=mechanism, starts_on__year=year,
                                                    cost__gt=0).order_by("pk"):
        fitting = [line for line in lines if _matches(line, intervention)]
        if not fitting:
            continue
        line = fitting[0]
        spent = line.allocations.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if spent + intervention.cost <= line.amount:
            Allocation.objects.create(line=line, intervention=intervention, amount=intervention.cost,
                                      created_by=actor)


def _matches(line: BudgetLine, intervention: Intervention) -> bool:
    if intervention.funding_source == FundingSource.DONOR:
        return line.source == FundingSource.DONOR
    return line.source in (FundingSource.MUNICIPAL, FundingSource.NATIONAL)


def _day(rng: random.Random, year: int, today: dt.date) -> dt.date | None:
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
    return day if day < today else None
