from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction

from ura.errors import ServiceError
from ura.governance.audit import audit_record
from ura.mechanisms.models import Agency, Mechanism, Membership
from ura.mechanisms.templates import TEMPLATES

FEATURE_FLAGS = ("secondary_actors_aggregates_only", "child_rights_safeguards", "prison_visits", "households",
                 "custody", "handover", "cases_optional")


def mechanism_create(*, actor: Any, template: str, slug: str, name: str, level: str, country: str,
                     place: str) -> Mechanism:
    """Create a mechanism with its own copy of a template's rules."""
    try:
        t = TEMPLATES[template]
    except KeyError:
        raise ServiceError(f"Unknown template {template!r}; choose one of {', '.join(TEMPLATES)}.") from None
    rules = asdict(t)
    with transaction.atomic():
        mechanism = Mechanism.objects.create(
            slug=slug, name=name, template=template, level=level, country=country, place=place,
            decision_rule=t.decision_rule, quorum_percent=t.quorum_percent, consent_required=t.consent_required,
            police_identity_access=t.police_identity_access, tracks=list(t.tracks),
            post_exit_review_months=list(t.post_exit_review_months), review_interval_weeks=t.review_interval_weeks,
            retention_years_not_adopted=t.retention_years_not_adopted,
            retention_years_adopted=t.retention_years_adopted, high_risk_to_police=t.high_risk_to_police,
            features={flag: rules[flag] for flag in FEATURE_FLAGS},
        )
        audit_record(actor=actor, action="mechanism.created", obj=mechanism, mechanism=mechanism,
                     data={"template": template})
    return mechanism


def agency_create(*, actor: Any, mechanism: Mechanism, name: str, type: str, **extra: Any) -> Agency:
    with transaction.atomic():
        agency = Agency.objects.create(mechanism=mechanism, name=name, type=type, **extra)
        audit_record(actor=actor, action="mechanism.agency_created", obj=agency, mechanism=mechanism)
    return agency


def membership_grant(*, actor: Any, user: Any, mechanism: Mechanism, agency: Agency, role: str,
                     is_chair: bool = False) -> Membership:
    if agency.mechanism_id != mechanism.pk:
        raise ServiceError("The agency belongs to another mechanism.")
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(
            user=user, mechanism=mechanism, role=role, defaults={"agency": agency, "is_chair": is_chair,
                                                                 "active": True})
        audit_record(actor=actor, action="mechanism.membership_granted", obj=membership, mechanism=mechanism,
                     data={"user": user.pk, "role": role})
    return membership
