from __future__ import annotations

import pytest

from tests.world import World, make_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _shipped_data(request):  # type: ignore[no-untyped-def]
    """Data that migrations ship (the intervention catalogue) is gone after a flush by a
    transactional test on the same database; put it back for tests that use the database."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from ura.support.catalogue import CATALOGUE, catalogue_load
    from ura.support.models import InterventionType

    if InterventionType.objects.count() < len(CATALOGUE):
        catalogue_load()


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


@pytest.fixture(scope="session", autouse=True)
def _audit_flush_allowed_in_test_databases(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Tests that end with a flush (live server) must empty the audit table of the test database.

    Production keeps the PostgreSQL guard that refuses TRUNCATE of audit events.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE governance_auditevent DISABLE TRIGGER ura_audit_event_no_truncate")
