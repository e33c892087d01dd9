"""Structured assessments: instruments as versioned data, assessments as signed records.

Nothing here holds a number computed from item ratings, and nothing may: Ura records the
assessors' ratings, evidence and judgement, never a total, sum, average, rank or colour.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.assessments.definitions import Definition
from ura.mechanisms.models import Agency
from ura.vault.fields import EncryptedTextField, vault_id


class Immutable(Exception):
    """A loaded instrument version is never changed; load a new version instead."""


class InstrumentQuerySet(models.QuerySet["InstrumentVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise Immutable("A loaded instrument version never changes; load a new version.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise Immutable("A loaded instrument version is never deleted.")


class Purpose(models.TextChoices):
    NEEDS = "needs", _("Needs")
    VULNERABILITY = "vulnerability", _("Vulnerability and risk")
    DISCIPLINE = "discipline", _("Discipline assessment")


class InstrumentVersion(models.Model):
    """One version of an instrument, exactly as loaded. Written once, never changed.

    The columns repeat what the rest of Ura filters on; ``definition`` is the whole
    definition (domains, items, scales), and ``fingerprint`` its canonical SHA-256.
    """

    code = models.SlugField(_("instrument"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    category = models.CharField(_("data category"), max_length=20)
    credential = models.SlugField(_("credential an assessor needs"), max_length=60, blank=True)
    licence = models.CharField(_("licence"), max_length=200)
    rights_holder = models.CharField(_("rights holder"), max_length=200)
    redistributable = models.BooleanField(_("may be redistributed"))
    review_interval_days = models.PositiveSmallIntegerField(_("review interval (days)"))
    definition = models.JSONField(_("definition"))
    fingerprint = models.CharField(max_length=64)
    source = models.CharField(_("loaded from"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["code", "-id"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_unique_version")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An invariant, not business logic: assessments cite this exact text.
        if not self._state.adding:
            raise Immutable("A loaded instrument version never changes; load a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise Immutable("A loaded instrument version is never deleted.")

    @cached_property
    def spec(self) -> Definition:
        return Definition(self.definition)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    COUNTERSIGNED = "countersigned", _("Countersigned")
    SUPERSEDED = "superseded", _("Superseded")


class Assessment(models.Model):
    """One version of one assessment of the person in a case, made with one instrument version.

    ``previous`` is the version this one revises or reassesses; once this one is submitted,
    the previous becomes superseded. A submitted assessment is never edited: a change makes
    a new version.
    """

    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments")
    # Copied from the instrument so that access filters need no join.
    category = models.CharField(max_length=20)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_version")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    assessed_on = models.DateField(_("date of the assessment"), null=True, blank=True)
    sources = EncryptedTextField(_("information sources"), blank=True)
    summary = models.CharField(_("summary judgement"), max_length=60, blank=True)
    rationale = EncryptedTextField(_("rationale for the summary judgement"), blank=True)
    protective_factors = EncryptedTextField(_("protective factors"), blank=True)
    review_on = models.DateField(_("review by"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    countersigner_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+")
    countersigned_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency for drafts: every save states the version it started from.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.case_id} · v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.COUNTERSIGNED)

    def is_stale(self, today: dt.date) -> bool:
        """Past its review date and not yet replaced by a newer version."""
        return self.is_current and self.review_on is not None and self.review_on < today


class Assessor(models.Model):
    """Who made the assessment, and for which agency they did it (kept as it was on the day)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "user"], name="assessor_once")]


class ItemRating(models.Model):
    """One item's rating, with the evidence for it. The rating is a code of the item's scale."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    item_id = models.CharField(max_length=60)
    rating = models.CharField(_("rating"), max_length=60, blank=True)
    evidence = EncryptedTextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item_id"], name="rating_once")]


class InterventionNeed(models.Model):
    """A support-plan intervention cites a need it addresses: an item of a needs instrument.

    The citation is by instrument code and item id, which are stable across versions, so it
    still holds after the needs are reassessed.
    """

    intervention = models.ForeignKey("support.Intervention", on_delete=models.CASCADE, related_name="needs")
    instrument_code = models.SlugField(max_length=60)
    item_id = models.CharField(max_length=60)
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["intervention", "instrument_code", "item_id"],
                                               name="intervention_need_once")]


class Credential(models.Model):
    """A credential recorded for a user, e.g. training for a licensed instrument ("vera-2r")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials")
    code = models.SlugField(_("credential"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note (certificate, trainer)"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["user_id", "code", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.user} · {self.code}"

    def valid_on(self, day: dt.date) -> bool:
        if self.revoked_on is not None and self.revoked_on <= day:
            return False
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
