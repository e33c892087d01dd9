"""Each kind of timeline entry told as one translatable sentence.

Entries store codes and names, never prose, so the sentence follows the reader's language.
A kind this module does not know is still shown, in a neutral sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from ura.cases import workflow
from ura.cases.models import Case, DeconflictionAnswer, TimelineEntry
from ura.cases.workflow import Stage

Describe = Callable[[TimelineEntry, str], str]


def _choice(choices: Any, value: Any) -> str:
    """The label of ``value`` in a TextChoices class, or the value itself if unknown."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _stage(value: Any) -> str:
    return _choice(Stage, value)


def _referred(e: TimelineEntry, who: str) -> str:
    return _("The referral was received.")


def _rereferred(e: TimelineEntry, who: str) -> str:
    return _("%(who)s referred the person again: a new episode after %(previous)s.") % {
        "who": who, "previous": e.data.get("previous", "")}


def _new_episode(e: TimelineEntry, who: str) -> str:
    return _("%(who)s opened a new episode for the person: %(next)s.") % {"who": who, "next": e.data.get("next", "")}


def _transition(e: TimelineEntry, who: str) -> str:
    t = workflow.BY_NAME.get(e.data.get("transition", ""))
    step = str(t.label) if t is not None else _stage(e.data.get("target"))
    return _("%(who)s: %(step)s (from “%(source)s” to “%(target)s”).") % {
        "who": who, "step": step, "source": _stage(e.data.get("source")), "target": _stage(e.data.get("target"))}


def _edited(e: TimelineEntry, who: str) -> str:
    names = [str(Case._meta.get_field(f).verbose_name) for f in e.data.get("fields", [])
             if f in {"summary", "needs_summary", "risk_summary", "concern_type", "track"}]
    return _("%(who)s edited: %(fields)s.") % {"who": who, "fields": ", ".join(names)}


def _deconfliction_requested(e: TimelineEntry, who: str) -> str:
    return _("%(who)s asked the police for a deconfliction check.") % {"who": who}


def _deconfliction_answered(e: TimelineEntry, who: str) -> str:
    return _("The police answered the deconfliction check: %(answer)s.") % {
        "answer": _choice(DeconflictionAnswer, e.data.get("answer"))}


def _inforequest_sent(e: TimelineEntry, who: str) -> str:
    return _("%(who)s asked %(agency)s for information (purpose: %(purpose)s).") % {
        "who": who, "agency": e.data.get("agency", ""), "purpose": e.data.get("purpose", "")}


def _inforequest_answered(e: TimelineEntry, who: str) -> str:
    return _("%(agency)s answered an information request.") % {"agency": e.data.get("agency", "")}


def _inforequest_refused(e: TimelineEntry, who: str) -> str:
    return _("%(agency)s refused an information request.") % {"agency": e.data.get("agency", "")}


def _consent(e: TimelineEntry, who: str) -> str:
    from ura.governance.models import ConsentDecision, ConsentGiver

    return _("%(who)s recorded the answer to the offer of support: %(decision)s (%(giver)s).") % {
        "who": who, "decision": _choice(ConsentDecision, e.data.get("decision")),
        "giver": _choice(ConsentGiver, e.data.get("given_by"))}


def _consent_withdrawn(e: TimelineEntry, who: str) -> str:
    return _("%(who)s recorded that the consent was withdrawn; sharing with the agencies it covered stopped.") % {
        "who": who}


def _shared(e: TimelineEntry, who: str) -> str:
    return _("%(who)s shared the case with %(agency)s under a sharing agreement (purpose: %(purpose)s).") % {
        "who": who, "agency": e.data.get("agency", ""), "purpose": e.data.get("purpose", "")}


def _decision(e: TimelineEntry, who: str) -> str:
    from ura.panels.models import Outcome

    return _("The panel decided: %(outcome)s.") % {"outcome": _choice(Outcome, e.data.get("outcome"))}


def _intervention_added(e: TimelineEntry, who: str) -> str:
    return _("%(who)s added an intervention: %(type)s, delivered by %(provider)s.") % {
        "who": who, "type": e.data.get("type", ""), "provider": e.data.get("provider", "")}


def _intervention_status(e: TimelineEntry, who: str) -> str:
    from ura.support.models import InterventionStatus

    return _("The intervention “%(type)s” is now: %(status)s.") % {
        "type": e.data.get("type", ""), "status": _choice(InterventionStatus, e.data.get("status"))}


def _session(e: TimelineEntry, who: str) -> str:
    if e.data.get("attended", True):
        return _("%(who)s recorded a session of “%(type)s”; the person attended.") % {
            "who": who, "type": e.data.get("type", "")}
    return _("%(who)s recorded a session of “%(type)s”; the person did not attend.") % {
        "who": who, "type": e.data.get("type", "")}


def _post_exit_review(e: TimelineEntry, who: str) -> str:
    from ura.support.models import PostExitOutcome

    return _("%(who)s recorded the %(months)s-month post-exit review: %(outcome)s.") % {
        "who": who, "months": e.data.get("months", "?"), "outcome": _choice(PostExitOutcome, e.data.get("outcome"))}


def _interventions_ended(e: TimelineEntry, who: str) -> str:
    from ura.support.models import InterventionStatus

    return _("The support ended with the stage: %(n)s interventions marked “%(status)s”.") % {
        "n": e.data.get("count", 0), "status": _choice(InterventionStatus, e.data.get("status"))}


def _identity(e: TimelineEntry, who: str) -> str:
    return {
        "identity_linked": _("%(who)s linked this record with another record of the same person."),
        "identity_merged": _("%(who)s merged this person's records into one."),
        "identity_dismissed": _("%(who)s recorded that a similar record is not the same person."),
        "identity_undone": _("%(who)s undid an earlier decision about this person's records."),
    }[e.kind] % {"who": who}


SENTENCES: dict[str, Describe] = {
    "identity_linked": _identity,
    "identity_merged": _identity,
    "identity_dismissed": _identity,
    "identity_undone": _identity,
    "referred": _referred,
    "rereferred": _rereferred,
    "new_episode": _new_episode,
    "transition": _transition,
    "edited": _edited,
    "deconfliction_requested": _deconfliction_requested,
    "deconfliction_answered": _deconfliction_answered,
    "inforequest_sent": _inforequest_sent,
    "inforequest_answered": _inforequest_answered,
    "inforequest_refused": _inforequest_refused,
    "consent": _consent,
    "consent_withdrawn": _consent_withdrawn,
    "shared": _shared,
    "decision": _decision,
    "intervention_added": _intervention_added,
    "intervention_status": _intervention_status,
    "session": _session,
    "post_exit_review": _post_exit_review,
    "interventions_ended": _interventions_ended,
}


def describe(entry: TimelineEntry) -> str:
    who = (entry.actor.get_full_name() or entry.actor.username) if entry.actor is not None else _("Ura")
    sentence = SENTENCES.get(entry.kind)
    if sentence is None:
        return _("%(who)s recorded an event (%(kind)s).") % {"who": who, "kind": entry.kind}
    return sentence(entry, who)
