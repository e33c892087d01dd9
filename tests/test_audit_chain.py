"""The audit log is a hash chain: tampering with it is found, and on PostgreSQL refused."""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tests.walk import full_walk
from tests.world import World
from ura.governance import chain
from ura.governance.audit import audit_record
from ura.governance.chain import GENESIS, Anchor, audit_chain_verify, event_hash
from ura.governance.models import AuditEvent, AuditHead

on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="the append-only guard is a PostgreSQL trigger")

TABLE = AuditEvent._meta.db_table


def verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    return str(failure.value)


def anchor(tmp_path: Path) -> Path:
    path = tmp_path / "anchor.json"
    call_command("audit", "anchor", "--output", str(path), stdout=StringIO())
    return path


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def last(n: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("-seq")[:n])[::-1]


@pytest.fixture
def walked(world: World) -> World:
    full_walk(world)
    return world


@pytest.fixture
def tamperable(walked: World) -> World:
    """Lift PostgreSQL's guard for this test's transaction only (DDL rolls back with it), as an
    attacker who owns the table could."""
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses to run past pending foreign-key checks
        sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    return walked


@pytest.fixture
def guarded(walked: World) -> World:
    """The guard as the migration installs it, whatever the test database's setup did to it."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    sql(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
    return walked


# --- an intact chain -------------------------------------------------------------------------

def test_the_chain_verifies_after_a_whole_case(walked: World) -> None:
    events = AuditEvent.objects.count()
    head = AuditEvent.objects.order_by("seq").last()
    assert head is not None
    ok, speed = verify().splitlines()
    assert ok == f"OK: {events} events, head seq {head.seq} hash {head.hash}"
    assert speed.startswith(f"Checked {events} events in ") and speed.endswith(" events/s).")


def test_events_are_numbered_without_gaps_and_each_links_to_the_one_before(walked: World) -> None:
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1))
    assert [prev for _, prev, _ in rows] == [GENESIS] + [h for _, _, h in rows[:-1]]


def test_the_hash_covers_what_was_stored(world: World) -> None:
    event = audit_record(actor=world.coordinator, action="test.stored", mechanism=world.mechanism,
                         data={"ids": (3, 1), 7: "seven", "big": 1e20, "ratio": 0.25})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {"ids": [3, 1], "7": "seven", "big": 1e20, "ratio": 0.25}
    assert (stored.created_at, stored.hash) == (event.created_at, event.hash)
    assert event_hash(stored.__dict__) == stored.hash


def test_the_chain_head_follows_the_last_event(walked: World) -> None:
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == AuditEvent.objects.order_by("seq").values_list("seq", "hash").last()


def test_a_missing_head_row_is_rebuilt_from_the_last_event(world: World) -> None:
    AuditHead.objects.all().delete()  # as after a flush of that table alone
    audit_record(actor=world.coordinator, action="test.after_flush", mechanism=world.mechanism)
    assert verify().startswith("OK:")


def test_the_migration_backfill_reproduces_the_chain_audit_record_wrote(tamperable: World) -> None:
    migration = importlib.import_module("ura.governance.migrations.0002_audit_chain")
    before = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    AuditHead.objects.all().delete()
    migration.backfill(apps, SimpleNamespace(connection=connection))
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash")) == before
    assert AuditHead.objects.get().seq == before[-1][0]


# --- tampering found -------------------------------------------------------------------------

def test_the_first_edited_event_is_named(tamperable: World) -> None:
    first, later = AuditEvent.objects.order_by("seq")[5], AuditEvent.objects.order_by("seq")[20]
    sql(f"UPDATE {TABLE} SET data = %s WHERE id IN (%s, %s)", json.dumps({"edited": True}), first.pk, later.pk)
    assert f"event seq {first.seq} (id {first.pk}): hash mismatch" in verify_fails()


def test_an_edited_event_whose_hash_was_recomputed_breaks_the_next_link(tamperable: World) -> None:
    victim, following = AuditEvent.objects.order_by("seq")[3:5]
    victim.reason = "nothing to see"
    sql(f"UPDATE {TABLE} SET reason = %s, hash = %s WHERE id = %s",
        victim.reason, event_hash(victim.__dict__), victim.pk)
    assert f"event seq {following.seq} (id {following.pk}): prev_hash mismatch" in verify_fails()


def test_a_deleted_event_leaves_a_gap(tamperable: World) -> None:
    victim = AuditEvent.objects.order_by("seq")[10]
    sql(f"DELETE FROM {TABLE} WHERE id = %s", victim.pk)
    assert f"gap in seq: expected {victim.seq}" in verify_fails()


def test_deleting_the_last_events_disagrees_with_the_chain_head(tamperable: World) -> None:
    cut = last(3)
    sql(f"DELETE FROM {TABLE} WHERE seq >= %s", cut[0].seq)
    assert f"records event seq {cut[-1].seq} but the chain ends at seq {cut[0].seq - 1}" in verify_fails()


def test_cutting_off_the_tail_and_the_head_is_found_only_against_an_anchor(tamperable: World, tmp_path: Path) -> None:
    kept = anchor(tmp_path)
    cut = last(3)
    sql(f"DELETE FROM {TABLE} WHERE seq >= %s", cut[0].seq)
    before = AuditEvent.objects.order_by("seq").last()
    assert before is not None
    sql("UPDATE governance_audithead SET seq = %s, hash = %s", before.seq, before.hash)
    assert verify().startswith(f"OK: {before.seq} events")
    message = verify_fails("--anchor", str(kept))
    assert f"the anchor records event seq {cut[-1].seq} but the chain ends at seq {before.seq}" in message


def rechain(events: list[AuditEvent]) -> None:
    """Recompute the hashes of ``events`` (in seq order) and the head, as a careful forger would."""
    prev = AuditEvent.objects.get(seq=events[0].seq - 1).hash
    for event in events:
        event.prev_hash = prev
        event.hash = prev = event_hash(event.__dict__)
        sql(f"UPDATE {TABLE} SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            json.dumps(event.data), event.prev_hash, event.hash, event.pk)
    sql("UPDATE governance_audithead SET hash = %s", prev)


def test_history_rewritten_before_an_anchor_is_found_against_it(tamperable: World, tmp_path: Path) -> None:
    kept = anchor(tmp_path)
    anchored = AuditEvent.objects.order_by("seq").last()
    assert anchored is not None
    tail = list(AuditEvent.objects.filter(seq__gte=6).order_by("seq"))
    tail[0].data = {"rewritten": True}
    rechain(tail)
    assert verify().startswith("OK:")
    message = verify_fails("--anchor", str(kept))
    assert f"event seq {anchored.seq} (id {anchored.pk}): hash differs from the anchor" in message


def test_a_forged_head_record_is_found(tamperable: World) -> None:
    sql("UPDATE governance_audithead SET hash = %s", "f" * 64)
    assert "hash differs from the chain head record" in verify_fails()


# --- anchors ---------------------------------------------------------------------------------

def test_the_anchor_is_json_with_the_last_seq_and_hash(walked: World, tmp_path: Path) -> None:
    out = StringIO()
    call_command("audit", "anchor", stdout=out)
    printed = json.loads(out.getvalue())
    head = AuditEvent.objects.order_by("seq").last()
    assert head is not None
    assert (printed["seq"], printed["hash"]) == (head.seq, head.hash)
    assert json.loads(anchor(tmp_path).read_text())["seq"] == head.seq


def test_the_chain_verifies_against_an_anchor_taken_before_later_events(walked: World, tmp_path: Path) -> None:
    kept = anchor(tmp_path)
    audit_record(actor=walked.coordinator, action="test.later", mechanism=walked.mechanism)
    assert "The anchor (seq" in verify("--anchor", str(kept))


def test_an_empty_chain_verifies_against_its_own_anchor(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(anchor(tmp_path).read_text())["hash"] == GENESIS
    assert verify("--anchor", str(tmp_path / "anchor.json")).startswith("OK: 0 events")


def test_a_malformed_anchor_is_refused(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"seq": 3, "hash": "abc"}')
    assert "valid “hash”" in verify_fails("--anchor", str(bad))


def test_anchors_round_trip() -> None:
    a = Anchor(seq=7, hash="ab" * 32, at="2026-11-28T03:00:00+00:00")
    assert Anchor.from_json(a.as_json()) == a


# --- PostgreSQL refuses changes --------------------------------------------------------------

@on_postgresql
@pytest.mark.parametrize("statement", [
    f"UPDATE {TABLE} SET reason = 'rewritten'",
    f"DELETE FROM {TABLE}",
    f"TRUNCATE {TABLE} CASCADE",
])
def test_postgresql_refuses_to_change_audit_events(guarded: World, statement: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql(statement)
    assert verify().startswith("OK:")


@on_postgresql
def test_postgresql_refuses_to_save_an_event_again(guarded: World) -> None:
    world = guarded
    event = audit_record(actor=world.coordinator, action="test.resave", mechanism=world.mechanism)
    event.action = "test.other"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()


# --- concurrency -----------------------------------------------------------------------------

TRUNCATE_GUARD = "ura_audit_event_no_truncate"


@pytest.fixture
def _guard_restored(django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Torn down after the flush that empties the database: put the TRUNCATE guard back as it was."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself (transaction_mode IMMEDIATE)")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [TRUNCATE_GUARD])
        (state,) = cursor.fetchone()
    yield
    if state != "D":
        with django_db_blocker.unblock():
            sql(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRUNCATE_GUARD}")


@pytest.fixture
def committed(_guard_restored, transactional_db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Real commits from several connections; lifts the TRUNCATE guard for the flush afterwards."""
    yield
    sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRUNCATE_GUARD}")


