"""Monitoring in a real browser: a national analyst and a municipal coordinator read the
dashboard, filter it, download the annual report, and never reach a person; the coordinator
records a training and writes the report's text. Screenshots go to ``screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.kit import Personas, field, menu, shot
from tests.monitoring_data import make_case
from tests.test_monitoring_access import national_analyst
from tests.world import World, make_world
from ura.monitoring.demo import monitoring_demo_load

pytestmark = pytest.mark.browser

TIMEOUT_MS = 15_000  # the annual report's PDF takes a while to lay out
YEAR = 2025



def _history(w: World, rng: random.Random, per_year: int) -> None:
    """Referrals over three years with the traces the indicators read."""
    sectors = ["education"] * 5 + ["police"] * 2 + ["social", "health", "family", "family", "religious", "community"]
    concerns = ["religious"] * 5 + ["ethno_nationalist"] * 2 + ["right_wing"] * 2 + ["other"]
    screenings = ["case_review"] * 6 + ["signposted"] * 2 + ["no_further_action", "police_led"]
    types = ["mentoring", "mentoring", "family-counselling", "psychological", "education", "vocational-training"]
    for year in (YEAR - 2, YEAR - 1, YEAR):
        for _n in range(per_year):
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
            screened = rng.choice(screenings)
            adopted = screened == "case_review" and rng.random() < 0.7
            decided = day + dt.timedelta(days=rng.randint(10, 120)) if adopted else None
            support = adopted and decided is not None
            make_case(w, day, sector=rng.choice(sectors), concern=rng.choice(concerns), sex=rng.choice("mmmf"),
                      age=rng.choice([13, 15, 16, 17, 19, 22, 27, 34, 45, None]), screened=screened,
                      referred_by=rng.choice(["referrer", "coordinator", None]),
                      decisions=(("decision", "adopt", decided),) if adopted else (), decided_on=decided,
                      interventions=tuple({"type": rng.choice(types), "starts_on": decided + dt.timedelta(days=7),
                                           "source": rng.choice(["donor", "donor", "municipal", "national"]),
                                           "cost": str(rng.randrange(200, 1500, 50)),
                                           "status": rng.choice(["active", "completed", "completed", "stopped"])}
                                          for _i in range(rng.randint(1, 2))) if support else (),
                      exited_on=decided + dt.timedelta(days=rng.randint(90, 300)) if support and rng.random() < .5
                      else None,
                      flows=(("review_return", day + dt.timedelta(days=150)),) if rng.random() < .05 else ())


@pytest.fixture
def monitoring_world(live_server: Any) -> dict[str, Any]:
    rng = random.Random(2026)
    gjilan = make_world("gjilan")
    hani = make_world("channel")
    _history(gjilan, rng, 60)
    _history(hani, rng, 30)
    national, analyst = national_analyst("XK")
    monitoring_demo_load()
    return {"gjilan": gjilan, "hani": hani, "national": national, "analyst": analyst}


@pytest.fixture
def monitoring_personas(browser: Browser, live_server: Any) -> Iterator[Personas]:
    personas = Personas(browser, live_server.url, timeout_ms=TIMEOUT_MS)
    yield personas
    personas.close()


def choose(page: Page, scope_label: str, year: int) -> None:
    filters = page.get_by_role("form", name="Choose the figures")
    filters.get_by_label(field("Mechanism or level")).select_option(label=scope_label)
    filters.get_by_label(field("Year")).select_option(str(year))
    filters.get_by_role("button", name="Show").click()


def test_a_national_analyst_reads_the_dashboard_and_downloads_the_report(
        monitoring_world: dict[str, Any], monitoring_personas: Personas) -> None:
    w = monitoring_world
    page = monitoring_personas(w["analyst"])
    menu(page, "Dashboard")
    choose(page, "National: all mechanisms in XK", YEAR)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard: National: all mechanisms in XK, {YEAR}")
    key = page.locator(".key-figures")
    expect(key).to_contain_text("Referrals")
    expect(key).to_contain_text("Minors referred")
    # Every chart is an image with a name, and the table it is drawn from is on the page.
    trend = page.get_by_role("img", name="Referrals by quarter")
    expect(trend).to_have_count(1)
    sector = page.locator("figure[data-table=sector]")
    expect(sector.get_by_role("img", name="Referrals by source sector")).to_be_visible()
    expect(sector.get_by_role("table")).to_contain_text("Education")
    expect(sector.get_by_role("columnheader")).to_have_text(["Indicator", f"Q1 {YEAR}", f"Q2 {YEAR}", f"Q3 {YEAR}",
                                                              f"Q4 {YEAR}", str(YEAR)])
    hidden = page.locator("td[data-hidden] abbr")
    assert hidden.count() > 0, "some figures are small enough to be hidden"
    expect(hidden.first).to_have_attribute("title", re.compile("hidden"))
    expect(page.locator("figure[data-table=funnel]")).to_contain_text("Exited")
    shot(page, "dashboard-national")

    gjilan = w["gjilan"].mechanism
    choose(page, gjilan.name, YEAR)
    expect(page.get_by_role("heading", level=1)).to_contain_text(gjilan.name)
    shot(page, "dashboard-mechanism")

    with page.expect_download() as download:
        page.get_by_role("link", name="Annual report (PDF)").click()
    assert download.value.suggested_filename == f"ura-m-{gjilan.slug}-{YEAR}.pdf"
    with page.expect_download() as download:
        page.get_by_role("link", name="Tables (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # A made-up filter is a form error on the page, not a server error; a case is not there for an analyst.
    page.goto("/monitoring/?year=abc&scope=m-elsewhere")
    expect(page.get_by_role("alert")).to_contain_text("These figures cannot be shown")
    case = w["gjilan"].mechanism.cases.first()
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("body")).not_to_contain_text(case.person.given_name)
    expect(page.locator("body")).not_to_contain_text(case.reference)


def test_a_coordinator_records_a_training_and_writes_the_annual_report(
        monitoring_world: dict[str, Any], monitoring_personas: Personas) -> None:
    w = monitoring_world["gjilan"]
    coord = monitoring_personas(w.coordinator)
    menu(coord, "Training")
    coord.get_by_text("Record a training").click()
    form = coord.locator("form[data-form=training]")
    form.get_by_label(field("Topic")).fill("Gaming platforms and recruitment online")
    form.get_by_label(field("Date")).fill(f"{YEAR}-10-14")
    form.get_by_label(field("Trainer")).fill("RAN practitioner")
    form.get_by_label(re.compile(r"^\s*Teacher Tester")).check()
    form.get_by_label(field(f"Others from {w.agencies['police'].name}")).fill("6")
    form.get_by_role("button", name="Record the training").click()
    expect(coord.locator("ul.messages")).to_contain_text("The training is recorded.")
    row = coord.get_by_role("row").filter(has_text="Gaming platforms and recruitment online")
    expect(row).to_contain_text("yes, 2 agencies")
    expect(row).to_contain_text("7")

    menu(coord, "Annual report")
    choose(coord, w.mechanism.name, YEAR)
    coord.get_by_role("link", name="Write the report's text").click()
    coord.get_by_label(field("Challenges")).fill("Schools still hesitate to refer; most support is donor-funded.")
    coord.get_by_role("button", name="Save the text").click()
    expect(coord.locator("ul.messages")).to_contain_text("The report text is saved.")
    expect(coord.locator("section.narrative")).to_contain_text("Schools still hesitate to refer")
    shot(coord, "annual-report-page")

    phone = monitoring_personas(w.coordinator, phone=True)
    menu(phone, "Dashboard")
    choose(phone, w.mechanism.name, YEAR)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(w.mechanism.name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "nothing wider than the phone"
    shot(phone, "dashboard-phone-360")
