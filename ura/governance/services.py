"""Consent, sharing and emergency access: each change checks the policy, writes the change and its
audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, InformationRequest, TimelineEntry
from ura.cases.services import case_transition
from ura.cases.workflow import Stage
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.governance.models import (
    BreakGlass,
    BreakGlassReview,
    Consent,
    ConsentCoverage,
    ConsentDecision,
    ConsentGiver,
    Disclosure,
    DisclosureKind,
    SharingAgreement,
)
from ura.mechanisms.models import Agency, Mechanism, Membership, Role
from ura.tasks.notify import notify_on_commit

DEFAULT_CONSENT_CATEGORIES = cat.DEFAULT_CONSENT
DEFAULT_REQUEST_CATEGORIES = cat.DEFAULT_REQUEST


def _categories(values: Iterable[str], *, field: str) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if any(c not in cat.SHAREABLE for c in chosen):
        raise ServiceError(_("Choose among the categories offered."), field=field)
    return sorted(chosen)


def _agencies_of(mechanism: Mechanism, agencies: Iterable[Agency], *, field: str) -> list[Agency]:
    chosen = list(agencies)
    if any(a.mechanism_id != mechanism.pk or a.secondary_actor for a in chosen):
        raise ServiceError(_("Choose member agencies of this mechanism."), field=field)
    return chosen


# --- consent ---------------------------------------------------------------------------------------

def consent_record(*, actor: Any, case: Case, given_by: str, giver_name: str, relationship: str,
                   decision: str, scope: str, decided_on: dt.date | None = None,
                   agencies: Iterable[Agency] | None = None, categories: Iterable[str] | None = None) -> Consent:
    """Record the answer to the offer of support. For a minor, a parent or guardian answers.

    A consent says which agencies may receive which categories (``None``: every agency that may
    deliver support, and ``DEFAULT_CONSENT_CATEGORIES``); ``scope`` is its purpose in words.
    """
    if not policy.can(actor, "consent.record", case=case):
        raise NotAllowed(_("You cannot record consent for this case."))
    if case.stage != Stage.CONSENT:
        raise ServiceError(_("Consent is recorded after the panel has adopted the case."))
    if given_by not in ConsentGiver.values or decision not in ConsentDecision.values:
        raise ServiceError(_("Say who answered and what they answered."), field="decision")
    decided_on = decided_on or timezone.localdate()
    minor = case.person.is_minor_on(decided_on)
    if minor and given_by != ConsentGiver.GUARDIAN:
        raise ServiceError(_("The person is a minor: a parent or guardian must give or decline consent."),
                           field="given_by")
    if given_by == ConsentGiver.GUARDIAN and not relationship.strip():
        raise ServiceError(_("Say how the guardian is related to the person."), field="relationship")
    if not giver_name.strip() or not scope.strip():
        raise ServiceError(_("Name who answered and what the consent covers."), field="giver_name")
    if agencies is None:
        agencies = Agency.objects.filter(mechanism_id=case.mechanism_id, secondary_actor=False)
    covered = _agencies_of(case.mechanism, agencies, field="agencies")
    shared = _categories(DEFAULT_CONSENT_CATEGORIES if categories is None else categories, field="categories")
    with transaction.atomic():
        consent = Consent.objects.create(case=case, given_by=given_by, giver_name=giver_name,
                                         relationship=relationship, decision=decision, scope=scope,
                                         decided_on=decided_on, recorded_by=actor)
        coverage = ConsentCoverage.objects.create(
            consent=consent, categories=shared if decision == ConsentDecision.GIVEN else [])
        if decision == ConsentDecision.GIVEN:
            coverage.agencies.set(covered)
        TimelineEntry.objects.create(case=case, actor=actor, kind="consent", category=cat.REFERRAL,
                                     data={"decision": decision, "given_by": given_by})
        audit_record(actor=actor, action=f"consent.{decision}", obj=consent, case=case,
                     data={"agencies": sorted(a.pk for a in covered) if decision == ConsentDecision.GIVEN else [],
                           "categories": coverage.categories})
        case_transition(case=case, actor=actor,
                        transition="consent_given" if decision == ConsentDecision.GIVEN else "consent_declined")
    policy.forget(case)
    return consent


def consent_withdraw(*, actor: Any, consent: Consent, at: dt.datetime | None = None) -> Consent:
    """The person (or their guardian) withdraws consent: from this moment on nothing more of the
    case goes to the agencies it covered, and those agencies lose sight of the case."""
    case = consent.case
    if not policy.can(actor, "consent.withdraw", case=case):
        raise NotAllowed(_("You cannot record a withdrawal of consent for this case."))
    at = at or timezone.now()
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        coverage, _created = ConsentCoverage.objects.get_or_create(consent=locked)
        if locked.decision != ConsentDecision.GIVEN or coverage.withdrawn_at is not None:
            raise ServiceError(_("Only consent that was given and not yet withdrawn can be withdrawn."))
        coverage.withdrawn_at, coverage.withdrawal_recorded_by = at, actor
        coverage.save(update_fields=["withdrawn_at", "withdrawal_recorded_by"])
        locked.withdrawn_on = timezone.localtime(at).date()
        locked.save(update_fields=["withdrawn_on"])
        agencies = sorted(coverage.agencies.values_list("pk", flat=True))
        TimelineEntry.objects.create(case=case, actor=actor, kind="consent_withdrawn", category=cat.REFERRAL,
                                     data={"agencies": len(agencies)})
        audit_record(actor=actor, action="consent.withdrawn", obj=locked, case=case, data={"agencies": agencies})
    policy.forget(case)
    return locked


# --- sharing --------------------------------------------------------------------------------------------

def sharing_stopped(case: Case, agency: Agency) -> bool:
    """Whether a withdrawn consent stops sharing with ``agency`` (and none in force covers it)."""
    covering = ConsentCoverage.objects.filter(consent__case=case, agencies=agency)
    return (covering.filter(withdrawn_at__isnull=False).exists()
            and not covering.filter(withdrawn_at__isnull=True, consent__decision=ConsentDecision.GIVEN).exists())


def request_disclosure(*, request: InformationRequest, actor: Any, categories: Iterable[str]) -> Disclosure:
    """Asking an agency discloses the chosen categories to it until it answers. Called by
    ``information_request_create`` inside its transaction."""
    shared = _categories(categories, field="categories")
    if sharing_stopped(request.case, request.to_agency):
        raise ServiceError(_("The person withdrew consent to sharing with %(agency)s.")
                           % {"agency": request.to_agency.name}, field="to_agency")
    d = Disclosure.objects.create(case=request.case, kind=DisclosureKind.REQUEST, agency=request.to_agency,
                                  categories=shared, purpose=request.purpose, legal_basis=request.legal_basis,
                                  information_request=request, disclosed_by=actor, disclosed_at=timezone.now())
    audit_record(actor=actor, action="disclosure.request", obj=d, case=request.case,
                 data={"agency": request.to_agency_id, "categories": shared})
    policy.forget(request.case)
    return d


def answer_disclosure(*, request: InformationRequest, actor: Any) -> None:
    """An answer (or refusal) ends the access the request gave; an answer is itself a disclosure
    from the agency to the mechanism. Called by ``information_request_answer``."""
    now = timezone.now()
    Disclosure.objects.filter(information_request=request, kind=DisclosureKind.REQUEST, ends_at__isnull=True) \
        .update(ends_at=now)
    if request.status == "answered":
        d = Disclosure.objects.create(case=request.case, kind=DisclosureKind.ANSWER, agency=request.to_agency,
                                      purpose=request.purpose, legal_basis=request.legal_basis,
                                      information_request=request, disclosed_by=actor, disclosed_at=now, ends_at=now)
        audit_record(actor=actor, action="disclosure.answer", obj=d, case=request.case,
                     data={"agency": request.to_agency_id})
    policy.forget(request.case)


def agreement_create(*, actor: Any, mechanism: Mechanism, agency: Agency, categories: Iterable[str], purpose: str,
                     legal_basis: str, valid_from: dt.date, valid_until: dt.date | None = None) -> SharingAgreement:
    if not policy.can(actor, "agreement.manage", mechanism=mechanism):
        raise NotAllowed(_("You cannot make sharing agreements for this mechanism."))
    (agency,) = _agencies_of(mechanism, [agency], field="agency")
    shared = _categories(categories, field="categories")
    if not shared:
        raise ServiceError(_("Choose what the agreement shares."), field="categories")
    if not purpose.strip() or not legal_basis.strip():
        raise ServiceError(_("State the purpose and the legal basis."), field="purpose")
    if valid_until is not None and valid_until < valid_from:
        raise ServiceError(_("The end cannot be before the start."), field="valid_until")
    with transaction.atomic():
        agreement = SharingAgreement.objects.create(
            mechanism=mechanism, agency=agency, categories=shared, purpose=purpose, legal_basis=legal_basis,
            valid_from=valid_from, valid_until=valid_until, created_by=actor)
        audit_record(actor=actor, action="agreement.created", obj=agreement, mechanism=mechanism,
                     data={"agency": agency.pk, "categories": shared})
    return agreement


def agreements_in_force(mechanism: Mechanism, day: dt.date | None = None) -> list[SharingAgreement]:
    day = day or timezone.localdate()
    return [a for a in SharingAgreement.objects.filter(mechanism=mechanism, valid_from__lte=day)
            .select_related("agency") if a.valid_until is None or a.valid_until >= day]


def case_share(*, actor: Any, case: Case, agreement: SharingAgreement) -> Disclosure:
    """Share a case with an agency under a sharing agreement: exactly the agreement's categories."""
    if not policy.can(actor, "case.share", case=case):
        raise NotAllowed(_("You cannot share this case."))
    if agreement.mechanism_id != case.mechanism_id or agreement not in agreements_in_force(case.mechanism):
        raise ServiceError(_("Choose a sharing agreement in force in this mechanism."), field="agreement")
    if sharing_stopped(case, agreement.agency):
        raise ServiceError(_("The person withdrew consent to sharing with %(agency)s.")
                           % {"agency": agreement.agency.name}, field="agreement")
    ends = None
    if agreement.valid_until is not None:
        ends = timezone.make_aware(dt.datetime.combine(agreement.valid_until + dt.timedelta(days=1), dt.time()))
    with transaction.atomic():
        d = Disclosure.objects.create(case=case, kind=DisclosureKind.AGREEMENT, agency=agreement.agency,
                                      categories=agreement.categories, purpose=agreement.purpose,
                                      legal_basis=agreement.legal_basis, agreement=agreement, disclosed_by=actor,
                                      disclosed_at=timezone.now(), ends_at=ends)
        TimelineEntry.objects.create(case=case, actor=actor, kind="shared", category=cat.REFERRAL,
                                     data={"agency": agreement.agency.name, "purpose": agreement.purpose})
        audit_record(actor=actor, action="disclosure.agreement", obj=d, case=case,
                     data={"agency": agreement.agency_id, "agreement": agreement.pk, "categories": d.categories})
    members = [m.user for m in Membership.objects.filter(agency=agreement.agency, active=True).select_related("user")]
    notify_on_commit(members, _("A case was shared with your agency"),
                     _("%(mech)s shared case %(ref)s with your agency.") % {"mech": case.mechanism.name,
                                                                         "ref": case.reference})
    policy.forget(case)
    return d


