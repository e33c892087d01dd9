"""``ura demo``: idempotent, every stage populated, each case consistent with its stage."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.signin import demo_code
from ura.accounts.models import User
from ura.cases.models import Case, Deconfliction, InformationRequest, RequestStatus
from ura.cases.workflow import Stage
from ura.governance.models import AuditEvent, Consent
from ura.mechanisms.demo.bodies import MECHANISMS, PASSWORD, PERSONAS, username
from ura.mechanisms.models import Mechanism, Membership, Role
from ura.panels.models import AgendaItem, Decision, Meeting, MeetingStatus, Vote
from ura.people.models import Person
from ura.support.models import Intervention, InterventionStatus, PostExitReview, Session

pytestmark = pytest.mark.django_db

MODELS = (Mechanism, User, Membership, Person, Case, Deconfliction, InformationRequest, Meeting, AgendaItem,
          Vote, Decision, Consent, Intervention, Session, PostExitReview, AuditEvent)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """One small demo for the whole module, loaded twice; removed with the module's transaction."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = StringIO()
        call_command("demo", persons=24, stdout=out)
        first = _counts()
        call_command("demo", persons=24, stdout=out)
        yield {"first": first, "second": _counts(), "output": out.getvalue()}
        transaction.set_rollback(True)


def test_running_it_twice_changes_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    assert demo["first"] == demo["second"]
    assert "already loaded" in demo["output"]


def test_it_creates_the_seven_mechanisms_from_their_templates(demo) -> None:  # type: ignore[no-untyped-def]
    assert dict(Mechanism.objects.values_list("slug", "template")) == {m.slug: m.template for m in MECHANISMS}


def test_every_stage_has_cases(demo) -> None:  # type: ignore[no-untyped-def]
    populated = set(Case.objects.values_list("stage", flat=True))
    assert populated == set(Stage.values)


def test_there_are_re_referrals(demo) -> None:  # type: ignore[no-untyped-def]
    again = Case.objects.filter(episode=2)
    assert again.exists()
    assert all(c.previous is not None and c.previous.person_id == c.person_id for c in again)


def test_the_history_spans_several_years(demo) -> None:  # type: ignore[no-untyped-def]
    years = set(Case.objects.values_list("referred_on__year", flat=True))
    assert len(years) >= 4
    assert max(years) == timezone.localdate().year


def test_names_are_written_in_latin_and_cyrillic(demo) -> None:  # type: ignore[no-untyped-def]
    names = " ".join(p.family_name for p in Person.objects.all())  # encrypted: read through the model
    assert any("\u0400" <= ch <= "\u04ff" for ch in names)
    assert any(ch in "ëçćčšžđ" for ch in names.lower())


def test_many_persons_are_minors_when_referred(demo) -> None:  # type: ignore[no-untyped-def]
    minors = [c for c in Case.objects.select_related("person") if c.person.is_minor_on(c.referred_on)]
    assert len(minors) * 4 >= Case.objects.count()


def test_cases_being_screened_wait_for_or_have_a_police_answer(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage=Stage.SCREENING):
        assert case.deconflictions.exists()
    assert Deconfliction.objects.filter(answer="").exists()


def test_accepted_cases_had_a_proceed_answer(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage__in=[Stage.CASE_REVIEW, Stage.PANEL, Stage.SUPPORT, Stage.EXITED]):
        assert case.deconflictions.filter(answer="proceed").exists(), case.reference


def test_cases_in_review_have_information_requests_some_overdue(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage=Stage.CASE_REVIEW):
        assert case.information_requests.exists()
    open_requests = InformationRequest.objects.filter(status=RequestStatus.OPEN)
    assert open_requests.filter(due_on__lt=timezone.localdate()).exists()
    assert open_requests.filter(due_on__gte=timezone.localdate()).exists()


def test_cases_before_the_panel_are_on_an_upcoming_agenda(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage__in=[Stage.PANEL, Stage.REVIEW]):
        item = AgendaItem.objects.get(case=case, decision__isnull=True)
        assert item.meeting.status == MeetingStatus.PLANNED
        assert timezone.localtime(item.meeting.starts_at).date() >= timezone.localdate()
    assert not Vote.objects.filter(item__meeting__starts_at__gt=timezone.now()).exists()


def test_past_meetings_are_held_and_every_item_decided(demo) -> None:  # type: ignore[no-untyped-def]
    past = Meeting.objects.filter(starts_at__lt=timezone.now() - timezone.timedelta(days=1))
    assert past.exists()
    assert not past.exclude(status=MeetingStatus.HELD).exists()
    assert not AgendaItem.objects.filter(meeting__in=past, decision__isnull=True).exists()
    for decision in Decision.objects.filter(rule="majority")[:20]:
        assert decision.item.votes.exists()


