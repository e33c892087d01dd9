"""What monitoring records that the case data does not: trainings, prevention activities,
budget lines with their allocations, and the narrative of each annual report.

None of it is about a referred person. Trainees are professionals of the member agencies;
activities count participants, never name them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.models import Agency, Mechanism
from ura.support.models import FundingSource, Intervention


class Training(models.Model):
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="trainings")
    topic = models.CharField(_("topic"), max_length=200)
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("duration (hours)"), default=4)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%Y-%m-%d})"


class TrainingParticipation(models.Model):
    """A named member of the mechanism who took part (headcount 1), or a number of others from one agency."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="trainings_attended")
    headcount = models.PositiveSmallIntegerField(_("participants"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training", "user"], condition=Q(user__isnull=False),
                                    name="training_participant_once"),
            models.UniqueConstraint(fields=["training", "agency"], condition=Q(user__isnull=True),
                                    name="training_others_once_per_agency"),
        ]


class ActivityKind(models.TextChoices):
    AWARENESS_WORKSHOP = "awareness_workshop", _("Awareness workshop")
    COMMUNITY_EVENT = "community_event", _("Community event")
    SCHOOL_SESSION = "school_session", _("School session")
    PARENTS_MEETING = "parents_meeting", _("Meeting with parents")
    MEDIA = "media", _("Media or online campaign")
    OTHER = "other", _("Other activity")


class Audience(models.TextChoices):
    PUPILS = "pupils", _("Pupils and students")
    YOUTH = "youth", _("Young people")
    PARENTS = "parents", _("Parents")
    WOMEN = "women", _("Women")
    TEACHERS = "teachers", _("Teachers")
    RELIGIOUS = "religious", _("Religious community")
    PROFESSIONALS = "professionals", _("Front-line professionals")
    PUBLIC = "public", _("General public")


class Activity(models.Model):
    """A prevention activity for the general population (Aarhus' general track, Local Safety Councils)."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind of activity"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    participants = models.PositiveIntegerField(_("participants"))
    partners = models.ManyToManyField(Agency, blank=True, related_name="activities", verbose_name=_("partners"))
    other_partners = models.CharField(_("other partners"), max_length=300, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    funder = models.CharField(_("funder"), max_length=120, blank=True)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=10, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prevention activity")
        verbose_name_plural = _("prevention activities")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


class BudgetLine(models.Model):
    """Money a funder (GCERF, IOM, EU, the municipal budget …) gives the mechanism for one year."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="budget_lines")
    funder = models.CharField(_("funder"), max_length=120)
    source = models.CharField(_("kind of funding"), max_length=20, choices=FundingSource.choices)
    title = models.CharField(_("budget line"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-year", "funder", "title"]

    def __str__(self) -> str:
        return f"{self.funder} · {self.title} ({self.year})"


class Allocation(models.Model):
    """Part of a budget line spent on one intervention or one activity."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="allocations")
    intervention = models.ForeignKey(Intervention, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="allocations")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="allocations")
    amount = models.DecimalField(_("amount (EUR)"), max_digits=10, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(intervention__isnull=False, activity__isnull=True)
                           | Q(intervention__isnull=True, activity__isnull=False)),
                name="allocation_one_target"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive"),
        ]


class ReportNarrative(models.Model):
    """What the coordinator writes into an annual report; ``scope`` is a scope code (see ``scopes``)."""

    scope = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    summary = models.TextField(_("the year in brief"), blank=True)
    achievements = models.TextField(_("what went well"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    plans = models.TextField(_("plans for next year"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="narrative_unique")]

    FIELDS = ("summary", "achievements", "challenges", "plans")
