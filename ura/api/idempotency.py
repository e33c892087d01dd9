"""``Idempotency-Key`` on creating POSTs: a retry with the same key and body gets the first answer;
the same key with a different body is refused (422), never executed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from ura.api.errors import IdempotencyKeyReused
from ura.api.models import IdempotencyRecord
from ura.vault.crypto import blind_index, blind_indexes

HEADER = "Idempotency-Key"


def _payload(request: Request) -> str:
    return json.dumps([request.method, request.path, request.data], sort_keys=True, default=str)


def _same_request(first: IdempotencyRecord, payload: str) -> bool:
    # The body holds names: only a keyed digest of it is kept (a blind index, under any key still in
    # the ring, so a retry across a key rotation is recognised).
    # Records written before the digest was keyed hold a plain SHA-256 of the body.
    return (first.request_hash in blind_indexes("idempotency", payload)
            or first.request_hash == hashlib.sha256(payload.encode()).hexdigest())


def idempotent(request: Request, create: Callable[[], Response]) -> Response:
    key = request.headers.get(HEADER, "").strip()[:200]
    if not key:
        return create()
    payload = _payload(request)
    first = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if first is not None:
        if not _same_request(first, payload):
            raise IdempotencyKeyReused()
        return Response(first.body, status=first.status, headers={"Idempotent-Replayed": "true"})
    # The object and the record of its answer are written together: a crash between the two
    # cannot leave an object whose retry would create a second one.
    try:
        with transaction.atomic():
            response = create()
            if response.status_code < 300:
                IdempotencyRecord.objects.create(user=request.user, key=key,
                                                 request_hash=blind_index("idempotency", payload)[1],
                                                 status=response.status_code, body=response.data)
    except IntegrityError:
        # A concurrent retry with the same key stored its answer first; ours was rolled back.
        first = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if first is None:
            raise
        if not _same_request(first, payload):
            raise IdempotencyKeyReused() from None
        return Response(first.body, status=first.status, headers={"Idempotent-Replayed": "true"})
    return response


def submission_key(request: Request) -> str | None:
    """A referral's submission key from the Idempotency-Key, so that the service itself refuses a double."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return None
    return "api-" + hashlib.sha256(f"{request.user.pk}:{key}".encode()).hexdigest()[:56]
