"""Every API error in one shape: ``{"error": {"code", "message", "fields"}}``, in the user's language.

``code`` is stable and machine-readable; ``message`` is for people; ``fields`` maps a field name
to its problems (validation only, else empty).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from ura.errors import Conflict, NotAllowed, ServiceError


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = gettext_lazy("This Idempotency-Key was already used with a different request.")


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [f"{k}: {m}" for k, v in detail.items() for m in _flatten(v)]
    if isinstance(detail, list):
        return [m for d in detail for m in _flatten(d)]
    return [str(detail)]


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, Conflict):
        set_rollback()
        return Response(body("conflict", exc.message), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotAllowed):
        set_rollback()
        return Response(body("not_allowed", exc.message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ServiceError):
        set_rollback()
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(body("refused", exc.message, fields), status=status.HTTP_400_BAD_REQUEST)
    if not isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        data = body("invalid", _("The request has invalid fields."), fields)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        data = body(str(code), str(exc.detail), getattr(exc, "fields", None))
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.Throttled):
        # DRF has no wait when the history is far over the rate; a minute is then a safe answer.
        headers["Retry-After"] = str(max(1, int(exc.wait or 60)))
    set_rollback()
    return Response(data, status=exc.status_code, headers=headers)
