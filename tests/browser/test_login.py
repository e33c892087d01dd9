"""Every demo account signs in through the real forms (password, then the code from its
authenticator app) and lands on its own start page; a new account sets up its authenticator first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.kit import field, shot, sign_in
from ura.mechanisms.demo.bodies import BY_SLUG, PASSWORD, PERSONAS, username
from ura.mechanisms.models import Membership, Role

pytestmark = pytest.mark.browser


def _role_label(page: Page, role: str) -> str:
    """The role as the page names it, in the page's own language."""
    with translation.override(page.locator("html").get_attribute("lang") or "en"):
        return str(Role(role).label)


def _in_page_language(page: Page, text: str) -> str:
    with translation.override(page.locator("html").get_attribute("lang") or "en"):
        return translation.gettext(text)


@pytest.mark.parametrize("slug", ["gjilan", "kumanovo"])
def test_each_persona_lands_on_their_own_start_page(page: Page, demo: None, live_server: Any, slug: str) -> None:
    for persona in PERSONAS:
        name = username(persona, slug)
        membership = Membership.objects.select_related("user", "mechanism").get(user__username=name)
        sign_in(page, name, PASSWORD)
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(membership.user.get_full_name())
        mine = page.locator(f'li[data-role="{membership.role}"]')
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text(_role_label(page, membership.role))
        expect(mine).to_contain_text(BY_SLUG[slug].name)
        if membership.is_chair:
            expect(mine).to_contain_text(_in_page_language(page, "chair"))
        if persona == "coordinator":
            shot(page, f"start-coordinator-{slug}")
        page.locator("form.logout button[type=submit]").click()  # in the account's own language
        expect(page).to_have_url(re.compile(r"/login/$"))


def test_a_wrong_password_is_refused_with_a_message(page: Page, load_demo: Any) -> None:
    load_demo(persons=0)
    page.goto("/login/")
    shot(page, "login")
    sign_in(page, "coordinator.gjilan", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_label("Username")).to_have_value("coordinator.gjilan")
    shot(page, "login-wrong-password")


def test_a_new_account_sets_up_its_authenticator_before_anything_else(browser: Any, live_server: Any,
                                                                      load_demo: Any) -> None:
    import base64
    import time

    from django_otp.oath import TOTP

    from ura.accounts.models import User

    load_demo(persons=0)
    User.objects.create_user(username="new.starter", password=PASSWORD, first_name="New", last_name="Starter")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="en-GB",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label(field("Username")).fill("new.starter")
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing wider than the phone"
    shot(page, "two-factor-enrol-phone")
    page.goto("/cases/")  # nothing else is open before the second factor
    expect(page).to_have_url(re.compile(r"/login/enrol/\?next=%2Fcases%2F$"))
    key = page.locator("[data-totp-key]").inner_text().replace(" ", "")
    generator = TOTP(base64.b32decode(key))
    generator.time = time.time()
    page.get_by_label(field("Code")).fill(f"{generator.token():06d}")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))  # on to where they were going (not theirs to see)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("ul.messages")).to_contain_text("Two-factor sign-in is set up")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "new.starter", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    context.close()


def test_pages_run_under_the_content_security_policy_without_a_violation(page: Page, demo: None) -> None:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url} {message.location}: {message.text}")
            if "Content Security Policy" in message.text else None)
    sign_in(page, "coordinator.gjilan", PASSWORD)
    for url in ("/", "/cases/", "/panels/", "/monitoring/"):
        response = page.goto(url)
        assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("typeof window.htmx") == "object", f"htmx runs on {url}"
    assert not violations, violations
