"""Every demo account signs in through the real login form and lands on its own start page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, shot
from ura.mechanisms.demo.bodies import BY_SLUG, PERSONAS, username
from ura.mechanisms.models import Membership, Role

pytestmark = pytest.mark.browser


def _role_label(page: Page, role: str) -> str:
    """The role as the page names it, in the page's own language."""
    with translation.override(page.locator("html").get_attribute("lang") or "en"):
        return str(Role(role).label)


@pytest.mark.parametrize("slug", ["gjilan", "kumanovo"])
def test_each_persona_lands_on_their_own_start_page(page: Page, demo: None, live_server: Any, slug: str) -> None:
    for persona in PERSONAS:
        name = username(persona, slug)
        membership = Membership.objects.select_related("user", "mechanism").get(user__username=name)
        login(page, name)
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(membership.user.get_full_name())
        mine = page.locator(f'li[data-role="{membership.role}"]')
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text(_role_label(page, membership.role))
        expect(mine).to_contain_text(BY_SLUG[slug].name)
        if membership.is_chair:
            expect(mine).to_contain_text("chair")
        if persona == "coordinator":
            shot(page, f"start-coordinator-{slug}")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/login/$"))


def test_a_wrong_password_is_refused_with_a_message(page: Page, load_demo: Any) -> None:
    load_demo(persons=0)
    page.goto("/login/")
    shot(page, "login")
    login(page, "coordinator.gjilan", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_label("Username")).to_have_value("coordinator.gjilan")
    shot(page, "login-wrong-password")
