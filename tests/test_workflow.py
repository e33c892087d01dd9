from __future__ import annotations

import pytest

from tests.walk import decide, fresh, full_walk, screen_and_review
from tests.world import World
from ura.cases import workflow
from ura.cases.services import case_transition
from ura.cases.workflow import Stage
from ura.errors import NotAllowed, ServiceError
from ura.governance.models import AuditEvent


@pytest.mark.parametrize("template", ["gjilan", "channel", "novi_pazar"])
def test_a_case_goes_through_every_stage_under_each_decision_rule(db, template: str) -> None:
    from tests.world import make_world

    w = make_world(template)
    case, again = full_walk(w)
    assert case.stage == Stage.CLOSED
    assert again.person_id == case.person_id
    assert again.episode == 2
    assert again.previous_id == case.pk
    assert again.stage == Stage.REFERRED
    stages = [e.data["target"] for e in case.timeline.filter(kind="transition").order_by("at", "id")]
    expected = ["screening", "case_review", "panel", "support", "review", "case_review", "panel", "support",
                "review", "exited", "closed"]
    if w.mechanism.consent_required:
        expected = ["screening", "case_review", "panel", "consent", "support", "review", "case_review", "panel",
                    "consent", "support", "review", "exited", "closed"]
    assert stages == expected


def test_every_transition_outside_the_table_is_refused(world: World) -> None:
    case = world.refer()
    allowed = {(s, t.name) for t in workflow.TRANSITIONS for s in t.sources}
    for stage in Stage.values:
        for t in workflow.TRANSITIONS:
            if (stage, t.name) in allowed:
                continue
            type(case).objects.filter(pk=case.pk).update(stage=stage)
            with pytest.raises(ServiceError):
                case_transition(case=fresh(case), transition=t.name, actor=world.coordinator, reason="x")
            assert fresh(case).stage == stage


def test_an_unknown_transition_is_refused(world: World) -> None:
    case = world.refer()
    with pytest.raises(ServiceError):
        case_transition(case=case, transition="teleport", actor=world.coordinator)


def test_a_guard_stops_acceptance_before_the_police_answer(world: World) -> None:
    case = case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)
    with pytest.raises(ServiceError, match="deconfliction"):
        case_transition(case=case, transition="accept", actor=world.coordinator)


def test_a_referrer_cannot_move_a_case(world: World) -> None:
    case = world.refer()
    with pytest.raises(NotAllowed):
        case_transition(case=case, transition="start_screening", actor=world.referrer)


def test_each_transition_leaves_one_audit_event(world: World) -> None:
    case = world.refer()
    before = AuditEvent.objects.filter(case_id=case.pk, action="case.transition.start_screening").count()
    case_transition(case=case, transition="start_screening", actor=world.coordinator)
    after = AuditEvent.objects.filter(case_id=case.pk, action="case.transition.start_screening").count()
    assert after - before == 1


def test_signposting_needs_a_reason(world: World) -> None:
    case = case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)
    with pytest.raises(ServiceError):
        case_transition(case=case, transition="signpost", actor=world.coordinator, reason=" ")
    case = case_transition(case=case, transition="signpost", actor=world.coordinator, reason="Youth counselling")
    assert case.stage == Stage.SIGNPOSTED
    assert case.signposted_to == "Youth counselling"


def test_a_conflicted_member_cannot_vote(world: World) -> None:
    from django.utils import timezone

    from ura.mechanisms.models import Membership
    from ura.panels import services as panels

    case = screen_and_review(world, world.refer())
    meeting = panels.meeting_create(actor=world.coordinator, mechanism=world.mechanism, starts_at=timezone.now())
    item = panels.agenda_add(actor=world.coordinator, meeting=meeting, case=case)
    ids = set(Membership.objects.filter(user__in=world.panel).values_list("pk", flat=True))
    panels.attendance_record(actor=world.coordinator, meeting=meeting, present_ids=ids)
    panels.conflict_declare(actor=world.panel[1], item=item, reason="Teaches the person's sister")
    with pytest.raises(ServiceError, match="conflict"):
        panels.vote_cast(actor=world.panel[1], item=item, outcome="adopt")


def test_majority_needs_more_than_half_of_those_present(world: World) -> None:
    from django.utils import timezone

    from ura.mechanisms.models import Membership
    from ura.panels import services as panels

    case = screen_and_review(world, world.refer())
    meeting = panels.meeting_create(actor=world.coordinator, mechanism=world.mechanism, starts_at=timezone.now())
    item = panels.agenda_add(actor=world.coordinator, meeting=meeting, case=case)
    ids = set(Membership.objects.filter(user__in=world.panel).values_list("pk", flat=True))
    panels.attendance_record(actor=world.coordinator, meeting=meeting, present_ids=ids)
    for member, outcome in zip(world.panel, ["adopt", "adopt", "no_further_action", "no_further_action"],
                               strict=True):
        panels.vote_cast(actor=member, item=item, outcome=outcome)
    with pytest.raises(ServiceError, match="majority"):
        panels.decision_record(actor=world.chair, item=item, reasons="Split.")
    panels.vote_cast(actor=world.panel[3], item=item, outcome="adopt")
    decision = panels.decision_record(actor=world.chair, item=item, reasons="Three to one.")
    assert decision.outcome == "adopt"
    assert fresh(case).stage == Stage.SUPPORT


def test_consensus_fails_on_one_dissent(channel: World) -> None:
    case = screen_and_review(channel, channel.refer())
    with pytest.raises(ServiceError):
        from django.utils import timezone

        from ura.mechanisms.models import Membership
        from ura.panels import services as panels

        meeting = panels.meeting_create(actor=channel.coordinator, mechanism=channel.mechanism,
                                        starts_at=timezone.now())
        item = panels.agenda_add(actor=channel.coordinator, meeting=meeting, case=case)
        ids = set(Membership.objects.filter(user__in=channel.panel).values_list("pk", flat=True))
        panels.attendance_record(actor=channel.coordinator, meeting=meeting, present_ids=ids)
        for member in channel.panel[:-1]:
            panels.vote_cast(actor=member, item=item, outcome="adopt")
        panels.vote_cast(actor=channel.panel[-1], item=item, outcome="no_further_action")
        panels.decision_record(actor=channel.chair, item=item, reasons="No consensus.")
    assert fresh(case).stage == Stage.PANEL


def test_a_minor_needs_a_guardian_for_consent(channel: World) -> None:
    from ura.governance.services import consent_record

    case = screen_and_review(channel, channel.refer(minor=True))
    decide(channel, case, "adopt")
    with pytest.raises(ServiceError, match="guardian"):
        consent_record(actor=channel.coordinator, case=fresh(case), given_by="person", giver_name="Arben",
                       relationship="", decision="given", scope="Mentoring")
    consent_record(actor=channel.coordinator, case=fresh(case), given_by="guardian", giver_name="Drita",
                   relationship="mother", decision="declined", scope="Mentoring")
    assert fresh(case).stage == Stage.DECLINED
