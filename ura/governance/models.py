from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One read, change, disclosure or erasure of personal data. Written, never edited.

    Free text and secrets are never copied here: ``data`` holds identifiers, codes and
    field names only.

    Events form a hash chain (``ura.governance.chain``): ``seq`` numbers them 1, 2, 3 … with
    no gaps, ``prev_hash`` is the ``hash`` of the event before, and ``hash`` covers every
    other stored field but ``id``. Only ``audit_record`` writes them; on PostgreSQL the
    database refuses UPDATE, DELETE and TRUNCATE of this table.
    """

    seq = models.BigIntegerField(unique=True, editable=False)
    # Set by audit_record, not auto_now_add: the value hashed must be the value stored.
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    agency = models.ForeignKey("mechanisms.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    mechanism = models.ForeignKey("mechanisms.Mechanism", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    reason = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The end of the audit chain: one row, locked by every append.

    Holding this row's lock is what makes "take the next seq, link to the last hash,
    insert" one step, so two transactions can never extend the chain from the same event.
    """

    ONLY = 1

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("Parent or guardian")


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("Consent given")
    DECLINED = "declined", _("Consent declined")


class Consent(models.Model):
    """The person's (or, for a minor, a guardian's) answer to the offer of support."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("name of the person giving or declining consent"), max_length=200)
    relationship = models.CharField(_("relationship to the person"), max_length=80, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ConsentDecision.choices)
    scope = models.CharField(_("scope (what the consent covers)"), max_length=300)
    decided_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.decided_on})"
