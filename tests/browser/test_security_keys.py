"""A security key in a real browser: Chromium's virtual authenticator (the DevTools WebAuthn domain)
stands in for the key. The coordinator adds it on the sign-in security page, signs out, and signs in
again with the password and a touch of the key instead of a code.

Chromium and the signed-in personas come from tests/browser/kit.py (fixtures in conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.kit import Personas, current_code, expect_message, shot
from tests.world import PASSWORD, make_world
from ura.accounts.models import SecurityKey

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(live_server: Any) -> Any:
    return make_world("gjilan").coordinator


def plug_in_a_key(page: Page) -> None:
    """A USB security key that verifies its user and is touched whenever asked."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": False, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})


def test_a_security_key_is_added_and_then_signs_in(personas: Personas, coordinator: Any, live_server: Any) -> None:
    page = personas(coordinator)
    plug_in_a_key(page)
    page.get_by_role("link", name="Sign-in security: your authenticator app and security keys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in security")
    expect(page.get_by_role("region", name="Authenticator app")).to_contain_text("Set up.")
    page.get_by_label("Name of the key").fill("blue key")
    page.get_by_role("button", name="Add a security key").click()
    expect_message(page, "The security key blue key is added")
    expect(page.locator("tr[data-security-key-row]")).to_contain_text("blue key")
    shot(page, "security-keys")

    page.locator("form.logout button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    form = page.locator("form[data-form=sign-in]")
    form.locator("input[name=username]").fill(coordinator.username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/code/"))
    shot(page, "sign-in-security-key")
    page.get_by_role("button", name="Use your security key").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    key = SecurityKey.objects.get(user=coordinator)
    assert key.last_used_at is not None and key.sign_count >= 2


def test_another_key_does_not_sign_in_and_the_code_still_does(personas: Personas, coordinator: Any,
                                                               page: Page, live_server: Any) -> None:
    added = personas(coordinator)
    plug_in_a_key(added)
    added.goto("/accounts/security/")
    added.get_by_label("Name of the key").fill("blue key")
    added.get_by_role("button", name="Add a security key").click()
    expect_message(added, "is added")

    # Another browser with a key that was never registered to this account.
    page.goto("/login/")
    form = page.locator("form[data-form=sign-in]")
    form.locator("input[name=username]").fill(coordinator.username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    plug_in_a_key(page)
    page.get_by_role("button", name="Use your security key").click()
    expect(page.get_by_role("alert")).to_contain_text("Please try again")
    expect(page).to_have_url(re.compile(r"/login/code/"))
    shot(page, "sign-in-security-key-refused")
    code = page.locator("form[data-form=code]")
    code.locator("input[name=code]").fill(current_code(coordinator.username))
    code.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_recovery_codes_are_made_once_and_one_signs_in(personas: Personas, coordinator: Any, page: Page,
                                                       live_server: Any) -> None:
    owner = personas(coordinator)
    owner.goto("/accounts/security/")
    owner.get_by_role("button", name="Make recovery codes").click()
    codes = owner.locator("[data-recovery-codes] li code")
    expect(codes).to_have_count(10)
    shot(owner, "recovery-codes")
    code = codes.nth(0).inner_text()

    page.goto("/login/")
    form = page.locator("form[data-form=sign-in]")
    form.locator("input[name=username]").fill(coordinator.username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.get_by_text("Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(code)
    page.get_by_role("button", name="Sign in with the recovery code").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect_message(page, "You signed in with a recovery code; 9 are left")
