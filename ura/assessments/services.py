"""Every change to instruments, credentials and assessments goes through one of these functions.

Each checks the policy, writes the change and its audit event in one transaction (and, for
what the case team should see, a timeline entry in the assessment's own data category).
Audit events carry codes and ids, never ratings, evidence or judgements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.assessments import definitions
from ura.assessments.models import (
    Assessment,
    Assessor,
    Credential,
    InstrumentVersion,
    InterventionNeed,
    ItemRating,
    Purpose,
    Status,
)
from ura.cases.models import Case, TimelineEntry
from ura.cases.workflow import OPEN_STAGES, Stage
from ura.errors import Conflict, NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Mechanism, Membership
from ura.tasks.notify import notify_on_commit

# Assessments are made once screening has begun, and until the case ends (post-exit included).
ASSESSMENT_STAGES = frozenset(OPEN_STAGES - {Stage.REFERRED})
COUNTERSIGN_FEATURE = "assessment_countersign"
RUNNING = ("planned", "active")


class Incomplete(ServiceError):
    """An assessment cannot be submitted yet; ``problems`` maps each field to what it lacks."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(_("The assessment is not complete yet; see the marked fields."))
        self.problems = problems


def countersign_required(mechanism: Mechanism) -> bool:
    return mechanism.has_feature(COUNTERSIGN_FEATURE)


# --- instruments ----------------------------------------------------------------------------

def instrument_load(*, actor: Any, text: str, source: str = "") -> tuple[InstrumentVersion, bool]:
    """Check and load one definition; ``(version, created)``. The same file again is a no-op.

    ``actor`` is ``None`` when an operator loads from the command line. Raises
    ``definitions.DefinitionError`` (naming the line and field of each problem) or
    ``ServiceError`` when this code and version were loaded before with other content.
    """
    if actor is not None and not policy.mechanisms_where(actor, "configuration.manage"):
        raise NotAllowed(_("You cannot load instruments."))
    data = definitions.read(text)
    cols = definitions.columns(data)
    with transaction.atomic():
        existing = InstrumentVersion.objects.select_for_update().filter(code=cols["code"],
                                                                         version=cols["version"]).first()
        if existing is not None:
            if existing.fingerprint == cols["fingerprint"]:
                return existing, False
            raise ServiceError(_(
                "%(code)s version %(version)s is already loaded with different content. A loaded version "
                "never changes: give the new definition a new version number.")
                % {"code": cols["code"], "version": cols["version"]})
        version = InstrumentVersion.objects.create(**cols, source=source[:200], loaded_by=actor)
        audit_record(actor=actor, action="assessment.instrument_loaded", obj=version,
                     data={"code": version.code, "version": version.version, "fingerprint": version.fingerprint})
    return version, True


def latest_versions() -> list[InstrumentVersion]:
    """The version of each instrument that new assessments use: the one loaded last."""
    seen: dict[str, InstrumentVersion] = {}
    for v in InstrumentVersion.objects.order_by("code", "-id"):
        seen.setdefault(v.code, v)
    return list(seen.values())


# --- credentials ----------------------------------------------------------------------------

