"""How assessment entries read in the case history. The entries carry the instrument's name
and version only, never a rating or a judgement; they are filed under the assessment's own
data category, so only those who may read such assessments see them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ura.cases.models import TimelineEntry


def _submitted(e: TimelineEntry, who: str) -> str:
    return _("%(who)s submitted an assessment: %(instrument)s (version %(number)s).") % {
        "who": who, "instrument": e.data.get("instrument", ""), "number": e.data.get("number", 1)}


def _countersigned(e: TimelineEntry, who: str) -> str:
    return _("%(who)s countersigned an assessment: %(instrument)s (version %(number)s).") % {
        "who": who, "instrument": e.data.get("instrument", ""), "number": e.data.get("number", 1)}


def _needs(e: TimelineEntry, who: str) -> str:
    return _("%(who)s linked the intervention “%(type)s” to the needs it addresses.") % {
        "who": who, "type": e.data.get("type", "")}


SENTENCES = {
    "assessment_submitted": _submitted,
    "assessment_countersigned": _countersigned,
    "intervention_needs": _needs,
}
