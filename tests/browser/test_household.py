"""The household page in a real browser: the DPRRP coordinator sees the family programme and every
member's plan side by side; a CSO provider sees only the members it serves and only its own
interventions; the page works on a 360px phone.

Self-contained: its own browser and persona fixtures (named so as not to clash with
tests/browser/conftest.py), like test_walk.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.reintegration_world import PersonX, person_x
from tests.world import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def hh_browser() -> Iterator[Browser]:
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()


@pytest.fixture
def hh(live_server: Any) -> PersonX:
    return person_x(handed_over=False)


def signed_in(browser: Browser, base_url: str, user: Any, width: int = 1280) -> Page:
    context = browser.new_context(base_url=base_url, locale="en-GB", viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label(re.compile(r"^\s*Username:?\s*$")).fill(user.username)
    page.get_by_label(re.compile(r"^\s*Password:?\s*$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return page


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_coordinator_sees_the_family_programme_and_every_plan(hh_browser: Browser, live_server: Any,
                                                                   hh: PersonX) -> None:
    page = signed_in(hh_browser, live_server.url, hh.central.coordinator)
    page.goto(f"/cases/{hh.adult.pk}/")
    page.get_by_role("link", name=re.compile("Household: Household of Person X")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Household of Person X")
    expect(page.get_by_role("heading", name="Family programme")).to_be_visible()
    expect(page.locator("article.member")).to_have_count(3)
    child = page.locator(f"article[data-case='{hh.child.reference}']")
    expect(child.locator("li[data-type]")).to_have_count(2)
    expect(page.locator(f"article[data-case='{hh.adult.reference}']")).to_contain_text("Prison programme")
    shot(page, "household-coordinator")
    page.context.close()


def test_a_cso_provider_sees_only_its_interventions(hh_browser: Browser, live_server: Any, hh: PersonX) -> None:
    page = signed_in(hh_browser, live_server.url, hh.central.provider)
    page.goto(f"/reintegration/cases/{hh.child.pk}/household/")
    expect(page.locator("article.member")).to_have_count(2)
    expect(page.locator("li[data-type]")).to_have_count(2)
    expect(page.locator("li[data-type='school-registration']")).to_have_count(0)
    expect(page.get_by_text("Prison programme")).to_have_count(0)
    shot(page, "household-provider")
    assert page.goto(f"/reintegration/cases/{hh.adult.pk}/household/").status == 404  # type: ignore[union-attr]
    page.context.close()


def test_the_household_page_fits_a_phone(hh_browser: Browser, live_server: Any, hh: PersonX) -> None:
    page = signed_in(hh_browser, live_server.url, hh.central.coordinator, width=360)
    page.goto(f"/reintegration/cases/{hh.adult.pk}/household/")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    shot(page, "household-phone")
    assert not overflow
    page.context.close()
