"""The database aggregates behind the indicators: one grouped query per source table.

Every query groups by mechanism and (year, quarter) in the database and returns a few
rows per mechanism and quarter; no query loads a case. The number of queries is fixed,
whatever the number of cases. ``bench/`` times them against hand-written SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractQuarter, ExtractYear
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from ura.cases.models import Case as CaseModel
from ura.cases.models import ConcernType, SourceSector, TimelineEntry, Track
from ura.panels.models import Decision
from ura.people.models import DatePrecision, Sex
from ura.support.models import Intervention

from .catalogue import AGE_BANDS, FLOWS, SCREENING_OUTCOMES, TTD_BANDS
from .models import Activity, Allocation, BudgetLine, Training, TrainingParticipation

# (ref, mechanism id, year, quarter); quarter 0 is a figure kept for the whole year only.
Key = tuple[str, int, int, int]


@dataclass
class Raw:
    counts: dict[Key, int] = field(default_factory=lambda: defaultdict(int))  # about referred persons
    numbers: dict[Key, int] = field(default_factory=lambda: defaultdict(int))  # about the mechanism's work
    amounts: dict[Key, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # EUR or days


@dataclass(frozen=True)
class Window:
    first_year: int
    last_year: int
    until: dt.date  # the last day whose events are counted

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def end(self) -> dt.date:
        return min(dt.date(self.last_year, 12, 31), self.until)

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The window as [start, end) of aware datetimes in the installation's time zone."""
        tz = timezone.get_current_timezone()
        return (dt.datetime.combine(self.start, dt.time(0), tzinfo=tz),
                dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), tzinfo=tz))


