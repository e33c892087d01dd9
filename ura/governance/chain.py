"""The audit log as a hash chain: each event commits to the one before it.

Invariants, checked by ``audit_chain_verify``:
- events are numbered ``seq`` 1, 2, 3 … with no gaps, in the order they joined the chain;
- an event's ``prev_hash`` is the ``hash`` of the event numbered ``seq - 1`` (``GENESIS`` for 1);
- an event's ``hash`` is SHA-256 of the canonical JSON of its stored fields (all but ``id``,
  which the database assigns after the hash is taken) and its ``prev_hash``.

Editing an event breaks its hash; deleting one leaves a gap; renumbering breaks a link.
Rewriting the whole tail, or cutting it off, is consistent with itself: only an anchor kept
outside the database (``ura audit anchor``) shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.governance.models import AuditEvent, AuditHead

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
FORMAT = 1  # part of every hashed payload, so the serialisation can change without ambiguity
HASHED_FIELDS = ("seq", "created_at", "actor_id", "agency_id", "mechanism_id", "action", "object_type",
                 "object_id", "case_id", "person_id", "reason", "data", "prev_hash")
CHUNK = 2000
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
    """The hash of one event, from its ``HASHED_FIELDS`` (a model instance's values or a row)."""
    created_at: dt.datetime = fields["created_at"]
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["created_at"] = created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload["v"] = FORMAT
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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

@dataclass(frozen=True)
class ChainReport:
    events: int
    head_seq: int
    head_hash: str
    problem: str = ""  # empty when the chain is intact
    broken_seq: int | None = None
    broken_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def _rows() -> Iterator[dict[str, Any]]:
    columns = ("id", "hash", *HASHED_FIELDS)
    rows = AuditEvent.objects.order_by("seq").values_list(*columns).iterator(chunk_size=CHUNK)
    for row in rows:
        yield dict(zip(columns, row, strict=True))


def audit_chain_verify(*, anchor: Anchor | None = None,
                       progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """Recompute every hash in seq order; stop at the first event that breaks the chain.

    The head row and ``anchor`` are checkpoints: the event with their seq must exist and
    carry their hash. The head catches a cut-off tail; only the anchor also catches a tail
    cut off, or history rewritten, by someone who fixed up the head as well.
    """
    head = AuditHead.objects.filter(pk=AuditHead.ONLY).values_list("seq", "hash").first()
    total = AuditEvent.objects.count() if progress is not None else 0
    # Events appended while this runs land after the head read here and are checked too.
    checkpoints: dict[int, list[tuple[str, str]]] = {}
    if anchor is not None:
        checkpoints.setdefault(anchor.seq, []).append((anchor.hash, _("the anchor")))
    if head is not None:
        checkpoints.setdefault(head[0], []).append((head[1], _("the chain head record")))

    done, last_seq, last_hash = 0, 0, GENESIS

    def broken(row: dict[str, Any], problem: str) -> ChainReport:
        return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash,
                           problem=_("event seq %(seq)s (id %(id)s): %(problem)s")
                           % {"seq": row["seq"], "id": row["id"], "problem": problem},
                           broken_seq=row["seq"], broken_id=row["id"])

    for expected, what in checkpoints.get(0, ()):
        if expected != GENESIS:
            return ChainReport(events=0, head_seq=0, head_hash=GENESIS,
                               problem=_("%(what)s records seq 0 with a hash other than the empty chain's")
                               % {"what": what})
    for row in _rows():
        seq = row["seq"]
        if seq != last_seq + 1:
            missing = str(last_seq + 1) if seq == last_seq + 2 else f"{last_seq + 1}–{seq - 1}"
            return broken(row, _("gap in seq: expected %(expected)s, so %(missing)s missing")
                          % {"expected": last_seq + 1, "missing": missing})
        if row["prev_hash"] != last_hash:
            return broken(row, _("prev_hash mismatch: it does not link to the hash of event seq %(prev)s")
                          % {"prev": last_seq})
        if event_hash(row) != row["hash"]:
            return broken(row, _("hash mismatch: its stored fields no longer match its hash (it was changed)"))
        for expected, what in checkpoints.get(seq, ()):
            if expected != row["hash"]:
                return broken(row, _("hash differs from %(what)s, which records %(expected)s: "
                                     "history up to here was rewritten") % {"what": what, "expected": expected})
        done, last_seq, last_hash = done + 1, seq, row["hash"]
        if progress is not None and done % CHUNK == 0:
            progress(done, total)
    if progress is not None:
        progress(done, max(total, done))
    for seq in sorted(checkpoints):
        if seq > last_seq:
            return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash,
                               problem=_("%(what)s records event seq %(seq)s but the chain ends at seq %(last)s: "
                                         "events after seq %(last)s are missing")
                               % {"what": checkpoints[seq][0][1], "seq": seq, "last": last_seq})
    if head is None and done:
        return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash,
                           problem=_("the chain head record is missing"))
    return ChainReport(events=done, head_seq=last_seq, head_hash=last_hash)
