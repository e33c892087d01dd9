"""Consent, support plans, post-exit reviews and the provider's page, through the web."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.walk import decide, fresh, screen_and_review, start_support
from tests.world import World
from ura.accounts.models import User
from ura.cases.models import Case
from ura.cases.workflow import Stage
from ura.governance import policy
from ura.governance.models import AuditEvent, Consent
from ura.support.models import Intervention, InterventionType, Session
from ura.support.services import intervention_add, post_exit_review_record

HTMX = {"HTTP_HX_REQUEST": "true"}


def in_support(w: World, **refer: object) -> Case:
    case = screen_and_review(w, w.refer(**refer))
    decide(w, case, "adopt")
    return start_support(w, case)


def in_consent(w: World, *, minor: bool = False) -> Case:
    case = screen_and_review(w, w.refer(minor=minor))
    decide(w, case, "adopt")
    return fresh(case)


def add_intervention(w: World, case: Case, agency: str, code: str = "mentoring") -> Intervention:
    return intervention_add(actor=w.coordinator, case=case, type=InterventionType.objects.get(code=code),
                            provider=w.agencies[agency], goal=f"Goal of {agency}", schedule="Mondays",
                            starts_on=timezone.localdate(), ends_on=None, funding_source="municipal")


def messages_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def render_section(user: User, case: Case) -> str:
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    template = Template("{% load support_tags %}{% case_support_section case %}")
    return template.render(RequestContext(request, {"case": policy.case_for(request.user, case.pk)}))


# --- the provider's page ---------------------------------------------------------------

def test_a_provider_sees_only_their_agencys_interventions(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    case = in_support(world)
    health = add_intervention(world, case, "health", "health-care")
    elsewhere = Intervention.objects.get(case=in_support(other))
    client.force_login(world.provider)
    html = client.get(reverse("support:my_interventions")).content.decode()
    mine = Intervention.objects.get(case=case, provider=world.agencies["cso"])
    assert f'data-intervention="{mine.pk}"' in html
    assert case.person.full_name in html
    assert f'data-intervention="{health.pk}"' not in html
    assert f'data-intervention="{elsewhere.pk}"' not in html


def test_the_provider_sees_the_needed_facts_and_not_the_referral(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = in_support(world)
    client.force_login(world.provider)
    intervention = Intervention.objects.get(case=case)
    html = client.get(reverse("support:intervention", args=[intervention.pk])).content.decode()
    assert "Weekly mentoring" in html and "Thursdays 16:00" in html
    assert case.concern not in html
    assert "Discussed; see minutes." not in html


def test_a_provider_cannot_open_another_agencys_intervention(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    case = in_support(world)
    health = add_intervention(world, case, "health", "health-care")
    elsewhere = Intervention.objects.get(case=in_support(other))
    before = Session.objects.count()
    client.force_login(world.provider)
    for intervention in (health, elsewhere):
        assert client.get(reverse("support:intervention", args=[intervention.pk])).status_code == 404
        response = client.post(reverse("support:session_record", args=[intervention.pk]),
                               {"held_on": timezone.localdate().isoformat(), "attended": "yes",
                                "minutes_spent": 60})
        assert response.status_code == 404
    assert client.get(reverse("support:intervention", args=[999999])).status_code == 404
    assert Session.objects.count() == before


def test_a_provider_records_a_session(client, world: World) -> None:  # type: ignore[no-untyped-def]
    intervention = Intervention.objects.get(case=in_support(world))
    client.force_login(world.provider)
    path = reverse("support:session_record", args=[intervention.pk])
    response = client.post(path, {"held_on": timezone.localdate().isoformat(), "attended": "no",
                                  "minutes_spent": 45, "progress": "Did not come; phoned the mother."}, follow=True)
    session = intervention.sessions.order_by("-id").first()
    assert (session.attended, session.minutes_spent) == (False, 45)
    assert "The session is recorded." in messages_of(response)
    assert "Did not come; phoned the mother." in response.content.decode()


def test_a_session_in_the_future_is_a_form_error(client, world: World) -> None:  # type: ignore[no-untyped-def]
    intervention = Intervention.objects.get(case=in_support(world))
    client.force_login(world.provider)
    before = intervention.sessions.count()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("support:session_record", args=[intervention.pk]),
                           {"held_on": tomorrow, "attended": "yes", "minutes_spent": 60})
    assert response.status_code == 200
    assert 'id="id_held_on_error"' in response.content.decode()
    assert intervention.sessions.count() == before


def test_the_session_form_is_built_for_a_phone(client, world: World) -> None:  # type: ignore[no-untyped-def]
    intervention = Intervention.objects.get(case=in_support(world))
    client.force_login(world.provider)
    html = client.get(reverse("support:intervention", args=[intervention.pk])).content.decode()
    for field in ("held_on", "minutes_spent", "progress"):
        assert f'<label for="id_{field}">' in html
    assert 'type="date"' in html and 'inputmode="numeric"' in html


def test_reading_the_provider_pages_leaves_audit_events(client, world: World) -> None:  # type: ignore[no-untyped-def]
    intervention = Intervention.objects.get(case=in_support(world))
    client.force_login(world.provider)
    client.get(reverse("support:my_interventions"))
    client.get(reverse("support:intervention", args=[intervention.pk]))
    events = list(AuditEvent.objects.filter(action="support.interventions_viewed", actor=world.provider))
    assert len(events) == 2
    assert events[0].data["interventions"] == [intervention.pk]
    assert events[1].case_id == intervention.case_id


def test_the_provider_list_does_not_grow_with_the_number_of_interventions(client, world: World) -> None:  # type: ignore[no-untyped-def]
    in_support(world)
    client.force_login(world.provider)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("support:my_interventions")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(3):
        in_support(world)
    assert Intervention.objects.filter(provider=world.agencies["cso"]).count() == 4
    assert count() == few


# --- consent -----------------------------------------------------------------------------

def test_the_consent_form_for_a_minor_requires_a_guardian(client, channel: World) -> None:  # type: ignore[no-untyped-def]
    case = in_consent(channel, minor=True)
    client.force_login(channel.coordinator)
    response = client.post(reverse("support:consent_record", args=[case.pk]), {
        "given_by": "person", "giver_name": "Arben", "relationship": "", "decision": "given",
        "scope": "Mentoring", "decided_on": timezone.localdate().isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_consent_given_by_error">' in html
    assert "a parent or guardian must give or decline consent" in html
    assert fresh(case).stage == Stage.CONSENT
    assert not Consent.objects.filter(case=case).exists()


def test_with_htmx_the_consent_error_comes_back_as_the_form_alone(client, channel: World) -> None:  # type: ignore[no-untyped-def]
    case = in_consent(channel, minor=True)
    client.force_login(channel.coordinator)
    response = client.post(reverse("support:consent_record", args=[case.pk]), {
        "given_by": "person", "giver_name": "Arben", "decision": "given", "scope": "Mentoring",
        "decided_on": timezone.localdate().isoformat()}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "<html" not in html
    assert 'aria-invalid="true"' in html


def test_a_guardians_consent_starts_support(client, channel: World) -> None:  # type: ignore[no-untyped-def]
    case = in_consent(channel, minor=True)
    client.force_login(channel.coordinator)
    response = client.post(reverse("support:consent_record", args=[case.pk]), {
        "given_by": "guardian", "giver_name": "Drita", "relationship": "mother", "decision": "given",
        "scope": "Mentoring", "decided_on": timezone.localdate().isoformat()}, **HTMX)
    assert response["HX-Redirect"] == reverse("cases:detail", args=[case.pk])
    assert fresh(case).stage == Stage.SUPPORT


def test_only_the_coordinator_is_offered_and_may_use_the_consent_form(client, channel: World) -> None:  # type: ignore[no-untyped-def]
    case = in_consent(channel)
    assert 'data-form="consent"' in render_section(channel.coordinator, case)
    assert 'data-form="consent"' not in render_section(channel.panel[1], case)
    client.force_login(channel.panel[1])
    response = client.post(reverse("support:consent_record", args=[case.pk]), {
        "given_by": "person", "giver_name": "Arben", "decision": "given", "scope": "Mentoring",
        "decided_on": timezone.localdate().isoformat()})
    assert response.status_code == 404
    assert fresh(case).stage == Stage.CONSENT


# --- the support plan on the case page -------------------------------------------------

def test_the_coordinator_adds_an_intervention_and_changes_its_status(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = in_support(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("support:intervention_add", args=[case.pk]), {
        "type": InterventionType.objects.get(code="family-counselling").pk, "provider": world.agencies["social"].pk,
        "goal": "Family talks", "schedule": "Fortnightly", "starts_on": timezone.localdate().isoformat(),
        "funding_source": "national", "funder": "", "cost": "120.50"})
    assert response.status_code == 302
    added = Intervention.objects.get(case=case, provider=world.agencies["social"])
    assert added.cost == Decimal("120.50")
    client.post(reverse("support:intervention_set_status", args=[added.pk]), {"status": "completed"})
    added.refresh_from_db()
    assert added.status == "completed"


def test_an_end_before_the_start_is_a_form_error(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = in_support(world)
    client.force_login(world.coordinator)
    today = timezone.localdate()
    response = client.post(reverse("support:intervention_add", args=[case.pk]), {
        "type": InterventionType.objects.get(code="mentoring").pk, "provider": world.agencies["cso"].pk,
        "goal": "x", "schedule": "y", "starts_on": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=1)).isoformat(), "funding_source": "donor", "cost": "0"})
    assert 'id="id_intervention_ends_on_error"' in response.content.decode()
    assert Intervention.objects.filter(case=case).count() == 1


def test_a_provider_of_another_agency_of_another_mechanism_is_refused(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    case = in_support(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("support:intervention_add", args=[case.pk]), {
        "type": InterventionType.objects.get(code="mentoring").pk, "provider": other.agencies["cso"].pk,
        "goal": "x", "schedule": "y", "starts_on": timezone.localdate().isoformat(),
        "funding_source": "donor", "cost": "0"})
    assert 'id="id_intervention_provider_error"' in response.content.decode()
    assert Intervention.objects.filter(case=case).count() == 1


def test_the_case_page_shows_the_plan_with_its_sessions(world: World) -> None:
    case = in_support(world)
    html = render_section(world.coordinator, case)
    assert "Weekly mentoring" in html
    assert "1 session, 1 attended" in html
    assert 'data-form="intervention"' in html


def test_on_the_case_page_a_provider_sees_only_their_agencys_interventions(world: World) -> None:
    case = in_support(world)
    add_intervention(world, case, "health", "health-care")
    html = render_section(world.provider, case)
    assert "Goal of health" not in html
    assert "Weekly mentoring" in html
    assert 'data-form="intervention"' not in html


def test_the_support_section_does_not_grow_with_the_number_of_interventions(world: World) -> None:
    case = in_support(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            render_section(world.coordinator, case)
        return len(ctx.captured_queries)

    few = count()
    for agency in ("health", "social", "school"):
        add_intervention(world, case, agency)
    assert count() == few


def test_police_see_no_support_plan(world: World) -> None:
    case = in_support(world)  # the police answered its deconfliction check, so they may open the case
    assert "Weekly mentoring" not in render_section(world.police, case)


# --- after exit ----------------------------------------------------------------------------

def exited(w: World) -> Case:
    case = in_support(w)
    decide(w, case, "exit")
    return fresh(case)


def test_a_post_exit_concern_opens_a_new_episode_and_links_to_it(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = exited(world)
    review = case.post_exit_reviews.get()
    assert 'data-form="review"' in render_section(world.coordinator, case)
    client.force_login(world.coordinator)
    client.post(reverse("support:post_exit_review_record", args=[review.pk]), {
        "outcome": "concern", "notes": "Seen with the old group again.",
        "held_on": timezone.localdate().isoformat()})
    again = Case.objects.get(previous=case)
    html = render_section(world.coordinator, case)
    assert reverse("cases:detail", args=[again.pk]) in html
    assert again.reference in html


def test_a_concern_without_notes_is_a_form_error(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = exited(world)
    review = case.post_exit_reviews.get()
    client.force_login(world.coordinator)
    response = client.post(reverse("support:post_exit_review_record", args=[review.pk]), {
        "outcome": "concern", "notes": "", "held_on": timezone.localdate().isoformat()})
    assert f'id="id_notes_review{review.pk}_error"' in response.content.decode()
    assert not Case.objects.filter(previous=case).exists()


def test_a_review_already_recorded_is_refused_with_a_message(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = exited(world)
    review = case.post_exit_reviews.get()
    post_exit_review_record(actor=world.coordinator, review=review, outcome="no_concern", notes="Fine.")
    client.force_login(world.coordinator)
    response = client.post(reverse("support:post_exit_review_record", args=[review.pk]), {
        "outcome": "no_concern", "held_on": timezone.localdate().isoformat()}, follow=True)
    assert "already been recorded" in messages_of(response)


def test_another_mechanism_cannot_reach_a_review_or_a_case_form(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    case = exited(world)
    review = case.post_exit_reviews.get()
    client.force_login(other.coordinator)
    assert client.post(reverse("support:post_exit_review_record", args=[review.pk]),
                       {"outcome": "no_concern"}).status_code == 404
    assert client.get(reverse("support:intervention_add", args=[case.pk])).status_code == 404
    assert client.get(reverse("support:consent_record", args=[case.pk])).status_code == 404
