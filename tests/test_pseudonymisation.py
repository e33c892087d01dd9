"""Passage4prevent: police members see a pseudonymised case (no name, birth date, address, photo,
contacts) and cannot search persons — on the case page, in the case list, its search and its export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.authz_world import _ask
from tests.walk import screen_and_review
from tests.world import World, make_world
from ura.cases.models import Case
from ura.cases.services import case_transition, deconfliction_request
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.models import AuditEvent
from ura.governance.services import breakglass_open


@pytest.fixture
def p4p(db) -> World:  # type: ignore[no-untyped-def]
    return make_world("passage4prevent")


def asked(w: World) -> Case:
    case = case_transition(case=w.refer(), transition="start_screening", actor=w.coordinator)
    deconfliction_request(case=case, actor=w.coordinator)
    case.referrer_contact = "+383 44 123 456"
    case.save(update_fields=["referrer_contact"])  # encrypted: written through save()
    case.person.address, case.person.phone = "Rruga e Dëshmorëve 12", "+383 49 555 000"
    case.person.save()
    return Case.objects.get(pk=case.pk)


def identity_values(case: Case) -> list[str]:
    p = case.person
    return [p.given_name, p.family_name, p.birth_date.isoformat(), p.birth_date.strftime("%d.%m.%Y"), p.address,
            p.phone]


def test_the_case_page_shows_a_pseudonym_and_no_identity(client, p4p: World) -> None:  # type: ignore[no-untyped-def]
    case = asked(p4p)
    client.force_login(p4p.police)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert policy.pseudonym(case) in html
    for value in identity_values(case):
        assert value not in html


def test_the_pseudonym_is_stable_for_the_person_and_differs_between_persons(p4p: World) -> None:
    a, b = asked(p4p), asked(p4p)
    assert policy.pseudonym(a) == policy.pseudonym(Case.objects.get(pk=a.pk))
    assert policy.pseudonym(a) != policy.pseudonym(b)
    assert a.person.given_name not in policy.pseudonym(a)


def test_pseudonymised_police_cannot_search_persons(client, p4p: World) -> None:  # type: ignore[no-untyped-def]
    case = asked(p4p)
    assert not policy.can(p4p.police, "person.search", mechanism=p4p.mechanism)
    client.force_login(p4p.police)
    by_name = client.get(reverse("cases:list"), {"q": case.person.given_name}).content.decode()
    assert case.reference not in by_name
    by_reference = client.get(reverse("cases:list"), {"q": case.reference}).content.decode()
    assert case.reference in by_reference and policy.pseudonym(case) in by_reference
    assert case.person.given_name not in by_reference


def test_police_elsewhere_may_search_by_name(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = asked(world)
    client.force_login(world.police)
    html = client.get(reverse("cases:list"), {"q": case.person.given_name}).content.decode()
    assert case.reference in html and case.person.full_name in html


def test_the_export_carries_the_pseudonym_and_no_identity(client, p4p: World) -> None:  # type: ignore[no-untyped-def]
    case = asked(p4p)
    client.force_login(p4p.police)
    response = client.get(reverse("cases:export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["reference"], r["person"], r["birth_year"]) for r in rows] == [
        (case.reference, policy.pseudonym(case), "")]
    for value in identity_values(case):
        assert value not in body
    assert AuditEvent.objects.filter(action="export.downloaded", actor=p4p.police).count() == 1


def test_the_coordinators_export_names_the_person(client, p4p: World) -> None:  # type: ignore[no-untyped-def]
    case = asked(p4p)
    client.force_login(p4p.coordinator)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("cases:export")).content.decode())))
    assert rows[0]["person"] == case.person.full_name


def test_a_request_to_the_police_does_not_reveal_the_identity(p4p: World) -> None:
    case = screen_and_review(p4p, p4p.refer())
    _ask(p4p, case, "police")  # shares identity and referral by default
    categories = policy.visible_categories(p4p.police, Case.objects.get(pk=case.pk))
    assert cat.IDENTITY not in categories and cat.REFERRAL in categories


def test_emergency_access_does_not_reveal_it_either(p4p: World) -> None:
    case = p4p.refer()
    breakglass_open(actor=p4p.police, reference=case.reference, reason="A threat against a school was reported.")
    categories = policy.visible_categories(p4p.police, Case.objects.get(pk=case.pk))
    assert categories == policy.BREAK_GLASS_CATEGORIES - {cat.IDENTITY}


def test_the_police_fields_allow_list_has_no_identity_field() -> None:
    person = policy.fields.PSEUDONYMISED_POLICE_FIELDS.reads("people.person")
    assert person == {"pseudonym"}


def test_the_export_never_hands_a_spreadsheet_a_formula(client, p4p: World) -> None:  # type: ignore[no-untyped-def]
    case = asked(p4p)
    person = case.person
    person.given_name = '=HYPERLINK("http://x")'
    person.save(update_fields=["given_name"])  # encrypted: written through save(), never a bare update()
    client.force_login(p4p.coordinator)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("cases:export")).content.decode())))
    assert rows[0]["person"].startswith("'=HYPERLINK")
