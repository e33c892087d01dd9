from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.templates import CHAIR, CONSENSUS, MAJORITY


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    MUNICIPAL = "municipal", _("Municipal")


class DecisionRule(models.TextChoices):
    MAJORITY = MAJORITY, _("Majority vote")
    CONSENSUS = CONSENSUS, _("Consensus")
    CHAIR = CHAIR, _("Chair decides after discussion")


class Mechanism(models.Model):
    """One multi-agency body at one level, with its members and its rules (the tenant)."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    template = models.CharField(_("template"), max_length=40)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    country = models.CharField(_("country"), max_length=2)
    place = models.CharField(_("place"), max_length=120)
    decision_rule = models.CharField(_("decision rule"), max_length=20, choices=DecisionRule.choices)
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (% of voting agencies)"))
    consent_required = models.BooleanField(_("consent required before support"))
    police_identity_access = models.BooleanField(_("police see the identity of referred persons"))
    tracks = models.JSONField(_("tracks"), default=list)
    post_exit_review_months = models.JSONField(_("post-exit reviews (months after exit)"), default=list)
    review_interval_weeks = models.PositiveSmallIntegerField(_("review interval (weeks)"), default=12)
    retention_years_not_adopted = models.PositiveSmallIntegerField(_("retention of cases not adopted (years)"))
    retention_years_adopted = models.PositiveSmallIntegerField(_("retention of adopted cases (years)"))
    high_risk_to_police = models.BooleanField(_("high risk is referred to police"), default=True)
    features = models.JSONField(_("features"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def has_feature(self, name: str) -> bool:
        return bool(self.features.get(name))


class AgencyType(models.TextChoices):
    POLICE = "police", _("Police")
    SCHOOL = "school", _("School or education department")
    SOCIAL = "social", _("Social services")
    HEALTH = "health", _("Health")
    PROBATION = "probation", _("Probation")
    PRISON = "prison", _("Prison service")
    RELIGIOUS = "religious", _("Religious community")
    CSO = "cso", _("Civil-society organisation")
    MUNICIPALITY = "municipality", _("Municipality")
    MINISTRY = "ministry", _("Ministry or national body")
    SPORTS = "sports", _("Sports or youth organisation")
    OTHER = "other", _("Other")


class Agency(models.Model):
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=AgencyType.choices)
    # Novi Pazar: secondary actors (city, ministries) see aggregates only.
    secondary_actor = models.BooleanField(_("secondary actor (aggregates only)"), default=False)
    votes_on_panel = models.BooleanField(_("votes on the panel"), default=True)
    email = models.EmailField(_("contact email"), blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["mechanism", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REFERRER = "referrer", _("Referrer")
    COORDINATOR = "coordinator", _("Coordinator")
    PANEL_MEMBER = "panel_member", _("Panel member")
    PROVIDER = "provider", _("Provider")
    POLICE_LIAISON = "police_liaison", _("Police liaison")
    ANALYST = "analyst", _("Analyst")
    DPO = "dpo", _("Data-protection officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class Membership(models.Model):
    """A user acting for one agency in one mechanism, in one role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_chair = models.BooleanField(_("chairs the panel"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "mechanism", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.mechanism}"
