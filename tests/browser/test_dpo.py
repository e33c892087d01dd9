"""The data-protection officer's pages in a real browser, on a 360px phone: from the menu to a
person's file, who accessed it, a legal hold and the access review; axe-core finds nothing on
any of them and none scrolls sideways.

Chromium and the signed-in personas come from tests/browser/kit.py (fixtures in conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kit import Personas, field, menu, shot
from tests.world import World, make_world
from ura.governance.services import breakglass_open

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def w(live_server: Any) -> World:
    return make_world("gjilan")


def _check(page: Page, name: str) -> None:
    shot(page, name)
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), name
    if AXE.exists():
        page.evaluate(AXE.read_text(encoding="utf-8"))
        found = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}))
            .violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")
        assert not found, f"{name}: {found}"


def test_the_dpo_works_a_persons_request_on_a_phone(personas: Personas, w: World) -> None:
    case = w.refer()
    breakglass_open(actor=w.panel[1], reference=case.reference, reason="A threat was made at school this morning.")
    personas(w.panel[1]).goto(f"/cases/{case.pk}/")
    page = personas(w.dpo, phone=True)
    page.goto("/")
    page.get_by_role("link", name="Data protection", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection")
    _check(page, "dpo-home-phone")
    page.get_by_label(field("Case reference")).fill(case.reference)
    page.get_by_role("button", name="Open the person's file").click()
    expect(page.locator(f"[data-case='{case.reference}']")).to_be_visible()
    _check(page, "dpo-person-phone")
    page.get_by_label(field("Reason for the hold")).fill("Court case 12/2026")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.locator("[data-held=yes]")).to_contain_text("Court case 12/2026")
    page.get_by_role("link", name="Who accessed this file").click()
    expect(page.locator("tr[data-emergency=yes]").first).to_be_visible()
    _check(page, "dpo-accesses-phone")
    page.goto("/")
    menu(page, "Access review") if page.get_by_role("navigation", name="Main").is_visible() else page.get_by_role(
        "link", name="Access review", exact=True).first.click()
    expect(page.locator("[data-rule=breakglass]")).to_be_visible()
    _check(page, "dpo-access-review-phone")
    page.get_by_label(field("What you found, or what was done")).fill("Asked the teacher; justified.")
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.locator("[data-rule=breakglass]")).to_have_attribute("data-reviewed", "yes")
