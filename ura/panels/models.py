from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.models import DecisionRule, Mechanism, Membership
from ura.vault.fields import EncryptedCharField, EncryptedTextField, vault_id


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class Meeting(models.Model):
    vault_id = vault_id()  # the row identity its sealed values are bound to
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    minutes = EncryptedTextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("panel meeting")
        verbose_name_plural = _("panel meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.mechanism} {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_unique")]


class AgendaPurpose(models.TextChoices):
    DECISION = "decision", _("Decision on support")
    REVIEW = "review", _("Review of support")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agenda_items")
    purpose = models.CharField(_("purpose"), max_length=10, choices=AgendaPurpose.choices)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.case}"


class ConflictOfInterest(models.Model):
    """A member who declared a conflict on an item does not vote on it."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedCharField(_("nature of the conflict"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "membership"], name="conflict_unique")]


class Outcome(models.TextChoices):
    ADOPT = "adopt", _("Adopt with a support package")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    REFER_ELSEWHERE = "refer_elsewhere", _("Refer elsewhere")
    ESCALATE = "escalate", _("Escalate to police")
    DEFER = "defer", _("Defer: more information needed")
    CONTINUE = "continue", _("Continue support")
    ADJUST = "adjust", _("Adjust the support package")
    EXIT = "exit", _("Exit")
    RETURN = "return", _("Return through the process")


DECISION_OUTCOMES = (Outcome.ADOPT, Outcome.NO_FURTHER_ACTION, Outcome.REFER_ELSEWHERE, Outcome.ESCALATE,
                     Outcome.DEFER)
REVIEW_OUTCOMES = (Outcome.CONTINUE, Outcome.ADJUST, Outcome.EXIT, Outcome.RETURN, Outcome.REFER_ELSEWHERE,
                   Outcome.ESCALATE)


class Vote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("vote"), max_length=20, choices=Outcome.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "membership"], name="vote_unique")]


class Decision(models.Model):
    vault_id = vault_id()  # the row identity its sealed values are bound to
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    rule = models.CharField(_("decision rule"), max_length=20, choices=DecisionRule.choices)
    reasons = EncryptedTextField(_("reasons"))
    tally = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
