"""The categories case data is split into; access is decided per category."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

IDENTITY = "identity"
REFERRAL = "referral"
NEEDS_PLAN = "needs_plan"
RISK = "risk"
HEALTH = "health"
POLICE = "police"
CUSTODY = "custody"
MINUTES = "minutes"

LABELS = {
    IDENTITY: _("Identity"),
    REFERRAL: _("Referral"),
    NEEDS_PLAN: _("Needs and support plan"),
    RISK: _("Risk"),
    HEALTH: _("Health"),
    POLICE: _("Police"),
    CUSTODY: _("Custody"),
    MINUTES: _("Panel minutes"),
}
ALL = frozenset(LABELS)

# What may ever be shared with another agency: never the police's own notes or panel minutes.
SHAREABLE = frozenset({IDENTITY, REFERRAL, NEEDS_PLAN, RISK, HEALTH, CUSTODY})
# What an information request shares by default: who the person is and what was referred.
DEFAULT_REQUEST = (IDENTITY, REFERRAL)
# What a consent covers when its caller does not say: who the person is, the referral and the plan.
DEFAULT_CONSENT = (IDENTITY, REFERRAL, NEEDS_PLAN)
