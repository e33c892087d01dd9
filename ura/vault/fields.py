"""Model fields whose values are sealed in the database and plain on the model instance.

Reading: ``from_db_value`` keeps the stored text as a ``Sealed`` string; the field's descriptor
opens it on first access, with the instance's ``vault_id`` in the associated data, and caches
the plaintext on the instance. Writing: ``pre_save`` seals the plaintext for the row being saved.
A plaintext that reaches the database any other way (``QuerySet.update(field="...")``, a
``bulk_update``) has no row to be bound to and is refused, as are lookups other than equality
with the empty value: search goes through blind indexes (``ura.vault.crypto.blind_index``).

Empty values stay empty (``""``), so "nothing was written" remains visible and queryable.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core import checks
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from ura.vault.crypto import open_, seal

ROW_FIELD = "vault_id"
_LOOKUPS = frozenset({"exact", "isnull"})


def vault_id() -> models.UUIDField:
    """The stable per-row identifier that sealed values of a row are bound to (pks are not known
    before the insert). Add it as ``vault_id = vault_id()`` to every model with encrypted fields."""
    return models.UUIDField(default=uuid.uuid4, editable=False, unique=True)


class Sealed(str):
    """A value as stored in the database: ciphertext, not yet opened."""

    __slots__ = ()


class PlaintextRefused(ValueError):
    pass


class SealedAttribute(DeferredAttribute):
    """A data descriptor (unlike Django's DeferredAttribute), so that reads always pass through it."""

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            field: EncryptedMixin = self.field  # type: ignore[assignment]
            value = field.unseal(instance, value)
            instance.__dict__[field.attname] = value
        return value


class EncryptedMixin:
    """Shared by the encrypted field types; ``to_plain``/``from_plain`` convert to and from text."""

    descriptor_class = SealedAttribute
    encrypted = True
    attname: str
    name: str
    model: type[models.Model]

    def to_plain(self, value: Any) -> str:
        return str(value)

    def from_plain(self, text: str) -> Any:
        return text

    def get_internal_type(self) -> str:
        return "TextField"  # a sealed value is longer than its plaintext; max_length applies to the plaintext

    def unseal(self, instance: models.Model, sealed: str) -> Any:
        return self.from_plain(open_(sealed, label=instance._meta.label_lower, field=self.name,
                                     row=str(getattr(instance, ROW_FIELD))))

    def seal_for(self, instance: models.Model, value: Any) -> Sealed:
        return Sealed(seal(self.to_plain(value), label=instance._meta.label_lower, field=self.name,
                           row=str(getattr(instance, ROW_FIELD))))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or value == "" or isinstance(value, Sealed):
            return value  # a Sealed value was read from this very row and not changed
        return self.seal_for(model_instance, value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return Sealed(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, Sealed):
            return None if value is None else str(value)
        raise PlaintextRefused(
            f"{self.model._meta.label}.{self.name} is encrypted: write it through the model's save(), "
            "search it through a blind index.")

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in _LOOKUPS:
            return None  # Django then reports "Unsupported lookup"; a LIKE over ciphertext finds nothing
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)  # type: ignore[misc]
        if not any(f.name == ROW_FIELD for f in self.model._meta.local_fields):
            errors.append(checks.Error(f"{self.model._meta.label} has encrypted fields but no {ROW_FIELD}.",
                                       hint="Add `vault_id = vault_id()` from ura.vault.fields.",
                                       obj=self, id="ura.vault.E001"))
        return errors


class EncryptedCharField(EncryptedMixin, models.CharField):  # type: ignore[misc]
    description = _("Encrypted text (up to %(max_length)s characters)")


class EncryptedTextField(EncryptedMixin, models.TextField):  # type: ignore[misc]
    description = _("Encrypted text")


class EncryptedJSONField(EncryptedMixin, models.TextField):  # type: ignore[misc]
    """A JSON document, sealed as a whole (e.g. a stored API answer that contains names)."""

    description = _("Encrypted JSON")

    def to_plain(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))

    def from_plain(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        return value

    def formfield(self, **kwargs: Any) -> Any:
        return None


def encrypted_fields(model: type[models.Model]) -> list[EncryptedMixin]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
