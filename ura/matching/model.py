"""Fellegi–Sunter match weights, with m and u probabilities estimated by EM.

For each field and agreement level, ``m`` is the chance of that level among pairs of records
of the same person and ``u`` among pairs of different people; the level adds
``log2(m / u)`` bits to the match weight. ``u`` is estimated from random pairs (almost all of
them are different people), ``m`` and the share of matches by expectation–maximisation over
the candidate pairs, both shrunk towards the defaults below so that a small or new register
still gets sensible weights. No labelled pairs are needed.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ura.matching.compare import FIELDS, Record, Vector, compare

# Defaults for a new installation: m per level (strongest agreement first), u per level.
DEFAULT_M: dict[str, tuple[float, ...]] = {
    "given_name": (0.85, 0.08, 0.04, 0.03), "family_name": (0.85, 0.08, 0.04, 0.03),
    "father_name": (0.85, 0.07, 0.03, 0.05), "date_of_birth": (0.75, 0.12, 0.08, 0.05),
    "sex": (0.97, 0.03), "place_of_birth": (0.8, 0.1, 0.1), "address": (0.6, 0.2, 0.2),
    "municipality": (0.85, 0.15), "postal_code": (0.85, 0.15), "national_id": (0.9, 0.05, 0.05),
}
DEFAULT_U: dict[str, tuple[float, ...]] = {
    "given_name": (0.01, 0.01, 0.05, 0.93), "family_name": (0.005, 0.005, 0.04, 0.95),
    "father_name": (0.02, 0.01, 0.05, 0.92), "date_of_birth": (0.0001, 0.02, 0.01, 0.9699),
    "sex": (0.5, 0.5), "place_of_birth": (0.05, 0.02, 0.93), "address": (0.0005, 0.005, 0.9945),
    "municipality": (0.05, 0.95), "postal_code": (0.01, 0.99), "national_id": (0.00001, 0.0005, 0.99949),
}
PRIOR_PAIRS = 50.0  # how many pairs' worth of belief the defaults carry against the data
FLOOR = 1e-5


@dataclass
class Parameters:
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    match_share: float = 0.01  # among candidate pairs

    @classmethod
    def defaults(cls) -> Parameters:
        return cls(m={k: list(v) for k, v in DEFAULT_M.items()}, u={k: list(v) for k, v in DEFAULT_U.items()})

    def bits(self, name: str, level: int) -> float:
        return math.log2(max(self.m[name][level], FLOOR) / max(self.u[name][level], FLOOR))

    def weight(self, vector: Vector) -> float:
        return sum(self.bits(name, lvl) for (name, _n), lvl in zip(FIELDS, vector, strict=True) if lvl is not None)

    def probability(self, weight: float) -> float:
        prior = math.log2(self.match_share / (1 - self.match_share))
        x = weight + prior
        if x > 60:
            return 1.0
        return 1.0 / (1.0 + 2.0 ** (-x))

    def explain(self, vector: Vector) -> list[tuple[str, int | None, float]]:
        """Per field: its agreement level (None when a side is missing) and the bits it adds."""
        return [(name, lvl, 0.0 if lvl is None else round(self.bits(name, lvl), 2))
                for (name, _n), lvl in zip(FIELDS, vector, strict=True)]


def _normalised(counts: Sequence[float]) -> list[float]:
    total = sum(counts)
    return [max(c / total, FLOOR) for c in counts]


def estimate_u(records: Sequence[Record], *, others: Sequence[Record] | None = None, samples: int = 20_000,
               seed: int = 1) -> dict[str, list[float]]:
    """u from random pairs: nearly all random pairs are different people."""
    rng = random.Random(seed)
    right = others if others is not None else records
    counts = {name: [PRIOR_PAIRS * p for p in DEFAULT_U[name]] for name, _n in FIELDS}
    if len(records) < 2 or not right:
        return {k: _normalised(v) for k, v in counts.items()}
    # In a small file, drawing more pairs than there are would count its duplicates over and over.
    distinct = len(records) * len(right) if others is not None else len(records) * (len(records) - 1) // 2
    for _ in range(min(samples, distinct)):
        a, b = rng.choice(records), rng.choice(right)
        if a is b:
            continue
        for (name, _n), lvl in zip(FIELDS, compare(a, b), strict=True):
            if lvl is not None:
                counts[name][lvl] += 1
    return {k: _normalised(v) for k, v in counts.items()}


def estimate_m(vectors: Iterable[Vector], u: dict[str, list[float]], *, ignore: Sequence[str] = (),
               rounds: int = 40) -> tuple[dict[str, list[float]], float]:
    """m and the share of matches among some pairs, by EM with u held at the random-pair u.

    The pairs must be chosen by agreement on the ``ignore`` fields only (e.g. all pairs born
    on the same day): among them the other fields of non-matches still agree as often as in
    random pairs, so u stays valid and EM has one clean split to find."""
    skip = {i for i, (name, _n) in enumerate(FIELDS) if name in ignore}
    patterns = Counter(tuple(None if i in skip else lvl for i, lvl in enumerate(v)) for v in vectors)
    params = Parameters(m={k: list(v) for k, v in DEFAULT_M.items()}, u=u, match_share=0.1)
    if not patterns:
        return params.m, 0.0
    for _ in range(rounds):
        counts = {name: [PRIOR_PAIRS * p for p in DEFAULT_M[name]] for name, _n in FIELDS}
        matched = 0.0
        total = 0
        for vector, n in patterns.items():
            g = params.probability(params.weight(vector))
            matched += g * n
            total += n
            for (name, _k), lvl in zip(FIELDS, vector, strict=True):
                if lvl is not None:
                    counts[name][lvl] += g * n
        share = min(max(matched / total, 1e-9), 0.999)
        change = abs(share - params.match_share)
        params = Parameters(m={k: _normalised(v) for k, v in counts.items()}, u=u, match_share=share)
        if change < 1e-6:
            break
    return params.m, params.match_share
