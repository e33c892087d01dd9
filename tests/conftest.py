from __future__ import annotations

import pytest
from django.utils import translation

from tests.world import World, make_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _force_login_passes_both_factors(monkeypatch):  # type: ignore[no-untyped-def]
    """``client.force_login`` signs in with the second factor too (tests/signin.py); the steps
    themselves and their enforcement are tested in tests/test_account_security.py."""
    from django.test import Client

    from tests.signin import verified_login

    monkeypatch.setattr(Client, "force_login", verified_login)


@pytest.fixture(autouse=True)
def _language_reset():  # type: ignore[no-untyped-def]
    """A request in one test (a user of an Albanian mechanism, say) leaves its language active in
    the thread; the next test starts in the default language again."""
    yield
    translation.deactivate()


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


# --- the authorization matrix's count (tests/test_matrix.py), summed across xdist workers ----------

_AUTHZ_CHECKED: list[int] = []
_API_AUTHZ_CHECKED: list[int] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _AUTHZ_CHECKED.extend(v for k, v in report.user_properties if k == "authz_combinations")
        _API_AUTHZ_CHECKED.extend(v for k, v in report.user_properties if k == "api_authz_combinations")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _AUTHZ_CHECKED:
        terminalreporter.write_line(f"authorization matrix: {sum(_AUTHZ_CHECKED)} combinations of URL × persona × "
                                    f"object scope checked against tests/authz_table.py")
    if _API_AUTHZ_CHECKED:
        terminalreporter.write_line(f"API authorization matrix: {sum(_API_AUTHZ_CHECKED)} combinations of route × "
                                    f"persona × object scope × token scope checked against tests/test_api_matrix.py")
