"""What the browser tests share: Chromium, signed-in personas and small helpers for what users see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.world import PASSWORD

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
    """One browser context per persona, signed in through the real login form once."""

    def __init__(self, browser: Browser, base_url: str, *, password: str = PASSWORD) -> None:
        self.browser, self.base_url, self.password = browser, base_url, password
        self.contexts: dict[int, tuple[BrowserContext, Page]] = {}

    def __call__(self, user: Any, *, phone: bool = False) -> Page:
        if user.pk not in self.contexts:
            viewport = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
            context = self.browser.new_context(base_url=self.base_url, viewport=viewport, locale="en-GB",
                                               is_mobile=phone, has_touch=phone, accept_downloads=True)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto("/login/")
            page.get_by_label(field("Username")).fill(user.username)
            page.get_by_label(field("Password")).fill(self.password)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
            self.contexts[user.pk] = (context, page)
        return self.contexts[user.pk][1]

    def close(self) -> None:
        for context, _page in self.contexts.values():
            context.close()


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
