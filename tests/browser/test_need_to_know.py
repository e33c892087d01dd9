"""Need-to-know in a real browser: emergency access with its banner and its review by the DPO,
"Why can I see this?", and Passage4prevent's pseudonymised case for the police.

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
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.world import PASSWORD, World, make_world
from ura.cases.services import case_transition, deconfliction_request
from ura.governance import policy
from ura.governance.models import BreakGlass

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000
REASON = "The school called: he threatened a classmate with a knife an hour ago."


@pytest.fixture(scope="module")
def ntk_browser() -> Iterator[Browser]:
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()


class Personas:
    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.contexts: list[BrowserContext] = []

    def __call__(self, user: Any) -> Page:
        context = self.browser.new_context(base_url=self.base_url, locale="en-GB",
                                           viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label(re.compile(r"^\s*Username:?\s*$")).fill(user.username)
        page.get_by_label(re.compile(r"^\s*Password:?\s*$")).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def ntk_people(ntk_browser: Browser, live_server: Any) -> Iterator[Personas]:
    people = Personas(ntk_browser, live_server.url)
    yield people
    people.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def test_emergency_access_is_marked_explained_and_reviewed(live_server: Any, ntk_people: Personas) -> None:
    w: World = make_world("gjilan")
    case = w.refer()
    member = ntk_people(w.panel[1])

    # The case is closed to the panel member: the same 404 as for a missing case.
    assert member.goto(f"/cases/{case.pk}/").status == 404

    member.goto("/")
    menu(member, "Emergency access")
    member.get_by_label(re.compile(r"Case reference")).fill(case.reference)
    member.get_by_label(re.compile(r"Why you need to open this case now")).fill(REASON)
    member.get_by_role("button", name="Open the case with emergency access").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text(f"Case {case.reference}")
    banner = member.locator("[data-breakglass-banner]")
    expect(banner).to_contain_text(case.reference)
    expect(member.locator("main")).to_contain_text(case.person.full_name)

    why = member.locator('details.why[data-why="identity"]').first
    why.locator("summary").click()
    expect(why).to_contain_text("emergency access")
    expect(why).to_contain_text("data-protection officer")
    shot(member, "breakglass-case")

    # Marked on every page while it lasts.
    menu(member, "My work")
    expect(member.locator("[data-breakglass-banner]")).to_contain_text(case.reference)

    dpo = ntk_people(w.dpo)
    menu(dpo, "Emergency access reviews")
    bg = BreakGlass.objects.get(case=case)
    card = dpo.locator(f'[data-breakglass="{bg.pk}"]')
    expect(card).to_contain_text(REASON)
    expect(card.locator("[data-reads]")).to_have_text("1")
    expect(dpo.locator("main")).not_to_contain_text(case.person.given_name)
    shot(dpo, "breakglass-review")
    card.get_by_label("Justified", exact=True).check()
    card.get_by_role("button", name="Record the review").click()
    expect(dpo.locator("ul.messages")).to_contain_text("The review is recorded.")
    expect(dpo.locator(f'[data-breakglass="{bg.pk}"]')).to_have_attribute("data-reviewed", "yes")


def test_passage4prevent_police_see_a_pseudonym_and_why(live_server: Any, ntk_people: Personas) -> None:
    w = make_world("passage4prevent")
    case = case_transition(case=w.refer(), transition="start_screening", actor=w.coordinator)
    deconfliction_request(case=case, actor=w.coordinator)
    police = ntk_people(w.police)
    menu(police, "Cases")
    police.get_by_role("link", name=case.reference, exact=True).click()
    main = police.locator("main")
    expect(main).to_contain_text(policy.pseudonym(case))
    expect(main).not_to_contain_text(case.person.given_name)
    why = police.locator('details.why[data-why="identity"]').first
    expect(why.locator("summary")).to_have_text("Why is this not shown?")
    why.locator("summary").click()
    expect(why).to_contain_text("pseudonymised case")
    shot(police, "pseudonymised-case")
