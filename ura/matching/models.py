"""The coordinator's decisions on possible earlier records of a referred person. Never automatic:
each is a person's decision, audited, and a merge can be undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    LINKED = "linked", _("Same person, records kept apart")
    MERGED = "merged", _("Same person, records merged")
    DISMISSED = "dismissed", _("Not the same person")


class MatchDecision(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="match_decisions")
    # The referral's person when the decision was taken, and the earlier record it was compared with.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices)
    weight = models.FloatField(_("match weight"))
    # Which fields agreed and how strongly (field names, levels and bits; no identity values).
    explanation = models.JSONField(default=list)
    # A merge moves these cases from ``person`` to ``candidate``; undoing moves them back.
    moved_cases = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    @property
    def active(self) -> bool:
        return self.undone_at is None


class MatchParameters(models.Model):
    """The m and u probabilities learnt from the register by ``ura match-params`` (no labels).
    Screening uses the latest; before the first estimate, the defaults of ``ura.matching.model``."""

    estimated_at = models.DateTimeField(auto_now_add=True)
    persons = models.PositiveIntegerField()
    m = models.JSONField()
    u = models.JSONField()

    class Meta:
        ordering = ["-estimated_at", "-id"]
        get_latest_by = "estimated_at"
