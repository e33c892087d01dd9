from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.governance.canonical import CanonicalJSONEncoder
from ura.vault.fields import EncryptedCharField, EncryptedTextField, vault_id


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
    # Stored as the JSON text the chain hashes (``ura.governance.canonical``).
    data = models.JSONField(default=dict, blank=True, encoder=CanonicalJSONEncoder)
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

    vault_id = vault_id()  # the row identity its sealed values are bound to
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    giver_name = EncryptedCharField(_("name of the person giving or declining consent"), max_length=200)
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

# --- consent scope, sharing and emergency access (DESIGN.md §4) ------------------------------
# The policy (``ura.governance.policy``) reads these; the services in ``ura.governance.services``
# are the only code that writes them.


class ConsentCoverage(models.Model):
    """What a consent covers: which agencies may receive which categories of the case, and when
    the person withdrew it. One row per consent (kept apart so that a consent's own answer is
    never edited after it was recorded)."""

    consent = models.OneToOneField(Consent, on_delete=models.CASCADE, related_name="coverage")
    agencies = models.ManyToManyField("mechanisms.Agency", related_name="+", blank=True,
                                      verbose_name=_("agencies the consent covers"))
    categories = models.JSONField(_("categories the consent covers"), default=list, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("consent coverage")
        verbose_name_plural = _("consent coverage")

    def __str__(self) -> str:
        return f"{self.consent} → {', '.join(self.categories)}"


class SharingAgreement(models.Model):
    """A standing agreement that one member agency may receive some categories of a mechanism's
    cases, for a stated purpose and on a stated legal basis. Each use is a ``Disclosure``."""

    mechanism = models.ForeignKey("mechanisms.Mechanism", on_delete=models.PROTECT, related_name="agreements")
    agency = models.ForeignKey("mechanisms.Agency", on_delete=models.PROTECT, related_name="agreements",
                               verbose_name=_("receiving agency"))
    categories = models.JSONField(_("categories shared"), default=list)
    purpose = models.CharField(_("purpose"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")
        ordering = ["agency__name", "id"]

    def __str__(self) -> str:
        return f"{self.agency} · {self.purpose}"


class DisclosureKind(models.TextChoices):
    REQUEST = "request", _("information request")
    ANSWER = "answer", _("answer to an information request")
    AGREEMENT = "agreement", _("sharing agreement")


class Disclosure(models.Model):
    """Case data that went from one party to another, with purpose and legal basis.

    ``request`` and ``agreement`` disclosures go from the mechanism to ``agency`` and give that
    agency's members access to exactly ``categories`` until ``ends_at``; an ``answer`` goes from
    ``agency`` to the mechanism and grants nothing.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disclosures")
    kind = models.CharField(_("kind"), max_length=10, choices=DisclosureKind.choices)
    agency = models.ForeignKey("mechanisms.Agency", on_delete=models.PROTECT, related_name="disclosures")
    categories = models.JSONField(_("categories"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    information_request = models.ForeignKey("cases.InformationRequest", null=True, blank=True,
                                            on_delete=models.CASCADE, related_name="disclosures")
    agreement = models.ForeignKey(SharingAgreement, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="disclosures")
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    disclosed_at = models.DateTimeField(_("disclosed at"))
    ends_at = models.DateTimeField(_("access ends at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-disclosed_at", "-id"]
        indexes = [models.Index(fields=["agency", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.agency} · {self.disclosed_at:%Y-%m-%d}"


class BreakGlassReview(models.TextChoices):
    JUSTIFIED = "justified", _("Justified")
    NOT_JUSTIFIED = "not_justified", _("Not justified")


class BreakGlass(models.Model):
    """Emergency access to a case outside the rules: a written reason, a time limit, a DPO review."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="break_glass")
    mechanism = models.ForeignKey("mechanisms.Mechanism", on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"))
    opened_at = models.DateTimeField(_("opened at"))
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review = models.CharField(_("review"), max_length=20, choices=BreakGlassReview.choices, blank=True)
    review_note = EncryptedCharField(_("review note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.case} · {self.opened_at:%Y-%m-%d %H:%M}"


# --- retention: legal holds, erasures and the DPO's access reviews (DESIGN.md §4) -------------------
# Written only by ``ura.governance.retention`` and ``ura.governance.dpo``.


class LegalHold(models.Model):
    """A case that must not be erased (an inquiry, a court case) until the DPO lifts the hold.

    At most one hold per case is in force (``lifted_at`` empty); lifted holds stay as history.
    """

    vault_id = vault_id()  # the row identity its sealed reasons are bound to
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    reason = EncryptedCharField(_("reason for the hold"), max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed at"))
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = EncryptedCharField(_("reason for lifting the hold"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(lifted_at__isnull=True),
                                               name="legalhold_one_in_force")]

    def __str__(self) -> str:
        return f"{self.case} · {self.placed_at:%Y-%m-%d}"


class ErasureKind(models.TextChoices):
    RETENTION = "retention", _("Retention period ended")
    REQUEST = "request", _("Erasure requested by the person")


class Erasure(models.Model):
    """That a case's personal data was erased, when and why; nothing about the person.

    What is left of the case is the anonymous skeleton the statistics need.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="erasure")
    kind = models.CharField(_("why"), max_length=10, choices=ErasureKind.choices)
    erased_at = models.DateTimeField(_("erased at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"


class AccessReviewMark(models.Model):
    """The DPO looked at one flag of the access review (``ura.governance.dpo``) and noted why it is fine,
    or what was done. ``flag`` names the rule and what it points at, e.g. ``many_reads:12:31:2026-11-27``."""

    mechanism = models.ForeignKey("mechanisms.Mechanism", on_delete=models.PROTECT, related_name="+")
    flag = models.CharField(max_length=120)
    note = models.CharField(_("note"), max_length=500)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("access review mark")
        verbose_name_plural = _("access review marks")
        constraints = [models.UniqueConstraint(fields=["mechanism", "flag"], name="accessreview_one_mark")]

    def __str__(self) -> str:
        return self.flag
