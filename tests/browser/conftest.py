"""Browser tests: Playwright (sync API) drives Debian's Chromium against Django's live server.

Run them with ``make test-browser``. Playwright's own browser download is never used:
Chromium comes from the system package at /usr/bin/chromium. Everything shared (launching
Chromium, signing in through the real password and code forms, screenshots) is in kit.py.

Fixtures: ``browser`` (one Chromium per test module), ``personas`` (signed-in pages per user),
``page`` (a fresh signed-out tab on the live server), ``demo`` (the demo mechanisms, staff and a
small case history). ``login(page, username)`` signs in through the real forms.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# to touch the database from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.core.management import call_command  # noqa: E402
from playwright.sync_api import Browser, Page  # noqa: E402

from tests.browser.kit import TIMEOUT_MS, Personas, chromium, shot, sign_in  # noqa: E402
from ura.mechanisms.demo.bodies import PASSWORD  # noqa: E402

HERE = Path(__file__).resolve().parent

__all__ = ["login", "shot"]


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser is a browser test, even if a module forgets its mark."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: Playwright allows one sync instance per thread at a time, and other
    # modules may start their own.
    with chromium() as launched:
        yield launched


@pytest.fixture
def personas(browser: Browser, live_server: Any) -> Iterator[Personas]:
    people = Personas(browser, live_server.url)
    yield people
    people.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def load_demo(live_server: Any) -> Callable[..., None]:
    """Load the demo into the live server's database: ``load_demo(persons=24)``."""

    def load(*, persons: int = 24) -> None:
        call_command("demo", persons=persons, stdout=StringIO())

    return load


@pytest.fixture
def demo(load_demo: Callable[..., None]) -> None:
    """The seven demo mechanisms with their staff and a small history covering every stage."""
    load_demo(persons=24)


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real forms, password and code (and do not check the outcome: tests do)."""
    sign_in(page, username, password)
