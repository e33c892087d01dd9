"""API tokens and idempotency records. A token's secret is shown once and stored only as a hash."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.vault.fields import EncryptedJSONField, vault_id

# What a token may be used for. A view names the scope it needs; the policy still decides per object.
SCOPES: dict[str, Any] = {
    "referrals:submit": _("Submit referrals."),
    "cases:read": _("Read cases the owner may open, and the fields the policy allows."),
    "cases:write": _("Take workflow steps and edit case fields, as the owner's role allows."),
    "inforequests:write": _("Send information requests."),
    "inforequests:answer": _("Answer information requests addressed to the owner's agency."),
    "assessments:read": _("Read assessments the owner may read (ratings as recorded; nothing computed)."),
    "meetings:read": _("Read the panel meetings the owner sits on or coordinates (cases by reference)."),
    "panel:vote": _("Vote on agenda items as a panel member."),
    "panel:decide": _("Record panel decisions, as coordinator or chair."),
    "sessions:write": _("List the owner's agency's interventions and record their sessions."),
    "indicators:read": _("Read aggregate indicators (small cells suppressed)."),
}


class ApiToken(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    agency = models.ForeignKey("mechanisms.Agency", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # Not secret: finds the row; the hash of the whole token proves it.
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class IdempotencyRecord(models.Model):
    """The first answer to a creating POST, replayed for a retry with the same key."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = EncryptedJSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_unique_key")]
