from __future__ import annotations

import pytest
from django.http import Http404

from tests.walk import decide, screen_and_review, start_support
from tests.world import World, make_world
from ura.cases.services import case_transition, deconfliction_request
from ura.governance import categories as cat
from ura.governance import policy


def test_the_coordinator_sees_every_case_of_the_mechanism(world: World) -> None:
    cases = [world.refer() for _ in range(3)]
    assert set(policy.cases_visible_to(world.coordinator)) == set(cases)


def test_a_member_of_another_mechanism_sees_none_of_its_cases(world: World, other: World) -> None:
    world.refer()
    assert not policy.cases_visible_to(other.coordinator).exists()


def test_a_missing_case_and_a_forbidden_one_give_the_same_answer(world: World, other: World) -> None:
    case = world.refer()
    with pytest.raises(Http404):
        policy.case_for(other.coordinator, case.pk)
    with pytest.raises(Http404):
        policy.case_for(other.coordinator, 999_999)
    with pytest.raises(Http404):
        policy.case_for(other.coordinator, "not-a-number")


@pytest.mark.parametrize("persona", ["referrer", "analyst", "dpo", "admin"])
def test_roles_without_casework_see_no_case(world: World, persona: str) -> None:
    world.refer()
    assert not policy.cases_visible_to(getattr(world, persona)).exists()


def test_a_panel_member_sees_only_cases_on_an_agenda(world: World) -> None:
    on_agenda = screen_and_review(world, world.refer())
    decide(world, on_agenda, "adopt")
    world.refer()
    assert list(policy.cases_visible_to(world.panel[0])) == [on_agenda]


def test_a_provider_sees_only_cases_their_agency_supports(world: World) -> None:
    supported = screen_and_review(world, world.refer())
    decide(world, supported, "adopt")
    start_support(world, supported)
    world.refer()
    assert list(policy.cases_visible_to(world.provider)) == [supported]
    assert policy.visible_categories(world.provider, supported) == {cat.IDENTITY, cat.NEEDS_PLAN}


def test_the_police_liaison_sees_only_cases_sent_for_deconfliction(world: World) -> None:
    asked = case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)
    deconfliction_request(case=asked, actor=world.coordinator)
    world.refer()
    assert list(policy.cases_visible_to(world.police)) == [asked]


def test_passage4prevent_police_do_not_see_identity(db: None) -> None:
    w = make_world("passage4prevent")
    case = case_transition(case=w.refer(), transition="start_screening", actor=w.coordinator)
    deconfliction_request(case=case, actor=w.coordinator)
    assert cat.IDENTITY not in policy.visible_categories(w.police, case)


def test_gjilan_police_see_identity(world: World) -> None:
    case = case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)
    deconfliction_request(case=case, actor=world.coordinator)
    assert cat.IDENTITY in policy.visible_categories(world.police, case)


def test_the_coordinator_never_reads_the_police_category(world: World) -> None:
    case = world.refer()
    assert cat.POLICE not in policy.visible_categories(world.coordinator, case)


def test_a_provider_loses_sight_of_the_case_when_its_support_ends(world: World) -> None:
    from tests.walk import fresh
    from ura.support.models import InterventionStatus

    case = screen_and_review(world, world.refer())
    decide(world, case, "adopt")
    start_support(world, case)
    decide(world, fresh(case), "exit")
    assert not policy.cases_visible_to(world.provider).exists()
    assert set(fresh(case).interventions.values_list("status", flat=True)) == {InterventionStatus.COMPLETED}


def test_a_return_through_the_process_stops_the_running_interventions(world: World) -> None:
    from tests.walk import fresh
    from ura.support.models import InterventionStatus

    case = screen_and_review(world, world.refer())
    decide(world, case, "adopt")
    start_support(world, case)
    decide(world, fresh(case), "return")
    assert set(fresh(case).interventions.values_list("status", flat=True)) == {InterventionStatus.STOPPED}
