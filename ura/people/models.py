from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.models import Mechanism
from ura.vault.fields import EncryptedCharField, vault_id


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    OTHER = "x", _("Other or not stated")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Month and year only")
    YEAR = "year", _("Year only")
    UNKNOWN = "unknown", _("Unknown")


class Person(models.Model):
    """A referred person, as known to one mechanism. Names stay in the script they were written in."""

    vault_id = vault_id()  # the row identity its sealed values are bound to
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="persons")
    given_name = EncryptedCharField(_("given name"), max_length=120)
    family_name = EncryptedCharField(_("family name"), max_length=120)
    father_name = EncryptedCharField(_("father's name"), max_length=120, blank=True)
    # In clear, unlike the fields around them: the indicators compute age at referral, minors and age
    # bands, and count by sex and municipality, in database aggregates (ura/monitoring/queries.py).
    # Without a name or number they do not identify anyone; erasure coarsens the date (governance/retention.py).
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of date of birth"), max_length=10,
        choices=DatePrecision.choices, default=DatePrecision.UNKNOWN,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.OTHER)
    place = models.CharField(_("municipality or place"), max_length=120, blank=True)
    address = EncryptedCharField(_("address"), max_length=250, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    national_id = EncryptedCharField(_("national identity number"), max_length=40, blank=True)
    guardian_name = EncryptedCharField(_("parent or guardian"), max_length=200, blank=True)
    guardian_relationship = models.CharField(_("relationship to the person"), max_length=80, blank=True)
    guardian_contact = EncryptedCharField(_("guardian's contact"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None or self.birth_date_precision == DatePrecision.UNKNOWN:
            return None
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def is_minor_on(self, day: dt.date) -> bool | None:
        age = self.age_on(day)
        return None if age is None else age < 18


class KeyPurpose(models.TextChoices):
    NAME = "name", _("name token")
    NATIONAL_ID = "national_id", _("national identity number")
    BLOCK = "block", _("record-linkage blocking key")


class PersonKey(models.Model):
    """A keyed blind index (HMAC) of something about a person that lookups compare for equality:
    a normalised name token, the national id, a blocking key of the identity matcher.

    Written only by ``ura.people.keys``; the digests are recomputed by ``ura keys rotate``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys")
    purpose = models.CharField(max_length=20, choices=KeyPurpose.choices)
    key_id = models.CharField(max_length=40)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["purpose", "digest"], name="personkey_lookup")]
        constraints = [models.UniqueConstraint(fields=["person", "purpose", "key_id", "digest"],
                                               name="personkey_unique")]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.digest[:12]}"
