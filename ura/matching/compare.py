"""Field-by-field comparison of two identity records into agreement levels.

Each comparator returns a level: 0 is the strongest agreement, higher is weaker, the last
level is disagreement, and ``None`` means one side is missing (the field then says nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


@lru_cache(maxsize=1_000_000)
def jaro_winkler(a: str, b: str) -> float:
    """Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4)."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    flags_b = [False] * lb
    matched_a: list[str] = []
    for i, ch in enumerate(a):
        lo, hi = max(0, i - window), min(lb, i + window + 1)
        for j in range(lo, hi):
            if not flags_b[j] and b[j] == ch:
                flags_b[j] = True
                matched_a.append(ch)
                break
    m = len(matched_a)
    if not m:
        return 0.0
    matched_b = [b[j] for j in range(lb) if flags_b[j]]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) // 2
    jaro = (m / la + m / lb + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def name_similarity(a: str, b: str) -> float:
    """Similarity of two normalised names; a name that is one word of the other counts high."""
    sim = jaro_winkler(a, b)
    if sim < 1.0 and (" " in a or " " in b):
        wa, wb = a.split(), b.split()
        best = max(jaro_winkler(x, y) for x in wa for y in wb)
        # "ana marija" against "ana": the shorter is part of the longer.
        sim = max(sim, min(best, 0.95))
    return sim


def name_level(a: str, b: str) -> int | None:
    """0 same, 1 very close (a typo), 2 similar, 3 different."""
    if not a or not b:
        return None
    if a == b:
        return 0
    sim = name_similarity(a, b)
    if sim >= 0.92:
        return 1
    if sim >= 0.80:
        return 2
    return 3


@dataclass(frozen=True)
class BirthDate:
    """A date of birth at its precision: month and day are 0 when not known."""

    year: int
    month: int = 0
    day: int = 0


def date_level(a: BirthDate | None, b: BirthDate | None) -> int | None:
    """0 same full date; 1 agree as far as both are known; 2 one slip (a digit, day and month
    swapped, a year off by one); 3 different."""
    if a is None or b is None:
        return None
    if a.year == b.year:
        if a.month and b.month and a.month != b.month:
            if a.day and b.day and a.month == b.day and a.day == b.month:
                return 2
            return 2 if a.day and a.day == b.day else 3
        if a.day and b.day:
            if a.day == b.day:
                return 0
            return 2 if _one_digit_apart(a.day, b.day) else 3
        return 1
    if (abs(a.year - b.year) == 1 or _one_digit_apart(a.year, b.year)) and (a.month, a.day) == (b.month, b.day):
        return 2
    return 3


def _one_digit_apart(x: int, y: int) -> bool:
    sx, sy = f"{x:02d}", f"{y:02d}"
    if len(sx) != len(sy):
        return False
    diff = [i for i in range(len(sx)) if sx[i] != sy[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and sx[diff[0]] == sy[diff[1]] and sx[diff[1]] == sy[diff[0]]


def exact_level(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    return 0 if a == b else 1


def id_level(a: str, b: str) -> int | None:
    """0 same; 1 one character wrong or two neighbours swapped; 2 different."""
    if not a or not b:
        return None
    if a == b:
        return 0
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]):
            return 1
    return 2


def text_level(a: str, b: str) -> int | None:
    """Free text such as an address: 0 same, 1 close, 2 different."""
    if not a or not b:
        return None
    if a == b:
        return 0
    if jaro_winkler(a, b) >= 0.92:
        return 1
    wa, wb = set(a.split()), set(b.split())
    if len(wa & wb) / max(len(wa), len(wb)) > 0.6:
        return 1
    return 2


@dataclass(frozen=True)
class Record:
    """One identity, already normalised; empty strings and ``None`` mean unknown."""

    id: str
    given: str = ""
    family: str = ""
    father: str = ""
    birth: BirthDate | None = None
    sex: str = ""
    place: str = ""
    address: str = ""
    municipality: str = ""
    postal_code: str = ""
    national_id: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


# The fields, their comparators and their number of levels, in the order of a comparison vector.
FIELDS: tuple[tuple[str, int], ...] = (
    ("given_name", 4), ("family_name", 4), ("father_name", 4), ("date_of_birth", 4), ("sex", 2),
    ("place_of_birth", 3), ("address", 3), ("municipality", 2), ("postal_code", 2), ("national_id", 3),
)

Vector = tuple[int | None, ...]


def compare(a: Record, b: Record) -> Vector:
    """The comparison vector of two records. Given and family names are compared in the order
    that agrees best, so a record with the two names swapped still matches on both."""
    straight = (name_level(a.given, b.given), name_level(a.family, b.family))
    if straight != (0, 0) and a.given and a.family and b.given and b.family:
        swapped = (name_level(a.given, b.family), name_level(a.family, b.given))
        if sum(x for x in swapped if x is not None) < sum(x for x in straight if x is not None):
            straight = swapped
    return (
        *straight,
        name_level(a.father, b.father),
        date_level(a.birth, b.birth),
        exact_level(a.sex, b.sex),
        text_level(a.place, b.place),
        text_level(a.address, b.address),
        exact_level(a.municipality, b.municipality),
        exact_level(a.postal_code, b.postal_code),
        id_level(a.national_id, b.national_id),
    )
