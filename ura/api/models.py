"""API tokens and idempotency records. A token's secret is shown once and stored only as a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a token may be used for. A view names the scope it needs; the policy still decides per object.
SCOPES: dict[str, str] = {
    "referrals:submit": "Submit referrals.",
    "cases:read": "Read cases the owner may open, and the fields the policy allows.",
    "cases:write": "Take workflow steps and edit case fields, as the owner's role allows.",
    "inforequests:write": "Send information requests.",
    "inforequests:answer": "Answer information requests addressed to the owner's agency.",
    "assessments:read": "Read assessments the owner may read (ratings as recorded; nothing computed).",
    "indicators:read": "Read aggregate indicators (small cells suppressed).",
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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_unique_key")]
