"""What ``ura keys`` does: count values per key, rotate to a new key, retire an old one.

Rotation re-encrypts in batches, each its own short transaction over locked rows, so the
application keeps reading and writing throughout: a value is readable under its old key until
its batch commits and under the new key after. A rotation that is interrupted is finished by
running it again with ``--resume`` (no new key; only values not yet under the active key are touched).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction

from ura.vault import keyring
from ura.vault.crypto import key_id_of, open_, seal
from ura.vault.fields import ROW_FIELD, Sealed, encrypted_fields

BATCH = 200
Progress = Callable[[str, int, int], None]


def encrypted_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if encrypted_fields(m)]


@dataclass(frozen=True)
class Status:
    active: str
    keys: list[str]
    values: Counter[str]  # key id -> sealed values under it
    indexes: Counter[str]  # key id -> blind-index rows under it

    def uses(self, key_id: str) -> int:
        return self.values[key_id] + self.indexes[key_id]


def _sealed_values(model: type[models.Model]) -> Iterator[str]:
    names = [f.name for f in encrypted_fields(model)]
    for row in model._base_manager.values_list(*names).iterator(chunk_size=2000):
        yield from (v for v in row if v)


def status() -> Status:
    from ura.people.models import PersonKey

    ring = keyring.current()
    values: Counter[str] = Counter()
    for model in encrypted_models():
        values.update(key_id_of(v) for v in _sealed_values(model))
    indexes = Counter(dict(PersonKey.objects.values_list("key_id").annotate(n=models.Count("id"))
                           .values_list("key_id", "n")))
    return Status(active=ring.active, keys=list(ring.keys), values=values, indexes=indexes)


def key_add() -> str:
    """A new random key, made active; the others stay for reading. Returns its id."""
    import secrets

    ring = keyring.reload()
    key_id = keyring.new_key_id(ring.keys)
    keyring.write(keyring.Keyring(active=key_id, keys={**ring.keys, key_id: secrets.token_bytes(32)},
                                  source=ring.source, path=ring.path))
    return key_id


def _reseal_model(model: type[models.Model], active: str, progress: Progress | None) -> int:
    fields = encrypted_fields(model)
    names = [f.name for f in fields]
    label = model._meta.label_lower
    pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            rows = (model._base_manager.select_for_update().filter(pk__in=pks[start:start + BATCH])
                    .values_list("pk", ROW_FIELD, *names))
            for pk, row_id, *values in rows:
                update = {}
                for name, value in zip(names, values, strict=True):
                    if value and key_id_of(value) != active:
                        plain = open_(value, label=label, field=name, row=str(row_id))
                        update[name] = Sealed(seal(plain, label=label, field=name, row=str(row_id)))
                if update:
                    model._base_manager.filter(pk=pk).update(**update)
                    changed += 1
        if progress is not None:
            progress(label, min(start + BATCH, len(pks)), len(pks))
    return changed


def _reindex_persons(active: str, progress: Progress | None) -> int:
    from ura.people.keys import person_keys_refresh
    from ura.people.models import Person, PersonKey

    stale = list(PersonKey.objects.exclude(key_id=active).order_by("person_id")
                 .values_list("person_id", flat=True).distinct())
    for start in range(0, len(stale), BATCH):
        with transaction.atomic():
            for person in Person.objects.select_for_update().filter(pk__in=stale[start:start + BATCH]):
                person_keys_refresh(person)
        if progress is not None:
            progress("people.personkey", min(start + BATCH, len(stale)), len(stale))
    return len(stale)


def reseal_all(progress: Progress | None = None, *, passes: int = 5) -> Status:
    """Bring every sealed value and blind index under the active key. Values written meanwhile by a
    server that has not yet seen the new key are caught by the next pass."""
    for n in range(passes):
        active = keyring.reload().active
        shown = progress if n == 0 else None
        changed = sum(_reseal_model(m, active, shown) for m in encrypted_models())
        changed += _reindex_persons(active, shown)
        if not changed:
            break
    return status()


def key_rotate(progress: Progress | None = None, *, resume: bool = False) -> tuple[str, Status]:
    from ura.governance.audit import audit_record

    key_id = keyring.reload().active if resume else key_add()
    audit_record(actor=None, action="vault.key.rotation_started", data={"key": key_id, "resume": resume})
    st = reseal_all(progress)
    audit_record(actor=None, action="vault.key.rotated", data={
        "key": key_id, "values": st.values[key_id], "indexes": st.indexes[key_id],
        "left_under_older_keys": sum(st.uses(k) for k in st.keys if k != key_id)})
    return key_id, st


class StillInUse(Exception):
    pass


def key_retire(key_id: str) -> None:
    """Remove a key from the ring; refused while it is active or any value or index still uses it."""
    ring = keyring.reload()
    if key_id not in ring.keys:
        raise keyring.UnknownKey(key_id)
    if key_id == ring.active:
        raise StillInUse(f"{key_id} is the active key; rotate to a new key first.")
    used = status().uses(key_id)
    if used:
        raise StillInUse(f"{used} values or indexes still use {key_id}; run `ura keys rotate --resume` first.")
    keys = {k: v for k, v in ring.keys.items() if k != key_id}
    keyring.write(keyring.Keyring(active=ring.active, keys=keys, source=ring.source, path=ring.path))
    from ura.governance.audit import audit_record

    audit_record(actor=None, action="vault.key.retired", data={"key": key_id})
