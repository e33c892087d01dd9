"""The canonical text of an audit event: what its hash is taken over (``ura.governance.chain``).

One line, cheap to rebuild from raw column values on either database:

    2 ⇥ seq ⇥ created_at ⇥ actor_id ⇥ agency_id ⇥ mechanism_id ⇥ action ⇥ object_type ⇥ object_id
      ⇥ case_id ⇥ person_id ⇥ reason ⇥ data ⇥ prev_hash

- the first field is the format number (``FORMAT``), so the serialisation can change without
  ambiguity;
- fields are separated by one tab; a missing id is ``\\N``; integers are written in decimal;
- ``created_at`` is whole microseconds since 1970-01-01 00:00 UTC;
- text is escaped as PostgreSQL's ``COPY … TO STDOUT`` escapes it (backslash, and the controls
  ``\\b \\f \\n \\r \\t \\v``), so no field can contain a separator and the line splits one way only;
- ``data`` is JSON as PostgreSQL's ``jsonb`` prints it (``jsonb_text``): keys ordered by length,
  then bytes; ``", "`` and ``": "`` between items; numbers in plain decimal.

So on PostgreSQL the line is exactly a row of ``COPY (SELECT 2, seq, <microseconds>, …,
data_text, prev_hash) TO STDOUT`` (``data_text`` is ``data::text``, a stored generated column): the
database writes it and Python only hashes it. SQLite stores
``data`` as this same JSON text (``CanonicalJSONEncoder``), so its rows rebuild the line without
parsing JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

FORMAT = 2
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ONE_MICROSECOND = dt.timedelta(microseconds=1)
NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                               "\v": "\\v"})
_dumps_string = json.JSONEncoder(ensure_ascii=False).encode  # escapes exactly as jsonb prints strings


def micros(moment: dt.datetime) -> int:
    """Whole microseconds since the Unix epoch (``moment`` must be aware)."""
    return (moment - EPOCH) // ONE_MICROSECOND


def copy_text(value: str) -> str:
    """``value`` escaped as a text field of PostgreSQL's COPY text format."""
    if value.isprintable() and "\\" not in value:
        return value  # nothing to escape (tabs, newlines and the other controls are not printable)
    return value.translate(_COPY_ESCAPES)


def _number(value: float) -> str:
    # jsonb keeps numbers as numeric and prints them in plain decimal (1e-07 as 0.0000001).
    return format(Decimal(repr(value)), "f")


def jsonb_text(value: Any) -> str:
    """``value`` (as JSON reads it back: dicts with str keys, lists, str, int, float, bool, None)
    printed the way PostgreSQL prints ``value::jsonb::text``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return _dumps_string(value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode("utf-8")), k.encode("utf-8")))
        return "{" + ", ".join(f"{_dumps_string(k)}: {jsonb_text(value[k])}" for k in keys) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(jsonb_text(item) for item in value) + "]"
    raise TypeError(f"not JSON: {type(value).__name__}")


class CanonicalJSONEncoder(json.JSONEncoder):
    """Stores JSON as ``jsonb_text`` prints it (SQLite keeps the text; PostgreSQL reparses it)."""

    def encode(self, o: Any) -> str:
        return jsonb_text(o)


def _id(value: int | None) -> str:
    return NULL if value is None else str(value)


def canonical_line(fields: Any) -> str:
    """The canonical line of one event from its Python values (``fields[name]``), ``data`` a dict."""
    return "\t".join((
        str(FORMAT), str(fields["seq"]), str(micros(fields["created_at"])), _id(fields["actor_id"]),
        _id(fields["agency_id"]), _id(fields["mechanism_id"]), copy_text(fields["action"]),
        copy_text(fields["object_type"]), copy_text(fields["object_id"]), _id(fields["case_id"]),
        _id(fields["person_id"]), copy_text(fields["reason"]), copy_text(jsonb_text(fields["data"])),
        fields["prev_hash"],
    ))
