"""Mechanism templates: the rules of each system described in the paper, as data.

A mechanism is created from one of these and may then adjust its own copy of the
rules. Nothing in Ura branches on a template's name; it reads the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAJORITY = "majority"
CONSENSUS = "consensus"
CHAIR = "chair"

PREVENTION = "prevention"
REINTEGRATION = "reintegration"
GENERAL_POPULATION = "general_population"


@dataclass(frozen=True)
class Template:
    slug: str
    name: Promise
    source: Promise
    decision_rule: str
    # Quorum as a share of voting member agencies present, in percent.
    quorum_percent: int
    consent_required: bool
    police_identity_access: bool
    tracks: tuple[str, ...]
    post_exit_review_months: tuple[int, ...]
    # Retention of personal data after closure, in years, by how the case ended.
    retention_years_not_adopted: int
    retention_years_adopted: int
    high_risk_to_police: bool = True
    secondary_actors_aggregates_only: bool = False
    child_rights_safeguards: bool = False
    prison_visits: bool = False
    households: bool = False
    custody: bool = False
    handover: bool = False
    cases_optional: bool = False
    review_interval_weeks: int = 12
    notes: tuple[Promise, ...] = field(default_factory=tuple)


TEMPLATES: dict[str, Template] = {
    t.slug: t
    for t in (
        Template(
            slug="gjilan",
            name=_("Municipal referral mechanism (Gjilan model)"),
            source=_("Kosovo municipal referral mechanism, piloted in Gjilan in 2016"),
            decision_rule=MAJORITY,
            quorum_percent=50,
            consent_required=False,
            police_identity_access=True,
            tracks=(PREVENTION,),
            post_exit_review_months=(6,),
            retention_years_not_adopted=2,
            retention_years_adopted=5,
            high_risk_to_police=True,
        ),
        Template(
            slug="channel",
            name=_("Channel panel"),
            source=_("UK Channel model; Kosovo's Hani i Elezit pilot adds returnees and released prisoners"),
            decision_rule=CONSENSUS,
            quorum_percent=60,
            consent_required=True,
            police_identity_access=True,
            tracks=(PREVENTION, REINTEGRATION),
            post_exit_review_months=(6, 12),
            retention_years_not_adopted=3,
            retention_years_adopted=6,
        ),
        Template(
            slug="passage4prevent",
            name=_("Passage4prevent local mechanism"),
            source=_("North Macedonia, 2019, built on existing local mechanisms"),
            decision_rule=MAJORITY,
            quorum_percent=50,
            consent_required=True,
            police_identity_access=False,
            tracks=(PREVENTION,),
            post_exit_review_months=(6,),
            retention_years_not_adopted=2,
            retention_years_adopted=5,
        ),
        Template(
            slug="novi_pazar",
            name=_("City referral mechanism (Novi Pazar model)"),
            source=_("Serbia, Novi Pazar, 2018: primary and secondary actors"),
            decision_rule=CHAIR,
            quorum_percent=50,
            consent_required=True,
            police_identity_access=True,
            tracks=(PREVENTION,),
            post_exit_review_months=(6,),
            retention_years_not_adopted=2,
            retention_years_adopted=5,
            secondary_actors_aggregates_only=True,
            child_rights_safeguards=True,
        ),
        Template(
            slug="aarhus",
            name=_("Aarhus model"),
            source=_("Denmark, Aarhus: individual track and general-population track"),
            decision_rule=CHAIR,
            quorum_percent=50,
            consent_required=True,
            police_identity_access=True,
            tracks=(PREVENTION, REINTEGRATION, GENERAL_POPULATION),
            post_exit_review_months=(6, 12),
            retention_years_not_adopted=2,
            retention_years_adopted=5,
            prison_visits=True,
        ),
        Template(
            slug="dprrp",
            name=_("Central rehabilitation and reintegration division"),
            source=_("Kosovo Division for Prevention and Reintegration of Radicalised Persons (DPRRP)"),
            decision_rule=CHAIR,
            quorum_percent=50,
            consent_required=False,
            police_identity_access=True,
            tracks=(REINTEGRATION,),
            post_exit_review_months=(6, 12, 24),
            retention_years_not_adopted=5,
            retention_years_adopted=10,
            households=True,
            custody=True,
            handover=True,
            prison_visits=True,
        ),
        Template(
            slug="local_safety_council",
            name=_("Local safety council"),
            source=_("Albania's local safety councils and Kosovo's municipal safety councils"),
            decision_rule=MAJORITY,
            quorum_percent=50,
            consent_required=False,
            police_identity_access=True,
            tracks=(GENERAL_POPULATION, PREVENTION),
            post_exit_review_months=(6,),
            retention_years_not_adopted=2,
            retention_years_adopted=5,
            cases_optional=True,
        ),
    )
}
