"""The keyring: where the encryption keys come from, which one is active, and adding one.

Keys live in a JSON file (``URA_KEYS_FILE``, or ``var/keys.json`` created on first use outside
production) or in the ``URA_KEYS`` environment variable, never in the database::

    {"active": "20261128-3f9a", "keys": {"20261128-3f9a": "<32 random bytes, base64>", ...}}

Older keys stay in the ring so that values sealed under them can still be read until
``ura keys rotate`` has re-encrypted everything and ``ura keys retire`` removes them.
A running server notices a changed file within ``RELOAD_SECONDS`` (so rotation needs no
restart): it then writes under the new key and reads values already re-encrypted.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
RELOAD_SECONDS = 2.0


class KeyringError(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]
    source: str  # "file:<path>" or "env:URA_KEYS", for messages only
    path: Path | None = None

    def secret(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKey(key_id) from None

    def to_json(self) -> str:
        keys = {k: base64.b64encode(v).decode() for k, v in self.keys.items()}
        return json.dumps({"active": self.active, "keys": keys}, indent=2) + "\n"


class UnknownKey(LookupError):
    """A value names a key id that is not in the keyring (retired too early, or the wrong ring)."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"key {key_id!r} is not in the keyring")
        self.key_id = key_id


def parse(text: str, *, source: str, path: Path | None = None) -> Keyring:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise KeyringError(f"The keyring ({source}) is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict) or not data["keys"]:
        raise KeyringError(f"The keyring ({source}) needs \"active\" and a non-empty \"keys\" object.")
    keys: dict[str, bytes] = {}
    for key_id, encoded in data["keys"].items():
        if not KEY_ID.match(str(key_id)):
            raise KeyringError(f"The keyring ({source}) has a malformed key id {key_id!r} "
                               "(lowercase letters, digits and '-', at most 40).")
        try:
            raw = base64.b64decode(str(encoded), validate=True)
        except (binascii.Error, ValueError):
            raise KeyringError(f"The keyring ({source}): key {key_id!r} is not base64.") from None
        if len(raw) != 32:
            raise KeyringError(f"The keyring ({source}): key {key_id!r} must be 32 bytes, not {len(raw)}.")
        keys[key_id] = raw
    active = data.get("active")
    if active not in keys:
        raise KeyringError(f"The keyring ({source}): the active key {active!r} is not among its keys.")
    return Keyring(active=active, keys=keys, source=source, path=path)


def new_key_id(existing: Collection[str] = ()) -> str:
    while True:
        key_id = f"{dt.datetime.now(dt.UTC):%Y%m%d}-{secrets.token_hex(2)}"
        if key_id not in existing:
            return key_id


def _create(path: Path) -> None:
    """A first key for a development or test installation; never in production."""
    if getattr(settings, "PRODUCTION", False):
        raise KeyringError("URA_KEYS_FILE or URA_KEYS is required in production.")
    key_id = new_key_id()
    ring = Keyring(active=key_id, keys={key_id: secrets.token_bytes(32)}, source=f"file:{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first; use theirs
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(ring.to_json())


def write(ring: Keyring) -> None:
    """Replace the keyring file atomically (readers see the old or the new ring, never half)."""
    if ring.path is None:
        raise KeyringError("The keys come from URA_KEYS; change that variable instead "
                           "(or use URA_KEYS_FILE so that `ura keys` can update the ring).")
    tmp = ring.path.with_name(f".{ring.path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(ring.to_json())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, ring.path)
    invalidate()


_lock = threading.Lock()
_cache: dict[str, tuple[float, float, Keyring]] = {}  # source -> (checked at, mtime, ring)


def invalidate() -> None:
    with _lock:
        _cache.clear()


def current() -> Keyring:
    """The keyring, re-read when its file changes (checked at most every RELOAD_SECONDS)."""
    inline: str | None = getattr(settings, "VAULT_KEYS", None)
    if inline:
        return _parse_inline(inline)
    key = str(settings.VAULT_KEYS_FILE)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < RELOAD_SECONDS:
        return cached[2]  # the hot path: every sealed value read or written asks for the ring
    path = Path(key)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        if os.environ.get("URA_KEYS_FILE"):
            raise KeyringError(f"URA_KEYS_FILE={path} does not exist.") from None
        _create(path)
        mtime = path.stat().st_mtime_ns
    if cached is not None and cached[1] == mtime:
        with _lock:
            _cache[key] = (now, mtime, cached[2])
        return cached[2]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyringError(f"The keyring {path} cannot be read: {exc}") from None
    ring = parse(text, source=f"file:{path}", path=path)
    with _lock:
        _cache[key] = (now, mtime, ring)
    return ring


@functools.lru_cache(maxsize=4)
def _parse_inline(text: str) -> Keyring:
    return parse(text, source="env:URA_KEYS")


def reload() -> Keyring:
    """Read the ring again now (a value named a key this process has not seen yet)."""
    invalidate()
    return current()
