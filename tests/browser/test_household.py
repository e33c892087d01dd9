"""The household page in a real browser: the DPRRP coordinator sees the family programme and every
member's plan side by side; a CSO provider sees only the members it serves and only its own
interventions; the page works on a 360px phone.

Chromium and the signed-in personas come from tests/browser/kit.py (fixtures in conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.kit import Personas, shot
from tests.reintegration_world import PersonX, person_x

pytestmark = pytest.mark.browser


@pytest.fixture
def hh(live_server: Any) -> PersonX:
    return person_x(handed_over=False)


def test_the_coordinator_sees_the_family_programme_and_every_plan(personas: Personas, hh: PersonX) -> None:
    page = personas(hh.central.coordinator)
    page.goto(f"/cases/{hh.adult.pk}/")
    page.get_by_role("link", name=re.compile("Household: Household of Person X")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Household of Person X")
    expect(page.get_by_role("heading", name="Family programme")).to_be_visible()
    expect(page.locator("article.member")).to_have_count(3)
    child = page.locator(f"article[data-case='{hh.child.reference}']")
    expect(child.locator("li[data-type]")).to_have_count(2)
    expect(page.locator(f"article[data-case='{hh.adult.reference}']")).to_contain_text("Prison programme")
    shot(page, "household-coordinator")


def test_a_cso_provider_sees_only_its_interventions(personas: Personas, hh: PersonX) -> None:
    page = personas(hh.central.provider)
    page.goto(f"/reintegration/cases/{hh.child.pk}/household/")
    expect(page.locator("article.member")).to_have_count(2)
    expect(page.locator("li[data-type]")).to_have_count(2)
    expect(page.locator("li[data-type='school-registration']")).to_have_count(0)
    expect(page.get_by_text("Prison programme")).to_have_count(0)
    shot(page, "household-provider")
    assert page.goto(f"/reintegration/cases/{hh.adult.pk}/household/").status == 404  # type: ignore[union-attr]


def test_the_household_page_fits_a_phone(personas: Personas, hh: PersonX) -> None:
    page = personas(hh.central.coordinator, phone=True)
    page.goto(f"/reintegration/cases/{hh.adult.pk}/household/")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    shot(page, "household-phone")
    assert not overflow
