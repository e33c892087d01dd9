"""Consent with its scope and withdrawal; information requests and sharing agreements; the
disclosures list on the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.authz_world import _ask
from tests.walk import decide, fresh, screen_and_review, start_support
from tests.world import World
from ura.cases.models import Case
from ura.cases.services import case_transition, information_request_create
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.models import AuditEvent, Consent, Disclosure, SharingAgreement
from ura.governance.services import agreement_create, case_share, consent_record, consent_withdraw
from ura.support.models import Intervention


def adopted(w: World, **kw: object) -> Case:
    case = screen_and_review(w, w.refer(**kw))
    decide(w, case, "adopt")
    return fresh(case)


def supported(w: World) -> Case:
    return start_support(w, adopted(w))


# --- consent: who, when, what for, which agencies, which categories ---------------------------------

def test_a_guardian_gives_consent_for_named_agencies_and_categories(channel: World) -> None:
    case = adopted(channel, minor=True)
    consent = consent_record(actor=channel.coordinator, case=case, given_by="guardian", giver_name="Drita Krasniqi",
                             relationship="mother", decision="given", scope="Mentoring",
                             agencies=[channel.agencies["cso"]], categories=[cat.IDENTITY, cat.NEEDS_PLAN])
    assert (consent.given_by, consent.relationship, consent.decided_on) == ("guardian", "mother",
                                                                           timezone.localdate())
    assert list(consent.coverage.agencies.all()) == [channel.agencies["cso"]]
    assert consent.coverage.categories == [cat.IDENTITY, cat.NEEDS_PLAN]


def test_support_cannot_start_without_consent_where_the_mechanism_requires_it(channel: World) -> None:
    case = adopted(channel)
    assert case.stage == "consent"
    with pytest.raises(ServiceError):
        case_transition(case=case, transition="consent_given", actor=channel.coordinator)
    assert fresh(case).stage == "consent"


def test_a_provider_not_covered_by_the_consent_does_not_see_the_case(channel: World) -> None:
    case = adopted(channel)
    consent_record(actor=channel.coordinator, case=case, given_by="person", giver_name="Arben", relationship="",
                   decision="given", scope="Counselling only", agencies=[channel.agencies["health"]])
    from tests.test_support_views import add_intervention

    add_intervention(channel, fresh(case), "cso")
    assert not policy.can_view_case(channel.provider, case)


def test_the_consent_decides_what_the_provider_reads(channel: World) -> None:
    case = adopted(channel)
    consent_record(actor=channel.coordinator, case=case, given_by="person", giver_name="Arben", relationship="",
                   decision="given", scope="Mentoring", agencies=[channel.agencies["cso"]],
                   categories=[cat.NEEDS_PLAN])
    from tests.test_support_views import add_intervention

    add_intervention(channel, fresh(case), "cso")
    assert policy.visible_categories(channel.provider, fresh(case)) == {cat.NEEDS_PLAN}
    why = policy.explain(channel.provider, fresh(case), cat.IDENTITY)
    assert not why.allowed and "consent covers your agency" in why.reason


def test_a_withdrawal_stops_sharing_with_the_covered_agencies_at_once(channel: World) -> None:
    case = supported(channel)
    assert policy.can_view_case(channel.provider, case)
    intervention = Intervention.objects.get(case=case)
    consent_withdraw(actor=channel.coordinator, consent=case.consents.get())
    assert not policy.can_view_case(channel.provider, case)
    assert not policy.can(channel.provider, "session.record", case=fresh(case), obj=intervention)
    assert policy.can_view_case(channel.coordinator, case)


def test_after_a_withdrawal_nothing_more_goes_to_the_covered_agencies(channel: World) -> None:
    case = supported(channel)
    consent_withdraw(actor=channel.coordinator, consent=case.consents.get())
    with pytest.raises(ServiceError, match="withdrew consent"):
        information_request_create(case=fresh(case), actor=channel.coordinator, to_agency=channel.agencies["cso"],
                                   question="How is it going?", purpose="review", legal_basis="Consent",
                                   due_on=timezone.localdate() + dt.timedelta(days=3))
    agreement = agreement_create(actor=channel.coordinator, mechanism=channel.mechanism,
                                 agency=channel.agencies["social"], categories=[cat.NEEDS_PLAN],
                                 purpose="family support", legal_basis="Law on social protection, art. 12",
                                 valid_from=timezone.localdate())
    with pytest.raises(ServiceError, match="withdrew consent"):
        case_share(actor=channel.coordinator, case=fresh(case), agreement=agreement)


def test_a_withdrawal_is_audited_and_shown_on_the_case(client, channel: World) -> None:  # type: ignore[no-untyped-def]
    case = supported(channel)
    consent = case.consents.get()
    client.force_login(channel.coordinator)
    response = client.post(reverse("governance:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="consent.withdrawn", case_id=case.pk).count() == 1
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "withdrawn on" in html and 'data-form="withdraw"' not in html


def test_the_provider_is_told_why_the_case_is_gone(channel: World) -> None:
    case = supported(channel)
    consent_withdraw(actor=channel.coordinator, consent=case.consents.get())
    why = policy.explain(channel.provider, fresh(case), cat.NEEDS_PLAN)
    assert not why.allowed and "withdrew consent" in why.reason


def test_only_the_coordinator_records_a_withdrawal(client, channel: World) -> None:  # type: ignore[no-untyped-def]
    case = supported(channel)
    consent = case.consents.get()
    with pytest.raises(NotAllowed):
        consent_withdraw(actor=channel.panel[1], consent=consent)
    client.force_login(channel.provider)
    assert client.post(reverse("governance:consent_withdraw", args=[consent.pk])).status_code == 404
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


# --- information requests and sharing agreements -----------------------------------------------------

def test_every_request_is_a_logged_disclosure_listed_on_the_case(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = screen_and_review(world, world.refer())  # asks social services for a needs assessment
    d = Disclosure.objects.get(case=case, kind="request")
    assert (d.agency, d.purpose, d.categories) == (world.agencies["social"], "needs assessment",
                                                   [cat.IDENTITY, cat.REFERRAL])
    assert AuditEvent.objects.filter(action="disclosure.request", case_id=case.pk).count() == 1
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    on = timezone.localtime(d.disclosed_at).strftime("%-d %B")
    assert f"Disclosed to {world.agencies['social'].name} on {on} for needs assessment" in html
    assert f"{world.agencies['social'].name} disclosed information to the mechanism on {on}" in html


def test_the_disclosures_are_not_listed_to_other_readers(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = screen_and_review(world, world.refer())
    _ask(world, case, "school")
    client.force_login(world.panel[1])
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="disclosures"' not in html


def test_a_case_shared_under_an_agreement_shows_exactly_its_categories(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = screen_and_review(world, world.refer())
    agreement = agreement_create(actor=world.coordinator, mechanism=world.mechanism, agency=world.agencies["cso"],
                                 categories=[cat.NEEDS_PLAN], purpose="youth mentoring",
                                 legal_basis="Memorandum of 2024, art. 4", valid_from=timezone.localdate())
    client.force_login(world.coordinator)
    response = client.post(reverse("governance:case_share", args=[case.pk]), {"agreement": agreement.pk})
    assert response.status_code == 302
    assert policy.visible_categories(world.provider, fresh(case)) == {cat.NEEDS_PLAN}
    client.force_login(world.provider)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.person.given_name not in html and case.concern not in html
    assert "under the sharing agreement for “youth mentoring”" in html
    assert AuditEvent.objects.filter(action="disclosure.agreement", case_id=case.pk).count() == 1


def test_an_expired_agreement_cannot_be_used(world: World) -> None:
    case = screen_and_review(world, world.refer())
    agreement = SharingAgreement.objects.create(
        mechanism=world.mechanism, agency=world.agencies["cso"], categories=[cat.NEEDS_PLAN], purpose="old",
        legal_basis="expired memorandum", valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2021, 1, 1),
        created_by=world.coordinator)
    with pytest.raises(ServiceError):
        case_share(actor=world.coordinator, case=case, agreement=agreement)


def test_an_agreement_of_another_mechanism_cannot_be_used(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    case = screen_and_review(world, world.refer())
    theirs = agreement_create(actor=other.coordinator, mechanism=other.mechanism, agency=other.agencies["cso"],
                              categories=[cat.IDENTITY], purpose="x", legal_basis="y", valid_from=timezone.localdate())
    client.force_login(world.coordinator)
    client.post(reverse("governance:case_share", args=[case.pk]), {"agreement": theirs.pk})
    assert not Disclosure.objects.filter(case=case, kind="agreement").exists()


def test_the_coordinator_records_an_agreement_and_the_dpo_only_reads_them(client, world: World) -> None:  # type: ignore[no-untyped-def]
    data = {"mechanism": world.mechanism.pk, "agency": world.agencies["health"].pk, "categories": ["health"],
            "purpose": "health follow-up", "legal_basis": "Law on health care, art. 5",
            "valid_from": timezone.localdate().isoformat()}
    client.force_login(world.dpo)
    assert client.get(reverse("governance:agreements")).status_code == 200
    assert client.post(reverse("governance:agreements"), data).status_code == 404
    client.force_login(world.coordinator)
    assert client.post(reverse("governance:agreements"), data).status_code == 302
    assert SharingAgreement.objects.get().categories == ["health"]


def test_police_notes_and_minutes_are_never_shareable(world: World) -> None:
    with pytest.raises(ServiceError):
        agreement_create(actor=world.coordinator, mechanism=world.mechanism, agency=world.agencies["cso"],
                         categories=[cat.POLICE], purpose="x", legal_basis="y", valid_from=timezone.localdate())
