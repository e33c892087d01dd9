from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.cases.workflow import Stage
from ura.mechanisms.models import Agency, Mechanism
from ura.people.models import Person
from ura.vault.fields import EncryptedCharField, EncryptedTextField, vault_id


class SourceSector(models.TextChoices):
    EDUCATION = "education", _("Education")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social services")
    RELIGIOUS = "religious", _("Religious community")
    FAMILY = "family", _("Family or friends")
    COMMUNITY = "community", _("Community, sports or youth work")
    JUSTICE = "justice", _("Prison, probation or courts")
    CSO = "cso", _("Civil-society organisation")
    OTHER = "other", _("Other")


class ConcernType(models.TextChoices):
    RELIGIOUS = "religious", _("Religiously motivated")
    ETHNO_NATIONALIST = "ethno_nationalist", _("Ethno-nationalist")
    RIGHT_WING = "right_wing", _("Right-wing")
    LEFT_WING = "left_wing", _("Left-wing")
    OTHER = "other", _("Other or unclear")


class Track(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    REINTEGRATION = "reintegration", _("Rehabilitation and reintegration")


class Indicator(models.TextChoices):
    """Observed behaviours a referrer may tick. Observations, not a score."""

    IDEOLOGY_TALK = "ideology_talk", _("Expresses support for violence or an extremist cause")
    MATERIAL = "material", _("Shares or consumes extremist material")
    ISOLATION = "isolation", _("Withdraws from family, friends or school")
    NEW_CONTACTS = "new_contacts", _("New contacts or group that worry others")
    GRIEVANCE = "grievance", _("Strong grievance or sense of injustice")
    CONFLICT_ZONE = "conflict_zone", _("Talks about travelling to a conflict zone")
    CHANGE = "change", _("Sudden change in behaviour or appearance")
    THREATS = "threats", _("Threats or intimidation of others")
    ABSENCE = "absence", _("Repeated absence from school or work")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """Only the cases ``user`` may open (the policy decides; this is its door on the manager)."""
        from ura.governance import policy

        return self.filter(pk__in=policy.cases_visible_to(user).values("pk"))


class Case(models.Model):
    """One episode of one person in one mechanism, from referral to closure.

    A re-referral of the same person opens a new case with the next episode number and
    a link to the previous one, so every episode keeps its own history.
    """

    vault_id = vault_id()  # the row identity its sealed values are bound to
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    episode = models.PositiveSmallIntegerField(_("episode"), default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_episode")
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.REFERRED)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, default=Track.PREVENTION)

    referred_on = models.DateField(_("referral date"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="referrals")
    referring_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="referrals")
    referrer_name = EncryptedCharField(_("referrer"), max_length=200, blank=True)
    referrer_contact = EncryptedCharField(_("referrer's contact"), max_length=200, blank=True)
    source_sector = models.CharField(_("source sector"), max_length=20, choices=SourceSector.choices)
    concern_type = models.CharField(_("type of concern"), max_length=20, choices=ConcernType.choices)
    concern = EncryptedTextField(_("what has been observed"))
    indicators = models.JSONField(_("observed indicators"), default=list, blank=True)
    immediate_danger = models.BooleanField(_("someone is in immediate danger"), default=False)

    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="coordinated_cases")
    summary = EncryptedTextField(_("case summary"), blank=True)
    needs_summary = EncryptedTextField(_("needs"), blank=True)
    risk_summary = EncryptedTextField(_("risk (professional judgement)"), blank=True)
    signposted_to = models.CharField(_("signposted to"), max_length=200, blank=True)
    onward_to = models.CharField(_("referred onward to"), max_length=200, blank=True)

    stage_changed_at = models.DateTimeField(_("in this stage since"))
    decided_on = models.DateField(_("date of panel decision"), null=True, blank=True)
    exited_on = models.DateField(_("exit date"), null=True, blank=True)
    closed_on = models.DateField(_("closure date"), null=True, blank=True)

    # Optimistic concurrency: every edit states the version it started from.
    version = models.PositiveIntegerField(default=1)
    # A double-submitted referral form carries the same key and creates one case.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["mechanism", "stage"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "episode"], name="case_unique_episode"),
        ]

    def __str__(self) -> str:
        return self.reference


class DeconflictionAnswer(models.TextChoices):
    PROCEED = "proceed", _("Proceed")
    PAUSE = "pause", _("Pause")
    POLICE_LED = "police_led", _("Police-led")


class Deconfliction(models.Model):
    """A sealed police answer: the mechanism learns only proceed, pause or police-led."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deconflictions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(_("answer"), max_length=20, choices=DeconflictionAnswer.choices, blank=True)
    # Seen by police only; never shown to the mechanism.
    police_note = EncryptedTextField(_("police note (sealed)"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")


class InformationRequest(models.Model):
    """A request to a member agency for information about the case, with purpose and legal basis."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="information_requests")
    question = EncryptedTextField(_("what is asked"))
    purpose = models.CharField(_("purpose"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    due_on = models.DateField(_("answer due by"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.OPEN)
    answer = EncryptedTextField(_("answer"), blank=True)
    refusal_reason = EncryptedCharField(_("reason for refusal"), max_length=300, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class TimelineEntry(models.Model):
    """The case's own history as its team sees it (reads are in the audit log, not here)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField(max_length=40)
    # Which data category the entry reveals, so the policy can hide it.
    category = models.CharField(max_length=20)
    # Codes and references only (the indicators read some of them in the database); anything a
    # person wrote — a reason, a decision's reasons, an answer — goes in ``note``, encrypted.
    data = models.JSONField(default=dict, blank=True)
    vault_id = vault_id()  # the row identity its sealed note is bound to
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
