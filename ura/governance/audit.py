"""Writing audit events. Services call ``audit_record`` inside their transaction.

Each event is appended to the hash chain (``ura.governance.chain``), which holds a lock on
the chain's head until the caller's transaction ends.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from ura.governance.chain import audit_chain_append
from ura.governance.models import AuditEvent


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
