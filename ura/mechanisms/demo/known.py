"""Two referrals of people the demo already knows, for "is this person already known?":

- in Gjilan, a person whose earlier case is closed is referred again, the name typed without
  its diacritics: the coordinator finds the earlier record and decides whether it is the same;
- in Novi Pazar, a person known in Kumanovo is referred in Serbian Cyrillic: the Novi Pazar
  coordinator learns only that Kumanovo may have a prior record, and whom to ask.

Both arrive today, in the referral stage, through the same service as any referral.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ura.accounts.models import User
from ura.cases.models import Case
from ura.cases.services import referral_submit
from ura.mechanisms.demo.bodies import username
from ura.mechanisms.demo.names import serbian_cyrillic
from ura.mechanisms.models import Mechanism
from ura.people.models import Person

CONCERN = {"source_sector": "education", "concern_type": "religious", "indicators": ["material"],
           "concern": "A teacher reports that the pupil again shares videos praising violence.",
           "immediate_danger": False}


def _plain(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def _identity(p: Person, **names: str) -> dict[str, Any]:
    return {"given_name": names.get("given", p.given_name), "family_name": names.get("family", p.family_name),
            "father_name": names.get("father", p.father_name), "birth_date": p.birth_date,
            "birth_date_precision": p.birth_date_precision, "sex": p.sex, "place": p.place}


def _refer(slug: str, person: dict[str, Any], key: str) -> None:
    mechanism = Mechanism.objects.get(slug=slug)
    referrer = User.objects.get(username=username("referrer", slug))
    referral_submit(actor=referrer, mechanism=mechanism, person=person, referral=dict(CONCERN),
                    submission_key=f"demo-known-{key}")


def play(created: list[str]) -> None:
    if "gjilan" in created:
        earlier = (Case.objects.filter(mechanism__slug="gjilan", stage="closed", person__birth_date__isnull=False)
                   .select_related("person").order_by("referred_on", "id").first())
        if earlier is not None:
            p = earlier.person
            _refer("gjilan", _identity(p, given=_plain(p.given_name), family=_plain(p.family_name)), "gjilan")
    if "novi-pazar" in created and Mechanism.objects.filter(slug="kumanovo").exists():
        known = (Case.objects.filter(mechanism__slug="kumanovo", person__birth_date__isnull=False)
                 .select_related("person").order_by("referred_on", "id").first())
        if known is not None:
            p = known.person
            _refer("novi-pazar", _identity(p, given=serbian_cyrillic(_plain(p.given_name)),
                                          family=serbian_cyrillic(_plain(p.family_name)),
                                          father=serbian_cyrillic(_plain(p.father_name))), "novi-pazar")
