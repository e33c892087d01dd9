from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.models import Agency
from ura.vault.fields import EncryptedCharField, EncryptedTextField, vault_id


class InterventionType(models.Model):
    """The catalogue: Kosovo programme elements and the support types the paper names."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    for_children = models.BooleanField(_("for children"), default=False)
    for_women = models.BooleanField(_("for women"), default=False)

    class Meta:
        verbose_name = _("type of intervention")
        verbose_name_plural = _("types of intervention")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FundingSource(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal budget")
    NATIONAL = "national", _("National budget")
    DONOR = "donor", _("International donor")
    CSO = "cso", _("Civil-society organisation's own funds")
    IN_KIND = "in_kind", _("In kind, no cost")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Under way")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped early")


class Intervention(models.Model):
    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="interventions")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="interventions")
    goal = EncryptedCharField(_("goal"), max_length=300)
    schedule = models.CharField(_("schedule"), max_length=200)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    funder = models.CharField(_("funder"), max_length=120, blank=True)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=10, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=InterventionStatus.choices,
                              default=InterventionStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.type} · {self.provider}"


class Session(models.Model):
    vault_id = vault_id()  # the row identity its sealed values are bound to
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    attended = models.BooleanField(_("the person attended"), default=True)
    minutes_spent = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    progress = EncryptedTextField(_("progress notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class PostExitOutcome(models.TextChoices):
    NO_CONCERN = "no_concern", _("No new concern")
    CONCERN = "concern", _("New concern: opens a new episode")


class PostExitReview(models.Model):
    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="post_exit_reviews")
    months_after_exit = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("held on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=PostExitOutcome.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        ordering = ["due_on"]
