"""The audit log as a hash chain: each event commits to the one before it.

Invariants, checked by ``audit_chain_verify``:
- events are numbered ``seq`` 1, 2, 3 … with no gaps, in the order they joined the chain;
- an event's ``prev_hash`` is the ``hash`` of the event numbered ``seq - 1`` (``GENESIS`` for 1);
- an event's ``hash`` is SHA-256 of its canonical line (``ura.governance.canonical``): its stored
  fields (all but ``id``, which the database assigns after the hash is taken) and its ``prev_hash``.

Editing an event breaks its hash; deleting one leaves a gap; renumbering breaks a link.
Rewriting the whole tail, or cutting it off, is consistent with itself: only an anchor kept
outside the database (``ura audit anchor``) shows it.
"""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import select as select_module
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.governance.canonical import EPOCH, FORMAT, ONE_MICROSECOND, canonical_line, copy_text
from ura.governance.models import AuditEvent, AuditHead

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "created_at", "actor_id", "agency_id", "mechanism_id", "action", "object_type",
                 "object_id", "case_id", "person_id", "reason", "data", "prev_hash")
CHUNK = 10000
_HEX64 = re.compile(r"[0-9a-f]{64}")


# --- hashing ---------------------------------------------------------------------------------

def _as_read_back(value: Any) -> Any:
    """``value`` as either database's JSON column will return it, so that what is hashed
    when an event is written is what verify reads later.

    A JSON round trip turns tuples into lists and integer keys into strings. PostgreSQL's
    jsonb keeps numbers as decimals and prints an integral one without a point (1e20 comes
    back as the integer 100000000000000000000), so integral floats become those integers.
    """
    def plain(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(Decimal(repr(v)))
        if isinstance(v, dict):
            return {k: plain(item) for k, item in v.items()}
        if isinstance(v, list):
            return [plain(item) for item in v]
        return v

    return plain(json.loads(json.dumps(value)))


def event_hash(fields: Mapping[str, Any]) -> str:
    """The hash of one event, from its ``HASHED_FIELDS`` (a model instance's values or a row):
    SHA-256 of its canonical line (``ura.governance.canonical``), as hexadecimal."""
    return hashlib.sha256(canonical_line(fields).encode("utf-8")).hexdigest()


def _fields_of(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


# --- appending -------------------------------------------------------------------------------

def _head_locked() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=AuditHead.ONLY).first()
    if head is not None:
        return head
    # Only a new or flushed database lacks the row (the migration creates it).
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        logger.warning("The audit chain head was missing; rebuilt from event seq %s.", last[0])
    seq, hash_ = last or (0, GENESIS)
    AuditHead.objects.bulk_create([AuditHead(pk=AuditHead.ONLY, seq=seq, hash=hash_)], ignore_conflicts=True)
    return AuditHead.objects.select_for_update().get(pk=AuditHead.ONLY)


def audit_chain_append(event: AuditEvent) -> AuditEvent:
    """Number, link, hash and insert ``event``, in the caller's transaction or a new one.

    The head row stays locked until that transaction ends, so appends are serialised; the
    unique ``seq`` is the backstop.
    """
    if event.created_at is None:
        event.created_at = timezone.now()
    elif timezone.is_naive(event.created_at):
        event.created_at = timezone.make_aware(event.created_at)
    event.data = _as_read_back(event.data)
    with transaction.atomic(savepoint=False):
        head = _head_locked()
        event.seq, event.prev_hash = head.seq + 1, head.hash
        event.hash = event_hash(_fields_of(event))
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


# --- anchors ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Anchor:
    """A copy of the chain's end, kept outside the database."""

    seq: int
    hash: str
    at: str = ""

    def as_json(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        try:
            raw = json.loads(text)
        except ValueError:
            raise ValueError(_("The anchor is not JSON.")) from None
        seq, hash_ = (raw.get("seq"), raw.get("hash")) if isinstance(raw, dict) else (None, None)
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError(_("The anchor has no valid “seq”."))
        if not isinstance(hash_, str) or not _HEX64.fullmatch(hash_):
            raise ValueError(_("The anchor has no valid “hash” (64 hexadecimal digits)."))
        return cls(seq=seq, hash=hash_, at=str(raw.get("at", "")))


def audit_chain_anchor() -> Anchor:
    """The last event's seq and hash, to be kept elsewhere and verified against later."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, hash_ = last or (0, GENESIS)
    return Anchor(seq=seq, hash=hash_, at=timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"))


# --- verifying -------------------------------------------------------------------------------
#
# Verifying reads the chain twice at most. The fast pass streams every event's canonical line
# (on PostgreSQL written by the database itself, see ``_pg_rows``) and checks only what is cheap:
# each line hashes to its stored hash and names the line before it. When that, the seq numbers and
# the checkpoints all hold, the chain is intact. Otherwise the careful pass re-reads from the first
# suspect event, one by one with the event's id, to name the first broken event and say what broke.

@dataclass(frozen=True)
class ChainReport:
    events: int
    head_seq: int
    head_hash: str
    problem: str = ""  # empty when the chain is intact
    broken_seq: int | None = None
    broken_id: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


_TABLE = AuditEvent._meta.db_table
FIRST = -(2**63)  # the lowest seq the column holds: every row, even one renumbered below 1
_COLUMNS = ("actor_id, agency_id, mechanism_id, action, object_type, object_id, case_id, person_id, reason, {data}, "
            "prev_hash, hash")
# The canonical line, written by PostgreSQL: COPY's text format escapes as ``copy_text`` does.
# ``created_at`` in microseconds, exactly (numeric arithmetic) for the careful pass; the fast pass
# takes the float path, about four times cheaper. Both agree from 1970 to 2100: the float holds the
# seconds to within 0.12 µs and the product to within 0.13 µs, so rounding lands on the integer.
# Outside those years the fast pass prints \N, the line no longer hashes, and the careful pass decides.
_EXACT_MICROS = "(extract(epoch FROM created_at) * 1000000)::bigint"
_FAST_MICROS = ("CASE WHEN created_at >= '1970-01-01 00:00+00' AND created_at < '2100-01-01 00:00+00' "
                "THEN (date_part('epoch', created_at) * 1000000)::bigint END")
_PG_SELECT = (f"SELECT {{id}}{FORMAT}, seq, {{micros}}, {_COLUMNS.format(data='data_text')} "  # noqa: S608
              f"FROM {_TABLE} WHERE seq BETWEEN {{start}} AND {{stop}} ORDER BY seq")
_SQLITE_SELECT = ("SELECT id, seq, CAST(created_at AS TEXT), ifnull(actor_id, '\\N'), ifnull(agency_id, '\\N'), "  # noqa: S608
                  "ifnull(mechanism_id, '\\N'), action, object_type, object_id, ifnull(case_id, '\\N'), "
                  f"ifnull(person_id, '\\N'), reason, data, prev_hash, hash FROM {_TABLE} "
                  "WHERE seq BETWEEN %s AND %s ORDER BY seq")
_FIRST_GAP = (f"SELECT seq, prev FROM (SELECT seq, LAG(seq) OVER (ORDER BY seq) AS prev FROM {_TABLE}) AS s "  # noqa: S608
              "WHERE seq <> COALESCE(prev, 0) + 1 ORDER BY seq LIMIT 1")
LAST = 2**63 - 1  # the highest


def _pg_copy(select: str) -> Iterator[bytes]:
    """The rows of ``COPY (select) TO STDOUT``, each as bytes ending in a newline.

    Read straight from libpq: psycopg's ``Copy`` object costs about as much per row as hashing the
    row does, and verify reads every event. Closing the generator early cancels the COPY, so the
    connection is usable again afterwards.
    """
    from django.db import connection
    from psycopg import pq

    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    pgconn.send_query(f"COPY ({select}) TO STDOUT".encode())
    while pgconn.flush():  # the connection is non-blocking for writes
        select_module.select([], [pgconn.socket], [])
    result = pgconn.get_result()
    if result is None or result.status != pq.ExecStatus.COPY_OUT:
        for _rest in iter(pgconn.get_result, None):
            pass
        raise DatabaseError(_error_of(result))
    get, done = pgconn.get_copy_data, False
    try:
        while True:
            size, row = get(0)
            if size <= 0:
                break
            yield row.tobytes()
        done = True
    finally:
        if not done:
            connection.connection.cancel_safe()
            while get(0)[0] > 0:
                pass
        failed = [r for r in iter(pgconn.get_result, None) if r.status == pq.ExecStatus.FATAL_ERROR]
        if done and failed:
            raise DatabaseError(_error_of(failed[0]))


def _error_of(result: Any) -> str:  # a psycopg.pq result, or None
    message = result.error_message if result is not None else b""
    return message.decode("utf-8", "replace").strip() or "COPY of the audit events failed"


def _pg_rows(start: int, stop: int, *, with_id: bool) -> Iterator[bytes]:
    """Rows ``<id ⇥>canonical line ⇥ hash\\n`` of the events numbered ``start`` to ``stop``.
    With ``with_id`` (the careful pass) the time is converted exactly, without it as fast as is safe."""
    return _pg_copy(_PG_SELECT.format(id="id, " if with_id else "", micros=_EXACT_MICROS if with_id else _FAST_MICROS,
                                      start=int(start), stop=int(stop)))


def _sqlite_rows(start: int, stop: int, *, with_id: bool) -> Iterator[bytes]:
    """The same rows as ``_pg_rows``, built from SQLite's stored values (``data`` is stored as
    its canonical JSON text already, and the query writes a missing id as ``\\N``)."""
    from django.db import connection

    epoch, one = EPOCH.replace(tzinfo=None), ONE_MICROSECOND  # SQLite holds UTC without an offset
    parse, esc = dt.datetime.fromisoformat, copy_text
    fmt = str(FORMAT)
    with connection.cursor() as cursor:
        cursor.execute(_SQLITE_SELECT, [int(start), int(stop)])
        while batch := cursor.fetchmany(CHUNK):
            for id_, seq, created, actor, agency, mechanism, action, otype, oid, case, person, reason, data, prev, \
                    hash_ in batch:
                try:
                    moment = (parse(created) - epoch) // one
                except (TypeError, ValueError):
                    moment = esc(str(created))  # cannot hash to what was stored: reported as a change
                line = (f"{fmt}\t{seq}\t{moment}\t{actor}\t{agency}\t{mechanism}\t{esc(action)}\t{esc(otype)}\t"
                        f"{esc(oid)}\t{case}\t{person}\t{esc(reason)}\t{esc(data)}\t{prev}\t{hash_}\n")
                yield (f"{id_}\t{line}" if with_id else line).encode("utf-8")


def _rows(start: int = FIRST, stop: int = LAST, *, with_id: bool = False) -> Iterator[bytes]:
    from django.db import connection

    return (_pg_rows if connection.vendor == "postgresql" else _sqlite_rows)(start, stop, with_id=with_id)


def _seq_of(row: bytes) -> int:
    return int(row.split(b"\t", 2)[1])


def _first_gap() -> int | None:
    """The first seq that is missing (or the first out of line), from the seq numbers alone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_FIRST_GAP)
        found = cursor.fetchone()
    return None if found is None else (found[1] or 0) + 1


