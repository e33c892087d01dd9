"""Every request that reads personal data or is refused leaves exactly one audit event.

See ``ura.governance.audit`` (``RequestAudit``) for the rule; this middleware applies it when
the response is ready. It must come after the authentication middleware; the API's token
authentication sets the same ``request.user`` by the time the response comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from ura.governance.audit import audit_record, request_audit, request_audit_begin, request_audit_end

REFUSED = {403: "forbidden", 404: "not_found"}


def _route(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", {}
    # URL arguments are ids, slugs and names of steps, never personal data.
    return match.view_name or "", {k: str(v)[:40] for k, v in match.kwargs.items()}


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_audit_begin()
        try:
            response = self.get_response(request)
            self._close(request, response)
            return response
        finally:
            request_audit_end(token)

    def _close(self, request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        current = request_audit()
        if current is None or user is None or not user.is_authenticated:
            return  # nobody to attribute it to: the anonymous are sent to sign in first
        route, args = _route(request)
        code = response.status_code
        if code in REFUSED:
            if current.events:
                return  # the page still showed what the user may read, and its event says it was refused
            audit_record(actor=user, action="access.refused", data={
                "route": route, "args": args, "method": request.method, "status": code,
                "reason": current.refusal or REFUSED[code]})
        elif code < 500 and current.events == 0 and current.opened:
            cases = list(current.opened.values())
            audit_record(actor=user, action="case.opened", case=cases[0], data={
                "route": route, "method": request.method, "cases": [c.pk for c in cases]})