def test_concurrent_writers_never_share_a_seq(committed: None) -> None:
    writers, each = 6, 25
    start, failures = threading.Barrier(writers), []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(each):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", data={"writer": n, "i": i})
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    report = audit_chain_verify()
    assert (report.ok, report.events, report.head_seq) == (True, writers * each, writers * each)


# --- verifying in parallel (PostgreSQL) ------------------------------------------------------

@pytest.fixture
def committed_chain(committed: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[AuditEvent]]:
    """60 committed events that an attacker may edit (the UPDATE/DELETE guard is off until the
    end), and verify splitting even so short a chain among processes."""
    for i in range(60):
        audit_record(actor=None, action=f"test.parallel_{i}", data={"i": i, "note": "tab\there" if i % 7 else "x"})
    monkeypatch.setattr(chain, "EVENTS_PER_JOB", 1)
    sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER ura_audit_event_no_update_delete")
    yield list(AuditEvent.objects.order_by("seq"))
    sql(f"ALTER TABLE {TABLE} ENABLE TRIGGER ura_audit_event_no_update_delete")


def both_ways() -> tuple[chain.ChainReport, chain.ChainReport]:
    """The verdicts of one process and of three (ranges 1–20, 21–40, 41 on)."""
    alone, parallel = audit_chain_verify(jobs=1), audit_chain_verify(jobs=3)
    assert not connection.in_atomic_block
    return alone, parallel