@dataclass
class _Scan:
    events: int = 0
    first: bytes = b""  # the first and last rows that passed
    last: bytes = b""
    suspect: bool = False  # the row after ``last`` failed


def _fast_scan(start: int, stop: int, previous: bytes | None, tick: Callable[[int], None] | None) -> _Scan:
    """Hash and link the rows numbered ``start`` to ``stop``; stop at the first that fails.

    ``previous`` is the hash the first row must link to; ``None`` takes the first row's word for
    it (``_joined`` checks it against the part before). ``tick(CHUNK)`` is called every CHUNK rows.
    """
    fresh, hexlify = hashlib.sha256().copy, binascii.hexlify  # copying a context is cheaper than making one
    scan, n, last, next_tick = _Scan(), 0, b"", CHUNK
    rows = _rows(start, stop)
    first = next(rows, None)
    if first is None:
        return scan
    if previous is None:
        previous = first[-130:-66]
    for row in itertools.chain((first,), rows):
        # row: <canonical line: ... ⇥ prev_hash> ⇥ hash \n
        sha = fresh()
        sha.update(row[:-66])
        digest = hexlify(sha.digest())
        if row[-130:-66] != previous or row[-65:-1] != digest:
            scan.suspect = True
            break
        previous, last = digest, row
        n += 1
        if n == next_tick and tick is not None:
            tick(CHUNK)
            next_tick += CHUNK
    rows.close()
    scan.first = first if n else b""
    scan.last, scan.events = last, n
    return scan


