"""Recovery codes: the way back in when the authenticator app and every security key are out of reach.

Each code is 16 characters from an alphabet without look-alikes (80 random bits), shown once in
groups of four, and kept only as its SHA-256 digest; a code signs in once. Making new codes
replaces the old ones.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from ura.accounts.models import RecoveryCodes
from ura.governance.audit import audit_record

COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
LENGTH = 16


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(f"ura-recovery:{_normalised(code)}".encode()).hexdigest()


def recovery_codes_of(user: Any) -> RecoveryCodes | None:
    return RecoveryCodes.objects.filter(user=user, confirmed=True).first()


def recovery_codes_create(*, user: Any) -> list[str]:
    """Ten new codes for ``user``, replacing any earlier ones; the only time they are seen."""
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(COUNT)]
    shown = ["-".join(code[i:i + 4] for i in range(0, LENGTH, 4)) for code in codes]
    with transaction.atomic():
        RecoveryCodes.objects.filter(user=user).delete()
        device = RecoveryCodes.objects.create(user=user, name="Recovery codes", confirmed=True,
                                              digests=[_digest(c) for c in codes])
        audit_record(actor=user, action="account.recovery_codes.created", obj=user, data={"device": device.pk})
    return shown


def recovery_code_use(*, user: Any, code: str) -> RecoveryCodes | None:
    """The user's recovery codes with ``code`` used up, if it was one of them; None otherwise."""
    if len(_normalised(code)) != LENGTH:
        return None
    digest = _digest(code)
    with transaction.atomic():
        device = RecoveryCodes.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or digest not in device.digests:
            return None
        device.digests = [d for d in device.digests if d != digest]
        device.last_used_at = timezone.now()
        device.save(update_fields=["digests", "last_used_at"])
        audit_record(actor=user, action="account.recovery_code.used", obj=user, data={"left": len(device.digests)})
    return device
