"""A mechanism with one person per persona, for tests (like the demo, but small and fast)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ura.accounts.models import User
from ura.cases.models import Case
from ura.cases.services import referral_submit
from ura.mechanisms.models import Agency, AgencyType, Mechanism, Role
from ura.mechanisms.services import agency_create, mechanism_create, membership_grant

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery"


@dataclass
class World:
    mechanism: Mechanism
    agencies: dict[str, Agency]
    coordinator: User
    referrer: User
    police: User
    provider: User
    chair: User
    panel: list[User]  # voting panel members, chair first
    analyst: User
    dpo: User
    admin: User
    extra: dict[str, Any] = field(default_factory=dict)

    def refer(self, *, by: User | None = None, minor: bool = False, **overrides: Any) -> Case:
        n = next(_counter)
        born = dt.date(2010, 3, 4) if minor else dt.date(1990, 5, 6)
        person = {"given_name": f"Arben{n}", "family_name": "Krasniqi", "birth_date": born,
                  "birth_date_precision": "day", "sex": "m", "place": self.mechanism.place}
        referral = {"source_sector": "education", "concern_type": "religious",
                    "concern": "Shares videos praising violence with classmates.", "indicators": ["material"]}
        referral.update(overrides)
        return referral_submit(actor=by or self.referrer, mechanism=self.mechanism, person=person,
                               referral=referral, submission_key=f"test-{n}-{timezone.now().timestamp()}")


def user(username: str, **kw: Any) -> User:
    u = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.org",
                                 first_name=kw.pop("first_name", username.split("-")[0].title()),
                                 last_name=kw.pop("last_name", "Tester"), **kw)
    return u


def make_world(template: str = "gjilan", slug: str | None = None) -> World:
    slug = slug or f"{template.replace('_', '-')}-{next(_counter)}"
    m = mechanism_create(actor=None, template=template, slug=slug, name=f"Mechanism {slug}", level="municipal",
                         country="XK", place="Gjilan")

    def agency(name: str, type_: str, **kw: Any) -> Agency:
        return agency_create(actor=None, mechanism=m, name=f"{name} ({slug})", type=type_, **kw)

    a = {
        "municipality": agency("Municipality", AgencyType.MUNICIPALITY),
        "school": agency("Secondary school", AgencyType.SCHOOL),
        "social": agency("Centre for social work", AgencyType.SOCIAL),
        "health": agency("Health centre", AgencyType.HEALTH),
        "police": agency("Police station", AgencyType.POLICE, votes_on_panel=False),
        "cso": agency("Youth CSO", AgencyType.CSO, votes_on_panel=False),
        "ministry": agency("Ministry", AgencyType.MINISTRY, votes_on_panel=False, secondary_actor=True),
    }

    def member(username: str, agency_key: str, role: str, **kw: Any) -> User:
        u = user(f"{username}-{slug}")
        membership_grant(actor=None, user=u, mechanism=m, agency=a[agency_key], role=role, **kw)
        return u

    chair = member("chair", "municipality", Role.PANEL_MEMBER, is_chair=True)
    panel = [chair, member("teacherpanel", "school", Role.PANEL_MEMBER),
             member("social", "social", Role.PANEL_MEMBER), member("doctor", "health", Role.PANEL_MEMBER)]
    return World(
        mechanism=m, agencies=a,
        coordinator=member("coord", "municipality", Role.COORDINATOR),
        referrer=member("teacher", "school", Role.REFERRER),
        police=member("police", "police", Role.POLICE_LIAISON),
        provider=member("mentor", "cso", Role.PROVIDER),
        chair=chair, panel=panel,
        analyst=member("analyst", "ministry", Role.ANALYST),
        dpo=member("dpo", "municipality", Role.DPO),
        admin=member("admin", "municipality", Role.ADMINISTRATOR),
    )