def credential_valid(user: Any, code: str, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    return any(c.valid_on(day) for c in Credential.objects.filter(user=user, code=code))


def _check_credential_manager(actor: Any, user: Any, mechanism: Mechanism | None) -> None:
    if actor is None:
        return  # the operator, from the command line
    if mechanism is None or not policy.can(actor, "credential.manage", mechanism=mechanism):
        raise NotAllowed(_("You cannot manage credentials in this mechanism."))
    if not Membership.objects.filter(user=user, mechanism=mechanism, active=True).exists():
        raise ServiceError(_("Choose a member of this mechanism."), field="user")


def credential_record(*, actor: Any, user: Any, code: str, valid_from: dt.date, valid_until: dt.date | None,
                      note: str = "", mechanism: Mechanism | None = None) -> Credential:
    _check_credential_manager(actor, user, mechanism)
    if not code:
        raise ServiceError(_("Choose a credential."), field="code")
    if valid_until is not None and valid_until < valid_from:
        raise ServiceError(_("The end of validity cannot be before its start."), field="valid_until")
    with transaction.atomic():
        credential = Credential.objects.create(user=user, code=code, valid_from=valid_from, valid_until=valid_until,
                                               note=note, recorded_by=actor)
        audit_record(actor=actor, action="assessment.credential_recorded", obj=credential, mechanism=mechanism,
                     data={"user": user.pk, "code": code, "valid_from": valid_from.isoformat(),
                           "valid_until": valid_until.isoformat() if valid_until else None})
    return credential


def credential_revoke(*, actor: Any, credential: Credential, mechanism: Mechanism | None = None,
                      on: dt.date | None = None) -> Credential:
    _check_credential_manager(actor, credential.user, mechanism)
    with transaction.atomic():
        c = Credential.objects.select_for_update().get(pk=credential.pk)
        if c.revoked_on is not None:
            raise ServiceError(_("This credential was already revoked."))
        c.revoked_on = on or timezone.localdate()
        c.save(update_fields=["revoked_on"])
        audit_record(actor=actor, action="assessment.credential_revoked", obj=c, mechanism=mechanism,
                     data={"user": c.user_id, "code": c.code})
    return c


def countersign_set(*, actor: Any, mechanism: Mechanism, required: bool) -> Mechanism:
    """The mechanism's rule: do submitted assessments need a second signature?"""
    if not policy.can(actor, "configuration.manage", mechanism=mechanism):
        raise NotAllowed(_("You cannot change this mechanism's rules."))
    with transaction.atomic():
        m = Mechanism.objects.select_for_update().get(pk=mechanism.pk)
        m.features = {**m.features, COUNTERSIGN_FEATURE: bool(required)}
        m.save(update_fields=["features"])
        audit_record(actor=actor, action="mechanism.assessment_countersign_set", obj=m, mechanism=m,
                     data={"required": bool(required)})
    return m


# --- who may use an instrument -----------------------------------------------------------------

def refusal(actor: Any, case: Case, instrument: InstrumentVersion, *, held: set[str] | None = None) -> str | None:
    """Why ``actor`` may not make an assessment with ``instrument`` for ``case``; ``None`` if they may.

    ``held``: the credential codes the actor validly holds today, if the caller has them already.
    """
    if not policy.can(actor, "assessment.record", case=case):
        return _("You cannot make assessments in this mechanism.")
    if instrument.category not in policy.assessment_categories(actor, case.mechanism):
        return _("Your role does not make assessments of this kind (%(category)s).") % {
            "category": cat.LABELS.get(instrument.category, instrument.category)}
    if instrument.credential and not (instrument.credential in held if held is not None
                                      else credential_valid(actor, instrument.credential)):
        return _("This instrument needs the credential “%(code)s”, and you hold no valid record of it.") % {
            "code": instrument.credential}
    return None


def _check_use(actor: Any, case: Case, instrument: InstrumentVersion) -> None:
    problem = refusal(actor, case, instrument)
    if problem:
        raise NotAllowed(problem)
    if case.stage not in ASSESSMENT_STAGES:
        raise ServiceError(_("Assessments are made from screening until the case ends."))


def _is_assessor(actor: Any, assessment: Assessment) -> bool:
    return any(a.user_id == actor.pk for a in assessment.assessors.all())


def _lock(assessment: Assessment) -> Assessment:
    return (Assessment.objects.select_for_update().select_related("case__mechanism", "case__person", "instrument")
            .get(pk=assessment.pk))


def _timeline(a: Assessment, *, actor: Any, kind: str) -> None:
    TimelineEntry.objects.create(case=a.case, actor=actor, kind=kind, category=a.category,
                                 data={"instrument": a.instrument.name, "version": a.instrument.version,
                                       "number": a.number})


def _agency(actor: Any, mechanism: Mechanism) -> Any:
    membership = policy.membership_for(actor, mechanism)
    return membership.agency if membership else None


# --- assessments -----------------------------------------------------------------------------

def assessment_start(*, actor: Any, case: Case, instrument: InstrumentVersion) -> Assessment:
    """A new draft, with the actor as its first assessor."""
    _check_use(actor, case, instrument)
    with transaction.atomic():
        a = Assessment.objects.create(case=case, instrument=instrument, category=instrument.category,
                                      assessed_on=timezone.localdate(), created_by=actor)
        Assessor.objects.create(assessment=a, user=actor, agency=_agency(actor, case.mechanism))
        audit_record(actor=actor, action="assessment.started", obj=a, case=case,
                     data={"instrument": instrument.code, "version": instrument.version})
    return a


def _eligible_co_assessor(user: Any, case: Case, instrument: InstrumentVersion) -> bool:
    return refusal(user, case, instrument) is None


def assessment_save(*, actor: Any, assessment: Assessment, expected_revision: int, assessed_on: dt.date | None,
                    sources: str, ratings: dict[str, tuple[str, str]], summary: str, rationale: str,
                    protective_factors: str, review_on: dt.date | None,
                    co_assessors: Iterable[Any] | None = None) -> Assessment:
    """Save a draft as it stands; a draft may be incomplete. Ratings are ``{item_id: (code, evidence)}``."""
    case = assessment.case
    if assessment.status != Status.DRAFT:
        raise ServiceError(_("A submitted assessment is never edited; start a new version instead."))
    if not _is_assessor(actor, assessment):
        raise NotAllowed(_("Only the assessors edit a draft."))
    spec = assessment.instrument.spec
    _check_use(actor, case, assessment.instrument)
    for item_id, (code, _evidence) in ratings.items():
        if item_id not in spec.item_ids():
            raise ServiceError(_("The item “%(item)s” is not part of this instrument.") % {"item": item_id})
        if code and spec.option(item_id, code) is None:
            raise ServiceError(_("Choose one of the ratings offered."), field=f"rating:{item_id}")
    if summary and spec.summary_option(summary) is None:
        raise ServiceError(_("Choose one of the judgements offered."), field="summary")
    if assessed_on is not None and assessed_on > timezone.localdate():
        raise ServiceError(_("The date of the assessment cannot be in the future."), field="assessed_on")
    co = list(co_assessors or [])
    for user in co:
        if user.pk != actor.pk and not _eligible_co_assessor(user, case, assessment.instrument):
            raise ServiceError(_("%(name)s cannot be an assessor with this instrument.")
                               % {"name": user.get_full_name() or user.username}, field="co_assessors")
    with transaction.atomic():
        a = _lock(assessment)
        if a.status != Status.DRAFT:
            raise ServiceError(_("This assessment was submitted meanwhile; it can no longer be edited."))
        if a.revision != expected_revision:
            raise Conflict(_("Someone else saved this draft while you were editing it. Check what is stored "
                             "now, then save again."), current={}, mine={})
        a.assessed_on, a.sources, a.summary, a.rationale = assessed_on, sources, summary, rationale
        a.protective_factors, a.review_on = protective_factors, review_on
        a.revision += 1
        a.save()
        stored = {r.item_id: r for r in a.ratings.all()}
        for item_id, (code, evidence) in ratings.items():
            row = stored.get(item_id)
            if row is None:
                if code or evidence:
                    ItemRating.objects.create(assessment=a, item_id=item_id, rating=code, evidence=evidence)
            elif (row.rating, row.evidence) != (code, evidence):
                row.rating, row.evidence = code, evidence
                row.save(update_fields=["rating", "evidence"])
        if co_assessors is not None:
            keep = {u.pk for u in co} | {actor.pk, a.created_by_id}
            a.assessors.exclude(user_id__in=keep).delete()
            present = set(a.assessors.values_list("user_id", flat=True))
            for user in co:
                if user.pk not in present:
                    Assessor.objects.create(assessment=a, user=user, agency=_agency(user, case.mechanism))
        audit_record(actor=actor, action="assessment.saved", obj=a, case=case, data={"revision": a.revision})
    return a


def _problems(a: Assessment) -> dict[str, str]:
    spec = a.instrument.spec
    problems: dict[str, str] = {}
    stored = {r.item_id: r for r in a.ratings.all()}
    for item in spec.items():
        row = stored.get(item.id)
        if row is None or not row.rating:
            problems[f"rating:{item.id}"] = _("Rate this item. Choose “unknown” if the information is missing.")
        if row is None or not row.evidence.strip():
            problems[f"evidence:{item.id}"] = _("Give the evidence for this rating (for “unknown”: what is "
                                                "missing and who could tell).")
    today = timezone.localdate()
    if a.assessed_on is None:
        problems["assessed_on"] = _("Give the date of the assessment.")
    elif a.assessed_on > today:
        problems["assessed_on"] = _("The date of the assessment cannot be in the future.")
    if not a.sources.strip():
        problems["sources"] = _("List the sources of information: who was met, which records were read.")
    if not a.summary:
        problems["summary"] = _("Choose your summary judgement. Ura does not choose it for you.")
    if not a.rationale.strip():
        problems["rationale"] = _("Explain how you reached the summary judgement.")
    interval = dt.timedelta(days=a.instrument.review_interval_days)
    if a.review_on is None:
        problems["review_on"] = _("Give the date by which the assessment is to be reviewed.")
    elif a.assessed_on is not None and not a.assessed_on < a.review_on <= a.assessed_on + interval:
        problems["review_on"] = _("The review date must fall after the assessment and no later than "
                                  "%(latest)s (the instrument's interval).") % {
            "latest": (a.assessed_on + interval).isoformat()}
    return problems


def assessment_submit(*, actor: Any, assessment: Assessment, expected_revision: int) -> Assessment:
    """Sign a complete draft. The version it revises (if any) is superseded by it."""
    case = assessment.case
    if not _is_assessor(actor, assessment):
        raise NotAllowed(_("Only the assessors submit a draft."))
    _check_use(actor, case, assessment.instrument)
    with transaction.atomic():
        a = _lock(assessment)
        if a.status != Status.DRAFT:
            raise ServiceError(_("This assessment has already been submitted."))
        if a.revision != expected_revision:
            raise Conflict(_("Someone else saved this draft while you were editing it. Check what is stored "
                             "now, then submit again."), current={}, mine={})
        problems = _problems(a)
        if problems:
            raise Incomplete(problems)
        now = timezone.now()
        a.status, a.submitted_by, a.submitted_at = Status.SUBMITTED, actor, now
        a.revision += 1
        a.save()
        if a.previous_id is not None:
            Assessment.objects.filter(pk=a.previous_id).update(status=Status.SUPERSEDED, superseded_at=now)
        _timeline(a, actor=actor, kind="assessment_submitted")
        audit_record(actor=actor, action="assessment.submitted", obj=a, case=case,
                     data={"instrument": a.instrument.code, "version": a.instrument.version, "number": a.number,
                           "supersedes": a.previous_id})
    if countersign_required(case.mechanism):
        others = [m.user for m in Membership.objects.filter(mechanism=case.mechanism, active=True)
                  .select_related("user") if m.user_id != actor.pk
                  and "assessment.countersign" in policy.ROLE_ACTIONS.get(m.role, frozenset())
                  and a.category in policy.ROLE_CATEGORIES.get(m.role, frozenset())]
        notify_on_commit(others, _("An assessment awaits a second signature"),
                         _("An assessment in case %(ref)s was submitted and needs a countersignature.")
                         % {"ref": case.reference})
    return a


def _check_revision(a: Assessment, expected_revision: int | None) -> None:
    if expected_revision is not None and a.revision != expected_revision:
        raise Conflict(_("The assessment changed since you opened it. Read it again, then try again."),
                       current={}, mine={})


def assessment_countersign(*, actor: Any, assessment: Assessment, expected_revision: int | None = None) -> Assessment:
    """The second signature, where the mechanism asks for two: by someone who is not an assessor.

    ``expected_revision``: the revision the signer read (the pages always send it).
    """
    case = assessment.case
    if not countersign_required(case.mechanism):
        raise ServiceError(_("This mechanism does not ask for a second signature."))
    if not policy.can(actor, "assessment.countersign", case=case):
        raise NotAllowed(_("You cannot countersign assessments in this mechanism."))
    if assessment.category not in policy.visible_categories(actor, case):
        raise NotAllowed(_("You cannot countersign assessments of this kind."))
    if assessment.instrument.credential and not credential_valid(actor, assessment.instrument.credential):
        raise NotAllowed(_("This instrument needs the credential “%(code)s”, and you hold no valid record of it.")
                         % {"code": assessment.instrument.credential})
    if _is_assessor(actor, assessment):
        raise ServiceError(_("The second signature must come from someone who did not make the assessment."))
    with transaction.atomic():
        a = _lock(assessment)
        if a.status != Status.SUBMITTED:
            raise ServiceError(_("Only a submitted assessment that is still current can be countersigned."))
        _check_revision(a, expected_revision)
        a.status, a.countersigned_by, a.countersigned_at = Status.COUNTERSIGNED, actor, timezone.now()
        a.countersigner_agency = _agency(actor, case.mechanism)
        a.revision += 1
        a.save()
        _timeline(a, actor=actor, kind="assessment_countersigned")
        audit_record(actor=actor, action="assessment.countersigned", obj=a, case=case)
    return a


def assessment_revise(*, actor: Any, assessment: Assessment, expected_revision: int | None = None) -> Assessment:
    """A new draft version of a current assessment, with the instrument's latest version.

    Ratings, evidence, sources and protective factors are carried over to be checked; the
    summary judgement and its rationale are not: the assessor judges afresh.
    """
    case = assessment.case
    if not assessment.is_current:
        raise ServiceError(_("Only the current version of an assessment can be revised."))
    instrument = next(v for v in latest_versions() if v.code == assessment.instrument.code)
    _check_use(actor, case, instrument)
    with transaction.atomic():
        old = _lock(assessment)
        if not old.is_current:
            raise ServiceError(_("Only the current version of an assessment can be revised."))
        _check_revision(old, expected_revision)
        pending = Assessment.objects.filter(previous=old).first()
        if pending is not None:
            raise ServiceError(_("A new version of this assessment is already being drafted."))
        new = Assessment.objects.create(
            case=case, instrument=instrument, category=instrument.category, previous=old, number=old.number + 1,
            assessed_on=timezone.localdate(), sources=old.sources, protective_factors=old.protective_factors,
            created_by=actor)
        Assessor.objects.create(assessment=new, user=actor, agency=_agency(actor, case.mechanism))
        items = set(instrument.spec.item_ids())
        ItemRating.objects.bulk_create([
            ItemRating(assessment=new, item_id=r.item_id,
                       rating=r.rating if instrument.spec.option(r.item_id, r.rating) else "", evidence=r.evidence)
            for r in old.ratings.all() if r.item_id in items])
        audit_record(actor=actor, action="assessment.revision_started", obj=new, case=case,
                     data={"previous": old.pk, "instrument": instrument.code, "version": instrument.version})
    return new


def assessment_discard(*, actor: Any, assessment: Assessment, expected_revision: int | None = None) -> None:
    """Throw away a draft (a submitted assessment is never deleted)."""
    if not _is_assessor(actor, assessment):
        raise NotAllowed(_("Only the assessors discard a draft."))
    with transaction.atomic():
        a = _lock(assessment)
        if a.status != Status.DRAFT:
            raise ServiceError(_("A submitted assessment is never deleted."))
        _check_revision(a, expected_revision)
        audit_record(actor=actor, action="assessment.draft_discarded", obj=a, case=a.case)
        a.delete()


# --- needs feed the plan -------------------------------------------------------------------------

def current_needs_assessments(case: Case) -> list[Assessment]:
    """The current version of each needs assessment of the case (whoever may see them)."""
    return list(Assessment.objects.filter(case=case, status__in=[Status.SUBMITTED, Status.COUNTERSIGNED],
                                          instrument__purpose=Purpose.NEEDS)
                .select_related("instrument").prefetch_related("ratings").order_by("instrument__code", "-id"))


def need_keys(assessments: Iterable[Assessment]) -> set[tuple[str, str]]:
    """``(instrument code, item id)`` of every item rated as a need."""
    keys = set()
    for a in assessments:
        for r in a.ratings.all():
            option = a.instrument.spec.option(r.item_id, r.rating)
            if option is not None and option.need:
                keys.add((a.instrument.code, r.item_id))
    return keys


def intervention_needs_set(*, actor: Any, intervention: Any,
                           needs: Iterable[tuple[str, str]]) -> list[InterventionNeed]:
    """The needs (``(instrument code, item id)``) an intervention of the plan addresses."""
    case = intervention.case
    if not policy.can(actor, "intervention.manage", case=case):
        raise NotAllowed(_("You cannot change this support plan."))
    wanted = set(needs)
    current = {(n.instrument_code, n.item_id) for n in intervention.needs.all()}
    # A citation already made may stay after a reassessment; a new one must be a current need.
    unknown = wanted - current - need_keys(current_needs_assessments(case))
    if unknown:
        raise ServiceError(_("Choose among the needs of the current needs assessment."), field="needs")
    with transaction.atomic():
        intervention.needs.exclude(pk__in=[n.pk for n in intervention.needs.all()
                                           if (n.instrument_code, n.item_id) in wanted]).delete()
        for code, item_id in sorted(wanted - current):
            InterventionNeed.objects.create(intervention=intervention, instrument_code=code, item_id=item_id,
                                            cited_by=actor)
        TimelineEntry.objects.create(case=case, actor=actor, kind="intervention_needs", category=cat.NEEDS_PLAN,
                                     data={"type": intervention.type.name})
        audit_record(actor=actor, action="assessment.intervention_needs_set", obj=intervention, case=case,
                     data={"needs": [f"{c}:{i}" for c, i in sorted(wanted)]})
    return list(intervention.needs.all())
