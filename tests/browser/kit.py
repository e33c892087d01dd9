"""What the browser tests share: Chromium, signed-in personas and small helpers for what users see.

Every browser test launches Chromium with ``chromium()`` (the ``browser`` fixture of
tests/browser/conftest.py) and signs in with ``Personas`` or ``sign_in``: through the real
password and code forms, the code computed from the account's TOTP secret (the published demo
secret for demo and test accounts).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.world import PASSWORD
from ura.accounts.services import demo_two_factor_ensure

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium; Playwright's own browser download is never used."""
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()


class Personas:
    """One browser context per persona (and per screen size), signed in through the real forms once."""

    def __init__(self, browser: Browser, base_url: str, *, password: str = PASSWORD,
                 timeout_ms: int = TIMEOUT_MS) -> None:
        self.browser, self.base_url, self.password, self.timeout_ms = browser, base_url, password, timeout_ms
        self.contexts: dict[tuple[int, bool], tuple[BrowserContext, Page]] = {}

    def __call__(self, user: Any, *, phone: bool = False) -> Page:
        if (user.pk, phone) not in self.contexts:
            viewport = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
            context = self.browser.new_context(base_url=self.base_url, viewport=viewport, locale="en-GB",
                                               is_mobile=phone, has_touch=phone, accept_downloads=True)
            context.set_default_timeout(self.timeout_ms)
            page = context.new_page()
            demo_two_factor_ensure(user=user)
            sign_in(page, user.username, self.password)
            expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
            self.contexts[(user.pk, phone)] = (context, page)
        return self.contexts[(user.pk, phone)][1]

    def close(self) -> None:
        for context, _page in self.contexts.values():
            context.close()
        self.contexts.clear()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Through the real forms: the password, then the code from the account's authenticator app
    (computed here from its secret, as the app would). The outcome is for the caller to check."""
    # The page may be in any language (the last account's, or this one's at the code step): the
    # forms are found by their data, not their words.
    page.goto("/login/")
    form = page.locator("form[data-form=sign-in]")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if "/login/code/" in page.url:
        form = page.locator("form[data-form=code]")
        form.locator("input[name=code]").fill(current_code(username))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()


def current_code(username: str) -> str:
    """The code the account's authenticator app shows now. A test may sign the same account in
    twice within one 30-second step, which the server rightly refuses (a code is good once), so
    the device's record of the last code used is cleared first: the test's stand-in for waiting."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = time.time()
    return f"{generator.token():06d}"


def field(label: str) -> re.Pattern[str]:
    """A form control's label, exactly (Django adds a colon to field labels, not to choices)."""
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("ul.messages")).to_contain_text(text)
