"""The field allow-list per persona (``policy.ROLE_FIELDS`` and ``policy.fields_for``), held against
what the pages actually render and what the edit form accepts.

Every text field of the case and its person carries a value found nowhere else; whatever a
persona's pages show must be a field on that persona's allow-list.

The API half of this check (serialised fields ⊆ allow-list; a write outside it refused) waits
for the REST API, which will serialise through ``policy.fields_for``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz_world import _ask
from tests.walk import decide, fresh, screen_and_review, start_support
from tests.world import World, make_world
from ura.cases.models import Case
from ura.cases.services import case_update
from ura.errors import NotAllowed
from ura.governance import policy
from ura.governance.services import breakglass_open
from ura.support.models import Intervention

PERSON = {"given_name": "Qendresa", "family_name": "Zhubixq", "father_name": "Fatmirxq", "place": "Placexq",
          "address": "Addressxq 7", "phone": "+383 44 999 111", "national_id": "NID-9981xq",
          "guardian_name": "Guardianxq", "guardian_relationship": "auntxq", "guardian_contact": "gcontact@xq.example"}
BIRTH = dt.date(1987, 7, 19)
CASE = {"referrer_name": "Referrerxq", "referrer_contact": "rcontact@xq.example", "concern": "Concernxq text",
        "summary": "Summaryxq text", "needs_summary": "Needsxq text", "risk_summary": "Riskxq text",
        "signposted_to": "Signpostxq", "onward_to": "Onwardxq", "concern_type": "ethno_nationalist",
        "source_sector": "religious", "indicators": ["conflict_zone"]}
SHOWN_AS = {"concern_type": "Ethno-nationalist", "source_sector": "Religious community",
            "indicators": "Talks about travelling to a conflict zone", "birth_date": "1987"}


def marked(w: World, case: Case) -> Case:
    # Encrypted fields are written through save() (a bare update() has no row to bind them to).
    case = Case.objects.select_related("person").get(pk=case.pk)
    for name, value in CASE.items():
        setattr(case, name, value)
    case.save()
    person = case.person
    for name, value in {**PERSON, "birth_date": BIRTH, "birth_date_precision": "day"}.items():
        setattr(person, name, value)
    person.save()
    return Case.objects.select_related("person", "mechanism").get(pk=case.pk)


def shown_fields(html: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"people.person": set(), "cases.case": set()}
    for name, value in PERSON.items():
        if value in html:
            found["people.person"].add(name)
    if SHOWN_AS["birth_date"] in html:
        found["people.person"].add("birth_date")
    for name, value in CASE.items():
        text = SHOWN_AS.get(name, value)
        if isinstance(text, str) and text in html:
            found["cases.case"].add(name)
    return found


def pages(client: Client, case: Case, extra: list[str]) -> str:
    html = ""
    for url in [reverse("cases:detail", args=[case.pk]), *extra]:
        response = client.get(url)
        assert response.status_code == 200, url
        html += response.content.decode()
    return html


def check(user: object, case: Case, extra: list[str] | None = None) -> dict[str, set[str]]:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    allowed = policy.fields_for(user, Case.objects.get(pk=case.pk))
    shown = shown_fields(pages(client, case, extra or []))
    for model, fields in shown.items():
        outside = fields - allowed.reads(model)
        assert not outside, f"{getattr(user, 'username', user)} sees {model} fields outside the allow-list: {outside}"
    return shown


@pytest.fixture
def supported(world: World) -> Case:
    case = screen_and_review(world, world.refer())
    decide(world, case, "adopt")
    return marked(world, start_support(world, case))


def test_the_coordinator_sees_only_allowed_fields_and_the_sensitive_ones_are_really_shown(
        world: World, supported: Case) -> None:
    shown = check(world.coordinator, supported, [reverse("cases:edit", args=[supported.pk])])
    assert {"given_name", "family_name", "birth_date"} <= shown["people.person"]
    assert {"concern", "summary", "needs_summary", "risk_summary", "concern_type"} <= shown["cases.case"]


def test_a_panel_member_sees_only_allowed_fields(world: World, supported: Case) -> None:
    meeting = supported.agenda_items.first().meeting_id
    check(world.panel[1], supported, [reverse("panels:detail", args=[meeting])])


def test_a_provider_sees_the_needs_and_never_the_referral(world: World, supported: Case) -> None:
    intervention = Intervention.objects.get(case=supported)
    shown = check(world.provider, supported, [reverse("support:intervention", args=[intervention.pk]),
                                              reverse("support:my_interventions")])
    assert shown["cases.case"] <= {"needs_summary"}
    assert "concern" not in shown["cases.case"] and "concern_type" not in shown["cases.case"]


def test_the_police_see_only_allowed_fields(world: World, supported: Case) -> None:
    check(world.police, supported, [reverse("cases:list"), reverse("cases:deconfliction_queue")])


def test_passage4prevent_police_see_no_person_field(db) -> None:  # type: ignore[no-untyped-def]
    w = make_world("passage4prevent")
    case = screen_and_review(w, w.refer())
    r = _ask(w, case, "police")
    case = marked(w, case)
    shown = check(w.police, case, [reverse("cases:list"), reverse("cases:request_answer", args=[r.pk]),
                                   reverse("cases:deconfliction_queue")])
    assert shown["people.person"] == set()


def test_emergency_access_shows_only_allowed_fields(world: World) -> None:
    case = marked(world, world.refer())
    breakglass_open(actor=world.panel[1], reference=case.reference, reason="A threat was reported this morning.")
    shown = check(world.panel[1], case)
    assert "given_name" in shown["people.person"]


def test_each_personas_allow_list_follows_its_categories() -> None:
    assert policy.ROLE_FIELDS["provider"].reads("cases.case").isdisjoint({"concern", "risk_summary", "summary"})
    assert "needs_summary" in policy.ROLE_FIELDS["provider"].reads("cases.case")
    for role in ("analyst", "dpo", "administrator", "referrer"):
        assert policy.ROLE_FIELDS[role].read == {} and policy.ROLE_FIELDS[role].write == {}, role
    assert policy.ROLE_FIELDS["coordinator"].writes("cases.case") == {"summary", "needs_summary", "risk_summary",
                                                                       "concern_type", "track"}
    for role in ("panel_member", "provider", "police_liaison"):
        assert policy.ROLE_FIELDS[role].write == {}, role


def test_the_edit_form_accepts_only_the_coordinators_writable_fields(client, world: World) -> None:  # type: ignore[no-untyped-def]
    from ura.cases.forms import CaseEditForm

    assert set(CaseEditForm.CHANGE_FIELDS) == policy.ROLE_FIELDS["coordinator"].writes("cases.case")
    case = world.refer()
    client.force_login(world.coordinator)
    client.post(reverse("cases:edit", args=[case.pk]), {
        "version": case.version, "summary": "s", "needs_summary": "n", "risk_summary": "r",
        "concern_type": "religious", "track": "prevention", "concern": "rewritten", "referrer_name": "forged"})
    case = fresh(case)
    assert (case.summary, case.concern, case.referrer_name) == ("s", "Shares videos praising violence with "
                                                                "classmates.", world.referrer.get_full_name())


@pytest.mark.parametrize("persona", ["panel", "police", "provider"])
def test_a_write_outside_the_allow_list_is_refused(client, world: World, supported: Case, persona: str) -> None:  # type: ignore[no-untyped-def]
    user = {"panel": world.panel[1], "police": world.police, "provider": world.provider}[persona]
    with pytest.raises(NotAllowed):
        case_update(case=supported, actor=user, expected_version=supported.version,
                    changes={"needs_summary": "overwritten"})
    client.force_login(user)
    response = client.post(reverse("cases:edit", args=[supported.pk]), {
        "version": supported.version, "summary": "x", "needs_summary": "overwritten", "risk_summary": "x",
        "concern_type": "religious", "track": "prevention"})
    assert response.status_code == 403
    assert fresh(supported).needs_summary == CASE["needs_summary"]

