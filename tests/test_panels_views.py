"""Panel meetings through the web pages, as each persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.walk import decide, fresh, screen_and_review
from tests.world import World
from ura.accounts.models import User
from ura.cases.workflow import Stage
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.models import AuditEvent
from ura.mechanisms.models import Membership, Role
from ura.panels import services as panels
from ura.panels.models import AgendaItem, ConflictOfInterest, Decision, Meeting, MeetingStatus, Vote

HTMX = {"HTTP_HX_REQUEST": "true"}


def meeting_with(w: World, *, cases: int = 1, present: bool = True) -> tuple[Meeting, list[AgendaItem]]:
    meeting = panels.meeting_create(actor=w.coordinator, mechanism=w.mechanism,
                                    starts_at=timezone.now() + dt.timedelta(days=1), location="Town hall")
    items = [panels.agenda_add(actor=w.coordinator, meeting=meeting, case=screen_and_review(w, w.refer()))
             for _ in range(cases)]
    if present:
        ids = set(Membership.objects.filter(user__in=w.panel, mechanism=w.mechanism).values_list("pk", flat=True))
        panels.attendance_record(actor=w.coordinator, meeting=meeting, present_ids=ids)
    return meeting, items


def url(name: str, meeting: Meeting, item: AgendaItem | None = None) -> str:
    args = [meeting.pk] if item is None else [meeting.pk, item.pk]
    return reverse(f"panels:{name}", args=args)


def item_html(response, item: AgendaItem) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    start = html.index(f'id="item-{item.pk}"')
    return html[start:html.index("</article>", start)]


def messages_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def test_a_panel_member_votes_through_the_page(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    client.force_login(world.panel[1])
    page = client.get(url("detail", meeting))
    assert 'data-form="vote"' in item_html(page, item)
    response = client.post(url("vote_cast", meeting, item), {"outcome": "adopt"}, follow=True)
    assert Vote.objects.get(item=item).outcome == "adopt"
    assert "Your vote is recorded." in response.content.decode()


def test_a_vote_sent_with_htmx_gets_the_item_back_with_the_new_tally(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    client.force_login(world.panel[1])
    response = client.post(url("vote_cast", meeting, item), {"outcome": "no_further_action"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="item-{item.pk}"' in html
    assert "1 of 4 eligible members have voted." in html


def test_an_outcome_not_offered_is_a_form_error_not_a_vote(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    client.force_login(world.panel[1])
    response = client.post(url("vote_cast", meeting, item), {"outcome": "exit"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in item_html(response, item)
    assert not Vote.objects.filter(item=item).exists()


def test_a_conflicted_members_vote_form_is_not_offered_and_a_forced_post_is_refused(
        client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    member = world.panel[1]
    client.force_login(member)
    client.post(url("conflict_declare", meeting, item), {"reason": "Teaches the person's sister"})
    assert ConflictOfInterest.objects.filter(item=item, membership__user=member).exists()
    section = item_html(client.get(url("detail", meeting)), item)
    assert 'data-form="vote"' not in section
    assert "declared a conflict of interest" in section
    response = client.post(url("vote_cast", meeting, item), {"outcome": "adopt"}, follow=True)
    assert "conflict of interest" in messages_of(response)
    assert not Vote.objects.filter(item=item).exists()


def test_the_chair_records_a_decision_under_the_chair_rule(client, chaired: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(chaired)
    client.force_login(chaired.chair)
    page = client.get(url("detail", meeting))
    assert "Chair decides after discussion" in page.content.decode()
    assert 'name="outcome"' in item_html(page, item).split('data-form="decision"')[1]
    client.post(url("decision_record", meeting, item), {"outcome": "adopt", "reasons": "Needs mentoring."})
    decision = Decision.objects.get(item=item)
    assert (decision.outcome, decision.rule) == ("adopt", "chair")
    assert fresh(item.case).stage == Stage.CONSENT


def test_under_majority_nobody_picks_the_outcome_the_votes_do(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    for member in world.panel[:3]:
        panels.vote_cast(actor=member, item=item, outcome="adopt")
    client.force_login(world.coordinator)
    page = client.get(url("detail", meeting))
    assert 'name="outcome"' not in item_html(page, item).split('data-form="decision"')[1]
    client.post(url("decision_record", meeting, item), {"outcome": "escalate", "reasons": "Three of four."})
    assert Decision.objects.get(item=item).outcome == "adopt"


def test_without_quorum_the_page_says_so_and_a_decision_is_refused(client, chaired: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(chaired, present=False)
    client.force_login(chaired.chair)
    page = client.get(url("detail", meeting)).content.decode()
    assert "Not quorate" in page
    assert "0 of 4 voting agencies present; 50% needed." in page
    response = client.post(url("decision_record", meeting, item), {"outcome": "adopt", "reasons": "x"}, follow=True)
    assert "not quorate" in messages_of(response)
    assert not Decision.objects.filter(item=item).exists()
    assert fresh(item.case).stage == Stage.PANEL


def test_an_outsider_gets_404_on_a_meeting_page(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    for outsider in (other.coordinator, other.chair, world.provider, world.police, world.referrer):
        client.force_login(outsider)
        assert client.get(url("detail", meeting)).status_code == 404
        assert client.post(url("vote_cast", meeting, item), {"outcome": "adopt"}).status_code == 404
        assert client.post(url("agenda_add", meeting), {"case": item.case_id}).status_code == 404
    assert not Vote.objects.exists()


def test_an_item_of_another_meeting_is_not_found(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = meeting_with(world)
    _, [elsewhere] = meeting_with(world)
    client.force_login(world.panel[1])
    assert client.post(url("vote_cast", meeting, elsewhere), {"outcome": "adopt"}).status_code == 404


def test_every_read_of_the_meeting_page_leaves_one_audit_event(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    client.force_login(world.panel[2])
    client.get(url("detail", meeting))
    client.get(url("detail", meeting))
    events = AuditEvent.objects.filter(action="panel.meeting_viewed", object_id=str(meeting.pk))
    assert events.count() == 2
    assert events.first().data["cases"] == [item.case_id]


def test_the_person_is_named_only_to_viewers_who_may_see_identity(client, world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    name = item.case.person.full_name
    client.force_login(world.panel[1])
    assert name in item_html(client.get(url("detail", meeting)), item)
    monkeypatch.setitem(policy.ROLE_CATEGORIES, Role.PANEL_MEMBER,
                        policy.ROLE_CATEGORIES[Role.PANEL_MEMBER] - {cat.IDENTITY})
    section = item_html(client.get(url("detail", meeting)), item)
    assert item.case.reference in section
    assert name not in section


def test_the_coordinator_plans_a_meeting_fills_the_agenda_and_records_attendance(
        client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = screen_and_review(world, world.refer())
    client.force_login(world.coordinator)
    when = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("panels:meeting_create"),
                           {"mechanism": world.mechanism.pk, "starts_at": when, "location": "Room 2"})
    meeting = Meeting.objects.get(mechanism=world.mechanism)
    assert response["Location"] == url("detail", meeting)
    page = client.get(url("detail", meeting)).content.decode()
    assert case.reference in page
    client.post(url("agenda_add", meeting), {"case": case.pk})
    assert fresh(case).stage == Stage.PANEL
    present = list(Membership.objects.filter(user__in=world.panel[:2], mechanism=world.mechanism))
    client.post(url("attendance_record", meeting), {"present": [m.pk for m in present]})
    assert set(meeting.attendance.filter(present=True).values_list("membership_id", flat=True)) == {
        m.pk for m in present}
    assert "2 of 4 voting agencies present; 50% needed." in client.get(url("detail", meeting)).content.decode()


def test_a_meeting_with_a_bad_date_is_a_form_error(client, world: World) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.coordinator)
    response = client.post(reverse("panels:meeting_create"), {"mechanism": world.mechanism.pk, "starts_at": "soon"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_panel_member_cannot_plan_meetings_or_fill_the_agenda(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = meeting_with(world, cases=0)
    case = screen_and_review(world, world.refer())
    client.force_login(world.panel[1])
    assert client.get(reverse("panels:meeting_create")).status_code == 404
    page = client.get(url("detail", meeting)).content.decode()
    assert case.reference not in page
    real = client.post(url("agenda_add", meeting), {"case": case.pk}, follow=True)
    bogus = client.post(url("agenda_add", meeting), {"case": 999999}, follow=True)
    assert messages_of(real) == messages_of(bogus) == "Only the coordinator manages panel meetings."
    assert not AgendaItem.objects.filter(case=case).exists()


def test_a_member_not_recorded_as_present_is_told_why_they_cannot_vote(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world, present=False)
    client.force_login(world.panel[1])
    section = item_html(client.get(url("detail", meeting)), item)
    assert 'data-form="vote"' not in section
    assert "You are not recorded as present" in section


def test_the_meeting_is_closed_only_when_every_item_is_decided(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, [item] = meeting_with(world)
    client.force_login(world.coordinator)
    response = client.post(url("meeting_close", meeting), {"minutes": "Discussed one case."}, follow=True)
    assert "needs a decision" in messages_of(response)
    for member in world.panel:
        panels.vote_cast(actor=member, item=item, outcome="adopt")
    client.post(url("decision_record", meeting, item), {"reasons": "Unanimous."})
    client.post(url("meeting_close", meeting), {"minutes": "Discussed one case."})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "Discussed one case.")


def test_the_meetings_list_shows_only_the_users_mechanisms(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    mine, _ = meeting_with(world, cases=0)
    theirs, _ = meeting_with(other, cases=0)
    client.force_login(world.panel[1])
    html = client.get(reverse("panels:list")).content.decode()
    assert url("detail", mine) in html
    assert url("detail", theirs) not in html
    client.force_login(world.provider)
    assert client.get(reverse("panels:list")).status_code == 404


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_meetings_list_does_not_grow_with_the_number_of_meetings(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting_with(world, cases=1)
    client.force_login(world.coordinator)
    few = _queries(client, reverse("panels:list"))
    for _ in range(4):
        meeting_with(world, cases=1)
    panels.meeting_create(actor=world.coordinator, mechanism=world.mechanism,
                          starts_at=timezone.now() - dt.timedelta(days=30))
    assert _queries(client, reverse("panels:list")) == few


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_the_meeting_page_does_not_grow_with_the_number_of_agenda_items(client, world: World, who: str) -> None:  # type: ignore[no-untyped-def]
    small, [item] = meeting_with(world, cases=1)
    large, items = meeting_with(world, cases=4)
    for it in (item, *items):
        panels.vote_cast(actor=world.panel[1], item=it, outcome="adopt")
        panels.conflict_declare(actor=world.panel[2], item=it, reason="Neighbour")
    client.force_login(world.coordinator if who == "coordinator" else world.panel[1])
    assert _queries(client, url("detail", large)) == _queries(client, url("detail", small))


def render_sections(user: User, case) -> str:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    template = Template("{% load panel_tags %}{% case_panel_section case %}")
    return template.render(RequestContext(request, {"case": policy.case_for(request.user, case.pk)}))


def test_the_case_page_shows_the_panels_decision_and_reasons_to_the_team(world: World) -> None:
    case = screen_and_review(world, world.refer())
    item = decide(world, case, "adopt")
    html = render_sections(world.coordinator, case)
    assert "Adopt with a support package" in html
    assert "Discussed; see minutes." in html
    assert reverse("panels:detail", args=[item.meeting_id]) in html


def test_the_case_page_shows_no_panel_minutes_to_a_provider(world: World) -> None:
    from tests.walk import start_support

    case = screen_and_review(world, world.refer())
    decide(world, case, "adopt")
    start_support(world, case)
    assert "Discussed; see minutes." not in render_sections(world.provider, case)


def test_the_coordinator_puts_a_case_on_a_planned_meeting_from_the_case_page(client, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = meeting_with(world, cases=0)
    case = screen_and_review(world, world.refer())
    assert "Put on the agenda" in render_sections(world.coordinator, case)
    client.force_login(world.coordinator)
    client.post(reverse("panels:case_schedule", args=[case.pk]), {"meeting": meeting.pk})
    assert AgendaItem.objects.filter(meeting=meeting, case=case).exists()
