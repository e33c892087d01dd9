from __future__ import annotations

import pytest

from tests.world import World, make_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return make_world("gjilan")


@pytest.fixture
def channel(db) -> World:  # type: ignore[no-untyped-def]
    return make_world("channel")


@pytest.fixture
def chaired(db) -> World:  # type: ignore[no-untyped-def]
    return make_world("novi_pazar")


@pytest.fixture
def other(db) -> World:  # type: ignore[no-untyped-def]
    """A second mechanism whose members must see nothing of the first."""
    return make_world("gjilan", slug="other")
