"""Property: any tampering with stored audit events is found, and the first broken event named.

A Hypothesis state machine builds a short chain with ``audit_record`` (free text with tabs,
backslashes, newlines and any script; nested JSON), keeps an anchor of its end, then tampers with
it through raw SQL, step after step: edits one hashed field (or the stored hash) of one event,
deletes one, swaps two events' places, or cuts off the tail (and, as a careful forger would, moves
the head record back). After every step ``audit_chain_verify`` must agree with a plain oracle:

- the chain as stored, in seq order, against the chain as written: at the first position where
  they differ sits the first broken event, which verify must name (its seq and id), with or
  without the anchor;
- a chain that is a shortened copy of the original is a truncation: verify against the anchor
  always reports events missing; without it, only a head record left as it was gives it away;
- an untouched chain verifies.

On PostgreSQL the append-only guard is lifted inside the test's transaction (as the table's owner
could); on SQLite nothing stops raw SQL. Each example runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ura.accounts.models import User
from ura.governance.chain import HASHED_FIELDS, audit_chain_anchor, audit_chain_append, audit_chain_verify
from ura.governance.models import AuditEvent, AuditHead
from ura.mechanisms.services import agency_create, mechanism_create

TABLE = AuditEvent._meta.db_table
COLUMNS = ("id", *HASHED_FIELDS, "hash")  # a stored event as the oracle compares it
FOREIGN = {"actor_id", "agency_id", "mechanism_id"}

# Text PostgreSQL can store (no NUL, no lone surrogates): tabs, newlines, backslashes and any script.
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
special = st.sampled_from(["\t", "\\", "\n", "\r", "\b", "\f", "\v", '"', "ë", "Ђ", "\\N", "ş\tü"])
some_text = st.lists(st.one_of(text, special), max_size=4).map("".join)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), some_text,
                        st.floats(allow_nan=False, allow_infinity=False, width=64))
json_value = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(some_text, inner, max_size=3)),
                          max_leaves=8)
data = st.dictionaries(some_text, json_value, max_size=4)
hex64 = st.text("0123456789abcdef", min_size=64, max_size=64)


def stored() -> list[tuple[Any, ...]]:
    return list(AuditEvent.objects.order_by("seq").values_list(*COLUMNS))


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


class Tampering(RuleBasedStateMachine):
    user_id: int
    mechanism_id: int
    agency_id: int

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.original: list[tuple[Any, ...]] = []
        self.head_moved = False

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- the chain as written ------------------------------------------------------------------

    @initialize(events=st.lists(st.tuples(st.booleans(), some_text, some_text, data,
                                          st.one_of(st.none(), st.integers(1, 2**40))), min_size=2, max_size=7))
    def write(self, events: list[tuple[bool, str, str, dict[str, Any], int | None]]) -> None:
        AuditHead.objects.all().delete()
        AuditEvent.objects.all().delete()  # the guard is lifted: start from an empty chain
        for i, (in_mechanism, reason, object_id, payload, case_id) in enumerate(events):
            audit_chain_append(AuditEvent(
                actor_id=self.user_id if in_mechanism else None, agency_id=self.agency_id if in_mechanism else None,
                mechanism_id=self.mechanism_id if in_mechanism else None, action=f"test.tamper_{i}",
                object_type="cases.case" if case_id else "", object_id=object_id[:40], case_id=case_id,
                person_id=case_id and case_id + 1, reason=reason[:200], data=payload))
        self.original = stored()
        self.anchor = audit_chain_anchor()
        assert audit_chain_verify().ok

    # --- tampering -----------------------------------------------------------------------------

    def _current(self) -> list[tuple[Any, ...]]:
        return stored()

    @rule(index=st.integers(0, 10**6), field=st.sampled_from([*HASHED_FIELDS, "hash"]), draw=st.data())
    def edit(self, index: int, field: str, draw: st.DataObject) -> None:
        rows = self._current()
        if not rows:
            return
        row = dict(zip(COLUMNS, rows[index % len(rows)], strict=True))
        old = row[field]
        if field == "seq":
            taken = {r[1] for r in rows}
            new: Any = draw.draw(st.integers(-3, max(taken) + 5).filter(lambda s: s not in taken), label="seq")
        elif field == "created_at":
            new = old + dt.timedelta(microseconds=draw.draw(st.integers(1, 10**9), label="shift"))
        elif field in FOREIGN:
            new = None if old is not None else {"actor_id": self.user_id, "agency_id": self.agency_id,
                                                "mechanism_id": self.mechanism_id}[field]
        elif field in ("case_id", "person_id"):
            new = draw.draw(st.one_of(st.none(), st.integers(1, 2**40)).filter(lambda v: v != old), label=field)
        elif field == "data":
            new = draw.draw(data.filter(lambda d: d != old), label="data")
        elif field in ("prev_hash", "hash"):
            # Another hash, or something of the wrong length (the line is cut at fixed widths).
            new = draw.draw(st.one_of(hex64, hex64.map(lambda h: h[:-1]), some_text.map(lambda t: t[:60]))
                            .filter(lambda h: h != old), label=field)
        else:
            new = draw.draw(some_text.filter(lambda t: t != old), label=field)[:40]
            if new == old:
                new = old[:-1] if old else "x"
        value = json.dumps(new) if field == "data" else new
        sql(f"UPDATE {TABLE} SET {field} = %s WHERE id = %s", value, row["id"])

    @rule(index=st.integers(0, 10**6))
    def delete(self, index: int) -> None:
        rows = self._current()
        if len(rows) > 1:
            sql(f"DELETE FROM {TABLE} WHERE id = %s", rows[index % len(rows)][0])

    @rule(first=st.integers(0, 10**6), second=st.integers(0, 10**6))
    def swap(self, first: int, second: int) -> None:
        """Two events trade places (their seq numbers)."""
        rows = self._current()
        a, b = rows[first % len(rows)], rows[second % len(rows)]
        if a[0] == b[0]:
            return
        parked = min(r[1] for r in rows) - 10
        sql(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", parked, a[0])
        sql(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", a[1], b[0])
        sql(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", b[1], a[0])

    @precondition(lambda self: len(self.original) > 1)
    @rule(keep=st.integers(1, 10**6), move_head=st.booleans())
    def truncate(self, keep: int, move_head: bool) -> None:
        """Cut off the tail; a careful forger also moves the head record back to the new end."""
        rows = self._current()
        if len(rows) < 2:
            return
        kept = rows[: 1 + keep % (len(rows) - 1)]
        sql(f"DELETE FROM {TABLE} WHERE seq > %s", kept[-1][1])
        if move_head:
            AuditHead.objects.filter(pk=AuditHead.ONLY).update(seq=kept[-1][1], hash=kept[-1][-1])
            self.head_moved = True

    # --- what verify must say ------------------------------------------------------------------

    @invariant()
    def verify_names_the_first_broken_event(self) -> None:
        if not self.original:
            return
        now = self._current()
        plain, anchored = audit_chain_verify(), audit_chain_verify(anchor=self.anchor)
        differs = next((i for i, (a, b) in enumerate(zip(now, self.original, strict=False)) if a != b), None)
        if differs is not None:
            expected = (now[differs][1], now[differs][0])
            for report in (plain, anchored):
                assert not report.ok, f"tampering at seq {expected[0]} not found"
                assert (report.broken_seq, report.broken_id) == expected, report.problem
                assert report.events == differs
        elif len(now) < len(self.original):  # a truncation, nothing else
            assert not anchored.ok and anchored.broken_seq is None and "missing" in anchored.problem
            head = AuditHead.objects.values_list("seq", "hash").get()
            assert plain.ok == (head == (now[-1][1], now[-1][-1])), plain.problem
        else:
            assert plain.ok and anchored.ok, plain.problem or anchored.problem


@pytest.mark.django_db
def test_every_tampering_is_found_and_the_first_broken_event_named() -> None:
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses to run past pending foreign-key checks
        sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    mechanism = mechanism_create(actor=None, template="gjilan", slug="tamper", name="Tamper", level="municipal",
                                 country="XK", place="Gjilan")
    Tampering.user_id = User.objects.create(username="tamper").pk
    Tampering.mechanism_id = mechanism.pk
    Tampering.agency_id = agency_create(actor=None, mechanism=mechanism, name="Tamper school", type="school").pk
    run_state_machine_as_test(Tampering, settings=settings(
        max_examples=20, stateful_step_count=6, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))

