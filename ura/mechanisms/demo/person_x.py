"""The paper's Kosovo example in the DPRRP demo: Person X returns from Syria with his wife and
children (DESIGN.md §2, R&R track). Played after the mechanism's generated history, with fixed
dates and no draws from the story's random numbers, so the rest of the demo is unchanged.

Where the household stands today: the father is in prison and his pre-release meeting shared the
police risk assessment with probation; the mother and the elder child are in support with their
individual plans; the younger child is still being assessed; the household is offered to the
Gjilan municipal team, which has not answered yet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from ura.cases import services as cases
from ura.cases.models import Case
from ura.mechanisms.models import Mechanism
from ura.panels import services as panels
from ura.panels.models import AgendaItem, Meeting
from ura.reintegration import services as rr
from ura.reintegration.models import CustodyKind, Phase
from ura.support.models import InterventionType
from ura.support.services import intervention_add

if TYPE_CHECKING:
    from ura.mechanisms.demo.story import Story

FAMILY_PROGRAMME = ("socio-economic", "psychological", "theological", "family-counselling", "recreation-culture",
                    "mentoring")
LEGAL_BASIS = "Law No. 08/L-132 on Execution of Penal Sanctions"


def _person(given: str, born: dt.date, sex: str, father: str = "") -> dict[str, object]:
    return {"given_name": given, "family_name": "X.", "father_name": father, "birth_date": born,
            "birth_date_precision": "day", "sex": sex, "place": "Ferizaj"}


def _refer(story: Story, key: str, person: dict[str, object], referred_on: dt.date) -> Case:
    referral = {"source_sector": "justice", "concern_type": "religious", "track": "reintegration",
                "concern": "Returned from Syria with the family; repatriated by the Government of Kosovo."}
    return cases.referral_submit(actor=story.coordinator, mechanism=story.mechanism, person=person,
                                 referral=referral, submission_key=f"demo-dprrp-person-x-{key}",
                                 referred_on=referred_on)


def _review(story: Story, case: Case) -> Case:
    case = story.move(case, "start_screening")
    check = cases.deconfliction_request(case=case, actor=story.coordinator)
    cases.deconfliction_answer(deconfliction=check, actor=story.police, answer="proceed",
                               police_note="Security check done on return; see the risk assessment.")
    case = story.move(story.fresh(case), "accept")
    # The social worker's socio-economic assessment starts with what the centre already knows.
    cases.information_request_create(case=case, actor=story.coordinator, to_agency=story.agencies["social"],
                                     question="Is the family known to the centre? Housing and benefits?",
                                     purpose="socio-economic assessment", legal_basis=story.spec.legal_basis[0],
                                     due_on=story.end_date + dt.timedelta(days=10))
    return story.fresh(case)


def _adopt(story: Story, cases_: list[Case]) -> None:
    meeting = panels.meeting_create(actor=story.coordinator, mechanism=story.mechanism,
                                    starts_at=timezone.now() - dt.timedelta(days=2),
                                    location=story.spec.meeting_place)
    items = [panels.agenda_add(actor=story.coordinator, meeting=meeting, case=story.fresh(c)) for c in cases_]
    panels.attendance_record(actor=story.coordinator, meeting=meeting, present_ids={m.pk for m in story.panel})
    for item in items:
        item = AgendaItem.objects.select_related("meeting__mechanism", "case").get(pk=item.pk)
        panels.decision_record(actor=story.chair, item=item, chair_outcome="adopt",
                               reasons="The family programme and an individual plan were agreed.")
    panels.meeting_close(actor=story.coordinator, meeting=Meeting.objects.get(pk=meeting.pk),
                         minutes="The family programme was discussed; individual plans adopted for the mother "
                                 "and the elder child.")


def _plan(story: Story, case: Case, start: dt.date, *items: tuple[str, str, str]) -> None:
    for code, agency, goal in items:
        intervention_add(actor=story.coordinator, case=story.fresh(case), type=InterventionType.objects.get(code=code),
                         provider=story.agencies[agency], goal=goal, schedule="Weekly", starts_on=start,
                         ends_on=None, funding_source="donor", funder="IOM", cost=Decimal("400.00"))


def play(story: Story) -> None:
    c, today = story.coordinator, story.end_date
    returned = today - dt.timedelta(days=150)
    household = rr.household_create(actor=c, mechanism=story.mechanism, name="Household of Person X",
                                    returned_on=returned)
    adult = _refer(story, "father", _person("Person", dt.date(1987, 4, 12), "m"), returned)
    wife = _refer(story, "mother", _person("Wife of Person", dt.date(1993, 9, 3), "f"), returned)
    elder = _refer(story, "elder", _person("Elder child of Person", dt.date(2015, 2, 20), "m", "Person"), returned)
    younger = _refer(story, "younger", _person("Younger child of Person", dt.date(2019, 6, 1), "f", "Person"),
                     returned)
    rr.household_member_add(actor=c, household=household, case=adult, relationship="head",
                            lives_at="Dubrava prison")
    mother = rr.household_member_add(actor=c, household=household, case=wife, relationship="spouse",
                                     lives_at="With her parents, Ferizaj")
    for child in (elder, younger):
        rr.household_member_add(actor=c, household=household, case=child, relationship="child", guardian=mother,
                                lives_at="With the mother, Ferizaj")
    for case in (adult, wife, elder, younger):
        rr.phase_enter(actor=c, case=case, phase=Phase.REPATRIATION, started_on=returned - dt.timedelta(days=30),
                       note="Security check by the Kosovo Police before repatriation.")
        _review(story, case)
        rr.phase_enter(actor=c, case=story.fresh(case), phase=Phase.ASSESSMENT, started_on=returned,
                       note="Social worker, doctor, psychiatrist and theologian.")
    # The father: detained on return, tried, sentenced; a prison programme; visits before release.
    milestones = ((CustodyKind.DETAINED, 0, "Detained at the airport on return."),
                  (CustodyKind.TRIAL, 40, "Basic Court of Prishtinë, Serious Crimes Department."),
                  (CustodyKind.SENTENCED, 70, "Three years and six months for joining a foreign conflict."),
                  (CustodyKind.PRISON_PROGRAMME, 85, "Disengagement programme with a theologian and a psychologist."),
                  (CustodyKind.PRISON_VISIT, 120, "The community police officer from Ferizaj visited to build trust."))
    for kind, days, detail in milestones:
        rr.custody_record(actor=c, case=story.fresh(adult), kind=kind, on=returned + dt.timedelta(days=days),
                          detail=detail)
    a = story.agencies
    rr.pre_release_meeting_record(
        actor=c, case=story.fresh(adult), on=today - dt.timedelta(days=7),
        agencies=[a["prison"], a["probation"], a["police"], a["social"], a["cso"], a["school"]],
        share_risk_with=[a["probation"]], legal_basis=LEGAL_BASIS,
        detail="Release plan: housing with the family, weekly probation reporting, mentoring by the CSO.")
    # The mother and the elder child: a family programme and individual plans.
    _adopt(story, [wife, elder])
    start = today - dt.timedelta(days=20)
    _plan(story, elder, start, ("school-registration", "school", "Enrolled in grade 5 in Ferizaj"),
          ("catch-up-learning", "cso", "Catch up on the years of schooling missed"))
    _plan(story, wife, start, ("parenting-workshop", "cso", "Parenting workshops with other mothers"),
          ("vocational-training", "social", "Tailoring course towards a certificate"))
    for case in (wife, elder):
        rr.phase_enter(actor=c, case=story.fresh(case), phase=Phase.DESIGN, started_on=start)
    rr.household_programme_set(actor=c, household=household, elements=FAMILY_PROGRAMME,
                               programme="Support for the family in Ferizaj while the father serves his sentence; "
                                         "family counselling before and after his release.")
    local = Mechanism.objects.filter(slug="gjilan").first()
    if local is not None:
        rr.handover_propose(actor=c, household=household, to_mechanism=local,
                            note="The family is moving to Gjilan. The father's release is expected in spring; "
                                 "his pre-release meeting has been held.")