def _joined(scans: list[_Scan]) -> _Scan:
    """The scans of consecutive seq ranges as one: each part must link to the end of the one before."""
    whole, previous = _Scan(), GENESIS.encode()
    for scan in scans:
        if scan.events and scan.first[-130:-66] != previous:
            whole.suspect = True  # the part's first row: careful pass starts after ``whole.last``
            break
        if scan.events:
            whole.events += scan.events
            whole.first, whole.last, previous = whole.first or scan.first, scan.last, scan.last[-65:-1]
        if scan.suspect:
            whole.suspect = True
            break
    return whole


# --- verifying in parallel (PostgreSQL) --------------------------------------------------------
#
# On PostgreSQL the database's side of a fast pass (reading rows, writing their text) costs about as
# much as Python's (hashing), so ``jobs`` processes each take a range of seq numbers on their own
# connection: the ranges are cut at seq numbers taken from the head, the last range is open-ended, and
# ``_joined`` checks that each range links to the one before. The verdict is the sequential one's;
# should a process fail, the fast pass runs again in one process.

EVENTS_PER_JOB = 100_000  # fewer events than this per process: starting another one does not pay


def default_jobs() -> int:
    """Processes for ``ura audit verify``: one per CPU, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def _parallel_scan(jobs: int, high: int, progress: Callable[[int, int], None] | None, total: int) -> _Scan:
    from django.db import connections

    starts = [FIRST, *(1 + high * i // jobs for i in range(1, jobs))]
    ranges = list(zip(starts, [s - 1 for s in starts[1:]] + [LAST], strict=True))
    context = multiprocessing.get_context("fork")
    counted = context.Value("q", 0)

    def count(n: int) -> None:  # in every process
        with counted.get_lock():
            counted.value += n

    def tick(n: int) -> None:  # in this one, which also shows the progress
        count(n)
        if progress is not None:
            progress(counted.value, total)

    connections.close_all()  # each process opens its own connection; the parent reopens after
    pipes, workers = [], []
    for start, stop in ranges[1:]:
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(target=_scan_in_child, args=(start, stop, send, count), daemon=True)
        worker.start()
        send.close()
        pipes.append(receive)
        workers.append(worker)
    try:
        scans: list[Any] = [_fast_scan(*ranges[0], GENESIS.encode(), tick)]
        for receive in pipes:
            try:
                scans.append(receive.recv())
            except EOFError:
                scans.append(None)
    finally:
        for worker in workers:
            worker.join()
    if not all(isinstance(scan, _Scan) for scan in scans):
        logger.warning("A process verifying part of the audit chain failed (%s); verifying in one process.",
                       next((s for s in scans if not isinstance(s, _Scan)), "no answer"))
        return _fast_scan(FIRST, LAST, GENESIS.encode(), None)
    return _joined(scans)


def _scan_in_child(start: int, stop: int, send: Any, count: Callable[[int], None]) -> None:
    from django.db import connections

    try:
        send.send(_fast_scan(start, stop, None, count))
    except Exception as exc:  # the parent falls back to one process and logs this
        send.send(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()
        send.close()


def audit_chain_verify(*, anchor: Anchor | None = None, progress: Callable[[int, int], None] | None = None,
                       jobs: int = 1) -> ChainReport:
    """Recompute every hash in seq order; stop at the first event that breaks the chain.

    With ``jobs`` above one, a long chain on PostgreSQL is read by that many processes at once
    (outside a transaction only: the other processes could not see what it has not committed).

    The head row and ``anchor`` are checkpoints: the event with their seq must exist and
    carry their hash. The head catches a cut-off tail; only the anchor also catches a tail
    cut off, or history rewritten, by someone who fixed up the head as well.
    """
    started = time.perf_counter()
    head = AuditHead.objects.filter(pk=AuditHead.ONLY).values_list("seq", "hash").first()
    total = AuditEvent.objects.count() if progress is not None else 0
    # Events appended while this runs land after the head read here and are checked too.
    checkpoints: dict[int, list[tuple[str, str]]] = {}
    if anchor is not None:
        checkpoints.setdefault(anchor.seq, []).append((anchor.hash, _("the anchor")))
    if head is not None:
        checkpoints.setdefault(head[0], []).append((head[1], _("the chain head record")))
    for expected, what in checkpoints.get(0, ()):
        if expected != GENESIS:
            return ChainReport(events=0, head_seq=0, head_hash=GENESIS,
                               problem=_("%(what)s records seq 0 with a hash other than the empty chain's")
                               % {"what": what}, seconds=time.perf_counter() - started)

    from django.db import connection

    high = head[0] if head is not None else 0
    jobs = min(jobs, high // EVENTS_PER_JOB)
    if jobs > 1 and not connection.in_atomic_block and not (connection.vendor == "sqlite"
                                                            and connection.is_in_memory_db()):
        scan = _parallel_scan(jobs, high, progress, total)
    else:
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        scan = _fast_scan(FIRST, LAST, GENESIS.encode(), tick)
    # Where the careful pass must start: the first event not known to be good. Rows before it
    # hashed and linked; their seqs are 1, 2, 3 … up to the first gap.
    last_good = _seq_of(scan.last) if scan.events else 0
    suspects = [last_good + 1] if scan.suspect else []
    if scan.events and (_seq_of(scan.first) != 1 or last_good != scan.events) or scan.suspect:
        gap = _first_gap()
        if gap is not None:
            suspects.append(gap)
    wanted = [seq for seq in checkpoints if 0 < seq <= last_good]
    stored = dict(AuditEvent.objects.filter(seq__in=wanted).values_list("seq", "hash")) if wanted else {}
    suspects += [seq for seq in wanted if seq in stored and any(h != stored[seq] for h, _w in checkpoints[seq])]

    if suspects:
        report = _careful(min(suspects), checkpoints, head is not None, progress, total)
    else:
        last_hash = scan.last[-65:-1].decode() if scan.events else GENESIS
        report = _ending(scan.events, last_good, last_hash, checkpoints, head is not None)
    if progress is not None:
        progress(report.events, max(total, report.events))
    return ChainReport(**{**report.__dict__, "seconds": time.perf_counter() - started})


def _ending(done: int, last_seq: int, last_hash: str, checkpoints: dict[int, list[tuple[str, str]]],
            has_head: bool) -> ChainReport:
    """The verdict on a chain read to its end without a broken event."""
    for seq in sorted(checkpoints):
        if seq > last_seq:
            return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash,
                               problem=_("%(what)s records event seq %(seq)s but the chain ends at seq %(last)s: "
                                         "events after seq %(last)s are missing")
                               % {"what": checkpoints[seq][0][1], "seq": seq, "last": last_seq})
    if not has_head and done:
        return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash,
                           problem=_("the chain head record is missing"))
    return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash)


def _careful(start: int, checkpoints: dict[int, list[tuple[str, str]]], has_head: bool,
             progress: Callable[[int, int], None] | None, total: int) -> ChainReport:
    """Check event by event from seq ``start``, everything before it being known good."""
    if start <= 1:  # from the very first row, whatever its seq
        done, last_seq, last_hash, first = 0, 0, GENESIS, FIRST
    else:
        done = last_seq = start - 1
        first = start
        last_hash = AuditEvent.objects.filter(seq=last_seq).values_list("hash", flat=True)[0]

    def broken(seq: int, id_: int, problem: str) -> ChainReport:
        return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash,
                           problem=_("event seq %(seq)s (id %(id)s): %(problem)s")
                           % {"seq": seq, "id": id_, "problem": problem},
                           broken_seq=seq, broken_id=id_)

    for row in _rows(first, with_id=True):
        raw_id, line = row.split(b"\t", 1)
        seq, id_ = _seq_of(line), int(raw_id)
        if seq != last_seq + 1:
            missing = str(last_seq + 1) if seq == last_seq + 2 else f"{last_seq + 1}–{seq - 1}"
            return broken(seq, id_, _("gap in seq: expected %(expected)s, so %(missing)s missing")
                          % {"expected": last_seq + 1, "missing": missing})
        # Split at the tabs (text fields escape theirs), not at fixed widths: a field of the wrong
        # length must not shift the others.
        body, _tab, stored = line[:-1].rpartition(b"\t")
        prev, hash_ = body.rpartition(b"\t")[2].decode("utf-8", "replace"), stored.decode("utf-8", "replace")
        if prev != last_hash:
            return broken(seq, id_, _("prev_hash mismatch: it does not link to the hash of event seq %(prev)s")
                          % {"prev": last_seq})
        if hashlib.sha256(body).hexdigest() != hash_:
            return broken(seq, id_, _("hash mismatch: its stored fields no longer match its hash (it was changed)"))
        for expected, what in checkpoints.get(seq, ()):
            if expected != hash_:
                return broken(seq, id_, _("hash differs from %(what)s, which records %(expected)s: "
                                          "history up to here was rewritten") % {"what": what, "expected": expected})
        done, last_seq, last_hash = done + 1, seq, hash_
        if progress is not None and done % CHUNK == 0:
            progress(done, total)
    return _ending(done, last_seq, last_hash, checkpoints, has_head)


# --- the database's own guard (PostgreSQL) ---------------------------------------------------

GUARDS = ("ura_audit_event_no_update_delete", "ura_audit_event_no_truncate")  # governance 0002


@dataclass(frozen=True)
class GuardFinding:
    ok: bool
    text: str


def audit_guard_findings() -> list[GuardFinding]:
    """Whether this connection's role is held by the append-only guard: the triggers are there and
    on, and the role can neither switch them off (it would have to own the table) nor silence them
    (a superuser can). An empty list means the database has no such guard (SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                       [_TABLE])
        triggers = dict(cursor.fetchall())
        cursor.execute("SELECT current_user, rolsuper, pg_has_role(current_user, tableowner, 'MEMBER'), tableowner "
                       "FROM pg_roles, pg_tables WHERE rolname = current_user AND tablename = %s", [_TABLE])
        role, superuser, owns, owner = cursor.fetchone()
    findings = [GuardFinding(triggers.get(name) in ("O", "A"),
                             _("trigger %(name)s is installed and enabled") % {"name": name}) for name in GUARDS]
    findings.append(GuardFinding(not superuser, _("the role %(role)s is not a superuser (a superuser can silence "
                                                  "every trigger)") % {"role": role}))
    findings.append(GuardFinding(not owns, _("the role %(role)s does not own the audit table, nor is it a member of "
                                             "its owner %(owner)s (the owner can drop the triggers)")
                                 % {"role": role, "owner": owner}))
    return findings
