"""The referral process as one table: stages, transitions and their guards.

Read it top to bottom and you have DESIGN.md §2. ``case_transition`` in
``ura.cases.services`` is the only code that moves a case; it looks the move up here.
A move not in this table is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ura.cases.models import Case


class Stage(models.TextChoices):
    REFERRED = "referred", _("Referred")
    SCREENING = "screening", _("Screening")
    CASE_REVIEW = "case_review", _("Case review")
    PANEL = "panel", _("Panel")
    CONSENT = "consent", _("Consent")
    SUPPORT = "support", _("Support")
    REVIEW = "review", _("Review")
    EXITED = "exited", _("Exited")
    SIGNPOSTED = "signposted", _("Signposted")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    POLICE_LED = "police_led", _("Police-led")
    ONWARD_REFERRED = "onward_referred", _("Referred onward")
    DECLINED = "declined", _("Support declined")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = frozenset({
    Stage.REFERRED, Stage.SCREENING, Stage.CASE_REVIEW, Stage.PANEL,
    Stage.CONSENT, Stage.SUPPORT, Stage.REVIEW, Stage.EXITED,
})
ENDED_STAGES = frozenset({
    Stage.SIGNPOSTED, Stage.NO_FURTHER_ACTION, Stage.POLICE_LED, Stage.ONWARD_REFERRED, Stage.DECLINED,
})

COORDINATOR = "coordinator"
CHAIR = "chair"  # a panel member who chairs the mechanism's panel

# A guard returns None when the move may happen, or the reason it may not.
Guard = Callable[["Case"], str | None]


def _deconfliction_is(answer: str) -> Guard:
    def guard(case: Case) -> str | None:
        latest = case.deconflictions.exclude(answer="").order_by("-answered_at").first()
        if latest is None:
            return str(_("The police deconfliction answer has not arrived yet."))
        if latest.answer != answer:
            return str(_("The police deconfliction answer does not allow this."))
        return None
    return guard


def _decision_is(*outcomes: str) -> Guard:
    def guard(case: Case) -> str | None:
        from ura.panels.selectors import latest_decision

        decision = latest_decision(case=case)
        if decision is None or decision.outcome not in outcomes:
            return str(_("The panel has not decided this."))
        return None
    return guard


def _consent_is(decision: str) -> Guard:
    def guard(case: Case) -> str | None:
        latest = case.consents.filter(withdrawn_on__isnull=True).first()
        if latest is None or latest.decision != decision:
            return str(_("No matching consent has been recorded."))
        return None
    return guard


def _consent_required(required: bool) -> Guard:
    def guard(case: Case) -> str | None:
        if case.mechanism.consent_required != required:
            return str(_("This mechanism's consent rule does not allow this."))
        return None
    return guard


def _on_agenda(case: Case) -> str | None:
    from ura.panels.selectors import open_agenda_item

    if open_agenda_item(case=case) is None:
        return str(_("Put the case on a panel meeting's agenda first."))
    return None


def _post_exit_reviews_done(case: Case) -> str | None:
    if case.post_exit_reviews.filter(done_on__isnull=True).exists():
        return str(_("Post-exit reviews are still due."))
    return None


def _all(*guards: Guard) -> Guard:
    def guard(case: Case) -> str | None:
        for g in guards:
            problem = g(case)
            if problem:
                return problem
        return None
    return guard


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: Promise
    roles: frozenset[str] = frozenset({COORDINATOR})
    guard: Guard | None = None
    reason_required: bool = False
    # Offered as a button on the case page; the others are taken by services
    # (a panel decision, a consent record) that call case_transition themselves.
    manual: bool = True


def _t(name: str, sources: Stage | tuple[Stage, ...], target: Stage, label: Promise, **kw: object) -> Transition:
    srcs = frozenset(sources if isinstance(sources, tuple) else (sources,))
    return Transition(name=name, sources=srcs, target=target, label=label, **kw)  # type: ignore[arg-type]


S = Stage
_DECIDERS = frozenset({COORDINATOR, CHAIR})

TRANSITIONS: tuple[Transition, ...] = (
    # screening (the gateway)
    _t("start_screening", S.REFERRED, S.SCREENING, _("Start screening")),
    _t("accept", S.SCREENING, S.CASE_REVIEW, _("Accept for case review"),
       guard=_deconfliction_is("proceed")),
    _t("signpost", S.SCREENING, S.SIGNPOSTED, _("Signpost to another service"), reason_required=True),
    _t("screen_out", S.SCREENING, S.NO_FURTHER_ACTION, _("No further action"), reason_required=True),
    _t("hand_to_police", S.SCREENING, S.POLICE_LED, _("Hand over to police"),
       guard=_deconfliction_is("police_led")),
    # case review
    _t("to_panel", S.CASE_REVIEW, S.PANEL, _("Put to the panel"), guard=_on_agenda, manual=False),
    _t("refer_onward", (S.CASE_REVIEW,), S.ONWARD_REFERRED, _("Refer onward"), reason_required=True),
    _t("escalate", (S.CASE_REVIEW, S.SUPPORT), S.POLICE_LED, _("Escalate to police"), reason_required=True),
    # panel decision (taken by the decision service)
    _t("adopt_pending_consent", S.PANEL, S.CONSENT, _("Adopt, subject to consent"), roles=_DECIDERS,
       guard=_all(_decision_is("adopt"), _consent_required(True)), manual=False),
    _t("adopt", S.PANEL, S.SUPPORT, _("Adopt with support package"), roles=_DECIDERS,
       guard=_all(_decision_is("adopt"), _consent_required(False)), manual=False),
    _t("panel_no_further_action", S.PANEL, S.NO_FURTHER_ACTION, _("No further action"), roles=_DECIDERS,
       guard=_decision_is("no_further_action"), manual=False),
    _t("panel_refer_elsewhere", S.PANEL, S.ONWARD_REFERRED, _("Refer elsewhere"), roles=_DECIDERS,
       guard=_decision_is("refer_elsewhere"), manual=False),
    _t("panel_escalate", S.PANEL, S.POLICE_LED, _("Escalate to police"), roles=_DECIDERS,
       guard=_decision_is("escalate"), manual=False),
    _t("panel_defer", S.PANEL, S.CASE_REVIEW, _("Back to case review for more information"), roles=_DECIDERS,
       guard=_decision_is("defer"), manual=False),
    # consent
    _t("consent_given", S.CONSENT, S.SUPPORT, _("Consent given"), guard=_consent_is("given"), manual=False),
    _t("consent_declined", S.CONSENT, S.DECLINED, _("Consent declined"), guard=_consent_is("declined"),
       manual=False),
    # support and review
    _t("to_review", S.SUPPORT, S.REVIEW, _("Put to a panel review"), guard=_on_agenda, manual=False),
    _t("review_continue", S.REVIEW, S.SUPPORT, _("Continue support"), roles=_DECIDERS,
       guard=_decision_is("continue"), manual=False),
    _t("review_adjust", S.REVIEW, S.SUPPORT, _("Adjust the support package"), roles=_DECIDERS,
       guard=_decision_is("adjust"), manual=False),
    _t("review_exit", S.REVIEW, S.EXITED, _("Exit"), roles=_DECIDERS,
       guard=_decision_is("exit"), manual=False),
    _t("review_return", S.REVIEW, S.CASE_REVIEW, _("Return through the process"), roles=_DECIDERS,
       guard=_decision_is("return"), manual=False),
    _t("review_refer_onward", S.REVIEW, S.ONWARD_REFERRED, _("Refer onward"), roles=_DECIDERS,
       guard=_decision_is("refer_elsewhere"), manual=False),
    _t("review_escalate", S.REVIEW, S.POLICE_LED, _("Escalate to police"), roles=_DECIDERS,
       guard=_decision_is("escalate"), manual=False),
    # the end
    _t("close", S.EXITED, S.CLOSED, _("Close the case"), guard=_post_exit_reviews_done),
    _t("close_ended", tuple(ENDED_STAGES), S.CLOSED, _("Close the case")),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}

# What a panel decision's outcome means for the case, by the stage it was taken in.
DECISION_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PANEL, "adopt"): "adopt",
    (S.PANEL, "no_further_action"): "panel_no_further_action",
    (S.PANEL, "refer_elsewhere"): "panel_refer_elsewhere",
    (S.PANEL, "escalate"): "panel_escalate",
    (S.PANEL, "defer"): "panel_defer",
    (S.REVIEW, "continue"): "review_continue",
    (S.REVIEW, "adjust"): "review_adjust",
    (S.REVIEW, "exit"): "review_exit",
    (S.REVIEW, "return"): "review_return",
    (S.REVIEW, "refer_elsewhere"): "review_refer_onward",
    (S.REVIEW, "escalate"): "review_escalate",
}


def transitions_from(stage: str) -> list[Transition]:
    return [t for t in TRANSITIONS if stage in t.sources]


def find(name: str, stage: str) -> Transition | None:
    t = BY_NAME.get(name)
    return t if t is not None and stage in t.sources else None
