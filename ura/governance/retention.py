"""Retention and erasure (DESIGN.md §4): when a case's personal data expires, and erasing it.

The retention clock of a case starts when the case ends: its closure date, or the day it reached
an ended stage (signposted, no further action, police-led, referred onward, support declined). It
runs for the mechanism's ``retention_years_adopted`` if the panel adopted the case, otherwise for
``retention_years_not_adopted``. A case still open never expires.

Erasing a case removes everything that says something about the person, everywhere it lives:
the rows hanging off the case are deleted, free text is blanked, and what stays is the
anonymous skeleton that the monitoring indicators count (mechanism, stage, track, sector, type
of concern, the dates of the stages, transitions without their reasons, decisions without their
reasons, interventions without their goals, the person's sex and a birth date coarsened as far
as the age bands allow). The person is anonymised once none of their cases is left unerased.

Audit events are append-only and hold identifiers, not content: they stay. Each erasure adds
one ``retention.erased`` event that names the case and what was removed, by count.

A legal hold stops all of it. Every case is erased in its own transaction: a failure leaves
that case whole.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, Deconfliction, InformationRequest, TimelineEntry, Track
from ura.cases.workflow import ENDED_STAGES, OPEN_STAGES, Stage
from ura.errors import NotAllowed, ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.governance.models import (
    BreakGlass,
    Consent,
    Disclosure,
    Erasure,
    ErasureKind,
    LegalHold,
)
from ura.mechanisms.models import Mechanism
from ura.people.models import DatePrecision, Person

# What is kept of a case and of a person: the anonymous skeleton the indicators count. Every other
# field is reset, including fields added later (encrypted copies, blind indexes), unless named here.
CASE_SKELETON = frozenset({
    "id", "mechanism", "person", "episode", "previous", "reference", "stage", "track", "referred_on", "referred_by",
    "referring_agency", "source_sector", "concern_type", "stage_changed_at", "decided_on", "exited_on", "closed_on",
    "version", "created_at", "vault_id",
})
PERSON_SKELETON = frozenset({"id", "mechanism", "sex", "birth_date", "birth_date_precision", "created_at",
                             "vault_id"})
# Models that reach a case and are neither deleted nor stripped by ``_querysets``, and why. A model
# that reaches a case and is in none of the three fails tests/test_retention.py.
ALSO_HANDLED: dict[str, str] = {
    "cases.case": "the skeleton itself; its link to the previous episode counts re-referrals",
    "governance.consentcoverage": "deleted with its consent",
    "governance.erasure": "the anonymous record of the erasure",
    "monitoring.allocation": "money spent on an intervention: an amount and a budget line, nothing about the person",
}
# What a transition entry of the timeline keeps: the flows and screening indicators read these keys.
TRANSITION_KEYS = ("transition", "source", "target")


# --- the clock -----------------------------------------------------------------------------------------

def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def ended_on(case: Case) -> dt.date | None:
    """The day the retention clock started, or ``None`` while the case is open."""
    if case.stage == Stage.CLOSED:
        return case.closed_on or timezone.localdate(case.stage_changed_at)
    if case.stage in ENDED_STAGES:
        return timezone.localdate(case.stage_changed_at)
    return None


def expires_on(case: Case, *, adopted: bool) -> dt.date | None:
    start = ended_on(case)
    if start is None:
        return None
    m = case.mechanism
    return _plus_years(start, m.retention_years_adopted if adopted else m.retention_years_not_adopted)


@dataclass
class Due:
    case: Case
    adopted: bool
    expires: dt.date
    held: bool


def due_for_erasure(*, today: dt.date, mechanisms: Iterable[Any] | None = None) -> list[Due]:
    """Every unerased case whose retention has run out by ``today`` (held ones too, marked)."""
    from ura.panels.models import Decision

    qs = (Case.objects.filter(Q(stage=Stage.CLOSED) | Q(stage__in=ENDED_STAGES), erasure__isnull=True)
          .select_related("mechanism")
          .annotate(adopted=Exists(Decision.objects.filter(case=OuterRef("pk"), outcome="adopt")),
                    held=Exists(LegalHold.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True)))
          .order_by("mechanism__slug", "referred_on", "id"))
    if mechanisms is not None:
        qs = qs.filter(mechanism__in=list(mechanisms))
    # Only cases that ended at least the shortest retention period ago can be due: the database
    # leaves out the rest, so the rule below runs over few rows.
    years = Mechanism.objects.aggregate(a=Min("retention_years_adopted"), n=Min("retention_years_not_adopted"))
    shortest = min((y for y in years.values() if y is not None), default=0)
    cutoff = _plus_years(today, -shortest)
    ended_before = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time(0)))
    qs = qs.filter(Q(stage=Stage.CLOSED, closed_on__lte=cutoff)
                   | Q(stage=Stage.CLOSED, closed_on__isnull=True, stage_changed_at__lt=ended_before)
                   | Q(stage__in=ENDED_STAGES, stage_changed_at__lt=ended_before))
    due = []
    for case in qs:
        adopted = bool(case.adopted) or case.exited_on is not None  # type: ignore[attr-defined]
        expires = expires_on(case, adopted=adopted)
        if expires is not None and expires <= today:
            due.append(Due(case, adopted, expires, bool(case.held)))  # type: ignore[attr-defined]
    return due


# --- what goes -------------------------------------------------------------------------------------------

@dataclass
class Plan:
    """What erasing one case removes: rows deleted and rows stripped, by model, and whether the person goes."""

    deleted: dict[str, int] = field(default_factory=dict)
    stripped: dict[str, int] = field(default_factory=dict)
    person: bool = False

    def as_data(self) -> dict[str, Any]:
        return {"deleted": {k: v for k, v in self.deleted.items() if v},
                "stripped": {k: v for k, v in self.stripped.items() if v}, "person": self.person}


def _querysets(case: Case) -> tuple[dict[str, models.QuerySet[Any]], dict[str, models.QuerySet[Any]]]:
    """(rows deleted, rows stripped to their skeleton) of one case, by model label."""
    from ura.assessments.models import Assessment, Assessor, InterventionNeed, ItemRating
    from ura.matching.models import MatchDecision
    from ura.panels.models import AgendaItem, ConflictOfInterest, Decision, Vote
    from ura.reintegration.models import CustodyEvent, Handover, HouseholdMember, PhaseEntry
    from ura.support.models import Intervention, PostExitReview, Session

    deleted: dict[str, models.QuerySet[Any]] = {
        "cases.deconfliction": Deconfliction.objects.filter(case=case),
        "cases.informationrequest": InformationRequest.objects.filter(case=case),
        "cases.timelineentry": TimelineEntry.objects.filter(case=case).exclude(kind="transition"),
        "governance.disclosure": Disclosure.objects.filter(case=case),
        "governance.consent": Consent.objects.filter(case=case),
        "panels.vote": Vote.objects.filter(item__case=case),
        "panels.conflictofinterest": ConflictOfInterest.objects.filter(item__case=case),
        "support.session": Session.objects.filter(intervention__case=case),
        "support.postexitreview": PostExitReview.objects.filter(case=case),
        "assessments.interventionneed": InterventionNeed.objects.filter(intervention__case=case),
        "assessments.itemrating": ItemRating.objects.filter(assessment__case=case),
        "assessments.assessor": Assessor.objects.filter(assessment__case=case),
        "assessments.assessment": Assessment.objects.filter(case=case),
        "reintegration.phaseentry": PhaseEntry.objects.filter(case=case),
        "reintegration.custodyevent": CustodyEvent.objects.filter(case=case),
        "reintegration.householdmember": HouseholdMember.objects.filter(case=case),
        # the offer of this case alone to another team (a household's offer goes with the household)
        "reintegration.handover": Handover.objects.filter(case=case),
        # that this referral's person is, or is not, someone already known
        "matching.matchdecision": MatchDecision.objects.filter(case=case),
    }
    stripped: dict[str, models.QuerySet[Any]] = {
        "cases.timelineentry": TimelineEntry.objects.filter(case=case, kind="transition"),
        "panels.agendaitem": AgendaItem.objects.filter(case=case),
        "panels.decision": Decision.objects.filter(case=case),
        "support.intervention": Intervention.objects.filter(case=case),
        "governance.breakglass": BreakGlass.objects.filter(case=case),
        "governance.legalhold": LegalHold.objects.filter(case=case),
    }
    return deleted, stripped


def _idempotency_records(case: Case) -> list[Any]:
    """Stored API answers that carry this case (its reference or its id): they are its data too."""
    from ura.api.models import IdempotencyRecord
    from ura.governance.dpo import value

    found = []
    for record in IdempotencyRecord.objects.filter(created_at__gte=case.created_at - dt.timedelta(minutes=1)):
        opened = value(record, "body")
        text = opened if isinstance(opened, str) else json.dumps(opened, ensure_ascii=False, default=str)
        body = opened if isinstance(opened, dict) else {}
        if case.reference in text or body.get("case") == case.pk or (
                body.get("reference") == case.reference):
            found.append(record)
    return found


def _person_goes(case: Case) -> bool:
    """The person goes with their last case: no other case of theirs is left unerased."""
    return not Case.objects.filter(person_id=case.person_id, erasure__isnull=True).exclude(pk=case.pk).exists()


def erasure_plan(case: Case) -> Plan:
    """What ``erase_case`` would remove; changes nothing (the dry run)."""
    deleted, stripped = _querysets(case)
    plan = Plan(deleted={label: qs.count() for label, qs in deleted.items()},
                stripped={label: qs.count() for label, qs in stripped.items()})
    plan.deleted["api.idempotencyrecord"] = len(_idempotency_records(case))
    plan.stripped["cases.case"] = 1
    plan.person = _person_goes(case)
    return plan


# --- erasing ----------------------------------------------------------------------------------------------

def _blank(instance: models.Model, keep: frozenset[str]) -> list[str]:
    """Reset every concrete field not in ``keep`` to empty: null, its default, or ""."""
    changed = []
    for f in instance._meta.concrete_fields:
        if f.name in keep or f.primary_key or getattr(f, "auto_now_add", False):
            continue
        if f.null:
            value: Any = None
        elif f.has_default():
            value = f.get_default()
        elif isinstance(f, models.CharField | models.TextField):
            value = ""
        else:
            continue  # a non-null field without a default that is not text: nothing personal can be left out
        if getattr(instance, f.attname) != value:
            setattr(instance, f.attname, value)
            changed.append(f.name)
    return changed


def _strip_children(case: Case, stripped: dict[str, models.QuerySet[Any]]) -> None:
    for entry in stripped["cases.timelineentry"]:
        entry.data = {k: entry.data[k] for k in TRANSITION_KEYS if k in entry.data}
        entry.actor, entry.note = None, ""
        entry.save(update_fields=["data", "actor", "note"])
    for decision in stripped["panels.decision"]:
        decision.reasons = ""
        decision.save(update_fields=["reasons"])
    for intervention in stripped["support.intervention"]:
        intervention.goal = ""
        intervention.schedule = ""
        intervention.save(update_fields=["goal", "schedule"])
    # Emergency access and legal holds stay as accountability records, without the words that
    # may describe the person.
    for bg in stripped["governance.breakglass"]:
        bg.reason = ""
        bg.review_note = ""
        bg.save(update_fields=["reason", "review_note"])
    for hold in stripped["governance.legalhold"]:
        hold.reason = ""
        hold.lift_reason = ""
        hold.save(update_fields=["reason", "lift_reason"])


def _delete_children(deleted: dict[str, models.QuerySet[Any]], case: Case) -> None:
    from ura.assessments.models import Assessment
    from ura.reintegration.models import Household, HouseholdMember

    households = set(deleted["reintegration.householdmember"].values_list("household_id", flat=True))
    # Versions of an assessment point at the one before: unlink before deleting.
    Assessment.objects.filter(case=case).update(previous=None)
    for qs in deleted.values():
        qs.delete()
    # A household with no members left says only who its members were: it goes with the last one.
    for household in Household.objects.filter(pk__in=households):
        if not HouseholdMember.objects.filter(household=household).exists():
            household.handovers.all().delete()
            household.delete()


def coarse_birth_date(person: Person, cases: list[Case]) -> tuple[dt.date | None, str]:
    """The coarsest birth date (year, else month, else the day) that puts the person in the same age
    band on every date the indicators measure age (referrals, R&R interventions)."""
    from ura.monitoring.catalogue import AGE_BANDS
    from ura.support.models import Intervention

    born, precision = person.birth_date, person.birth_date_precision
    if born is None or precision == DatePrecision.UNKNOWN:
        return None, DatePrecision.UNKNOWN
    days = [c.referred_on for c in cases]
    days += list(Intervention.objects.filter(case__in=cases, case__track=Track.REINTEGRATION)
                 .values_list("starts_on", flat=True))

    def age(b: dt.date, d: dt.date) -> int:
        return d.year - b.year - (1 if (d.month, d.day) < (b.month, b.day) else 0)

    def bands(b: dt.date) -> list[tuple[bool, ...]]:
        return [tuple(lo <= age(b, d) < hi for _k, _l, lo, hi in AGE_BANDS) + (age(b, d) < 18,) for d in days]

    truth = bands(born)
    for candidate, p in ((born.replace(month=1, day=1), DatePrecision.YEAR),
                         (born.replace(day=1), DatePrecision.MONTH)):
        if bands(candidate) == truth:
            return candidate, p
    return born, DatePrecision.DAY


def _anonymise_person(person: Person) -> int:
    """Blank the person to the skeleton and delete every row hanging off them but their cases (the
    blind indexes that find them by name, and whatever else is added later). Returns rows deleted."""
    cases = list(Case.objects.filter(person=person))
    born, precision = coarse_birth_date(person, cases)
    _blank(person, PERSON_SKELETON)
    person.birth_date, person.birth_date_precision = born, precision
    person.save()
    removed = 0
    for rel in Person._meta.get_fields(include_hidden=True):
        if (rel.auto_created and not rel.concrete and rel.related_model is not Case
                and (rel.one_to_many or rel.one_to_one)):
            removed += rel.related_model._default_manager.filter(**{rel.field.name: person}).delete()[0]
    return removed


def erase_case(*, case: Case, kind: str, actor: Any = None, reason: str = "",
               fail_after: Callable[[], None] | None = None) -> Plan:
    """Erase one case's personal data in one transaction, keeping its anonymous skeleton.

    ``actor`` is the DPO for a person's request, ``None`` for the retention job. ``fail_after`` is a
    test hook called once everything is written, before the transaction commits.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("mechanism").get(pk=case.pk)
        if Erasure.objects.filter(case=case).exists():
            raise ServiceError(_("Case %(ref)s has already been erased.") % {"ref": case.reference})
        if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
            raise ServiceError(_("Case %(ref)s is under a legal hold.") % {"ref": case.reference})
        plan = erasure_plan(case)
        deleted, stripped = _querysets(case)
        for record in _idempotency_records(case):
            record.delete()
        _strip_children(case, stripped)
        _delete_children(deleted, case)
        _blank(case, CASE_SKELETON)
        case.save()
        # Recorded before the person is anonymised, so that this case counts as erased.
        Erasure.objects.create(case=case, kind=kind, erased_at=timezone.now(), requested_by=actor)
        if plan.person:
            _anonymise_person(Person.objects.select_for_update().get(pk=case.person_id))
        audit_record(actor=actor, action="retention.erased", obj=case, mechanism=case.mechanism,
                     reason=kind, data={"kind": kind, **plan.as_data()})
        if fail_after is not None:
            fail_after()
    return plan


