"""Synthetic referred persons and what was reported about them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from typing import Any

from ura.cases.models import ConcernType, SourceSector, Track
from ura.mechanisms.demo import texts
from ura.mechanisms.demo.bodies import MechanismSpec
from ura.mechanisms.demo.names import Name, make_name
from ura.people.models import DatePrecision

PREVENTION_SECTORS = {
    SourceSector.EDUCATION: 35, SourceSector.FAMILY: 14, SourceSector.POLICE: 10, SourceSector.SOCIAL: 10,
    SourceSector.HEALTH: 6, SourceSector.COMMUNITY: 8, SourceSector.RELIGIOUS: 6, SourceSector.CSO: 5,
    SourceSector.OTHER: 4,
}
REINTEGRATION_SECTORS = {SourceSector.JUSTICE: 50, SourceSector.POLICE: 35, SourceSector.SOCIAL: 15}
CONCERN_TYPES = {
    "XK": {ConcernType.RELIGIOUS: 70, ConcernType.ETHNO_NATIONALIST: 22, ConcernType.OTHER: 8},
    "MK": {ConcernType.RELIGIOUS: 55, ConcernType.ETHNO_NATIONALIST: 35, ConcernType.OTHER: 10},
    "RS": {ConcernType.RELIGIOUS: 50, ConcernType.ETHNO_NATIONALIST: 35, ConcernType.RIGHT_WING: 5,
           ConcernType.OTHER: 10},
    "DK": {ConcernType.RELIGIOUS: 40, ConcernType.RIGHT_WING: 35, ConcernType.LEFT_WING: 10,
           ConcernType.OTHER: 15},
    "AL": {ConcernType.RELIGIOUS: 60, ConcernType.ETHNO_NATIONALIST: 10, ConcernType.OTHER: 30},
}


@dataclass
class Household:
    """A returnee family: the members share a name, an address and a guardian."""

    mother: Name
    family: str
    community: str
    cyrillic: bool
    address: str
    place: str
    guardian: str
    guardian_contact: str
    children_left: int = 0


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _phone(rng: random.Random, spec: MechanismSpec) -> str:
    return f"{spec.phone_prefix}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _national_id(rng: random.Random, spec: MechanismSpec, born: dt.date) -> str:
    if spec.id_style == "xk":
        return str(rng.randint(1_000_000_000, 1_299_999_999))
    if spec.id_style in ("jmbg", "embg"):
        region = "91" if spec.id_style == "jmbg" else "45"
        return f"{born:%d%m}{born.year % 1000:03d}{region}{rng.randint(0, 999):03d}{rng.randint(0, 9)}"
    if spec.id_style == "cpr":
        return f"{born:%d%m%y}-{rng.randint(1000, 9999)}"
    decade = "IJKLMN"[min(5, max(0, (born.year - 1980) // 10))]
    return f"{decade}{rng.randint(10_000_000, 99_999_999)}{rng.choice('ABCDEFGH')}"


def _age(rng: random.Random, track: str, in_household: bool) -> int:
    if track == Track.REINTEGRATION:
        return rng.randint(4, 16) if in_household else rng.randint(21, 46)
    roll = rng.random()
    if roll < 0.55:
        return rng.randint(13, 17)
    if roll < 0.85:
        return rng.randint(18, 25)
    return rng.randint(26, 44)


def _community(rng: random.Random, spec: MechanismSpec) -> tuple[str, bool]:
    community, _weight, cyrillic = rng.choices(spec.communities, weights=[c[1] for c in spec.communities])[0]
    return community, rng.random() < cyrillic


def make_person(rng: random.Random, spec: MechanismSpec, *, referred_on: dt.date, track: str,
                household: Household | None, mother: bool = False) -> dict[str, Any]:
    """The Person fields of one referred person, as a referral form would fill them.

    In a ``household`` the person is one of the children, or with ``mother`` the mother herself.
    """
    if household is not None and mother:
        name = household.mother
    elif household is not None:
        name = make_name(rng, household.community, family=household.family, cyrillic=household.cyrillic)
    else:
        community, cyrillic = _community(rng, spec)
        sex = rng.choices("fm", weights=(60, 40))[0] if track == Track.REINTEGRATION else \
            rng.choices("fm", weights=(25, 75))[0]
        name = make_name(rng, community, sex=sex, cyrillic=cyrillic)
    age = _age(rng, track, household is not None and not mother)
    born = referred_on - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    precision = rng.choices([DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.UNKNOWN],
                            weights=(84, 4, 9 if track == Track.REINTEGRATION else 4, 3))[0]
    if precision == DatePrecision.MONTH:
        born = born.replace(day=1)
    elif precision == DatePrecision.YEAR:
        born = born.replace(month=1, day=1)
    person: dict[str, Any] = {
        "given_name": name.given, "family_name": name.family, "father_name": name.father,
        "birth_date": None if precision == DatePrecision.UNKNOWN else born, "birth_date_precision": precision,
        "sex": name.sex,
        "place": household.place if household else rng.choice(spec.places),
        "address": household.address if household else f"{rng.choice(spec.streets)} {rng.randint(1, 120)}",
        "phone": "" if age < 14 else _phone(rng, spec),
        "national_id": "" if rng.random() < 0.2 else _national_id(rng, spec, born),
    }
    if age < 18:
        if household is not None:
            person.update(guardian_name=household.guardian, guardian_relationship="mother",
                          guardian_contact=household.guardian_contact)
        else:
            parent = make_name(rng, name.community, family=name.family_base, sex=rng.choice("mf"),
                               cyrillic=name.cyrillic)
            if parent.sex == "m" and name.father:
                parent = replace(parent, given=name.father)
            person.update(guardian_name=parent.full,
                          guardian_relationship="mother" if parent.sex == "f" else "father",
                          guardian_contact=_phone(rng, spec))
    return person


def new_household(rng: random.Random, spec: MechanismSpec) -> Household:
    community, cyrillic = _community(rng, spec)
    mother = make_name(rng, community, sex="f", cyrillic=cyrillic)
    return Household(mother=mother, family=mother.family_base, community=community, cyrillic=cyrillic,
                     address=f"{rng.choice(spec.streets)} {rng.randint(1, 120)}", place=rng.choice(spec.places),
                     guardian=mother.full, guardian_contact=_phone(rng, spec), children_left=rng.randint(1, 3))


def make_referral(rng: random.Random, spec: MechanismSpec, *, track: str) -> dict[str, Any]:
    """What the referrer reported (the referrer's identity is chosen by the story)."""
    if track == Track.REINTEGRATION:
        concern, indicators = rng.choice(texts.REINTEGRATION_CONCERNS)
        sector, concern_type = _pick(rng, REINTEGRATION_SECTORS), ConcernType.RELIGIOUS
    else:
        concern_type = _pick(rng, CONCERN_TYPES[spec.country])
        concern, indicators = rng.choice(texts.CONCERNS[concern_type])
        sector = _pick(rng, PREVENTION_SECTORS)
    return {"source_sector": sector, "concern_type": concern_type, "concern": concern,
            "indicators": list(indicators), "track": track, "immediate_danger": False}