def test_every_mechanism_has_an_upcoming_meeting(demo) -> None:  # type: ignore[no-untyped-def]
    for mechanism in Mechanism.objects.all():
        upcoming = mechanism.meetings.filter(starts_at__date__gt=timezone.localdate(), status=MeetingStatus.PLANNED)
        assert upcoming.exists()


def test_cases_awaiting_consent_were_adopted_by_a_consent_mechanism(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage=Stage.CONSENT):
        assert case.mechanism.consent_required
        assert case.decisions.latest("decided_at").outcome == "adopt"
        assert not case.consents.exists()


def test_declined_cases_have_a_declined_consent(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage=Stage.DECLINED):
        assert case.consents.get().decision == "declined"


def test_minors_consent_through_a_guardian(demo) -> None:  # type: ignore[no-untyped-def]
    for consent in Consent.objects.select_related("case__person"):
        if consent.case.person.is_minor_on(consent.decided_on):
            assert consent.given_by == "guardian"


def test_cases_in_support_have_active_interventions_with_sessions(demo) -> None:  # type: ignore[no-untyped-def]
    in_support = Case.objects.filter(stage=Stage.SUPPORT)
    assert in_support.exists()
    for case in in_support:
        assert case.decisions.exists()
        assert case.interventions.exists()
    assert Session.objects.filter(intervention__status=InterventionStatus.ACTIVE).exists()


def test_exited_cases_have_post_exit_reviews(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage=Stage.EXITED):
        assert case.exited_on is not None
        assert case.post_exit_reviews.count() == len(case.mechanism.post_exit_review_months)
        assert not case.interventions.filter(status=InterventionStatus.ACTIVE).exists()


def test_closed_cases_have_a_closure_date_and_no_open_work(demo) -> None:  # type: ignore[no-untyped-def]
    for case in Case.objects.filter(stage=Stage.CLOSED):
        assert case.closed_on is not None
        assert not case.post_exit_reviews.filter(done_on__isnull=True).exists()
        assert not case.interventions.filter(status=InterventionStatus.ACTIVE).exists()


def test_each_step_left_an_audit_event(demo) -> None:  # type: ignore[no-untyped-def]
    transitions = AuditEvent.objects.filter(action__startswith="case.transition.").count()
    timeline = sum(c.timeline.filter(kind="transition").count() for c in Case.objects.all())
    assert transitions == timeline > 0


def test_the_audit_chain_of_the_replayed_history_verifies(demo) -> None:  # type: ignore[no-untyped-def]
    from ura.governance.chain import audit_chain_verify

    report = audit_chain_verify()
    assert report.ok, report.problem
    assert report.events == AuditEvent.objects.count()


def test_novi_pazar_has_secondary_actors(demo) -> None:  # type: ignore[no-untyped-def]
    assert Mechanism.objects.get(slug="novi-pazar").agencies.filter(secondary_actor=True).count() >= 3


def test_each_mechanism_has_one_chair(demo) -> None:  # type: ignore[no-untyped-def]
    for mechanism in Mechanism.objects.all():
        chair = Membership.objects.get(mechanism=mechanism, is_chair=True)
        assert chair.user.username == username("panel", mechanism.slug)
        assert chair.role == Role.PANEL_MEMBER


@pytest.mark.parametrize("spec", MECHANISMS, ids=lambda m: m.slug)
def test_every_persona_signs_in_and_sees_their_role(demo, client, spec) -> None:  # type: ignore[no-untyped-def]
    for persona in PERSONAS:
        name = username(persona, spec.slug)
        assert client.login(username=name, password=PASSWORD), name
        # The second step: the demo accounts' published authenticator secret (README).
        assert client.post(reverse("two_factor"), {"code": demo_code(), "next": "/"}).status_code == 302, name
        membership = Membership.objects.get(user__username=name)
        response = client.get("/")
        assert response.status_code == 200, name
        with translation.override(response.headers.get("Content-Language", "en")):
            label = str(Role(membership.role).label)
        assert f'data-role="{membership.role}"' in response.content.decode()
        assert label in response.content.decode(), name
        client.logout()


def test_it_refuses_a_production_installation(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", persons=1, stdout=StringIO())


def test_a_known_person_is_referred_again_in_gjilan_and_a_kumanovo_one_in_novi_pazar(demo) -> None:  # type: ignore[no-untyped-def]
    from ura.accounts.models import User
    from ura.matching import screening

    for slug, where in (("gjilan", "candidates"), ("novi-pazar", "elsewhere")):
        case = Case.objects.get(submission_key=f"demo-known-{slug}")
        result = screening.screen(User.objects.get(username=f"coordinator.{slug}"), case)
        assert getattr(result, where), slug
