"""Blind indexes of persons: what equality lookups and the identity matcher compare.

Every value is normalised first (``ura.matching.normalise``), so "Jovanović", "Jovanovic" and
"Јовановић" share a digest. Name search matches whole normalised tokens; the blocking keys are
exactly those of ``ura.matching.linkage.blocking_keys``, so candidate pairs can be found from
``PersonKey`` rows without opening any identity field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet

from ura.matching.linkage import blocking_keys, make_record
from ura.matching.normalise import normalise, tokens
from ura.people.models import DatePrecision, KeyPurpose, Person, PersonKey
from ura.vault.crypto import blind_index, blind_indexes

_ID_NOISE = re.compile(r"[\s\-/.]+")


def normalise_national_id(value: str) -> str:
    return _ID_NOISE.sub("", value).upper()


def _birth_text(person: Person) -> str:
    born, precision = person.birth_date, person.birth_date_precision
    if born is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{born:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{born:%Y-%m}"
    return born.isoformat()


def person_record(person: Person):  # type: ignore[no-untyped-def]
    """The matcher's view of a person (``ura.matching.compare.Record``)."""
    return make_record({"id": str(person.pk), "given_name": person.given_name, "family_name": person.family_name,
                        "father_name": person.father_name, "date_of_birth": _birth_text(person),
                        "sex": person.sex, "municipality": person.place, "address": person.address,
                        "national_id": person.national_id})


def key_values(person: Person) -> set[tuple[str, str]]:
    """(purpose, normalised value) pairs to index for a person."""
    out: set[tuple[str, str]] = set()
    for name in (person.given_name, person.family_name):
        out |= {(KeyPurpose.NAME.value, t) for t in tokens(normalise(name))}
    if person.national_id.strip():
        out.add((KeyPurpose.NATIONAL_ID.value, normalise_national_id(person.national_id)))
    out |= {(KeyPurpose.BLOCK.value, k) for k in blocking_keys(person_record(person))}
    return out


def person_keys_refresh(person: Person) -> None:
    """Replace a person's blind indexes with those of the current values under the active key.

    Call it in the transaction that creates or changes the person's identity fields."""
    rows = []
    for purpose, value in key_values(person):
        key_id, digest = blind_index(purpose, value)
        rows.append(PersonKey(person=person, purpose=purpose, key_id=key_id, digest=digest))
    with transaction.atomic():
        PersonKey.objects.filter(person=person).delete()
        PersonKey.objects.bulk_create(rows, ignore_conflicts=True)


def digests(purpose: str, value: str) -> list[str]:
    """The digests a stored key of ``value`` may have (one per key in the ring, during a rotation)."""
    return blind_indexes(purpose, value)


def persons_with(purpose: str, values: Iterable[str]) -> QuerySet[PersonKey]:
    """``person_id`` of persons having a key equal to any of the (already normalised) values."""
    wanted = [d for v in values for d in blind_indexes(purpose, v)]
    return PersonKey.objects.filter(purpose=purpose, digest__in=wanted).values("person_id")


def name_query(text: str, *, prefix: str = "") -> Q | None:
    """A filter for persons whose names contain every whole token of ``text`` (any script or
    spelling); ``None`` when the text has no name token. ``prefix`` reaches the person, e.g. "person__"."""
    words = tokens(normalise(text))
    if not words:
        return None
    condition = Q()
    for word in words:
        condition &= Q(**{f"{prefix}pk__in": persons_with(KeyPurpose.NAME, [word])})
    return condition


def national_id_query(text: str) -> QuerySet[PersonKey]:
    return persons_with(KeyPurpose.NATIONAL_ID, [normalise_national_id(text)])


def candidates_for(person: Person) -> QuerySet[PersonKey]:
    """``person_id`` of other persons sharing a blocking key with ``person``: the pairs the identity
    matcher should compare (``ura.matching.linkage.candidate_pairs``, without opening any name)."""
    mine = PersonKey.objects.filter(person=person, purpose=KeyPurpose.BLOCK).values("digest")
    return (PersonKey.objects.filter(purpose=KeyPurpose.BLOCK, digest__in=mine).exclude(person=person)
            .values("person_id").distinct())
