"""Creating and revoking API tokens (audited like every other write)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ura.api.models import SCOPES, ApiToken
from ura.errors import ServiceError
from ura.governance.audit import audit_record


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, actor: Any, owner: Any, name: str, scopes: list[str], days: int = 90,
                 agency: Any = None) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is returned here once and never stored."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ServiceError(_("Unknown scopes: %(s)s") % {"s": ", ".join(unknown)}, field="scopes")
    if not 1 <= days <= 366:
        raise ServiceError(_("A token lives between 1 and 366 days."), field="days")
    prefix = "ura" + secrets.token_hex(4)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(owner=owner, agency=agency, name=name, prefix=prefix,
                                    secret_hash=token_hash(secret), scopes=sorted(set(scopes)),
                                    expires_at=timezone.now() + dt.timedelta(days=days))
    audit_record(actor=actor, action="api.token.created", obj=token,
                 data={"prefix": prefix, "scopes": token.scopes, "owner": owner.pk})
    return token, secret


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api.token.revoked", obj=token, data={"prefix": token.prefix})
    return token
