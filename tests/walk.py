"""Drive one case through the whole process with the services, as each persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tests.world import World
from ura.cases.models import Case
from ura.cases.services import (
    case_transition,
    deconfliction_answer,
    deconfliction_request,
    information_request_answer,
    information_request_create,
)
from ura.governance.services import consent_record
from ura.mechanisms.models import Membership
from ura.panels import services as panels
from ura.panels.models import AgendaItem
from ura.support.models import InterventionType
from ura.support.services import intervention_add, post_exit_review_record, session_record


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def screen_and_review(w: World, case: Case) -> Case:
    case = case_transition(case=case, transition="start_screening", actor=w.coordinator)
    d = deconfliction_request(case=case, actor=w.coordinator)
    deconfliction_answer(deconfliction=d, actor=w.police, answer="proceed", police_note="nothing known")
    case = case_transition(case=case, transition="accept", actor=w.coordinator)
    r = information_request_create(case=case, actor=w.coordinator, to_agency=w.agencies["social"],
                                   question="Is the family known?", purpose="needs assessment",
                                   legal_basis="Law on social protection, art. 12",
                                   due_on=timezone.localdate() + dt.timedelta(days=7))
    information_request_answer(request=r, actor=w.panel[2], answer="Known since 2021; supportive mother.")
    return fresh(case)


def decide(w: World, case: Case, outcome: str) -> AgendaItem:
    """Hold a meeting with every panel member present, all voting ``outcome``."""
    meeting = panels.meeting_create(actor=w.coordinator, mechanism=w.mechanism,
                                    starts_at=timezone.now() + dt.timedelta(days=1))
    item = panels.agenda_add(actor=w.coordinator, meeting=meeting, case=case)
    ids = set(Membership.objects.filter(user__in=w.panel, mechanism=w.mechanism).values_list("pk", flat=True))
    panels.attendance_record(actor=w.coordinator, meeting=meeting, present_ids=ids)
    for member in w.panel:
        panels.vote_cast(actor=member, item=item, outcome=outcome)
    panels.decision_record(actor=w.chair, item=item, reasons="Discussed; see minutes.",
                           chair_outcome=outcome if w.mechanism.decision_rule == "chair" else None)
    return item


def start_support(w: World, case: Case) -> Case:
    case = fresh(case)
    if case.stage == "consent":
        consent_record(actor=w.coordinator, case=case, given_by="guardian" if case.person.is_minor_on(
            timezone.localdate()) else "person", giver_name="Drita Krasniqi", relationship="mother",
            decision="given", scope="Mentoring and family counselling; sharing with the provider")
    case = fresh(case)
    intervention = intervention_add(
        actor=w.coordinator, case=case, type=InterventionType.objects.get(code="mentoring"),
        provider=w.agencies["cso"], goal="Weekly mentoring", schedule="Thursdays 16:00",
        starts_on=timezone.localdate(), ends_on=None, funding_source="donor", funder="GCERF",
        cost=Decimal("600.00"))
    session_record(actor=w.provider, intervention=intervention, held_on=timezone.localdate(), attended=True,
                   minutes_spent=60, progress="Talked about football and school.")
    return fresh(case)


def full_walk(w: World) -> tuple[Case, Case]:
    """Referral → … → return → … → exit → post-exit reviews → closure → re-referral."""
    case = w.refer()
    case = screen_and_review(w, case)
    decide(w, case, "adopt")
    case = start_support(w, case)
    decide(w, case, "return")
    case = fresh(case)
    assert case.stage == "case_review"
    decide(w, case, "adopt")
    case = fresh(case)
    if case.stage == "consent":
        case = start_support(w, case)
    decide(w, case, "exit")
    case = fresh(case)
    for review in case.post_exit_reviews.all():
        post_exit_review_record(actor=w.coordinator, review=review, outcome="no_concern", notes="Doing well.")
    case = case_transition(case=fresh(case), transition="close", actor=w.coordinator)
    from ura.cases.services import case_rerefer

    again = case_rerefer(actor=w.coordinator, previous=case, submission_key=f"again-{case.pk}",
                         referral={"source_sector": "family", "concern_type": "religious",
                                   "concern": "Mother worried again."})
    return case, again
