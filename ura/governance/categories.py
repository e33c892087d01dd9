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
