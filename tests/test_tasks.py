from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.walk import screen_and_review
from tests.world import World
from ura.cases.services import case_transition, deconfliction_request, information_request_create
from ura.tasks.selectors import tasks_for


def _overdue_request(world: World) -> None:
    case = screen_and_review(world, world.refer())
    r = information_request_create(case=case, actor=world.coordinator, to_agency=world.agencies["health"],
                                   question="Known to the health centre?", purpose="needs assessment",
                                   legal_basis="Law on health care", due_on=timezone.localdate())
    type(r).objects.filter(pk=r.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))


def test_a_new_referral_is_a_task_for_the_coordinator(world: World) -> None:
    case = world.refer()
    keys = [t.key for t in tasks_for(world.coordinator)]
    assert f"screen:{case.pk}" in keys


def test_the_police_liaison_sees_a_pending_deconfliction(world: World) -> None:
    case = case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)
    deconfliction_request(case=case, actor=world.coordinator)
    assert [t.kind for t in tasks_for(world.police)] == ["deconfliction"]


def test_an_overdue_information_request_is_visible_to_the_coordinator(world: World) -> None:
    _overdue_request(world)
    overdue = [t for t in tasks_for(world.coordinator) if t.kind == "inforequest_overdue"]
    assert len(overdue) == 1
    assert overdue[0].overdue


def test_the_requested_agency_sees_the_request_as_its_own_task(world: World) -> None:
    _overdue_request(world)
    doctor = world.panel[3]
    assert [t.kind for t in tasks_for(doctor)] == ["inforequest"]


def test_a_member_of_another_mechanism_has_no_tasks_from_this_one(world: World, other: World) -> None:
    world.refer()
    assert tasks_for(other.coordinator) == []


def test_remind_sends_each_user_one_email_a_day(world: World) -> None:
    _overdue_request(world)
    call_command("remind")
    first = len(mail.outbox)
    assert first >= 2  # the coordinator and the doctor
    call_command("remind")
    assert len(mail.outbox) == first


def test_reminder_emails_carry_no_case_content(world: World) -> None:
    _overdue_request(world)
    call_command("remind")
    for message in mail.outbox:
        assert "Krasniqi" not in message.body
        assert "videos" not in message.body


def test_remind_rejects_a_malformed_date(world: World) -> None:
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("remind", "--date", "28/11/2026")
