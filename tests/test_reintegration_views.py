"""The household page, the handover pages and the case page's R&R section, persona by persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reintegration_world import PersonX, person_x, returnee
from tests.world import make_world
from ura.cases.models import Case
from ura.governance.models import AuditEvent
from ura.reintegration import services as rr
from ura.reintegration.models import Handover, HandoverStatus


@pytest.fixture
def central(db) -> PersonX:  # type: ignore[no-untyped-def]
    """Person X's household still with the central division (DPRRP)."""
    return person_x(handed_over=False)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _page(user, case: Case):  # type: ignore[no-untyped-def]
    return _client(user).get(reverse("reintegration:household", args=[case.pk]))


def test_the_coordinator_sees_every_member_and_the_family_programme(central: PersonX) -> None:
    body = _page(central.central.coordinator, central.adult).content.decode()
    for name in ("Person X", "Wife X", "Child X", "Family counselling", "School registration",
                 "Vocational training"):
        assert name in body


def test_a_cso_provider_sees_only_the_members_it_serves(central: PersonX) -> None:
    body = _page(central.central.provider, central.child).content.decode()
    assert "Child X" in body and "Wife X" in body and central.adult.reference not in body


def test_a_cso_provider_sees_only_its_own_interventions(central: PersonX) -> None:
    body = _page(central.central.provider, central.child).content.decode()
    assert "Catch-up learning" in body and "Parenting workshops" in body
    assert "School registration" not in body and "Vocational training" not in body


def test_a_provider_does_not_see_custody(central: PersonX) -> None:
    body = _page(central.central.provider, central.child).content.decode()
    assert "Sentenced" not in body


def test_reading_the_household_is_audited(central: PersonX) -> None:
    _page(central.central.coordinator, central.adult)
    event = AuditEvent.objects.get(action="reintegration.household.viewed")
    assert set(event.data["cases"]) == {central.adult.pk, central.wife.pk, central.child.pk}


def _queries(client: Client, case: Case) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("reintegration:household", args=[case.pk]))
    return len(ctx.captured_queries)


def test_the_household_page_needs_the_same_queries_however_many_members(central: PersonX) -> None:
    c = _client(central.central.coordinator)
    c.get(reverse("reintegration:household", args=[central.adult.pk]))
    before = _queries(c, central.adult)
    second = returnee(central.central, "Second", dt.date(2018, 1, 1), "f")
    rr.household_member_add(actor=central.central.coordinator, household=central.household, case=second,
                            relationship="child")
    assert _queries(c, central.adult) == before <= 20


def test_another_mechanism_gets_the_same_404_as_a_missing_case(central: PersonX) -> None:
    outsider = make_world("gjilan").coordinator
    assert _page(outsider, central.adult).status_code == 404
    assert _client(outsider).get(reverse("reintegration:household", args=[999999])).status_code == 404


def test_a_case_in_no_household_has_no_household_page(central: PersonX) -> None:
    lone = central.central.refer()
    assert _page(central.central.coordinator, lone).status_code == 404


def test_the_case_page_links_to_the_household_and_lists_custody(central: PersonX) -> None:
    body = _client(central.central.coordinator).get(reverse("cases:detail", args=[central.adult.pk])).content.decode()
    assert reverse("reintegration:household", args=[central.adult.pk]) in body and "Prison programme" in body


def _offer(px: PersonX) -> Handover:
    return rr.handover_propose(actor=px.central.coordinator, household=px.household,
                               to_mechanism=px.local.mechanism, note="Family settled in Gjilan.")


def test_the_receiving_team_sees_the_offer(central: PersonX) -> None:
    _offer(central)
    body = _client(central.local.coordinator).get(reverse("reintegration:handovers")).content.decode()
    assert "Household of Person X" in body


def test_the_central_division_cannot_answer_its_own_offer(central: PersonX) -> None:
    h = _offer(central)
    assert _client(central.central.coordinator).get(reverse("reintegration:handover", args=[h.pk])).status_code == 404


def test_asking_for_more_needs_a_message(central: PersonX) -> None:
    h = _offer(central)
    r = _client(central.local.coordinator).post(reverse("reintegration:handover", args=[h.pk]), {"answer": "more"})
    assert r.status_code == 400 and Handover.objects.get(pk=h.pk).status == HandoverStatus.PROPOSED


def test_an_empty_answer_is_refused_without_a_server_error(central: PersonX) -> None:
    h = _offer(central)
    r = _client(central.local.coordinator).post(reverse("reintegration:handover", args=[h.pk]), {})
    assert r.status_code == 400


def test_accepting_moves_the_household_to_the_local_team(central: PersonX) -> None:
    h = _offer(central)
    r = _client(central.local.coordinator).post(reverse("reintegration:handover", args=[h.pk]), {"answer": "accept"})
    assert r.status_code == 302
    assert Case.objects.get(pk=central.wife.pk).mechanism == central.local.mechanism


def test_after_the_handover_the_central_division_no_longer_opens_the_household(central: PersonX) -> None:
    h = _offer(central)
    rr.handover_respond(actor=central.local.coordinator, handover=h, accept=True)
    assert _page(central.central.coordinator, central.adult).status_code == 404
    assert _page(central.local.coordinator, central.adult).status_code == 200


def test_probation_reads_the_shared_case_after_the_pre_release_meeting(db) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from ura.mechanisms.models import AgencyType

    px = person_x()
    a = px.local.agencies
    rr.pre_release_meeting_record(actor=px.local.coordinator, case=px.adult, on=timezone.localdate(),
                                  agencies=[a[AgencyType.PRISON], a[AgencyType.PROBATION]],
                                  share_risk_with=[a[AgencyType.PROBATION]], legal_basis="Law on probation")
    r = _client(px.probation).get(reverse("cases:detail", args=[px.adult.pk]))
    assert r.status_code == 200 and "Pre-release planning meeting" in r.content.decode()
