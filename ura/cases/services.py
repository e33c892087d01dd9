"""Every change to a case goes through one of these functions.

Each one checks the policy, writes the change, its timeline entry and its audit event
in one transaction, and sends notifications only after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases import workflow
from ura.cases.models import (
    Case,
    Deconfliction,
    DeconflictionAnswer,
    InformationRequest,
    RequestStatus,
    TimelineEntry,
)
from ura.cases.workflow import Stage
from ura.errors import Conflict, NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Agency, Mechanism, Membership, Role
from ura.people.keys import person_keys_refresh
from ura.people.models import Person
from ura.tasks.notify import notify_on_commit

# While a case is in these stages its interventions run; leaving them ends the interventions.
SUPPORT_STAGES = (Stage.CONSENT, Stage.SUPPORT, Stage.REVIEW)
EDITABLE_FIELDS = ("summary", "needs_summary", "risk_summary", "concern_type", "track")


def _timeline(case: Case, *, actor: Any, kind: str, category: str, note: str = "", **data: Any) -> None:
    TimelineEntry.objects.create(case=case, actor=actor, kind=kind, category=category, data=data, note=note)


def _coordinators(mechanism: Mechanism) -> list[Any]:
    return [m.user for m in Membership.objects.filter(mechanism=mechanism, role=Role.COORDINATOR, active=True)
            .select_related("user")]


def _next_reference(mechanism: Mechanism, year: int) -> str:
    prefix = f"{mechanism.slug[:3].upper()}-{year}-"
    last = (Case.objects.filter(reference__startswith=prefix).order_by("-reference")
            .values_list("reference", flat=True).first())
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("mechanism", "person").get(pk=case.pk)


def referral_submit(
    *,
    actor: Any,
    mechanism: Mechanism,
    person: dict[str, Any],
    referral: dict[str, Any],
    submission_key: str,
    referred_on: dt.date | None = None,
) -> Case:
    """Record a concern. Submitting the same form twice (same key) returns the first case."""
    if not policy.can(actor, "referral.submit", mechanism=mechanism):
        raise NotAllowed(_("You cannot refer to this mechanism."))
    existing = Case.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.referred_by_id != actor.pk:
            raise ServiceError(_("This form was already used. Reload the page and try again."))
        return existing
    membership = policy.membership_for(actor, mechanism)
    referred_on = referred_on or timezone.localdate()
    try:
        with transaction.atomic():
            p = Person.objects.create(mechanism=mechanism, **person)
            person_keys_refresh(p)
            case = Case.objects.create(
                mechanism=mechanism, person=p, episode=1,
                reference=_next_reference(mechanism, referred_on.year),
                referred_on=referred_on, referred_by=actor,
                referring_agency=membership.agency if membership else None,
                referrer_name=referral.pop("referrer_name", "") or actor.get_full_name(),
                stage_changed_at=timezone.now(), submission_key=submission_key,
                **referral,
            )
            _timeline(case, actor=actor, kind="referred", category=cat.REFERRAL)
            audit_record(actor=actor, action="case.referral_submitted", obj=case)
    except IntegrityError:
        # A concurrent double submit with the same key: the other request created it.
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    notify_on_commit(_coordinators(mechanism), _("New referral"),
                     _("A new referral (%(ref)s) was received in %(mech)s.") % {"ref": case.reference,
                                                                               "mech": mechanism.name})
    return case


def case_rerefer(*, actor: Any, previous: Case, referral: dict[str, Any], submission_key: str) -> Case:
    """A new concern about a person whose earlier episode has ended: a new episode."""
    if not policy.can(actor, "case.edit", case=previous):
        raise NotAllowed(_("You cannot refer this person again."))
    existing = Case.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        # The same form submitted twice: the first submission's episode.
        if existing.previous_id != previous.pk:
            raise ServiceError(_("This form was already used. Reload the page and try again."))
        return existing
    if previous.stage not in (Stage.CLOSED, Stage.EXITED, *workflow.ENDED_STAGES):
        raise ServiceError(_("The person's current episode is still open."))
    if hasattr(previous, "next_episode"):
        raise ServiceError(_("A later episode already exists for this person."))
    today = timezone.localdate()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                mechanism=previous.mechanism, person=previous.person, episode=previous.episode + 1,
                previous=previous, reference=_next_reference(previous.mechanism, today.year),
                referred_on=today, referred_by=actor,
                referring_agency=getattr(policy.membership_for(actor, previous.mechanism), "agency", None),
            referrer_name=actor.get_full_name() or actor.username,
                stage_changed_at=timezone.now(), submission_key=submission_key, coordinator=previous.coordinator,
                **referral,
            )
            _timeline(case, actor=actor, kind="rereferred", category=cat.REFERRAL, previous=previous.reference)
            _timeline(previous, actor=actor, kind="new_episode", category=cat.REFERRAL, next=case.reference)
            audit_record(actor=actor, action="case.rereferred", obj=case, data={"previous": previous.pk})
    except IntegrityError:
        # A concurrent submission won the race (same key, or the episode now exists).
        raise ServiceError(_("A later episode already exists for this person.")) from None
    return case


def case_transition(*, case: Case, transition: str, actor: Any, reason: str = "",
                    expected_version: int | None = None) -> Case:
    """Move a case along the workflow table, or refuse with the reason."""
    with transaction.atomic():
        case = _lock(case)
        if expected_version is not None and case.version != expected_version:
            raise Conflict(_("Someone else changed this case while you were working on it."),
                           current={"stage": case.stage}, mine={"transition": transition})
        t = workflow.find(transition, case.stage)
        if t is None:
            raise ServiceError(_("A case in stage “%(stage)s” cannot take this step.")
                               % {"stage": case.get_stage_display()})
        if not policy.can_transition(actor, case, t):
            raise NotAllowed(_("Your role cannot take this step."))
        if t.reason_required and not reason.strip():
            raise ServiceError(_("Give a reason for this step."), field="reason")
        if t.guard is not None:
            problem = t.guard(case)
            if problem:
                raise ServiceError(problem)
        source = case.stage
        case.stage = t.target
        case.stage_changed_at = timezone.now()
        case.version = F("version") + 1
        today = timezone.localdate()
        if t.target == Stage.EXITED:
            case.exited_on = today
        if t.target == Stage.CLOSED:
            case.closed_on = today
        if t.target == Stage.SIGNPOSTED:
            case.signposted_to = reason[:200]
        if t.target == Stage.ONWARD_REFERRED:
            case.onward_to = reason[:200]
        if case.coordinator_id is None and policy.membership_for(actor, case.mechanism, Role.COORDINATOR):
            case.coordinator = actor
        case.save()
        case.refresh_from_db()
        _timeline(case, actor=actor, kind="transition", category=cat.REFERRAL,
                  transition=t.name, source=source, target=t.target, note=reason)
        audit_record(actor=actor, action=f"case.transition.{t.name}", obj=case,
                     data={"from": source, "to": t.target})
        if source in SUPPORT_STAGES and t.target not in SUPPORT_STAGES:
            from ura.support.services import interventions_end

            interventions_end(case=case, actor=actor, completed=t.target == Stage.EXITED)
        if t.target == Stage.EXITED:
            from ura.support.services import post_exit_reviews_schedule

            post_exit_reviews_schedule(case=case, actor=actor)
    return case


def case_update(*, case: Case, actor: Any, expected_version: int, changes: dict[str, Any]) -> Case:
    """Edit the case's summary fields. A stale version is a conflict, never an overwrite."""
    if not policy.can(actor, "case.edit", case=case):
        raise NotAllowed(_("You cannot edit this case."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be edited here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    # The field allow-list: a change to a field outside what this user may write is refused whole.
    if set(changes) - policy.writable_fields(actor, case):
        raise NotAllowed(_("You cannot edit these fields of this case."))
    with transaction.atomic():
        locked = _lock(case)
        if locked.version != expected_version:
            raise Conflict(
                _("Someone else saved this case while you were editing. Your changes are shown below; "
                  "nothing has been saved."),
                current={f: getattr(locked, f) for f in EDITABLE_FIELDS}, mine=changes,
            )
        changed = sorted(f for f, v in changes.items() if getattr(locked, f) != v)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.version = expected_version + 1
        locked.save(update_fields=[*changes, "version"])
        if changed:
            _timeline(locked, actor=actor, kind="edited", category=cat.NEEDS_PLAN, fields=changed)
            audit_record(actor=actor, action="case.edited", obj=locked, data={"fields": changed})
    return locked


def deconfliction_request(*, case: Case, actor: Any) -> Deconfliction:
    if not policy.can(actor, "deconfliction.request", case=case):
        raise NotAllowed(_("You cannot ask the police about this case."))
    if case.stage != Stage.SCREENING:
        raise ServiceError(_("Deconfliction is asked for during screening."))
    if case.deconflictions.filter(answer="").exists():
        raise ServiceError(_("The police have already been asked and have not answered yet."))
    with transaction.atomic():
        d = Deconfliction.objects.create(case=case, requested_by=actor)
        _timeline(case, actor=actor, kind="deconfliction_requested", category=cat.REFERRAL)
        audit_record(actor=actor, action="case.deconfliction.requested", obj=d, case=case)
    police = [m.user for m in Membership.objects.filter(mechanism=case.mechanism, role=Role.POLICE_LIAISON,
                                                       active=True).select_related("user")]
    notify_on_commit(police, _("Deconfliction request"),
                     _("A deconfliction check is waiting for you in %(mech)s.") % {"mech": case.mechanism.name})
    return d


def deconfliction_answer(*, deconfliction: Deconfliction, actor: Any, answer: str,
                         police_note: str = "") -> Deconfliction:
    case = deconfliction.case
    if not policy.can(actor, "deconfliction.answer", case=case):
        raise NotAllowed(_("You cannot answer deconfliction checks."))
    if answer not in DeconflictionAnswer.values:
        raise ServiceError(_("Choose proceed, pause or police-led."), field="answer")
    with transaction.atomic():
        d = Deconfliction.objects.select_for_update().get(pk=deconfliction.pk)
        if d.answer and d.answer != DeconflictionAnswer.PAUSE:
            raise ServiceError(_("This check has already been answered."))
        d.answer, d.police_note = answer, police_note
        d.answered_by, d.answered_at = actor, timezone.now()
        d.save()
        # The mechanism sees the answer only; the note stays with the police.
        _timeline(case, actor=None, kind="deconfliction_answered", category=cat.REFERRAL, answer=answer)
        audit_record(actor=actor, action="case.deconfliction.answered", obj=d, case=case,
                     data={"answer": answer})
    notify_on_commit(_coordinators(case.mechanism), _("Deconfliction answered"),
                     _("The police answered a deconfliction check for case %(ref)s.") % {"ref": case.reference})
    return d


def information_request_create(*, case: Case, actor: Any, to_agency: Agency, question: str, purpose: str,
                               legal_basis: str, due_on: dt.date,
                               categories: Iterable[str] | None = None) -> InformationRequest:
    """Ask a member agency; the request discloses ``categories`` of the case to it (by default who
    the person is and what was referred) until it answers."""
    from ura.governance.services import DEFAULT_REQUEST_CATEGORIES, request_disclosure

    if not policy.can(actor, "inforequest.create", case=case):
        raise NotAllowed(_("You cannot request information for this case."))
    if case.stage not in (Stage.CASE_REVIEW, Stage.SUPPORT, Stage.REVIEW):
        raise ServiceError(_("Information is requested during case review or support."))
    if to_agency.mechanism_id != case.mechanism_id:
        raise ServiceError(_("Choose a member agency of this mechanism."), field="to_agency")
    if due_on < timezone.localdate():
        raise ServiceError(_("The due date cannot be in the past."), field="due_on")
    with transaction.atomic():
        r = InformationRequest.objects.create(case=case, to_agency=to_agency, question=question, purpose=purpose,
                                              legal_basis=legal_basis, due_on=due_on, requested_by=actor)
        request_disclosure(request=r, actor=actor,
                           categories=DEFAULT_REQUEST_CATEGORIES if categories is None else categories)
        _timeline(case, actor=actor, kind="inforequest_sent", category=cat.REFERRAL,
                  agency=to_agency.name, purpose=purpose)
        audit_record(actor=actor, action="case.inforequest.sent", obj=r, case=case,
                     data={"agency": to_agency.pk})
    members = [m.user for m in Membership.objects.filter(agency=to_agency, active=True).select_related("user")]
    notify_on_commit(members, _("Information request"),
                     _("%(mech)s asks your agency for information, due %(due)s.")
                     % {"mech": case.mechanism.name, "due": due_on.isoformat()})
    return r


def information_request_answer(*, request: InformationRequest, actor: Any, answer: str = "",
                               refusal_reason: str = "") -> InformationRequest:
    from ura.governance.services import answer_disclosure

    case = request.case
    if not policy.can(actor, "inforequest.answer", case=case, obj=request):
        raise NotAllowed(_("You cannot answer this request."))
    if bool(answer.strip()) == bool(refusal_reason.strip()):
        raise ServiceError(_("Either answer the request or give a reason for refusing it."), field="answer")
    with transaction.atomic():
        r = InformationRequest.objects.select_for_update().get(pk=request.pk)
        if r.status != RequestStatus.OPEN:
            raise ServiceError(_("This request has already been answered."))
        r.status = RequestStatus.ANSWERED if answer.strip() else RequestStatus.REFUSED
        r.answer, r.refusal_reason = answer, refusal_reason
        r.answered_by, r.answered_at = actor, timezone.now()
        r.save()
        _timeline(case, actor=actor, kind="inforequest_" + r.status, category=cat.REFERRAL,
                  agency=r.to_agency.name)
        # Answering is a disclosure from one agency to the mechanism, and ends the access the request gave.
        audit_record(actor=actor, action=f"case.inforequest.{r.status}", obj=r, case=case,
                     data={"agency": r.to_agency_id})
        answer_disclosure(request=r, actor=actor)
    notify_on_commit([r.requested_by], _("Information request answered"),
                     _("An information request for case %(ref)s was answered.") % {"ref": case.reference})
    return r
