"""Linking two lists of identities, or finding duplicates inside one.

Blocking keys are functions of normalised values only (a sound key of a name, a birth year,
a postcode), so that once identity fields are encrypted each key can be stored as an HMAC
blind index and candidates found without decrypting the register.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ura.matching.compare import BirthDate, Record, Vector, compare
from ura.matching.model import Parameters, estimate_m, estimate_u
from ura.matching.normalise import name_key, normalise

MAX_BLOCK = 400  # a block larger than this says little; its pairs are left to the other keys

_DATE = re.compile(r"^\s*(\d{4})(?:[-/.]?(\d{1,2})(?:[-/.]?(\d{1,2}))?)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\.?\s*$")


def parse_date(text: str) -> BirthDate | None:
    """YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD (and the region's DD.MM.YYYY); None if empty.

    Raises ValueError for a value that is not a date."""
    text = text.strip()
    if not text:
        return None
    found = _DATE.match(text)
    if found:
        y, mo, d = (int(g) if g else 0 for g in found.groups())
    else:
        dmy = _DMY.match(text)
        if not dmy:
            raise ValueError(text)
        d, mo, y = (int(g) for g in dmy.groups())
    if mo and not 1 <= mo <= 12:
        raise ValueError(text)
    if d:
        dt.date(y, mo, d)  # raises ValueError for 31 February
    return BirthDate(y, mo, d)


_SEX = {"m": "m", "male": "m", "f": "f", "female": "f", "ž": "f", "z": "f", "muški": "m", "ženski": "f",
        "mashkull": "m", "femër": "f", "femer": "f", "м": "m", "ж": "f"}


def make_record(row: dict[str, str]) -> Record:
    """A record from the recognised columns of one input row (already validated)."""
    given = normalise(row.get("given_name", ""))
    family = normalise(row.get("family_name", ""))
    return Record(
        id=row["id"], given=given, family=family, father=normalise(row.get("father_name", "")),
        birth=parse_date(row.get("date_of_birth", "")),
        sex=_SEX.get(row.get("sex", "").strip().lower(), ""),
        place=normalise(row.get("place_of_birth", "")), address=normalise(row.get("address", "")),
        municipality=normalise(row.get("municipality", "")),
        postal_code=re.sub(r"\s+", "", row.get("postal_code", "")).upper(),
        national_id=re.sub(r"[\s\-/.]+", "", row.get("national_id", "")).upper(),
    )


def blocking_keys(r: Record) -> set[str]:
    """The keys under which a record is filed; two records are compared if they share one."""
    g, f = name_key(r.given), name_key(r.family)
    year = str(r.birth.year) if r.birth else ""
    full = f"{r.birth.year}-{r.birth.month}-{r.birth.day}" if r.birth and r.birth.day else ""
    keys = set()
    if g and f:
        pair = "|".join(sorted((g, f)))  # either order: swapped names share the key
        if year:
            keys.add(f"gf{pair}|{year}")
        keys.add(f"gf{pair}")
    if full:
        if f:
            keys.add(f"fd{f}|{full}")
        if g:
            keys.add(f"gd{g}|{full}")
        if r.postal_code:
            keys.add(f"pd{r.postal_code}|{full}")
    if r.father:
        if f:
            keys.add(f"ff{f}|{name_key(r.father)}|{year}")
        if g:
            keys.add(f"gp{g}|{name_key(r.father)}|{year}")
    if r.national_id:
        keys.add(f"id{r.national_id}")
    return keys


def _index(records: Sequence[Record], keys: Callable[[Record], set[str]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for k in keys(r):
            index[k].append(i)
    return index


def candidate_pairs(left: Sequence[Record], right: Sequence[Record] | None,
                    keys: Callable[[Record], set[str]] = blocking_keys) -> set[tuple[int, int]]:
    """Index pairs (i in left, j in right) sharing a key; with one list, i < j."""
    li = _index(left, keys)
    pairs: set[tuple[int, int]] = set()
    if right is None:
        for members in li.values():
            if len(members) > MAX_BLOCK:
                continue
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    pairs.add((i, j))
        return pairs
    ri = _index(right, keys)
    for k, members in li.items():
        others = ri.get(k)
        if not others or len(members) * len(others) > MAX_BLOCK * MAX_BLOCK // 2:
            continue
        for i in members:
            for j in others:
                pairs.add((i, j))
    return pairs


def _born_same_day(r: Record) -> set[str]:
    return {f"{r.birth.year}-{r.birth.month}-{r.birth.day}"} if r.birth and r.birth.day else set()


def _same_names(r: Record) -> set[str]:
    return {"|".join(sorted((r.given, r.family)))} if r.given and r.family else set()


def _vectors(left: Sequence[Record], right: Sequence[Record] | None, keys: Callable[[Record], set[str]],
             limit: int = 200_000) -> tuple[list[Vector], int]:
    """The comparison vectors of (a sample of) the pairs sharing a key, and how many pairs there are."""
    pairs = sorted(candidate_pairs(left, right, keys))
    total = len(pairs)
    if total > limit:
        pairs = random.Random(5).sample(pairs, limit)
    other = left if right is None else right
    return [compare(left[i], other[j]) for i, j in pairs], total


def estimate_parameters(left: Sequence[Record], right: Sequence[Record] | None = None) -> Parameters:
    """Fellegi–Sunter parameters for these records, learnt from them without labels.

    u comes from random pairs. m for every field but the date comes from EM over the pairs
    born on the same day, and m for the date from EM over the pairs with the same names:
    in each set the non-matches are random on the fields being learnt (sex follows the given
    name and a father's name the community, so neither is learnt from the second set). The share of matches
    among all pairs follows from the second set and how often matches keep both names."""
    u = estimate_u(left, others=right)
    m, _share = estimate_m(_vectors(left, right, _born_same_day)[0], u, ignore=("date_of_birth",))
    named, named_total = _vectors(left, right, _same_names)
    m_named, share_named = estimate_m(named, u, ignore=("given_name", "family_name", "sex", "father_name"))
    m["date_of_birth"] = m_named["date_of_birth"]
    total_pairs = len(left) * len(right) if right is not None else len(left) * (len(left) - 1) / 2
    keep_names = m["given_name"][0] * m["family_name"][0]
    matches = share_named * named_total / max(keep_names, 0.05) if named else 0.0
    # At least one match in ten thousand records, so that a tiny file still has a prior.
    matches = max(matches, 1.0, (len(left) + len(right or ())) / 10_000)
    return Parameters(m=m, u=u, match_share=min(matches / max(total_pairs, 1), 0.5))


@dataclass(frozen=True)
class Pair:
    left: Record
    right: Record
    vector: Vector
    weight: float
    probability: float


def link(left: Sequence[Record], right: Sequence[Record] | None = None, *, threshold: float = 0.9,
         one_to_one: bool = True, params: Parameters | None = None,
         progress: Callable[[int, int], None] | None = None) -> tuple[list[Pair], Parameters]:
    """Pairs at or above ``threshold`` probability, best first.

    With ``right`` None, duplicates within ``left``; otherwise links between the two lists,
    each record in at most one pair when ``one_to_one``. Parameters are estimated from the
    data unless given."""
    candidates = sorted(candidate_pairs(left, right))
    other = left if right is None else right
    vectors: list[Vector] = []
    for n, (i, j) in enumerate(candidates):
        vectors.append(compare(left[i], other[j]))
        if progress is not None and n % 20_000 == 0:
            progress(n, len(candidates))
    if progress is not None:
        progress(len(candidates), len(candidates))
    if params is None:
        params = estimate_parameters(left, right)
    weights: dict[Vector, float] = {}
    pairs = []
    for (i, j), vector in zip(candidates, vectors, strict=True):
        w = weights.get(vector)
        if w is None:
            w = weights[vector] = params.weight(vector)
        p = params.probability(w)
        if p >= threshold:
            pairs.append(Pair(left[i], other[j], vector, w, p))
    pairs.sort(key=lambda p: (-p.weight, p.left.id, p.right.id))
    if right is not None and one_to_one:
        pairs = list(_one_to_one(pairs))
    return pairs, params


def _one_to_one(pairs: list[Pair]) -> Iterator[Pair]:
    """Greedy best-first assignment: each record keeps its strongest pair."""
    used_left: set[int] = set()
    used_right: set[int] = set()
    for p in pairs:
        a, b = id(p.left), id(p.right)
        if a in used_left or b in used_right:
            continue
        used_left.add(a)
        used_right.add(b)
        yield p