# --- the purge -------------------------------------------------------------------------------------------

@dataclass
class PurgeResult:
    erased: list[tuple[Due, Plan]] = field(default_factory=list)
    held: list[Due] = field(default_factory=list)
    failed: list[tuple[Due, str]] = field(default_factory=list)
    planned: list[tuple[Due, Plan]] = field(default_factory=list)  # the dry run's answer


def retention_purge(*, today: dt.date, dry_run: bool, mechanisms: Iterable[Any] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> PurgeResult:
    """Erase every case whose retention has run out by ``today``, one case per transaction.

    Held cases are skipped and reported; a case that fails is left whole and reported, and the
    purge goes on with the next.
    """
    result = PurgeResult()
    due = due_for_erasure(today=today, mechanisms=mechanisms)
    for n, item in enumerate(due, start=1):
        if item.held:
            result.held.append(item)
        elif dry_run:
            result.planned.append((item, erasure_plan(item.case)))
        else:
            try:
                result.erased.append((item, erase_case(case=item.case, kind=ErasureKind.RETENTION)))
            except Exception as exc:  # noqa: BLE001 - one case's failure must not stop the others
                result.failed.append((item, str(getattr(exc, "message", exc)) or exc.__class__.__name__))
        if progress is not None:
            progress(n, len(due))
    return result


# --- the DPO's services: legal holds and a person's erasure request -------------------------------------

def legal_hold_place(*, actor: Any, case: Case, reason: str) -> LegalHold:
    if not policy.can(actor, "legalhold.manage", mechanism=case.mechanism):
        raise NotAllowed(_("Only the data-protection officer places a legal hold."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give the reason for the hold."), field="reason")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if Erasure.objects.filter(case=case).exists():
            raise ServiceError(_("This case has already been erased; there is nothing left to hold."))
        if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
            raise ServiceError(_("This case is already under a legal hold."))
        hold = LegalHold.objects.create(case=case, reason=reason[:300], placed_by=actor, placed_at=timezone.now())
        # The reason stays on the hold (blanked if the case is ever erased), not in the append-only log.
        audit_record(actor=actor, action="legalhold.placed", obj=hold, case=case)
    return hold


def legal_hold_lift(*, actor: Any, case: Case, reason: str) -> LegalHold:
    if not policy.can(actor, "legalhold.manage", mechanism=case.mechanism):
        raise NotAllowed(_("Only the data-protection officer lifts a legal hold."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give the reason for lifting the hold."), field="reason")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(case=case, lifted_at__isnull=True).first()
        if hold is None:
            raise ServiceError(_("This case is not under a legal hold."))
        hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, timezone.now(), reason[:300]
        hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
        audit_record(actor=actor, action="legalhold.lifted", obj=hold, case=case)
    return hold


def erasure_request(*, actor: Any, case: Case, reason: str) -> list[Case]:
    """The person asked to be erased: every case of theirs goes, all or none.

    Refused while one of their cases is open (close it first) or under a legal hold.
    """
    if not policy.can(actor, "erasure.request", mechanism=case.mechanism):
        raise NotAllowed(_("Only the data-protection officer carries out an erasure request."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Record the request: when and how the person asked, and your decision."),
                           field="reason")
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=case.person_id)
        cases = list(Case.objects.filter(person_id=case.person_id, erasure__isnull=True).order_by("episode"))
        still_open = [c.reference for c in cases if c.stage in OPEN_STAGES]
        if still_open:
            raise ServiceError(_("These cases are still open; close them before erasing: %(refs)s.")
                               % {"refs": ", ".join(still_open)})
        held = list(LegalHold.objects.filter(case__in=cases, lifted_at__isnull=True)
                    .values_list("case__reference", flat=True))
        if held:
            raise ServiceError(_("These cases are under a legal hold: %(refs)s.") % {"refs": ", ".join(held)})
        if not cases:
            raise ServiceError(_("This person's data has already been erased."))
        # The DPO's record of the request is the one text kept: the form asks for it without names.
        audit_record(actor=actor, action="erasure.requested", obj=case, reason=reason,
                     data={"cases": [c.pk for c in cases]})
        for c in cases:
            erase_case(case=c, kind=ErasureKind.REQUEST, actor=actor)
    return cases
