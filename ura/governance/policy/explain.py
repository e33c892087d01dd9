""""Why can I see this?": the rule behind an allow, or the missing condition behind a deny, in
plain words the user can check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ura.governance import categories as cat
from ura.governance.policy.grants import AGREEMENT, BREAKGLASS, REQUEST, ROLE, Grant, access
from ura.governance.policy.roles import memberships, pseudonymised
from ura.mechanisms.models import Role

if TYPE_CHECKING:
    from ura.cases.models import Case


@dataclass(frozen=True)
class Explanation:
    allowed: bool
    reason: str

    def __str__(self) -> str:
        return self.reason


def _when(value: Any) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _day(value: Any) -> str:
    return date_format(value, "DATE_FORMAT")


def _labels(categories: Any) -> str:
    return ", ".join(str(cat.LABELS[c]).lower() for c in sorted(categories) if c in cat.LABELS)


# What each role reads, told once (the roles' conditions are in the sentences below).
ROLE_READS = {
    Role.COORDINATOR: gettext_lazy("coordinators read every part of the mechanism's cases except the police's own "
                                   "information"),
    Role.PANEL_MEMBER: gettext_lazy("panel members read the identity, referral, needs and plan, risk and panel "
                                    "minutes of the cases put before the panel"),
    Role.PROVIDER: gettext_lazy("providers read the person's identity and the needs and plan behind the "
                                "interventions they deliver"),
    Role.POLICE_LIAISON: gettext_lazy("police liaisons read the referral and their own deconfliction information"),
}

# Roles that never read case content, and why.
NO_CASE_CONTENT = {
    Role.REFERRER: gettext_lazy("A referrer learns that the referral was received, and nothing more."),
    Role.ANALYST: gettext_lazy("Analysts see aggregate figures only, never a person's case."),
    Role.DPO: gettext_lazy("Data-protection officers read the audit trail, not case content, except through a "
                           "subject-access request."),
    Role.ADMINISTRATOR: gettext_lazy("Administrators manage the configuration and read no case content."),
}


def _grant_reason(g: Grant, case: Case) -> str:
    m = g.membership
    mechanism = case.mechanism.name
    if g.kind == ROLE and m is not None:
        reads = ROLE_READS.get(m.role, "")
        if m.role == Role.COORDINATOR:
            return _("You coordinate cases in %(mechanism)s: %(reads)s.") % {"mechanism": mechanism, "reads": reads}
        if m.role == Role.PANEL_MEMBER:
            return _("You sit on the panel of %(mechanism)s and this case is on its agenda: %(reads)s.") % {
                "mechanism": mechanism, "reads": reads}
        if m.role == Role.PROVIDER:
            text = _("Your agency, %(agency)s, delivers an intervention in this case: %(reads)s.") % {
                "agency": m.agency.name, "reads": reads}
            if g.consent is not None:
                text += " " + _("The consent given on %(day)s covers your agency for: %(categories)s.") % {
                    "day": _day(g.consent.consent.decided_on), "categories": _labels(g.consent.categories)}
            return text
        if m.role == Role.POLICE_LIAISON:
            return _("The police were asked for a deconfliction check on this case: %(reads)s.") % {"reads": reads}
    d = g.source
    if g.kind == REQUEST:
        return _("%(agency)s was asked for information on %(day)s for “%(purpose)s” (%(basis)s). Until the request "
                 "is answered it shares: %(categories)s.") % {
            "agency": d.agency.name, "day": _day(timezone.localtime(d.disclosed_at).date()), "purpose": d.purpose,
            "basis": d.legal_basis, "categories": _labels(d.categories)}
    if g.kind == AGREEMENT:
        return _("The case was shared with %(agency)s on %(day)s under the sharing agreement for “%(purpose)s” "
                 "(%(basis)s): %(categories)s.") % {
            "agency": d.agency.name, "day": _day(timezone.localtime(d.disclosed_at).date()), "purpose": d.purpose,
            "basis": d.legal_basis, "categories": _labels(d.categories)}
    if g.kind == BREAKGLASS:
        return _("You opened this case with emergency access at %(opened)s. It ends at %(expires)s, every page you "
                 "open is recorded, and the data-protection officer will review it.") % {
            "opened": _when(d.opened_at), "expires": _when(d.expires_at)}
    return _("You have access to this case.")


def _short(g: Grant) -> str:
    if g.kind == ROLE and g.membership is not None:
        return str(Role(g.membership.role).label).lower()
    return {REQUEST: _("an information request to your agency"), AGREEMENT: _("a sharing agreement"),
            BREAKGLASS: _("emergency access")}.get(g.kind, g.kind)


def explain(user: Any, case: Case, category: str) -> Explanation:
    """Why ``user`` may, or may not, read ``category`` of ``case``."""
    label = str(cat.LABELS.get(category, category)).lower()
    a = access(user, case)
    for g in a.grants:
        if category in g.categories:
            return Explanation(True, _grant_reason(g, case))
    mine = [m for m in memberships(user) if m.mechanism_id == case.mechanism_id]
    if any(g.kind == ROLE and g.consent is not None for g in a.grants):
        g = next(g for g in a.grants if g.consent is not None)
        return Explanation(False, _("The person's consent covers your agency for %(categories)s only, not for "
                                    "%(category)s.") % {"categories": _labels(g.consent.categories),
                                                       "category": label})
    if category == cat.IDENTITY and any(pseudonymised(m) for m in mine):
        return Explanation(False, _("In %(mechanism)s the police see a pseudonymised case: before any crime is "
                                    "suspected, the identity of a referred person is not shared with the police.")
                           % {"mechanism": case.mechanism.name})
    if category == cat.POLICE and a.grants:
        return Explanation(False, _("Police information (the note behind a deconfliction answer) stays with the "
                                    "police; the mechanism learns only the answer."))
    if category == cat.CUSTODY and a.grants:
        return Explanation(False, _("Custody milestones are read by the coordinator and by prison and probation "
                                    "members of the panel; other agencies receive them only when they are shared "
                                    "with them, as at the pre-release planning meeting."))
    if a.stopped:
        cov = next(iter(a.stopped.values()))
        return Explanation(False, _("The person withdrew consent on %(day)s; from then on nothing of this case is "
                                    "shared with your agency.") % {
            "day": _day(timezone.localtime(cov.withdrawn_at).date())})
    if a.grants:
        return Explanation(False, _("You see this case as: %(reasons)s. That does not include %(category)s.") % {
            "reasons": "; ".join(dict.fromkeys(_short(g) for g in a.grants)), "category": label})
    for m in mine:
        if m.role in NO_CASE_CONTENT:
            return Explanation(False, str(NO_CASE_CONTENT[m.role]))
    if mine:
        return Explanation(False, _("Nothing in this case concerns your role yet: it is not on a panel agenda, your "
                                    "agency delivers no intervention in it and nothing of it was shared with your "
                                    "agency."))
    return Explanation(False, _("You are not a member of the mechanism this case belongs to."))


QUESTION_SHOWN = gettext_lazy("Why can I see this?")
QUESTION_HIDDEN = gettext_lazy("Why is this not shown?")
