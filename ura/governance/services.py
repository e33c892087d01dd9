from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, TimelineEntry
from ura.cases.services import case_transition
from ura.cases.workflow import Stage
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.governance.models import Consent, ConsentDecision, ConsentGiver


def consent_record(*, actor: Any, case: Case, given_by: str, giver_name: str, relationship: str,
                   decision: str, scope: str, decided_on: dt.date | None = None) -> Consent:
    """Record the answer to the offer of support. For a minor, a parent or guardian answers."""
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
    with transaction.atomic():
        consent = Consent.objects.create(case=case, given_by=given_by, giver_name=giver_name,
                                         relationship=relationship, decision=decision, scope=scope,
                                         decided_on=decided_on, recorded_by=actor)
        TimelineEntry.objects.create(case=case, actor=actor, kind="consent", category=cat.REFERRAL,
                                     data={"decision": decision, "given_by": given_by})
        audit_record(actor=actor, action=f"consent.{decision}", obj=consent, case=case)
        case_transition(case=case, actor=actor,
                        transition="consent_given" if decision == ConsentDecision.GIVEN else "consent_declined")
    return consent
