"""Rehabilitation and reintegration (DESIGN.md §2, R&R track): households, R&R phases, custody
milestones and the central-to-local handover.

R&R phases are data on top of the case workflow, not a second workflow: a reintegration case
moves through the same stages, and its phases say where the R&R programme stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.models import Agency, Mechanism
from ura.vault.fields import EncryptedCharField, EncryptedTextField, vault_id


class Household(models.Model):
    """A family whose members each have their own case, plan and access rules."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="households")
    name = EncryptedCharField(_("name"), max_length=200)
    returned_on = models.DateField(_("date of return"), null=True, blank=True)
    programme = EncryptedTextField(_("family programme"), blank=True)
    # Intervention-type codes of the family programme (Kosovo programme elements).
    programme_elements = models.JSONField(_("programme elements"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["id"]  # the name is encrypted: its stored form has no useful order

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class HouseholdMember(models.Model):
    vault_id = vault_id()  # the row identity its sealed values are bound to
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # A case belongs to at most one household.
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="household_member")
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    guardian = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="wards", verbose_name=_("guardian"))
    lives_at = EncryptedCharField(_("lives at"), max_length=200, blank=True)

    class Meta:
        ordering = ["household", "id"]


class Phase(models.TextChoices):
    REPATRIATION = "repatriation", _("Repatriation planning")
    ASSESSMENT = "assessment", _("Multidisciplinary assessment")
    DESIGN = "design", _("Programme design")
    IMPLEMENTATION = "implementation", _("Implementation by the local team")
    REVIEW = "review", _("Review")
    EXIT = "exit", _("Exit")


PHASE_ORDER = list(Phase.values)


class PhaseEntry(models.Model):
    """The R&R phase a case entered, when, and by whom (the case's stage is unchanged by it)."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="rr_phases")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    started_on = models.DateField(_("started on"))
    note = EncryptedCharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_on", "id"]


class CustodyKind(models.TextChoices):
    DETAINED = "detained", _("Detained")
    TRIAL = "trial", _("Trial")
    SENTENCED = "sentenced", _("Sentenced")
    PRISON_PROGRAMME = "prison_programme", _("Prison programme")
    PRISON_VISIT = "prison_visit", _("Visit in prison before release")
    PRE_RELEASE = "pre_release", _("Pre-release planning meeting")
    RELEASE_SET = "release_set", _("Release date and conditions set")
    RELEASED = "released", _("Released")
    POST_RELEASE = "post_release", _("Post-release plan")


class CustodyEvent(models.Model):
    """One custody milestone of a case (category ``custody``)."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="custody_events")
    kind = models.CharField(_("milestone"), max_length=20, choices=CustodyKind.choices)
    on = models.DateField(_("date"))
    detail = EncryptedTextField(_("details"), blank=True)
    conditions = EncryptedTextField(_("conditions"), blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name=_("agencies present"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]


class HandoverStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the receiving team")
    MORE_ASKED = "more_asked", _("The receiving team asked for more")
    ACCEPTED = "accepted", _("Accepted")


class Handover(models.Model):
    """A household moving from the central division to a local team, with all its cases; or a
    single case moving to the team that takes over (e.g. at release from prison)."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="handovers")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="handovers")
    from_mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="+")
    to_mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(_("what the receiving team should know"))
    status = models.CharField(_("status"), max_length=12, choices=HandoverStatus.choices,
                              default=HandoverStatus.PROPOSED)
    response = EncryptedTextField(_("response"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(household__isnull=False, case__isnull=True)
                       | models.Q(household__isnull=True, case__isnull=False)),
            name="handover_household_or_case")]

    @property
    def subject(self) -> str:
        return self.household.name if self.household_id else self.case.reference  # type: ignore[union-attr]
