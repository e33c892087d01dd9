"""Writing audit events. Services call ``audit_record`` inside their transaction.

Each event is appended to the hash chain (``ura.governance.chain``), which holds a lock on
the chain's head until the caller's transaction ends.

One request, one event. ``AuditMiddleware`` (``ura.governance.middleware``) opens a
``RequestAudit`` for every request; ``audit_record`` counts the events written in it and
``case_for`` notes each case it opened. When the request ends:

- refused (403 or 404) for a signed-in user: one ``access.refused`` event with a reason code,
  the route and its arguments (identifiers only), never the object's data; unless the refusal
  page still showed what the user may read, whose event then carries ``"refused"`` itself;
- allowed, a case opened through the policy, and nothing written: one ``case.opened`` event, so
  no page or endpoint that reads a case goes unrecorded, even one that forgot its own event.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from ura.governance.chain import audit_chain_append
from ura.governance.models import AuditEvent


@dataclass
class RequestAudit:
    """What one request has written to, and read from, the audit's point of view."""

    events: int = 0
    opened: dict[int, Any] = field(default_factory=dict)  # case pk -> case, as ``case_for`` returned it
    refusal: str = ""  # a reason code set where access was refused, e.g. "case_not_visible"


_current: ContextVar[RequestAudit | None] = ContextVar("ura_request_audit", default=None)


def request_audit() -> RequestAudit | None:
    """The running request's audit record, or ``None`` outside a request (commands, jobs)."""
    return _current.get()


def request_audit_begin() -> Any:
    return _current.set(RequestAudit())


def request_audit_end(token: Any) -> None:
    _current.reset(token)


def note_opened(case: Any) -> None:
    """``case_for`` opened ``case`` for the running request."""
    current = _current.get()
    if current is not None:
        current.opened.setdefault(case.pk, case)


def note_refused(reason: str) -> None:
    """Access was refused for ``reason`` (a code, never personal data)."""
    current = _current.get()
    if current is not None and not current.refusal:
        current.refusal = reason


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    mechanism: Any = None,
    case: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    from ura.governance.policy import membership_for

    if case is None and obj is not None and obj.__class__.__name__ == "Case":
        case = obj
    if mechanism is None and case is not None:
        mechanism = case.mechanism
    membership = membership_for(actor, mechanism) if actor is not None and mechanism is not None else None
    current = _current.get()
    if current is not None:
        current.events += 1
    return audit_chain_append(AuditEvent(
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        agency=membership.agency if membership else None,
        mechanism=mechanism,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case.pk if case is not None else None,
        person_id=case.person_id if case is not None else None,
        reason=reason[:200],
        data=data or {},
    ))
