"""Sealing values with AES-256-GCM, and keyed blind indexes.

A sealed value is ``ura1$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>``. The associated data
binds the format version, the key id, the model, the field and the row's stable identifier, so a
value copied to another row or field, or relabelled with another key id, fails authentication
instead of being shown in the wrong place.

Each keyring secret yields two unrelated keys through HKDF: one for AES-GCM and one for the
HMAC-SHA256 blind indexes, so an index never reveals anything about the encryption key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ura.vault import keyring
from ura.vault.keyring import Keyring, UnknownKey

PREFIX = "ura1$"
_INFO_AEAD = b"ura/aead/v1"
_INFO_INDEX = b"ura/blind-index/v1"

__all__ = ["PREFIX", "Tampered", "UnknownKey", "blind_index", "blind_indexes", "key_id_of", "open_", "seal"]


class Tampered(ValueError):
    """A sealed value failed authentication: changed, truncated, or moved from another row or field."""


_derived: dict[tuple[bytes, bytes], bytes] = {}


def _derive(secret: bytes, info: bytes) -> bytes:
    got = _derived.get((secret, info))
    if got is None:
        got = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)
        _derived[(secret, info)] = got
    return got


def _aad(key_id: str, label: str, field: str, row: str) -> bytes:
    return "|".join(("ura1", key_id, label, field, row)).encode()


def seal(plaintext: str, *, label: str, field: str, row: str, ring: Keyring | None = None) -> str:
    """Encrypt under the active key, bound to ``label`` (model), ``field`` and ``row``."""
    ring = ring or keyring.current()
    key_id = ring.active
    nonce = os.urandom(12)
    body = AESGCM(_derive(ring.secret(key_id), _INFO_AEAD)).encrypt(
        nonce, plaintext.encode(), _aad(key_id, label, field, row))
    return f"{PREFIX}{key_id}${base64.urlsafe_b64encode(nonce + body).decode().rstrip('=')}"


def key_id_of(sealed: str) -> str:
    """The key id a sealed value names (without decrypting it)."""
    if not sealed.startswith(PREFIX):
        raise Tampered("not a sealed value")
    key_id, sep, _ = sealed[len(PREFIX):].partition("$")
    if not sep or not keyring.KEY_ID.match(key_id):
        raise Tampered("malformed sealed value")
    return key_id


def open_(sealed: str, *, label: str, field: str, row: str) -> str:
    """Decrypt and authenticate; ``Tampered`` or ``UnknownKey`` rather than a wrong plaintext."""
    key_id = key_id_of(sealed)
    ring = keyring.current()
    if key_id not in ring.keys:
        ring = keyring.reload()  # `ura keys rotate` may have added it a moment ago
    secret = ring.secret(key_id)
    encoded = sealed[len(PREFIX) + len(key_id) + 1:]
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise Tampered("malformed sealed value") from None
    if len(raw) < 12 + 16:
        raise Tampered("truncated sealed value")
    try:
        plain = AESGCM(_derive(secret, _INFO_AEAD)).decrypt(raw[:12], raw[12:], _aad(key_id, label, field, row))
    except InvalidTag:
        raise Tampered(f"{label}.{field} of row {row} failed authentication") from None
    return plain.decode()


def _index(secret: bytes, purpose: str, value: str) -> str:
    mac = hmac.new(_derive(secret, _INFO_INDEX), f"{purpose}\x00{value}".encode(), hashlib.sha256)
    return mac.hexdigest()


def blind_index(purpose: str, value: str) -> tuple[str, str]:
    """``(key id, digest)`` of an already normalised value under the active key.

    ``purpose`` separates the kinds of index ("name", "national_id", "block"), so equal
    strings of different kinds never share a digest.
    """
    ring = keyring.current()
    return ring.active, _index(ring.secret(ring.active), purpose, value)


def blind_indexes(purpose: str, value: str) -> list[str]:
    """The digests of a value under every key in the ring: what a lookup must match while a
    rotation is under way (some rows indexed under the old key, some under the new)."""
    ring = keyring.current()
    return [_index(secret, purpose, value) for secret in ring.keys.values()]