def verdict(report: chain.ChainReport) -> tuple[object, ...]:
    return report.ok, report.problem, report.broken_seq, report.broken_id, report.events, report.head_seq


@on_postgresql
@pytest.mark.parametrize(("tamper", "broken"), [
    ("", None),
    (f"UPDATE {TABLE} SET reason = 'edited' WHERE seq = 30", 30),  # inside the second range
    (f"UPDATE {TABLE} SET reason = 'edited' WHERE seq = 21", 21),  # its first row
    (f"UPDATE {TABLE} SET reason = 'edited' WHERE seq = 20", 20),  # the last row of the first
    (f"UPDATE {TABLE} SET prev_hash = repeat('a', 64) WHERE seq = 41", 41),
    (f"DELETE FROM {TABLE} WHERE seq = 21", 22),  # a gap where the ranges meet
    (f"DELETE FROM {TABLE} WHERE seq = 20", 21),
    (f"UPDATE {TABLE} SET seq = 100 WHERE seq = 45", 46),  # renumbered past the end
    (f"UPDATE {TABLE} SET seq = -5 WHERE seq = 1", -5),  # and before the start
    (f"DELETE FROM {TABLE} WHERE seq > 50", None),  # the head record disagrees
])
def test_verifying_in_parallel_agrees_with_one_process(committed_chain: list[AuditEvent], tamper: str,
                                                       broken: int | None) -> None:
    if tamper:
        sql(tamper)
    alone, parallel = both_ways()
    assert verdict(parallel) == verdict(alone)
    assert parallel.ok == (not tamper), parallel.problem
    assert parallel.broken_seq == broken
    if not tamper:
        assert (parallel.events, parallel.head_seq) == (60, 60)


@on_postgresql
def test_a_rewritten_range_is_found_where_it_meets_the_one_before(committed_chain: list[AuditEvent]) -> None:
    """Each process takes the first link of its range on trust; the parent checks it."""
    tail = list(AuditEvent.objects.filter(seq__gte=21).order_by("seq"))
    tail[0].data = {"rewritten": True}
    prev = "b" * 64  # a forger who does not know (or ignores) the hash of event 20
    for event in tail:
        event.prev_hash, event.hash = prev, event_hash({**event.__dict__, "prev_hash": prev})
        prev = event.hash
        sql(f"UPDATE {TABLE} SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            json.dumps(event.data), event.prev_hash, event.hash, event.pk)
    sql("UPDATE governance_audithead SET hash = %s", prev)
    alone, parallel = both_ways()
    assert verdict(parallel) == verdict(alone)
    assert (parallel.broken_seq, parallel.events) == (21, 20) and "prev_hash mismatch" in parallel.problem


@on_postgresql
def test_the_command_verifies_with_several_processes(committed_chain: list[AuditEvent]) -> None:
    assert verify("--jobs", "3").startswith("OK: 60 events")
    sql(f"UPDATE {TABLE} SET action = 'test.edited' WHERE seq = 33")
    assert f"event seq 33 (id {committed_chain[32].pk}): hash mismatch" in verify_fails("--jobs", "3")


def test_the_command_wants_at_least_one_process(db) -> None:  # type: ignore[no-untyped-def]
    assert "--jobs must be at least 1" in verify_fails("--jobs", "0")


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL's guard: tests/test_audit_pg.py")
def test_on_sqlite_the_guard_check_says_there_is_no_guard(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="SQLite"):
        call_command("audit", "guard", stdout=StringIO())
