"""A fixed data set for the monitoring tests, written straight into the tables (fast).

``make_case`` writes one case with just the traces the indicators read: the person, the
screening step in the timeline, panel decisions, interventions, exit, flows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.world import World
from ura.cases.models import Case, TimelineEntry
from ura.panels.models import AgendaItem, Decision, Meeting
from ura.people.models import Person
from ura.support.models import Intervention, InterventionType

_n = itertools.count(1)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def born(age: int | None, on: dt.date) -> dict[str, Any]:
    if age is None:
        return {"birth_date": None, "birth_date_precision": "unknown"}
    return {"birth_date": dt.date(on.year - age, 1, 1),
            "birth_date_precision": "day"}


def make_case(w: World, referred_on: dt.date, *, sector: str = "education", concern: str = "religious",
              sex: str = "m", age: int | None = 30, referred_by: Any = "referrer", screened: str | None = None,
              decisions: tuple[tuple[str, str, dt.date], ...] = (), decided_on: dt.date | None = None,
              interventions: tuple[dict[str, Any], ...] = (), exited_on: dt.date | None = None,
              flows: tuple[tuple[str, dt.date], ...] = (), track: str = "prevention", person: Person | None = None,
              previous: Case | None = None) -> Case:
    n = next(_n)
    if person is None:
        person = Person.objects.create(mechanism=w.mechanism, given_name=f"Dren{n}", family_name="Berisha", sex=sex,
                                       **born(age, referred_on))
    by = getattr(w, referred_by) if isinstance(referred_by, str) else referred_by
    case = Case.objects.create(
        mechanism=w.mechanism, person=person, reference=f"T{n:05d}-{w.mechanism.slug}", referred_on=referred_on,
        referred_by=by, source_sector=sector, concern_type=concern, concern="Observed.", track=track,
        stage_changed_at=at(referred_on), decided_on=decided_on, exited_on=exited_on,
        stage="exited" if exited_on else "referred", previous=previous,
        episode=(previous.episode + 1) if previous else 1)
    if screened:
        TimelineEntry.objects.create(case=case, kind="transition", category="referral",
                                     data={"transition": "x", "source": "screening", "target": screened})
    for purpose, outcome, day in decisions:
        meeting = Meeting.objects.create(mechanism=w.mechanism, starts_at=at(day), created_by=w.coordinator)
        item = AgendaItem.objects.create(meeting=meeting, case=case, purpose=purpose)
        decision = Decision.objects.create(item=item, case=case, outcome=outcome, rule="majority", reasons="r",
                                           decided_by=w.chair)
        Decision.objects.filter(pk=decision.pk).update(decided_at=at(day))
    for spec in interventions:
        Intervention.objects.create(
            case=case, type=InterventionType.objects.get(code=spec.get("type", "mentoring")),
            provider=w.agencies[spec.get("provider", "cso")], goal="g", schedule="s", starts_on=spec["starts_on"],
            funding_source=spec.get("source", "donor"), funder=spec.get("funder", "GCERF"),
            cost=Decimal(spec.get("cost", "100.00")), status=spec.get("status", "active"),
            created_by=w.coordinator)
    for name, day in flows:
        entry = TimelineEntry.objects.create(case=case, kind="transition", category="referral",
                                             data={"transition": name, "source": "review", "target": "x"})
        TimelineEntry.objects.filter(pk=entry.pk).update(at=at(day))
    return case
