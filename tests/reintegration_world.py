"""The paper's Person X household, built through the services (for the reintegration tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.test_assessments import complete
from tests.walk import decide, fresh, screen_and_review
from tests.world import World, make_world, user
from ura.cases.models import Case
from ura.cases.services import referral_submit
from ura.mechanisms.models import AgencyType, Role
from ura.mechanisms.services import agency_create, membership_grant
from ura.reintegration import services as rr
from ura.reintegration.models import CustodyKind, Household, HouseholdMember, Phase
from ura.support.models import InterventionType
from ura.support.services import intervention_add

FAMILY = ("socio-economic", "psychological", "family-counselling", "recreation-culture", "mentoring")


@dataclass
class PersonX:
    central: World
    local: World
    household: Household
    adult: Case
    wife: Case
    child: Case
    probation: Any  # a probation officer on the local team
    extra: dict[str, Any] = field(default_factory=dict)


def add_justice(w: World) -> Any:
    """Prison and probation agencies, with a probation officer, in a world."""
    slug = w.mechanism.slug
    for name, type_ in (("Prison", AgencyType.PRISON), ("Probation service", AgencyType.PROBATION)):
        w.agencies[type_] = agency_create(actor=None, mechanism=w.mechanism, name=f"{name} ({slug})", type=type_,
                                          votes_on_panel=False)
    officer = user(f"probation-{slug}")
    membership_grant(actor=None, user=officer, mechanism=w.mechanism, agency=w.agencies[AgencyType.PROBATION],
                     role=Role.PANEL_MEMBER)
    return officer


def returnee(w: World, given: str, born: dt.date, sex: str) -> Case:
    person = {"given_name": given, "family_name": "X", "birth_date": born, "birth_date_precision": "day",
              "sex": sex, "place": w.mechanism.place}
    referral = {"source_sector": "justice", "concern_type": "religious", "track": "reintegration",
                "concern": "Returned from Syria with the family."}
    return referral_submit(actor=w.coordinator, mechanism=w.mechanism, person=person, referral=referral,
                           submission_key=f"px-{given}-{w.mechanism.slug}-{timezone.now().timestamp()}")


def plan(w: World, case: Case, *items: tuple[str, str]) -> None:
    for code, agency in items:
        intervention_add(actor=w.coordinator, case=fresh(case), type=InterventionType.objects.get(code=code),
                         provider=w.agencies[agency], goal=f"{code} for {case.person.given_name}",
                         schedule="Weekly", starts_on=timezone.localdate(), ends_on=None,
                         funding_source="national", cost=Decimal("100"))


def person_x(*, handed_over: bool = True) -> PersonX:
    """Return, custody, assessments, programme and plans; optionally the handover to the local team."""
    central, local = make_world("dprrp"), make_world("gjilan")
    add_justice(central)
    probation = add_justice(local)
    c = central.coordinator
    household = rr.household_create(actor=c, mechanism=central.mechanism, name="Household of Person X",
                                    returned_on=timezone.localdate())
    adult = returnee(central, "Person", dt.date(1985, 1, 2), "m")
    wife = returnee(central, "Wife", dt.date(1990, 3, 4), "f")
    child = returnee(central, "Child", dt.date(2015, 5, 6), "m")
    rr.household_member_add(actor=c, household=household, case=adult, relationship="head",
                            lives_at="Detention centre")
    mother = rr.household_member_add(actor=c, household=household, case=wife, relationship="spouse",
                                     lives_at="Family home, Gjilan")
    rr.household_member_add(actor=c, household=household, case=child, relationship="child", guardian=mother,
                            lives_at="Family home, Gjilan")
    for case in (adult, wife, child):
        rr.phase_enter(actor=c, case=case, phase=Phase.REPATRIATION)
    # Repatriation planning: the police security check of the adult.
    adult = screen_and_review(central, adult)
    complete(central, adult, "ura-rr-security", by=central.police)
    for kind in (CustodyKind.DETAINED, CustodyKind.TRIAL, CustodyKind.SENTENCED, CustodyKind.PRISON_PROGRAMME):
        rr.custody_record(actor=c, case=fresh(adult), kind=kind, on=timezone.localdate(), detail=f"{kind} recorded")
    rr.custody_record(actor=c, case=fresh(adult), kind=CustodyKind.PRISON_VISIT, on=timezone.localdate(),
                      detail="Community police officer visited to build trust.",
                      agencies=[central.agencies["police"]])
    # The family: assessments by discipline, programme design, individual plans.
    for case in (wife, child):
        case = screen_and_review(central, case)
        rr.phase_enter(actor=c, case=case, phase=Phase.ASSESSMENT)
        complete(central, case, "ura-rr-socioeconomic")
        complete(central, case, "ura-rr-ideological")
        decide(central, case, "adopt")
        rr.phase_enter(actor=c, case=fresh(case), phase=Phase.DESIGN)
    plan(central, child, ("school-registration", "school"), ("catch-up-learning", "cso"))
    plan(central, wife, ("parenting-workshop", "cso"), ("vocational-training", "social"))
    rr.household_programme_set(actor=c, household=household, programme="Family support in the home municipality.",
                               elements=FAMILY)
    px = PersonX(central=central, local=local, household=Household.objects.get(pk=household.pk),
                 adult=fresh(adult), wife=fresh(wife), child=fresh(child), probation=probation)
    if handed_over:
        handover = rr.handover_propose(actor=c, household=px.household, to_mechanism=local.mechanism,
                                       note="Family settled in Gjilan; the father is in prison.")
        rr.handover_respond(actor=local.coordinator, handover=handover, accept=True, response="Welcome.")
        px.adult, px.wife, px.child = fresh(adult), fresh(wife), fresh(child)
        px.household = Household.objects.get(pk=household.pk)
        px.extra["handover"] = handover
    return px


def members(px: PersonX) -> list[HouseholdMember]:
    return list(px.household.members.order_by("id"))
