"""The training register, prevention activities, funding, the report's text, and the referrer flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.monitoring_data import make_case
from tests.world import World
from ura.errors import Conflict, NotAllowed, ServiceError
from ura.governance.models import AuditEvent
from ura.mechanisms.models import Membership
from ura.monitoring import services
from ura.monitoring.models import Activity, Allocation, BudgetLine, ReportNarrative, Training
from ura.monitoring.scopes import mechanism_scope
from ura.monitoring.selectors import referrer_trained
from ura.support.models import Intervention

D = dt.date


def _member_key(w: World, user) -> str:  # type: ignore[no-untyped-def]
    m = Membership.objects.filter(user=user, mechanism=w.mechanism).first()
    return f"{m.mechanism_id}:{m.user_id}:{m.agency_id}"


def test_a_coordinator_records_a_joint_training_from_the_page(client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("monitoring:trainings"), {
        "mechanism": world.mechanism.pk, "topic": "Recognising signs", "held_on": "2024-03-01", "trainer": "OSCE",
        "place": "Gjilan", "hours": 4, "members": [_member_key(world, world.referrer)],
        f"others_{world.agencies['police'].pk}": 5})
    assert response.status_code == 302
    training = Training.objects.get()
    assert sorted(training.participations.values_list("agency__type", "headcount")) == [("police", 5), ("school", 1)]
    assert AuditEvent.objects.filter(action="training.recorded", data__agencies=2).exists()
    page = client.get(reverse("monitoring:trainings")).content.decode()
    assert "Recognising signs" in page and "yes, 2 agencies" in page


def test_a_training_needs_participants_and_a_past_date(client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("monitoring:trainings"), {
        "mechanism": world.mechanism.pk, "topic": "T", "held_on": "2999-01-01", "trainer": "X", "hours": 4})
    assert response.status_code == 400
    assert "This date is in the future." in response.content.decode()
    assert "Record at least one participant." in response.content.decode()
    assert not Training.objects.exists()


def test_members_of_another_mechanism_cannot_be_recorded(world: World, other: World) -> None:
    with pytest.raises(ServiceError):
        services.training_record(actor=world.coordinator, mechanism=world.mechanism, topic="T", held_on=D(2024, 1, 1),
                                 trainer="X", participants=[(other.agencies["school"], other.referrer)])
    with pytest.raises(NotAllowed):
        services.training_record(actor=other.coordinator, mechanism=world.mechanism, topic="T",
                                 held_on=D(2024, 1, 1), trainer="X", participants=[(world.agencies["school"],
                                                                                    world.referrer)])


def _note(case, user) -> str:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    request = SimpleNamespace(user=user)
    return Template("{% load monitoring_tags %}{% referrer_training_note case %}").render(
        Context({"case": case, "request": request}))


def test_the_case_shows_a_referral_from_someone_with_no_recorded_training(world: World) -> None:
    case = make_case(world, D(2024, 5, 1))
    assert referrer_trained(case) is False
    html = _note(case, world.coordinator)
    assert 'data-referrer-trained="no"' in html and "not a reason to refuse" in html


def test_only_those_who_keep_the_training_register_see_the_note(world: World) -> None:
    case = make_case(world, D(2024, 5, 1))
    assert _note(case, world.police).strip() == ""
    assert _note(case, world.panel[0]).strip() == ""


def test_training_counts_only_if_it_came_before_the_referral(world: World) -> None:
    services.training_record(actor=world.coordinator, mechanism=world.mechanism, topic="T", held_on=D(2024, 6, 1),
                             trainer="X", participants=[(world.agencies["school"], world.referrer)])
    before, after = make_case(world, D(2024, 5, 1)), make_case(world, D(2024, 7, 1))
    assert (referrer_trained(before), referrer_trained(after)) == (False, True)
    assert 'data-referrer-trained="yes"' in _note(after, world.coordinator)


def test_a_referral_without_an_ura_referrer_is_not_flagged(world: World) -> None:
    case = make_case(world, D(2024, 5, 1), referred_by=None)
    assert referrer_trained(case) is None
    assert _note(case, world.coordinator).strip() == ""


def test_a_coordinator_records_a_prevention_activity(client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("monitoring:activities"), {
        "mechanism": world.mechanism.pk, "kind": "school_session", "title": "Critical thinking",
        "held_on": "2024-04-02",
        "place": "Gymnasium", "audience": "pupils", "participants": 60, "partners": [world.agencies["school"].pk],
        "funding_source": "donor", "funder": "EU", "cost": "450.00"})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.participants, list(activity.partners.all())) == (60, [world.agencies["school"]])


def test_an_activity_with_bad_numbers_is_refused_with_form_errors(client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("monitoring:activities"), {
        "mechanism": world.mechanism.pk, "kind": "nonsense", "title": "", "held_on": "yesterday", "participants": -3,
        "funding_source": "donor", "cost": "-1"})
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_budget_lines_and_allocations_never_overspend(world: World) -> None:
    line = services.budget_line_add(actor=world.coordinator, mechanism=world.mechanism, funder="GCERF", source="donor",
                                    title="Mentoring", year=2024, amount=Decimal(1000))
    case = make_case(world, D(2024, 1, 5), interventions=({"starts_on": D(2024, 2, 1), "cost": "700"},))
    intervention = Intervention.objects.get(case=case)
    services.allocation_record(actor=world.coordinator, line=line, target=intervention, amount=Decimal(700))
    with pytest.raises(ServiceError, match="300"):
        services.allocation_record(actor=world.coordinator, line=line, target=intervention, amount=Decimal(301))
    assert Allocation.objects.get().amount == 700


def test_an_allocation_stays_within_its_mechanism(world: World, other: World) -> None:
    line = services.budget_line_add(actor=world.coordinator, mechanism=world.mechanism, funder="EU", source="donor",
                                    title="Line", year=2024, amount=Decimal(1000))
    case = make_case(other, D(2024, 1, 5), interventions=({"starts_on": D(2024, 2, 1)},))
    with pytest.raises(ServiceError):
        services.allocation_record(actor=world.coordinator, line=line, target=Intervention.objects.get(case=case),
                                   amount=Decimal(10))


def test_the_funding_page_adds_a_line_and_shows_it(client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("monitoring:funding"), {
        "form": "line", "line-mechanism": world.mechanism.pk, "line-funder": "IOM", "line-source": "donor",
        "line-title": "Reintegration", "line-year": 2024, "line-amount": "12000"})
    assert response.status_code == 302
    assert BudgetLine.objects.get().funder == "IOM"
    bad = client.post(reverse("monitoring:funding"), {"form": "allocation", "alloc-line": "x", "alloc-amount": "-5"})
    assert bad.status_code == 400


def test_the_coordinator_writes_the_report_text_and_two_editors_do_not_overwrite(world: World) -> None:
    scope = mechanism_scope(world.mechanism)
    first = services.narrative_save(actor=world.coordinator, scope=scope, year=2024, expected_version=None,
                                    texts={"summary": "A good year."})
    services.narrative_save(actor=world.coordinator, scope=scope, year=2024, expected_version=first.version,
                            texts={"summary": "A very good year."})
    with pytest.raises(Conflict):
        services.narrative_save(actor=world.coordinator, scope=scope, year=2024, expected_version=first.version,
                                texts={"summary": "Stale."})
    assert ReportNarrative.objects.get().summary == "A very good year."
    with pytest.raises(NotAllowed):
        services.narrative_save(actor=world.analyst, scope=scope, year=2024, expected_version=None, texts={})


def test_the_report_page_shows_the_text_and_the_link_to_edit_it(client, world: World) -> None:
    services.narrative_save(actor=world.coordinator, scope=mechanism_scope(world.mechanism), year=2024,
                            expected_version=None, texts={"challenges": "Trust between agencies."})
    client.force_login(world.coordinator)
    page = client.get(reverse("monitoring:report"), {"year": 2024}).content.decode()
    assert "Trust between agencies." in page and reverse("monitoring:narrative") in page
    response = client.post(f"{reverse('monitoring:narrative')}?year=2024", {
        "version": 1, "summary": "Busy.", "achievements": "", "challenges": "Funding.", "plans": ""})
    assert response.status_code == 302
    assert ReportNarrative.objects.get().challenges == "Funding."
    client.force_login(world.analyst)
    page = client.get(reverse("monitoring:report"), {"year": 2024}).content.decode()
    assert reverse("monitoring:narrative") not in page
