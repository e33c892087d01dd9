""""Why can I see this?": the rule behind every allow, the missing condition behind every deny."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.authz_world import _ask
from tests.walk import decide, fresh, screen_and_review, start_support
from tests.world import World, make_world
from ura.cases.services import case_transition, deconfliction_request
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.services import breakglass_open


def supported(w: World):  # type: ignore[no-untyped-def]
    case = screen_and_review(w, w.refer())
    decide(w, case, "adopt")
    return start_support(w, case)


def test_the_coordinator_is_told_the_coordinating_rule(world: World) -> None:
    why = policy.explain(world.coordinator, world.refer(), cat.RISK)
    assert why.allowed
    assert why.reason.startswith(f"You coordinate cases in {world.mechanism.name}")


def test_the_coordinator_is_told_why_the_police_note_is_hidden(world: World) -> None:
    why = policy.explain(world.coordinator, world.refer(), cat.POLICE)
    assert not why.allowed and "stays with the police" in why.reason


def test_a_panel_member_is_told_the_case_is_on_the_agenda(world: World) -> None:
    case = supported(world)
    why = policy.explain(world.panel[1], fresh(case), cat.MINUTES)
    assert why.allowed and "is on its agenda" in why.reason
    denied = policy.explain(world.panel[1], fresh(case), cat.HEALTH)
    assert not denied.allowed and "panel member" in denied.reason and "health" in denied.reason


def test_a_provider_is_told_which_intervention_opens_the_case(world: World) -> None:
    case = supported(world)
    why = policy.explain(world.provider, fresh(case), cat.NEEDS_PLAN)
    assert why.allowed and world.agencies["cso"].name in why.reason
    assert not policy.explain(world.provider, fresh(case), cat.REFERRAL).allowed


def test_an_agency_asked_for_information_is_told_the_request_and_its_purpose(world: World) -> None:
    case = screen_and_review(world, world.refer())
    _ask(world, case, "school")
    why = policy.explain(world.panel[1], fresh(case), cat.IDENTITY)
    assert why.allowed and "needs assessment" in why.reason and "Law on social protection" in why.reason


def test_passage4prevent_police_are_told_why_the_identity_is_hidden(db) -> None:  # type: ignore[no-untyped-def]
    w = make_world("passage4prevent")
    case = case_transition(case=w.refer(), transition="start_screening", actor=w.coordinator)
    deconfliction_request(case=case, actor=w.coordinator)
    why = policy.explain(w.police, fresh(case), cat.IDENTITY)
    assert not why.allowed and "pseudonymised" in why.reason
    assert policy.explain(w.police, fresh(case), cat.POLICE).allowed


def test_emergency_access_is_explained_with_its_end(world: World) -> None:
    case = world.refer()
    bg = breakglass_open(actor=world.panel[1], reference=case.reference, reason="A threat was reported at school.")
    why = policy.explain(world.panel[1], fresh(case), cat.REFERRAL)
    assert why.allowed and "emergency access" in why.reason and "data-protection officer" in why.reason
    assert bg.expires_at.astimezone().strftime("%H:%M") in why.reason


@pytest.mark.parametrize("persona,words", [("analyst", "aggregate"), ("dpo", "audit trail"),
                                           ("admin", "configuration"), ("referrer", "received")])
def test_roles_without_case_content_are_told_their_rule(world: World, persona: str, words: str) -> None:
    why = policy.explain(getattr(world, persona), world.refer(), cat.IDENTITY)
    assert not why.allowed and words in why.reason


def test_an_outsider_is_told_only_that_they_are_not_a_member(world: World, other: World) -> None:
    why = policy.explain(other.coordinator, world.refer(), cat.IDENTITY)
    assert not why.allowed and why.reason == "You are not a member of the mechanism this case belongs to."


def test_a_member_without_a_reason_yet_is_told_what_would_open_it(world: World) -> None:
    why = policy.explain(world.panel[1], world.refer(), cat.IDENTITY)
    assert not why.allowed and "not on a panel agenda" in why.reason


def test_every_field_group_on_the_case_page_has_its_why(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = supported(world)
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for c in (cat.IDENTITY, cat.REFERRAL, cat.NEEDS_PLAN, cat.RISK, cat.POLICE, cat.MINUTES):
        assert f'<details class="why" data-why="{c}"' in html, c
    assert html.count("<summary>Why can I see this?</summary>") >= 5
    assert "<summary>Why is this not shown?</summary>" in html  # the police note
    for c in cat.ALL:
        assert f'<li data-category="{c}">' in html

