"""Is this person already known? The check of a new referral against the persons already on record.

Candidates are found through the blind indexes (``PersonKey``): the referral's blocking keys are
hashed and looked up, so no identity field is opened to find them. Each candidate is then
compared field by field (``ura.matching.compare``) into a Fellegi–Sunter weight whose name
agreement counts more for a rare name than for a common one (the frequency of a name is read
from the blind indexes too). Nothing is decided here: the coordinator links, merges or dismisses.

What the policy lets the user open is shown with its explanation; a likely record in a mechanism
the user cannot open is told only as "possible prior record in mechanism X — contact its
coordinator", never shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ura.cases.models import Case
from ura.governance import policy
from ura.matching.compare import FIELDS, Record, Vector, compare
from ura.matching.linkage import blocking_keys
from ura.matching.model import FLOOR, Parameters
from ura.matching.models import MatchDecision, MatchParameters, Verdict
from ura.matching.normalise import tokens
from ura.mechanisms.models import Membership, Role
from ura.people.keys import person_record
from ura.people.models import KeyPurpose, Person, PersonKey
from ura.vault.crypto import blind_indexes

# A candidate is shown from this probability on; another mechanism's record is hinted at only
# when the match is strong (a hint discloses that the person is known there).
SHOW = 0.5
HINT = 0.9
# How many persons one referral is compared with at most, beyond those sharing a rare key: a
# blocking key shared by more persons than the budget allows (a frequent name without a birth
# date) is used only when no more specific key exists.
BUDGET = 60
FEW = 5
# A name borne by this many persons or more counts as common: its agreement weighs the same as
# any other common name's (the share is not refined further, which keeps the count cheap).
COMMON_NAME = 1000

FIELD_LABELS: dict[str, Promise] = {
    "given_name": _("given name"), "family_name": _("family name"), "father_name": _("father's name"),
    "date_of_birth": _("date of birth"), "sex": _("sex"), "place_of_birth": _("place of birth"),
    "address": _("address"), "municipality": _("municipality"), "postal_code": _("postal code"),
    "national_id": _("national identity number"),
}
# What each agreement level means, by number of levels of the field (strongest first).
LEVEL_LABELS: dict[int, tuple[Promise, ...]] = {
    4: (_("the same"), _("nearly the same"), _("similar"), _("different")),
    3: (_("the same"), _("nearly the same"), _("different")),
    2: (_("the same"), _("different")),
}
DATE_LABELS = (_("the same day"), _("agree as far as known"), _("one slip apart"), _("different"))


@dataclass(frozen=True)
class Agreement:
    field: str
    label: Promise
    level: int | None
    level_label: Promise | None
    bits: float

    @property
    def kind(self) -> str:
        if self.level is None:
            return "missing"
        return "for" if self.bits > 0 else "against"


@dataclass
class Candidate:
    person: Person
    cases: list[Case]
    weight: float
    probability: float
    agreements: list[Agreement]
    decision: MatchDecision | None = None

    @property
    def percent(self) -> int:
        # Never "100 %": a match weight is evidence, not certainty; the coordinator decides.
        return min(99, int(self.probability * 100))


@dataclass
class Elsewhere:
    """A likely earlier record in a mechanism the user cannot open: who to ask, nothing more."""

    mechanism: Any
    coordinators: list[Membership]


@dataclass
class Screening:
    case: Case
    candidates: list[Candidate] = field(default_factory=list)
    elsewhere: list[Elsewhere] = field(default_factory=list)
    decisions: list[MatchDecision] = field(default_factory=list)
    compared: int = 0


def current_parameters() -> Parameters:
    """The register's own m and u once ``ura match-params`` has learnt them, else the defaults.
    The prior share of matches among candidates stays the default's: screening compares blocked
    candidates, not all pairs."""
    cached = cache.get("ura:matching:parameters")
    if cached is None:
        latest = MatchParameters.objects.order_by("-estimated_at", "-id").first()
        cached = {"m": latest.m, "u": latest.u} if latest else {}
        cache.set("ura:matching:parameters", cached, 600)
    params = Parameters.defaults()
    if cached:
        params.m, params.u = cached["m"], cached["u"]
    return params


def _counts(wanted: list[tuple[str, str, int]]) -> dict[tuple[str, str], int]:
    """How many persons carry each (purpose, digest) blind index, each counted no further than its
    cap: the index is walked for at most ``cap`` entries, so a very common name costs no more than
    a rare one. One round trip to the database for all of them."""
    if not wanted:
        return {}
    table = connection.ops.quote_name(PersonKey._meta.db_table)
    one = (f"SELECT %s, %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE purpose = %s AND digest = %s "  # noqa: S608
           f"LIMIT %s) AS k)")
    sql = " UNION ALL ".join([one] * len(wanted))
    params = [x for purpose, digest, cap in wanted for x in (purpose, digest, purpose, digest, cap)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(purpose, digest): n for purpose, digest, n in cursor.fetchall()}


def person_count() -> int:
    """All persons on record (for name frequencies); counted at most every ten minutes."""
    n = cache.get("ura:matching:persons")
    if n is None:
        n = Person.objects.count()
        cache.set("ura:matching:persons", n, 600)
    return max(int(n), 1)


def candidate_ids(record: Record, *, exclude: set[int]) -> list[int]:
    """Persons sharing a blocking key with ``record``, found through the blind indexes only.

    Keys are taken from the most specific (fewest persons) on: every key shared by a handful of
    persons, then others while the candidates stay within ``BUDGET``. A frequent name without a
    birth date therefore does not bring in half the register; its specific keys (a date, a
    father's name, an identity number) still do."""
    keys = blocking_keys(record)
    if not keys:
        return []
    digests = [d for k in keys for d in blind_indexes(KeyPurpose.BLOCK, k)]
    found = _counts([(KeyPurpose.BLOCK, d, BUDGET + 1) for d in digests])
    counts = sorted((n, d) for (_p, d), n in found.items() if n)
    usable, total = [], 0
    for n, digest in counts:
        if n <= FEW or total + n <= BUDGET or not usable:
            usable.append(digest)
            total += n
    if not usable:
        return []
    ids = (PersonKey.objects.filter(purpose=KeyPurpose.BLOCK, digest__in=usable)
           .values_list("person_id", flat=True).distinct()[:BUDGET + FEW * len(usable) + len(exclude)])
    return [i for i in ids if i not in exclude]


def name_shares(record: Record) -> dict[str, float]:
    """For given and family name: the share of persons on record bearing it (its rarest word),
    from the blind indexes. A rare name agreeing says more than a common one."""
    wanted: dict[str, list[str]] = {}
    for fld, value in (("given_name", record.given), ("family_name", record.family)):
        for t in tokens(value):
            for d in blind_indexes(KeyPurpose.NAME, t):
                wanted.setdefault(d, []).append(fld)
    if not wanted:
        return {}
    found = _counts([(KeyPurpose.NAME, d, COMMON_NAME) for d in wanted])
    counts = [(d, n) for (_p, d), n in found.items() if n]
    total = person_count()
    shares: dict[str, float] = {}
    for digest, n in counts:
        for fld in wanted[digest]:
            share = n / total
            shares[fld] = min(shares.get(fld, 1.0), share)
    return shares


def score(params: Parameters, a: Record, b: Record, shares: dict[str, float]) -> tuple[float, Vector,
                                                                                         list[Agreement]]:
    """The weight of a pair, with the name-frequency adjustment, and each field's part in it."""
    vector = compare(a, b)
    agreements = []
    total = 0.0
    for (name, levels), level in zip(FIELDS, vector, strict=True):
        bits = 0.0 if level is None else params.bits(name, level)
        if level == 0 and name in shares:
            u = max(shares[name], FLOOR)
            bits = math.log2(max(params.m[name][0], FLOOR) / u)
        total += bits
        labels = DATE_LABELS if name == "date_of_birth" else LEVEL_LABELS[levels]
        agreements.append(Agreement(name, FIELD_LABELS[name], level,
                                    None if level is None else labels[level], round(bits, 1)))
    return total, vector, agreements


@dataclass(frozen=True)
class Scored:
    person: Person
    weight: float
    probability: float
    agreements: list[Agreement]


def rank(record: Record, *, exclude: set[int], params: Parameters | None = None) -> list[Scored]:
    """Every person on record sharing a blocking key with ``record``, scored, strongest first.
    This is the whole check of one referral against the register; the policy comes after."""
    params = params or current_parameters()
    ids = candidate_ids(record, exclude=exclude)
    if not ids:
        return []
    shares = name_shares(record)
    out = []
    for p in Person.objects.filter(pk__in=ids).select_related("mechanism"):
        weight, _vector, agreements = score(params, record, person_record(p), shares)
        out.append(Scored(p, weight, params.probability(weight), agreements))
    out.sort(key=lambda x: (-x.weight, x.person.pk))
    return out


def screen(user: Any, case: Case, *, params: Parameters | None = None) -> Screening:
    """The candidates for ``case``'s person that ``user`` may open, ranked, and the hints about
    other mechanisms. The caller has checked ``person.search`` and audits the read."""
    decisions = list(MatchDecision.objects.filter(case=case).select_related("candidate", "decided_by"))
    active = {d.candidate_id: d for d in decisions if d.active}
    merged_away = {d.person_id for d in decisions if d.active and d.verdict == Verdict.MERGED}
    person = case.person
    scored = rank(person_record(person), exclude={person.pk} | merged_away, params=params)
    result = Screening(case=case, decisions=decisions, compared=len(scored))
    if not scored:
        return result
    visible_cases: dict[int, list[Case]] = {}
    for c in (policy.cases_visible_to(user).filter(person_id__in=[x.person.pk for x in scored])
              .order_by("referred_on", "id")):
        visible_cases.setdefault(c.person_id, []).append(c)
    hints: dict[int, Any] = {}
    for x in scored:
        p = x.person
        if p.pk in visible_cases:
            if x.probability >= SHOW or p.pk in active:
                result.candidates.append(Candidate(p, visible_cases[p.pk], x.weight, x.probability, x.agreements,
                                                   active.get(p.pk)))
        elif x.probability >= HINT and p.mechanism_id != case.mechanism_id:
            hints.setdefault(p.mechanism_id, p.mechanism)
    if hints:
        coordinators: dict[int, list[Membership]] = {}
        for m in (Membership.objects.filter(mechanism_id__in=hints, role=Role.COORDINATOR, active=True)
                  .select_related("user", "agency").order_by("id")):
            coordinators.setdefault(m.mechanism_id, []).append(m)
        result.elsewhere = [Elsewhere(mech, coordinators.get(pk, [])) for pk, mech in sorted(hints.items())]
    return result


def pair_explanation(case: Case, candidate: Person) -> tuple[float, list[dict[str, Any]]]:
    """The weight and the field-by-field record kept with a decision (field names and levels only)."""
    record = person_record(case.person)
    weight, _vector, agreements = score(current_parameters(), record, person_record(candidate), name_shares(record))
    return weight, [{"field": a.field, "level": a.level, "bits": a.bits} for a in agreements]