# --- emergency access (break-glass) --------------------------------------------------------------

def breakglass_open(*, actor: Any, reference: str, reason: str) -> BreakGlass:
    """Open a case outside the rules, in an emergency. A case the user may not break into and a
    missing one get the same answer."""
    reason = reason.strip()
    if len(reason) < 20:
        raise ServiceError(_("Write the reason for emergency access in a full sentence."), field="reason")
    mechanisms = [m.mechanism_id for m in policy.memberships(actor) if m.role in policy.BREAK_GLASS_ROLES]
    case = (Case.objects.filter(reference__iexact=reference.strip(), mechanism_id__in=mechanisms)
            .select_related("mechanism").first())
    if case is None:
        raise ServiceError(_("No case with this reference can be opened with emergency access."),
                           field="reference")
    now = timezone.now()
    with transaction.atomic():
        bg = BreakGlass.objects.create(user=actor, case=case, mechanism=case.mechanism, reason=reason,
                                       opened_at=now, expires_at=now + dt.timedelta(hours=policy.BREAK_GLASS_HOURS))
        audit_record(actor=actor, action="breakglass.opened", obj=bg, case=case,
                     data={"breakglass": bg.pk, "expires_at": bg.expires_at.isoformat()})
    dpos = [m.user for m in Membership.objects.filter(mechanism=case.mechanism, role=Role.DPO, active=True)
            .select_related("user")]
    notify_on_commit(dpos, _("Emergency access to review"),
                     _("Someone opened a case of %(mech)s with emergency access. Review it in Ura.")
                     % {"mech": case.mechanism.name})
    return bg


def breakglass_review(*, actor: Any, breakglass: BreakGlass, review: str, note: str) -> BreakGlass:
    if not policy.can(actor, "breakglass.review", mechanism=breakglass.mechanism):
        raise NotAllowed(_("Only the data-protection officer reviews emergency access."))
    if review not in BreakGlassReview.values:
        raise ServiceError(_("Say whether the access was justified."), field="review")
    if review == BreakGlassReview.NOT_JUSTIFIED and not note.strip():
        raise ServiceError(_("Say what follows from an unjustified access."), field="note")
    with transaction.atomic():
        locked = BreakGlass.objects.select_for_update().get(pk=breakglass.pk)
        if locked.reviewed_at is not None:
            raise ServiceError(_("This emergency access has already been reviewed."))
        locked.review, locked.review_note = review, note
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
        audit_record(actor=actor, action="breakglass.reviewed", obj=locked, mechanism=locked.mechanism,
                     data={"breakglass": locked.pk, "review": review})
    return locked