def published_until(today: dt.date) -> dt.date:
    """Figures are published by whole quarters: the last day of the last quarter that has ended."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    return dt.date(today.year, first_month, 1) - dt.timedelta(days=1)


def age_on(day: str, born: str) -> Expression:
    """Whole years between ``born`` and ``day`` (two date expressions), in SQL."""
    def month_day(f: str) -> Expression:
        return ExtractMonth(f) * 100 + ExtractDay(f)
    return ExpressionWrapper(
        ExtractYear(day) - ExtractYear(born)
        - Case(When(GreaterThan(month_day(born), month_day(day)), then=Value(1)), default=Value(0)),
        output_field=IntegerField())


def _known_birth(prefix: str = "person__") -> Q:
    return Q(**{f"{prefix}birth_date__isnull": False}) & ~Q(**{f"{prefix}birth_date_precision": DatePrecision.UNKNOWN})


def collect(country: str, window: Window) -> Raw:
    raw = Raw()
    if window.end < window.start:
        return raw
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The wide aggregates look expensive to the planner, and compiling them (JIT) takes
            # longer than running them: seconds, against milliseconds.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        _collect(raw, country, window)
    return raw


def _collect(raw: Raw, country: str, window: Window) -> None:
    _cohort(raw, country, window)
    _decisions(raw, country, window)
    _time_to_decision(raw, country, window)
    _interventions(raw, country, window)
    _exits(raw, country, window)
    _flows(raw, country, window)
    _rr_persons(raw, country, window)
    _trainings(raw, country, window)
    _activities(raw, country, window)
    _budget(raw, country, window)


def _put(store: dict[Key, Any], row: dict[str, Any], mechanism: str, values: dict[str, str],
         quarter: bool = True) -> None:
    for alias, ref in values.items():
        value = row[alias]
        if value:
            store[(ref, row[mechanism], int(row["y"]), int(row["q"]) if quarter else 0)] += value


def _cohort(raw: Raw, country: str, w: Window) -> None:
    """The referrals of the window: who referred, who was referred, and how far each case got."""
    screened = (TimelineEntry.objects.filter(case=OuterRef("pk"), kind="transition", data__source="screening")
                .annotate(t=KeyTextTransform("target", "data")).values("t")[:1])
    trained = TrainingParticipation.objects.filter(user=OuterRef("referred_by"),
                                                   training__held_on__lte=OuterRef("referred_on"))
    adopted = Decision.objects.filter(case=OuterRef("pk"), outcome="adopt")
    supported = Intervention.objects.filter(case=OuterRef("pk"))
    known = _known_birth()
    refs: dict[str, Q | None] = {"referrals.all": None}
    refs |= {f"sector.{v}": Q(source_sector=v) for v in SourceSector.values}
    refs |= {f"concern.{v}": Q(concern_type=v) for v in ConcernType.values}
    refs |= {f"gender.{v}": Q(person__sex=v) for v in Sex.values}
    refs |= {f"age.{k}": known & Q(age__gte=lo, age__lt=hi) for k, _label, lo, hi in AGE_BANDS}
    refs["age.unknown"] = ~known
    refs["age.minors"] = known & Q(age__lt=18)
    refs["referrer.trained"] = Q(referred_by__isnull=False, trained=True)
    refs["referrer.untrained"] = Q(referred_by__isnull=False, trained=False)
    refs["referrer.unknown"] = Q(referred_by__isnull=True)
    refs |= {f"screening.{k}": Q(screened=k) for k, _label in SCREENING_OUTCOMES if k != "pending"}
    refs["screening.pending"] = Q(screened__isnull=True)
    refs["funnel.adopted"] = Q(screened="case_review", adopted=True)
    refs["funnel.supported"] = Q(screened="case_review", adopted=True, supported=True)
    refs["funnel.exited"] = Q(screened="case_review", adopted=True, supported=True, exited_on__isnull=False)
    aliases = {f"c{i}": ref for i, ref in enumerate(refs)}
    aggregates = {alias: Count("id", filter=refs[ref]) if refs[ref] is not None else Count("id")
                  for alias, ref in aliases.items()}
    rows = (CaseModel.objects.filter(mechanism__country=country, referred_on__gte=w.start, referred_on__lte=w.end)
            .annotate(y=ExtractYear("referred_on"), q=ExtractQuarter("referred_on"),
                      age=age_on("referred_on", "person__birth_date"), screened=Subquery(screened),
                      trained=Exists(trained), adopted=Exists(adopted), supported=Exists(supported))
            .values("mechanism_id", "y", "q").annotate(**aggregates).order_by())
    for row in rows:
        _put(raw.counts, row, "mechanism_id", aliases)


def _decisions(raw: Raw, country: str, w: Window) -> None:
    start, end = w.moments()
    rows = (Decision.objects.filter(case__mechanism__country=country, decided_at__gte=start, decided_at__lt=end)
            .annotate(y=ExtractYear("decided_at"), q=ExtractQuarter("decided_at"))
            .values("case__mechanism_id", "y", "q", "item__purpose", "outcome").annotate(n=Count("id")).order_by())
    for row in rows:
        table = "decisions" if row["item__purpose"] == "decision" else "reviews"
        for ref in (f"{table}.{row['outcome']}", f"{table}.all"):
            raw.counts[(ref, row["case__mechanism_id"], row["y"], row["q"])] += row["n"]


def _time_to_decision(raw: Raw, country: str, w: Window) -> None:
    gap = ExpressionWrapper(F("decided_on") - F("referred_on"), output_field=DurationField())
    def band(lo: int, hi: int | None) -> Q:
        # The first band also takes any decision dated before its referral: the bands add up.
        above = Q(gap__gt=dt.timedelta(days=lo - 1)) if lo else Q()
        return above & (Q(gap__lte=dt.timedelta(days=hi)) if hi is not None else Q())

    bands = {f"b{i}": Count("id", filter=band(lo, hi)) for i, (_k, _label, lo, hi) in enumerate(TTD_BANDS)}
    rows = (CaseModel.objects.filter(mechanism__country=country, decided_on__gte=w.start, decided_on__lte=w.end)
            .annotate(y=ExtractYear("decided_on"), q=ExtractQuarter("decided_on"), gap=gap)
            .values("mechanism_id", "y", "q").annotate(n=Count("id"), days=Sum("gap"), **bands).order_by())
    for row in rows:
        _put(raw.counts, row, "mechanism_id",
             {"n": "ttd.all", **{f"b{i}": f"ttd.{k}" for i, (k, *_rest) in enumerate(TTD_BANDS)}})
        if row["days"]:
            raw.amounts[("ttd.days", row["mechanism_id"], row["y"], row["q"])] += Decimal(row["days"].days)


def _interventions(raw: Raw, country: str, w: Window) -> None:
    base = Intervention.objects.filter(case__mechanism__country=country, starts_on__gte=w.start,
                                       starts_on__lte=w.end)
    rows = (base.annotate(y=ExtractYear("starts_on"), q=ExtractQuarter("starts_on"))
            .values("case__mechanism_id", "y", "q", "type__code", "provider__type", "status", "funding_source")
            .annotate(n=Count("id"), cost=Sum("cost")).order_by())
    for row in rows:
        mechanism, y, q, n = row["case__mechanism_id"], row["y"], row["q"], row["n"]
        for ref in ("interventions.all", f"interventions.{row['type__code']}", f"provider.{row['provider__type']}",
                    f"completion.{row['status']}", f"funding.{row['funding_source']}"):
            raw.counts[(ref, mechanism, y, q)] += n
        if row["status"] in ("completed", "stopped"):
            raw.counts[("completion.ended", mechanism, y, q)] += n
        for ref in (f"cost.{row['funding_source']}", "cost.total"):
            raw.amounts[(ref, mechanism, y, q)] += row["cost"] or Decimal(0)
    # Distinct cases do not add up over quarters: this one is kept for the year only.
    rows = (base.annotate(y=ExtractYear("starts_on")).values("case__mechanism_id", "y")
            .annotate(cases=Count("case", distinct=True), cost=Sum("cost")).order_by())
    for row in rows:
        raw.counts[("per_case.cases", row["case__mechanism_id"], row["y"], 0)] += row["cases"]
        raw.amounts[("cost.year", row["case__mechanism_id"], row["y"], 0)] += row["cost"] or Decimal(0)


def _exits(raw: Raw, country: str, w: Window) -> None:
    gap = ExpressionWrapper(F("next_episode__referred_on") - F("exited_on"), output_field=DurationField())
    year, two = w.until - dt.timedelta(days=365), w.until - dt.timedelta(days=730)
    rows = (CaseModel.objects.filter(mechanism__country=country, exited_on__gte=w.start, exited_on__lte=w.end)
            .annotate(y=ExtractYear("exited_on"), q=ExtractQuarter("exited_on"), gap=gap)
            .values("mechanism_id", "y", "q")
            .annotate(exited=Count("id"), f12=Count("id", filter=Q(exited_on__lte=year)),
                      r12=Count("id", filter=Q(exited_on__lte=year, gap__lte=dt.timedelta(days=365))),
                      f24=Count("id", filter=Q(exited_on__lte=two)),
                      r24=Count("id", filter=Q(exited_on__lte=two, gap__lte=dt.timedelta(days=730))))
            .order_by())
    for row in rows:
        _put(raw.counts, row, "mechanism_id", {"exited": "exits.exited", "f12": "exits.followed_12",
                                               "r12": "exits.rereferred_12", "f24": "exits.followed_24",
                                               "r24": "exits.rereferred_24"})


def _flows(raw: Raw, country: str, w: Window) -> None:
    start, end = w.moments()
    names = {name: flow for flow, transitions in FLOWS.items() for name in transitions}
    rows = (TimelineEntry.objects.filter(case__mechanism__country=country, kind="transition", at__gte=start,
                                         at__lt=end, data__transition__in=list(names))
            .annotate(y=ExtractYear("at"), q=ExtractQuarter("at"), t=KeyTextTransform("transition", "data"))
            .values("case__mechanism_id", "y", "q", "t").annotate(n=Count("id")).order_by())
    for row in rows:
        raw.counts[(f"flows.{names[row['t']]}", row["case__mechanism_id"], row["y"], row["q"])] += row["n"]


def _rr_persons(raw: Raw, country: str, w: Window) -> None:
    """R&R persons, counted once: in the quarter their first intervention started.

    A person's first intervention is one with no earlier intervention of theirs on the R&R
    track; two on the same first day are one person (a distinct count).
    """
    earlier = Intervention.objects.filter(case__person=OuterRef("case__person"), case__track=Track.REINTEGRATION,
                                          starts_on__lt=OuterRef("starts_on"))
    known = _known_birth("case__person__")
    child = known & Q(age__lt=18)
    person = "case__person"
    rows = (Intervention.objects.filter(case__track=Track.REINTEGRATION, case__person__mechanism__country=country,
                                        starts_on__gte=w.start, starts_on__lte=w.end)
            .filter(~Exists(earlier))
            .annotate(y=ExtractYear("starts_on"), q=ExtractQuarter("starts_on"),
                      age=age_on("starts_on", "case__person__birth_date"))
            .values("case__person__mechanism_id", "y", "q")
            .annotate(all=Count(person, distinct=True), children=Count(person, distinct=True, filter=child),
                      women=Count(person, distinct=True, filter=~child & Q(case__person__sex=Sex.FEMALE)),
                      men=Count(person, distinct=True, filter=~child & Q(case__person__sex=Sex.MALE)),
                      not_stated=Count(person, distinct=True, filter=~child & Q(case__person__sex=Sex.OTHER)))
            .order_by())
    for row in rows:
        _put(raw.counts, row, "case__person__mechanism_id",
             {k: f"rr.{k}" for k in ("all", "children", "women", "men", "not_stated")})


def _trainings(raw: Raw, country: str, w: Window) -> None:
    agencies = (TrainingParticipation.objects.filter(training=OuterRef("pk")).order_by().values("training")
                .annotate(c=Count("agency", distinct=True)).values("c"))
    rows = (Training.objects.filter(mechanism__country=country, held_on__gte=w.start, held_on__lte=w.end)
            .annotate(y=ExtractYear("held_on"), q=ExtractQuarter("held_on"), agencies=Subquery(agencies))
            .values("mechanism_id", "y", "q")
            .annotate(held=Count("id"), joint=Count("id", filter=Q(agencies__gte=2))).order_by())
    for row in rows:
        _put(raw.numbers, row, "mechanism_id", {"held": "trainings.held", "joint": "trainings.joint"})
    rows = (TrainingParticipation.objects.filter(training__mechanism__country=country,
                                                 training__held_on__gte=w.start, training__held_on__lte=w.end)
            .annotate(y=ExtractYear("training__held_on"), q=ExtractQuarter("training__held_on"))
            .values("training__mechanism_id", "y", "q", "agency__type").annotate(n=Sum("headcount")).order_by())
    for row in rows:
        for ref in ("trainings.participants", f"trainees.{row['agency__type']}"):
            raw.numbers[(ref, row["training__mechanism_id"], row["y"], row["q"])] += row["n"]


def _activities(raw: Raw, country: str, w: Window) -> None:
    rows = (Activity.objects.filter(mechanism__country=country, held_on__gte=w.start, held_on__lte=w.end)
            .annotate(y=ExtractYear("held_on"), q=ExtractQuarter("held_on"))
            .values("mechanism_id", "y", "q", "kind", "audience", "funding_source")
            .annotate(n=Count("id"), participants=Sum("participants"), cost=Sum("cost")).order_by())
    for row in rows:
        key = (row["mechanism_id"], row["y"], row["q"])
        raw.numbers[(f"activities.{row['kind']}", *key)] += row["n"]
        raw.numbers[(f"audience.{row['audience']}", *key)] += row["participants"] or 0
        for ref in (f"cost.{row['funding_source']}", "cost.total", "cost.activities"):
            raw.amounts[(ref, *key)] += row["cost"] or Decimal(0)


def _budget(raw: Raw, country: str, w: Window) -> None:
    years = range(w.first_year, w.last_year + 1)
    rows = (BudgetLine.objects.filter(mechanism__country=country, year__in=years)
            .values("mechanism_id", "year", "source").annotate(amount=Sum("amount")).order_by())
    for row in rows:
        for ref in (f"budget.{row['source']}", "budget.total"):
            raw.amounts[(ref, row["mechanism_id"], row["year"], 0)] += row["amount"] or Decimal(0)
    rows = (Allocation.objects.filter(line__mechanism__country=country, line__year__in=years)
            .values("line__mechanism_id", "line__year")
            .annotate(activities=Sum("amount", filter=Q(activity__isnull=False)),
                      interventions=Sum("amount", filter=Q(intervention__isnull=False)),
                      n=Count("intervention", distinct=True)).order_by())
    for row in rows:
        key = (row["line__mechanism_id"], row["line__year"], 0)
        raw.amounts[("alloc.activities", *key)] += row["activities"] or Decimal(0)
        raw.amounts[("alloc.interventions", *key)] += row["interventions"] or Decimal(0)
        raw.counts[("alloc_n.interventions", *key)] += row["n"]
