"""On PostgreSQL the database itself refuses to change or remove audit events.

The application's database user may append events and read them, nothing else: UPDATE, DELETE
and TRUNCATE of ``governance_auditevent`` are refused by the guard triggers (migration
``governance 0002``), whatever table privileges the user holds. A user that does not own the table
(the recommended set-up: migrations run as the owner, the application as another role) cannot lift
the guard either: disabling a trigger needs the owner, and ``session_replication_role`` (which
would silence all triggers) needs a superuser.

Runs only when DATABASE_URL is PostgreSQL (``make test-pg``). The test database's session-wide
set-up (tests/conftest.py) disables the TRUNCATE guard so that test flushes can empty the table;
these tests switch every guard back on inside their own transaction, which is rolled back.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from tests.test_audit_tamper import json_value
from tests.world import World
from ura.governance.audit import audit_record
from ura.governance.canonical import jsonb_text, micros
from ura.governance.chain import _EXACT_MICROS, _FAST_MICROS, audit_chain_verify
from ura.governance.models import AuditEvent

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the append-only guard is PostgreSQL's (make test-pg)")

TABLE = AuditEvent._meta.db_table
GUARDS = ("ura_audit_event_no_update_delete", "ura_audit_event_no_truncate")


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def refused(statement: str, match: str = "append-only") -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        sql(statement)


@pytest.fixture
def app_user(world: World) -> Iterator[World]:
    """Every guard on, a few events written, then the session acts as a role like the application's:
    not the tables' owner, not a superuser, yet granted every privilege on every table."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    for guard in GUARDS:
        sql(f"ALTER TABLE {TABLE} ENABLE TRIGGER {guard}")
    for i in range(3):
        audit_record(actor=world.coordinator, action=f"test.pg_{i}", mechanism=world.mechanism)
    role = f"ura_audit_app_{uuid.uuid4().hex[:12]}"
    sql(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER")  # rolled back with the test's transaction
    sql(f"GRANT USAGE ON SCHEMA public TO {role}")
    sql(f"GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO {role}")
    sql(f"GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO {role}")
    sql(f"SET LOCAL ROLE {role}")
    yield world
    sql("RESET ROLE")


def test_the_guards_are_installed_and_on(db) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgtype FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                       [TABLE])
        found = dict(cursor.fetchall())
    assert set(found) >= set(GUARDS)


@pytest.mark.parametrize("statement", [
    f"UPDATE {TABLE} SET reason = 'rewritten'",
    f"UPDATE {TABLE} SET hash = prev_hash WHERE seq = (SELECT max(seq) FROM {TABLE})",
    f"DELETE FROM {TABLE}",
    f"DELETE FROM {TABLE} WHERE seq = (SELECT max(seq) FROM {TABLE})",
    f"TRUNCATE {TABLE}",
    f"TRUNCATE {TABLE} CASCADE",
])
def test_the_application_user_cannot_change_or_remove_events(app_user: World, statement: str) -> None:
    before = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    refused(statement)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "hash")) == before


def test_the_application_user_may_append_and_read(app_user: World) -> None:
    audit_record(actor=app_user.coordinator, action="test.pg_append", mechanism=app_user.mechanism)
    assert audit_chain_verify().ok


@pytest.mark.parametrize(("statement", "match"), [
    (f"ALTER TABLE {TABLE} DISABLE TRIGGER ura_audit_event_no_update_delete", "owner"),
    (f"ALTER TABLE {TABLE} DISABLE TRIGGER USER", "owner"),
    (f"DROP TRIGGER ura_audit_event_no_update_delete ON {TABLE}", "owner"),
    ("SET session_replication_role = replica", "permission denied"),
])
def test_the_application_user_cannot_lift_the_guard(app_user: World, statement: str, match: str) -> None:
    refused(statement, match)
    refused(f"DELETE FROM {TABLE}")


# --- the canonical line is PostgreSQL's own --------------------------------------------------

@given(value=json_value)
@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_jsonb_text_prints_json_as_postgresql_does(db, value: object) -> None:  # type: ignore[no-untyped-def]
    """What the chain hashes for ``data`` on write (Python) is what verify reads (``data::text``)."""
    from ura.governance.chain import _as_read_back

    stored = _as_read_back(value)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb::text", [json.dumps(stored)])
        (text,) = cursor.fetchone()
    assert jsonb_text(stored) == text


@given(moment=st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2099, 12, 31, 23, 59, 59, 999999),
                           timezones=st.just(dt.UTC)))
@hyp_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_fast_pass_reads_the_time_as_exactly_as_the_careful_one(db, moment: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    """Verify's fast pass converts ``created_at`` to microseconds by floating point; from 1970 to 2100
    that must be exact, or an intact chain would be read twice."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_FAST_MICROS}, {_EXACT_MICROS} FROM (SELECT %s::timestamptz AS created_at) AS e",
                       [moment])
        fast, exact = cursor.fetchone()
    assert fast == exact == micros(moment)


@pytest.mark.parametrize("moment", ["1969-12-31 23:59:59.999999+00", "2100-01-01 00:00:00+00", "infinity"])
def test_outside_those_years_the_fast_pass_leaves_the_time_to_the_careful_one(db, moment: str) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_FAST_MICROS} FROM (SELECT %s::timestamptz AS created_at) AS e", [moment])
        assert cursor.fetchone() == (None,)


# --- `ura audit guard`: the check an operator runs with the application's DATABASE_URL ----------

def guard() -> str:
    out = StringIO()
    call_command("audit", "guard", stdout=out)
    return out.getvalue()


def test_the_guard_check_passes_for_a_role_like_the_applications(app_user: World) -> None:
    out = guard()
    assert "NO " not in out and out.count("ok ") == 4
    assert "refuses this connection any change" in out


def test_the_guard_check_names_what_lets_this_connection_change_events(db) -> None:  # type: ignore[no-untyped-def]
    """As the tests' own connection: a superuser owning the tables, the TRUNCATE guard switched off."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    sql(f"ALTER TABLE {TABLE} ENABLE TRIGGER ura_audit_event_no_update_delete")
    sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER ura_audit_event_no_truncate")
    out = StringIO()
    with pytest.raises(CommandError, match="could change or remove audit events"):
        call_command("audit", "guard", stdout=out)
    lines = out.getvalue().splitlines()
    assert "ok  trigger ura_audit_event_no_update_delete is installed and enabled" in lines
    assert "NO  trigger ura_audit_event_no_truncate is installed and enabled" in lines
    assert any(line.startswith("NO  the role") and "superuser" in line for line in lines)
    assert any(line.startswith("NO  the role") and "does not own the audit table" in line for line in lines)
