"""Analysts reach aggregates only: no URL, filter or export of theirs leads to a person.

The scope rule (``ura.monitoring.scopes``): a mechanism's coordinators and analysts see its
figures; members of a national mechanism also see their whole country. Nothing else.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.monitoring_data import make_case
from tests.test_monitoring_indicators import build
from tests.test_urls import ROUTES
from tests.world import World, user
from ura.governance.models import AuditEvent
from ura.mechanisms.models import Role
from ura.mechanisms.services import agency_create, mechanism_create, membership_grant
from ura.monitoring.scopes import scopes_for

MONITORING = [reverse(f"monitoring:{n}") for n in ("dashboard", "report", "report_pdf", "export_csv",
                                                    "export_xlsx")]
FIGURES = MONITORING[:2]


def national_analyst(country: str = "XK") -> tuple[object, object]:
    m = mechanism_create(actor=None, template="dprrp", slug=f"dprrp-{country.lower()}", name=f"DPRRP {country}",
                         level="national", country=country, place="Prishtinë")
    agency = agency_create(actor=None, mechanism=m, name="Coordinator's office", type="ministry")
    u = user(f"national-{country.lower()}")
    membership_grant(actor=None, user=u, mechanism=m, agency=agency, role=Role.ANALYST)
    return m, u


def _names(world: World) -> list[str]:
    from ura.cases.models import Case

    cases = Case.objects.filter(mechanism=world.mechanism).select_related("person")
    return [c.person.given_name for c in cases] + [c.reference for c in cases]


COUNT_ROW = re.compile(r'<tr data-row="[^"]*" class="kind-(?:count|subtotal|total)">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(?:<abbr[^>]*>)?([^<]*)")


def small_counts(body: str) -> list[str]:
    """Published counts of people between 1 and 4 (there must be none)."""
    return [cell for row in COUNT_ROW.findall(body) for cell in CELL.findall(row)
            if cell.strip() in {"1", "2", "3", "4"}]


# --- scopes -------------------------------------------------------------------------------------------

def test_an_analyst_sees_the_figures_of_their_own_mechanism_only(world: World, other: World) -> None:
    assert [s.code for s in scopes_for(world.analyst)] == [f"m-{world.mechanism.slug}"]


def test_a_national_analyst_sees_the_country_its_levels_and_its_mechanisms(world: World, other: World) -> None:
    national, analyst = national_analyst("XK")
    elsewhere = mechanism_create(actor=None, template="gjilan", slug="kumanovo-x", name="Kumanovo", level="municipal",
                                 country="MK", place="Kumanovo")
    codes = {s.code for s in scopes_for(analyst)}
    assert codes == {f"m-{national.slug}", "c-XK", "l-XK-national", "l-XK-municipal",
                     f"m-{world.mechanism.slug}", f"m-{other.mechanism.slug}"}
    assert f"m-{elsewhere.slug}" not in codes


def test_referrers_panel_members_providers_police_and_dpos_see_no_figures(client, world: World) -> None:
    for who in (world.referrer, world.chair, world.provider, world.police, world.dpo, world.admin):
        client.force_login(who)
        for url in MONITORING:
            assert client.get(url).status_code == 403, (who, url)


def test_another_mechanisms_figures_are_refused_like_a_missing_one(client, world: World, other: World) -> None:
    client.force_login(world.analyst)
    refused = client.get(reverse("monitoring:dashboard"), {"scope": f"m-{other.mechanism.slug}", "year": 2024})
    missing = client.get(reverse("monitoring:dashboard"), {"scope": "m-no-such-mechanism", "year": 2024})
    assert refused.status_code == missing.status_code == 400
    strip = re.compile(r"m-[\w-]+|\"X-CSRFToken\": \"\w+\"|csrfmiddlewaretoken\" value=\"\w+\"")
    assert strip.sub("", refused.content.decode()) == strip.sub("", missing.content.decode())
    assert other.mechanism.name not in refused.content.decode()


@pytest.mark.parametrize("params", [
    {"year": "abc"}, {"year": "1999"}, {"year": "99999999999999999999"}, {"year": "-1"}, {"scope": "c-XK"},
    {"scope": "l-XK-municipal"}, {"scope": "' OR 1=1 --"}, {"scope": ["a", "b"]}, {"quarter": "5", "page": "x"},
])
def test_bad_filters_are_form_errors_never_server_errors(client, world: World, params: dict) -> None:
    world.refer()
    client.force_login(world.analyst)
    for url in MONITORING:
        response = client.get(url, params)
        assert response.status_code in (200, 400), (url, params)
    assert client.get(FIGURES[0], {"year": "abc"}).status_code == 400


def test_an_analyst_reaches_no_person_by_any_url(client, world: World) -> None:
    build(world)
    names = _names(world)
    client.force_login(world.analyst)
    for name, url in ROUTES:
        for address in {url, url.replace("/1/", f"/{world.mechanism.cases.first().pk}/")}:
            for response in (client.get(address), client.post(address, {"x": "1"})):
                assert response.status_code in (200, 302, 400, 403, 404, 405), (name, address)
                if response.status_code == 200:
                    body = response.content.decode(errors="replace")
                    assert not any(n in body for n in names), (name, address)


def test_no_filter_combination_or_export_shows_a_person(client, world: World) -> None:
    build(world)
    names = _names(world)
    national, analyst = national_analyst("XK")
    client.force_login(analyst)
    for scope in scopes_for(analyst):
        for year in (2023, 2024, 2025):
            for url in MONITORING if year == 2024 else [*FIGURES, MONITORING[3]]:
                response = client.get(url, {"scope": scope.code, "year": year})
                assert response.status_code == 200, (url, scope.code, year)
                if "pdf" not in url and "xlsx" not in url:
                    body = response.content.decode()
                    assert not any(n in body for n in names), (url, scope.code, year)
                    assert not small_counts(body), (url, scope.code, year)


def test_registers_are_for_coordinators_only(client, world: World) -> None:
    client.force_login(world.analyst)
    for name in ("trainings", "activities", "funding"):
        assert client.get(reverse(f"monitoring:{name}")).status_code == 403
    assert client.get(reverse("monitoring:narrative")).status_code == 404


# --- audit -----------------------------------------------------------------------------------------------

def test_every_view_of_figures_is_audited(client, world: World) -> None:
    client.force_login(world.analyst)
    client.get(FIGURES[0], {"year": 2024})
    event = AuditEvent.objects.filter(action="indicators.viewed").get()
    assert (event.actor, event.mechanism, event.case_id, event.data["year"]) == (
        world.analyst, world.mechanism, None, 2024)


def test_every_download_is_audited_with_its_format(client, world: World) -> None:
    client.force_login(world.analyst)
    for url in MONITORING[2:]:
        client.get(url, {"year": 2024})
    assert sorted(AuditEvent.objects.filter(action="report.downloaded").values_list("data__format", flat=True)) == [
        "csv", "pdf", "xlsx"]


# --- queries do not grow with the number of cases ------------------------------------------------------------

def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"year": 2024}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", MONITORING)
def test_the_number_of_queries_does_not_grow_with_the_cases(client, world: World, url: str) -> None:
    client.force_login(world.analyst)
    for i in range(3):
        make_case(world, dt.date(2024, 1 + i, 1), screened="case_review", exited_on=dt.date(2024, 6, 1))
    few = _queries(client, url)
    for i in range(40):
        make_case(world, dt.date(2024, 1 + i % 12, 2), sector="health", screened="signposted",
                  interventions=({"starts_on": dt.date(2024, 5, 1)},))
    assert _queries(client, url) == few
