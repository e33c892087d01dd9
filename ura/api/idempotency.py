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

HEADER = "Idempotency-Key"


def _hash(request: Request) -> str:
    payload = json.dumps([request.method, request.path, request.data], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def idempotent(request: Request, create: Callable[[], Response]) -> Response:
    key = request.headers.get(HEADER, "").strip()[:200]
    if not key:
        return create()
    digest = _hash(request)
    first = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if first is not None:
        if first.request_hash != digest:
            raise IdempotencyKeyReused()
        return Response(first.body, status=first.status, headers={"Idempotent-Replayed": "true"})
    # The object and the record of its answer are written together: a crash between the two
    # cannot leave an object whose retry would create a second one.
    try:
        with transaction.atomic():
            response = create()
            if response.status_code < 300:
                IdempotencyRecord.objects.create(user=request.user, key=key, request_hash=digest,
                                                 status=response.status_code, body=response.data)
    except IntegrityError:
        # A concurrent retry with the same key stored its answer first; ours was rolled back.
        first = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if first is None:
            raise
        if first.request_hash != digest:
            raise IdempotencyKeyReused() from None
        return Response(first.body, status=first.status, headers={"Idempotent-Replayed": "true"})
    return response


def submission_key(request: Request) -> str | None:
    """A referral's submission key from the Idempotency-Key, so that the service itself refuses a double."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return None
    return "api-" + hashlib.sha256(f"{request.user.pk}:{key}".encode()).hexdigest()[:56]
