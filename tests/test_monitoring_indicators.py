"""Each indicator of DESIGN.md §6 against values worked out by hand on a fixed data set.

The data set (mechanism A, 2024; figures published up to 30 September 2026):

| cases | referred | sector, type, sex, age | referrer | screening | what followed |
|---|---|---|---|---|---|
| c1–c5 | Q1 | education, religious, male, 16 | untrained teacher | accepted | adopted (see below) |
| c6 | Q1 | police, religious, female, 30 | no Ura account | police-led | |
| c7–c13 | Q2 | health, right-wing, male, 20 | trained coordinator | 5 signposted, 2 NFA | |
| c14–c18 | Q4 | family, ethno-nationalist, female, no age | untrained teacher | pending | c14 escalated, c15 onward |
| c20, c21 | 2023 | R&R track: a woman of 35, a girl of 9 | | | first intervention Q3 2024 |

c1–c5 were adopted 26, 55, 79, 85 and 92 days after referral; c1–c4 were supported; c1 exited on
30 June and was re-referred on 1 March 2025.

Interventions started in 2024: c1 mentoring (CSO, donor 600, completed), c2 mentoring (CSO, donor 400,
stopped), c3 psychological (health, municipal 300), c4 mentoring (CSO, donor 500) and family counselling
(social, municipal 200, planned), c20 socio-economic (social, national 250), c21 catch-up learning
(school, donor 150). One school session (donor, EUR 1,000). Two trainings, one joint.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.monitoring_data import make_case
from tests.world import World
from ura.monitoring.catalogue import Catalogue
from ura.monitoring.indicators import CountryTable, indicators_for
from ura.monitoring.models import Activity, Allocation, BudgetLine, Training, TrainingParticipation
from ura.monitoring.scopes import country_scope, mechanism_scope
from ura.support.models import Intervention, InterventionType

TODAY = dt.date(2026, 11, 28)
UNTIL = dt.date(2026, 9, 30)
D = dt.date


def build(w: World) -> None:
    def iv(**kw):  # type: ignore[no-untyped-def]
        return kw

    adopt = [D(2024, 2, 10), D(2024, 3, 15), D(2024, 4, 20), D(2024, 5, 5), D(2024, 6, 1)]
    referred = [D(2024, 1, 15), D(2024, 1, 20), D(2024, 2, 1), D(2024, 2, 10), D(2024, 3, 1)]
    ivs = [
        (iv(type="mentoring", starts_on=D(2024, 2, 20), status="completed", source="donor", cost="600"),),
        (iv(type="mentoring", starts_on=D(2024, 3, 20), status="stopped", source="donor", cost="400"),),
        (iv(type="psychological", provider="health", starts_on=D(2024, 5, 1), source="municipal", cost="300"),),
        (iv(type="mentoring", starts_on=D(2024, 5, 10), source="donor", cost="500"),
         iv(type="family-counselling", provider="social", starts_on=D(2024, 5, 12), status="planned",
            source="municipal", cost="200")),
        (),
    ]
    reviews = {0: (("review", "exit", D(2024, 6, 25)),), 1: (("review", "return", D(2024, 7, 10)),),
               2: (("review", "continue", D(2024, 8, 1)),)}
    cases = []
    for i in range(5):
        cases.append(make_case(
            w, referred[i], age=16, screened="case_review", decided_on=adopt[i],
            decisions=(("decision", "adopt", adopt[i]), *reviews.get(i, ())), interventions=ivs[i],
            exited_on=D(2024, 6, 30) if i == 0 else None,
            flows=(("review_return", D(2024, 7, 10)),) if i == 1 else ()))
    make_case(w, D(2024, 3, 5), sector="police", sex="f", age=30, referred_by=None, screened="police_led")
    for i in range(7):
        make_case(w, D(2024, 4, 3 + i), sector="health", concern="right_wing", age=20, referred_by="coordinator",
                  screened="signposted" if i < 5 else "no_further_action")
    for i in range(5):
        make_case(w, D(2024, 10, 2 + i), sector="family", concern="ethno_nationalist", sex="f", age=None,
                  flows=(("escalate", D(2024, 11, 5)),) if i == 0 else (("refer_onward", D(2024, 12, 1)),)
                  if i == 1 else ())
    make_case(w, D(2025, 3, 1), sector="family", person=cases[0].person, previous=cases[0])
    make_case(w, D(2023, 12, 1), sex="f", age=35, track="reintegration", referred_by=None,
              interventions=(iv(type="socio-economic", provider="social", starts_on=D(2024, 8, 15),
                                source="national", cost="250"),))
    make_case(w, D(2023, 12, 2), sex="f", age=9, track="reintegration", referred_by=None,
              interventions=(iv(type="catch-up-learning", provider="school", starts_on=D(2024, 8, 20),
                                cost="150"),))
    t1 = Training.objects.create(mechanism=w.mechanism, topic="Signs", held_on=D(2024, 1, 10), trainer="OSCE",
                                 created_by=w.coordinator)
    TrainingParticipation.objects.create(training=t1, agency=w.agencies["municipality"], user=w.coordinator)
    TrainingParticipation.objects.create(training=t1, agency=w.agencies["school"], headcount=3)
    t2 = Training.objects.create(mechanism=w.mechanism, topic="Pathway", held_on=D(2024, 9, 1), trainer="RAN",
                                 created_by=w.coordinator)
    TrainingParticipation.objects.create(training=t2, agency=w.agencies["police"], headcount=6)
    activity = Activity.objects.create(mechanism=w.mechanism, kind="school_session", title="Critical thinking",
                                       held_on=D(2024, 8, 5), place="Gjilan", audience="pupils", participants=40,
                                       funding_source="donor", funder="GCERF", cost=Decimal(1000),
                                       created_by=w.coordinator)
    gcerf = BudgetLine.objects.create(mechanism=w.mechanism, funder="GCERF", source="donor", title="Support",
                                      year=2024, amount=Decimal(5000), created_by=w.coordinator)
    BudgetLine.objects.create(mechanism=w.mechanism, funder="Municipality", source="municipal", title="Meetings",
                              year=2024, amount=Decimal(1000), created_by=w.coordinator)
    Allocation.objects.create(line=gcerf, intervention=Intervention.objects.get(case=cases[0]), amount=600,
                              created_by=w.coordinator)
    Allocation.objects.create(line=gcerf, activity=activity, amount=1000, created_by=w.coordinator)


@pytest.fixture
def table(world: World) -> tuple[World, CountryTable]:
    build(world)
    types = list(InterventionType.objects.values_list("code", "name"))
    return world, CountryTable("XK", [2024], UNTIL, Catalogue.build(types))


def counts(t: CountryTable, w: World, refs: list[str], quarter: int = 0) -> dict[str, int]:
    node = ("m", w.mechanism.pk)
    return {ref: t.count(ref, node, 2024, quarter) for ref in refs}


def test_referrals_by_quarter(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert [t.count("referrals.all", ("m", w.mechanism.pk), 2024, q) for q in (1, 2, 3, 4, 0)] == [6, 7, 0, 5, 18]


def test_referrals_by_source_sector(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["sector.education", "sector.police", "sector.health", "sector.family", "sector.cso"]) == {
        "sector.education": 5, "sector.police": 1, "sector.health": 7, "sector.family": 5, "sector.cso": 0}


def test_referrals_by_age_band_with_minors(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["age.under_15", "age.15_17", "age.18_24", "age.25_39", "age.40_plus", "age.unknown",
                         "age.minors"]) == {"age.under_15": 0, "age.15_17": 5, "age.18_24": 7, "age.25_39": 1,
                                            "age.40_plus": 0, "age.unknown": 5, "age.minors": 5}


def test_referrals_by_gender_and_type_of_extremism(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["gender.m", "gender.f", "gender.x", "concern.religious", "concern.right_wing",
                         "concern.ethno_nationalist", "concern.left_wing"]) == {
        "gender.m": 12, "gender.f": 6, "gender.x": 0, "concern.religious": 6, "concern.right_wing": 7,
        "concern.ethno_nationalist": 5, "concern.left_wing": 0}


def test_referrals_by_the_referrers_training(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["referrer.trained", "referrer.untrained", "referrer.unknown"]) == {
        "referrer.trained": 7, "referrer.untrained": 10, "referrer.unknown": 1}


def test_screening_outcomes(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, [f"screening.{k}" for k in ("case_review", "signposted", "no_further_action",
                                                      "police_led", "pending")]) == {
        "screening.case_review": 5, "screening.signposted": 5, "screening.no_further_action": 2,
        "screening.police_led": 1, "screening.pending": 5}


def test_the_funnel_from_referral_to_exit(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert [t.count(f"funnel.{k}", ("m", w.mechanism.pk), 2024, 0)
            for k in ("referred", "accepted", "adopted", "supported", "exited")] == [18, 5, 5, 4, 1]


def test_panel_and_review_decisions(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["decisions.adopt", "decisions.all", "decisions.no_further_action"]) == {
        "decisions.adopt": 5, "decisions.all": 5, "decisions.no_further_action": 0}
    assert counts(t, w, ["decisions.adopt"], quarter=1) == {"decisions.adopt": 2}
    assert counts(t, w, ["reviews.exit", "reviews.return", "reviews.continue", "reviews.all"]) == {
        "reviews.exit": 1, "reviews.return": 1, "reviews.continue": 1, "reviews.all": 3}


def test_time_from_referral_to_decision(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["ttd.0_30", "ttd.31_60", "ttd.61_90", "ttd.91_plus", "ttd.all"]) == {
        "ttd.0_30": 1, "ttd.31_60": 1, "ttd.61_90": 2, "ttd.91_plus": 1, "ttd.all": 5}
    assert t.amounts[("ttd.days", ("m", w.mechanism.pk), 2024, 0)] == 26 + 55 + 79 + 85 + 92


def test_interventions_by_type_provider_status_and_funding(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["interventions.all", "interventions.mentoring", "interventions.psychological",
                         "interventions.family-counselling", "interventions.socio-economic",
                         "interventions.catch-up-learning"]) == {
        "interventions.all": 7, "interventions.mentoring": 3, "interventions.psychological": 1,
        "interventions.family-counselling": 1, "interventions.socio-economic": 1,
        "interventions.catch-up-learning": 1}
    assert counts(t, w, ["provider.cso", "provider.health", "provider.social", "provider.school"]) == {
        "provider.cso": 3, "provider.health": 1, "provider.social": 2, "provider.school": 1}
    assert counts(t, w, ["completion.completed", "completion.stopped", "completion.active", "completion.planned",
                         "completion.ended"]) == {
        "completion.completed": 1, "completion.stopped": 1, "completion.active": 4, "completion.planned": 1,
        "completion.ended": 2}
    assert counts(t, w, ["funding.donor", "funding.municipal", "funding.national"]) == {
        "funding.donor": 4, "funding.municipal": 2, "funding.national": 1}


def test_exits_and_re_referral_within_12_and_24_months(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["exits.exited", "exits.followed_12", "exits.rereferred_12", "exits.followed_24",
                         "exits.rereferred_24"]) == {
        "exits.exited": 1, "exits.followed_12": 1, "exits.rereferred_12": 1, "exits.followed_24": 1,
        "exits.rereferred_24": 1}


def test_returns_onward_referrals_and_escalations(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["flows.returns", "flows.onward", "flows.escalations"]) == {
        "flows.returns": 1, "flows.onward": 1, "flows.escalations": 1}
    assert counts(t, w, ["flows.returns"], quarter=3) == {"flows.returns": 1}


def test_rr_persons_counted_in_the_quarter_their_support_began(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    assert counts(t, w, ["rr.all", "rr.women", "rr.children", "rr.men"], quarter=3) == {
        "rr.all": 2, "rr.women": 1, "rr.children": 1, "rr.men": 0}


def test_trainings_joint_trainings_and_participants(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    node = ("m", w.mechanism.pk)
    got = {r: t.numbers.get((r, node, 2024, 0), 0) for r in (
        "trainings.held", "trainings.joint", "trainings.participants", "trainees.municipality", "trainees.school",
        "trainees.police")}
    assert got == {"trainings.held": 2, "trainings.joint": 1, "trainings.participants": 10,
                   "trainees.municipality": 1, "trainees.school": 3, "trainees.police": 6}


def test_activities(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    node = ("m", w.mechanism.pk)
    assert t.numbers[("activities.school_session", node, 2024, 3)] == 1
    assert t.numbers[("audience.pupils", node, 2024, 0)] == 40


def test_spending_cost_per_case_and_the_share_from_international_donors(table) -> None:  # type: ignore[no-untyped-def]
    w, t = table
    node = ("m", w.mechanism.pk)
    amounts = {r: t.amounts[(r, node, 2024, 0)] for r in ("cost.donor", "cost.municipal", "cost.national",
                                                           "cost.total", "cost.activities", "cost.year")}
    assert amounts == {"cost.donor": 2650, "cost.municipal": 500, "cost.national": 250, "cost.total": 3400,
                       "cost.activities": 1000, "cost.year": 2400}
    assert t.count("per_case.cases", node, 2024, 0) == 6
    assert (t.amounts[("budget.total", node, 2024, 0)], t.amounts[("budget.donor", node, 2024, 0)]) == (6000, 5000)
    assert (t.amounts[("alloc.interventions", node, 2024, 0)], t.amounts[("alloc.activities", node, 2024, 0)]) == (
        600, 1000)


def test_published_figures_for_the_mechanism(world: World) -> None:
    build(world)
    ind = indicators_for(mechanism_scope(world.mechanism), 2024, today=TODAY)
    assert ind.figure("referrals", "all").text == "18"
    # Q2 and Q4 are hidden ("x") although 7 and 5: one woman referred in Q1 is "<5", which hides the
    # 5 men of Q1 (gender, Q1), which hides the 7 men of Q2 (men over the quarters), which is all
    # of Q2 — so Q2's total goes too, and Q4 with it (the quarters add up to the year).
    assert [f.text for _c, f in ind.trend] == ["6", "x", "0", "x"]
    assert ind.figure("sector", "police").text == "<5"
    assert ind.figure("concern", "right_wing").text == "x"
    assert ind.figure("concern", "religious").text == "6"
    assert ind.figure("ttd", "mean").text == "67"  # 337 days over 5 decisions
    assert ind.figure("per_case", "mean").text == "400"  # EUR 2,400 over 6 cases
    # Four donor-funded interventions: "<5", so what was spent on them is hidden, and the share with it.
    assert ind.figure("funding", "donor").text == "<5"
    assert ind.figure("spending", "donor").text == "x"
    assert ind.figure("spending", "donor_share").text == "x"
    # Not about referred persons: never hidden.
    assert ind.figure("trainings", "held").text == "2"
    assert ind.figure("budget", "donor_share").text == "83.3"


def test_the_national_level_sums_the_countrys_mechanisms(world: World, other: World) -> None:
    build(world)
    for i in range(6):
        make_case(other, D(2024, 2, 1 + i))
    ind = indicators_for(country_scope("XK"), 2024, today=TODAY)
    assert ind.figure("referrals", "all").text == "24"
    # Q2 and Q4 of the country are mechanism A's alone, hidden in A's report: hidden here too.
    assert [f.text for _c, f in ind.trend] == ["12", "x", "0", "x"]
    b = indicators_for(mechanism_scope(other.mechanism), 2024, today=TODAY)
    # A's 5 referrals from education are hidden in A's report (x): the country's 11 minus B's 6
    # would give them away, so one of those two is hidden.
    assert ind.figure("sector", "education").hidden or b.figure("sector", "education").hidden


def test_quarters_not_yet_ended_are_not_published(world: World) -> None:
    make_case(world, D(2026, 10, 2))
    make_case(world, D(2026, 8, 2))
    ind = indicators_for(mechanism_scope(world.mechanism), 2026, today=TODAY)
    assert [f.text for _c, f in ind.trend] == ["0", "0", "<5", "…"]
    assert ind.figure("referrals", "all").text == "<5"  # the year so far: the October referral is not in it
    assert not ind.complete
