"""The indicators of DESIGN.md §6 as data: which tables a report has, their rows, and how the
figures in them add up (the sums that secondary suppression must protect).

A figure is named by a *ref*, ``"table.row"``. Counts come from ``queries``; a few refs are
computed here from others (``COMPLEMENTS``): they are never shown, but they take part in the
sums, so that no unpublished difference of two published figures is a small number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ura.cases.models import ConcernType, SourceSector
from ura.mechanisms.models import AgencyType
from ura.panels.models import DECISION_OUTCOMES, REVIEW_OUTCOMES, Outcome
from ura.people.models import Sex
from ura.support.models import FundingSource, InterventionStatus

from .models import ActivityKind, Audience


@dataclass(frozen=True)
class RowDef:
    key: str
    label: Promise | str
    # count: a count of people or their cases (suppressed); total: the table's total (a count);
    # subtotal: a count that is the sum of other rows; number: a count about the mechanism's own
    # work, not about referred persons (never suppressed); money: the amount ``of[0]``; mean:
    # ``of[0]`` / ``of[1]``; rate: ``of[0]`` / ``of[1]`` in percent. Amounts are hidden with their
    # ``BASIS``, means and rates with any figure they divide.
    kind: str = "count"
    of: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableDef:
    key: str
    title: Promise
    unit: Promise
    rows: tuple[RowDef, ...]
    # The ref of the total these rows add up to (rows of kind "count" only), if any.
    total: str | None = None
    section: str = "referrals"
    year_only: bool = False
    note: Promise | str = ""
    chart: str = "bars"  # bars, trend, none

    @property
    def parts(self) -> list[str]:
        return [f"{self.key}.{r.key}" for r in self.rows if r.kind == "count"]


def _rows(choices: list[tuple[str, Promise]]) -> tuple[RowDef, ...]:
    return tuple(RowDef(value, label) for value, label in choices)


AGE_BANDS: tuple[tuple[str, Promise, int, int], ...] = (
    ("under_15", _("Under 15"), 0, 15),
    ("15_17", _("15 to 17"), 15, 18),
    ("18_24", _("18 to 24"), 18, 25),
    ("25_39", _("25 to 39"), 25, 40),
    ("40_plus", _("40 and over"), 40, 200),
)
SCREENING_OUTCOMES = (
    ("case_review", _("Accepted for case review")),
    ("signposted", _("Signposted to another service")),
    ("no_further_action", _("No further action")),
    ("police_led", _("Handed to the police")),
    ("pending", _("Still being screened")),
)
FLOWS = {
    "returns": ("review_return",),
    "onward": ("refer_onward", "panel_refer_elsewhere", "review_refer_onward"),
    "escalations": ("escalate", "panel_escalate", "review_escalate"),
}
TTD_BANDS = (("0_30", _("Within 30 days"), 0, 30), ("31_60", _("31 to 60 days"), 31, 60),
             ("61_90", _("61 to 90 days"), 61, 90), ("91_plus", _("More than 90 days"), 91, None))

REFERRALS = "referrals.all"
INTERVENTIONS = "interventions.all"


def tables(intervention_types: list[tuple[str, str]]) -> tuple[TableDef, ...]:
    """Every table of a report. ``intervention_types`` is the catalogue as (code, name)."""
    return (
        TableDef("referrals", _("Referrals received"), _("referrals"), (RowDef("all", _("Referrals"), "total"),),
                 chart="trend"),
        TableDef("sector", _("Referrals by source sector"), _("referrals"), _rows(SourceSector.choices),
                 total=REFERRALS),
        TableDef("age", _("Referrals by age at referral"), _("referrals"),
                 (*(RowDef(k, label) for k, label, _lo, _hi in AGE_BANDS), RowDef("unknown", _("Age not known")),
                  RowDef("minors", _("of whom minors (under 18)"), "subtotal")), total=REFERRALS),
        TableDef("gender", _("Referrals by gender"), _("referrals"), _rows(Sex.choices), total=REFERRALS),
        TableDef("concern", _("Referrals by type of extremism"), _("referrals"), _rows(ConcernType.choices),
                 total=REFERRALS),
        TableDef("referrer", _("Referrals by the referrer's training"), _("referrals"), (
            RowDef("trained", _("Referrer trained before the referral")),
            RowDef("untrained", _("No training recorded (coaching offered)")),
            RowDef("unknown", _("Referrer without an Ura account"))), total=REFERRALS),
        TableDef("screening", _("Screening outcomes of the referrals"), _("referrals"),
                 _rows(list(SCREENING_OUTCOMES)), total=REFERRALS,
                 note=_("Referrals of the period, by how their screening ended so far.")),
        TableDef("funnel", _("From referral to exit"), _("referrals"), (
            RowDef("referred", _("Referred"), "subtotal"),
            RowDef("accepted", _("Accepted at screening"), "subtotal"),
            RowDef("adopted", _("Adopted by the panel"), "subtotal"),
            RowDef("supported", _("Support started"), "subtotal"),
            RowDef("exited", _("Exited"), "subtotal")), chart="funnel",
                 note=_("The referrals of the period, by the furthest step each has reached so far.")),
        TableDef("decisions", _("Panel decisions"), _("decisions"), (
            *(RowDef(o, Outcome(o).label) for o in DECISION_OUTCOMES),
            RowDef("all", _("All panel decisions"), "total")),
                 total="decisions.all", section="decisions"),
        TableDef("ttd", _("Time from referral to panel decision"), _("cases"), (
            *(RowDef(k, label) for k, label, _lo, _hi in TTD_BANDS),
            RowDef("all", _("Cases decided"), "total"),
            RowDef("mean", _("Average (days)"), "mean", ("ttd.days", "ttd.all"))),
                 total="ttd.all", section="decisions"),
        TableDef("reviews", _("Review decisions"), _("decisions"), (
            *(RowDef(o, Outcome(o).label) for o in REVIEW_OUTCOMES), RowDef("all", _("All review decisions"), "total")),
                 total="reviews.all", section="decisions"),
        TableDef("flows", _("Returns, onward referrals and escalations"), _("cases"), (
            RowDef("returns", _("Returned through the process")),
            RowDef("onward", _("Referred onward")),
            RowDef("escalations", _("Escalated to the police"))), section="decisions",
                 note=_("Each row counts its own steps; the rows do not add up.")),
        TableDef("exits", _("Exits and re-referral"), _("cases"), (
            RowDef("exited", _("Exits"), "subtotal"),
            RowDef("followed_12", _("Exits at least 12 months ago"), "subtotal"),
            RowDef("rereferred_12", _("re-referred within 12 months"), "subtotal"),
            RowDef("rate_12", _("Re-referral rate, 12 months (%)"), "rate",
                   ("exits.rereferred_12", "exits.followed_12")),
            RowDef("followed_24", _("Exits at least 24 months ago"), "subtotal"),
            RowDef("rereferred_24", _("re-referred within 24 months"), "subtotal"),
            RowDef("rate_24", _("Re-referral rate, 24 months (%)"), "rate",
                   ("exits.rereferred_24", "exits.followed_24")),
        ), section="decisions", note=_("Exits of the period; a re-referral is a new episode of the same person.")),
        TableDef("interventions", _("Interventions by type"), _("interventions"), (
            *(RowDef(code, name) for code, name in intervention_types),
            RowDef("all", _("All interventions started"), "total")), total=INTERVENTIONS, section="support"),
        TableDef("provider", _("Interventions by provider"), _("interventions"),
                 _rows(AgencyType.choices), total=INTERVENTIONS, section="support"),
        TableDef("completion", _("Interventions by status"), _("interventions"), (
            *_rows(InterventionStatus.choices),
            RowDef("rate", _("Completion rate (%)"), "rate", ("completion.completed", "completion.ended"))),
                 total=INTERVENTIONS, section="support",
                 note=_("Interventions started in the period; completion rate = completed of those that ended.")),
        TableDef("rr", _("R&R persons who began support"), _("persons"), (
            RowDef("children", _("Children (under 18)")), RowDef("women", _("Women")), RowDef("men", _("Men")),
            RowDef("not_stated", _("Gender not stated")), RowDef("all", _("All"), "total")),
                 total="rr.all", section="support",
                 note=_("Persons on the rehabilitation and reintegration track, in the quarter their first "
                        "intervention started.")),
        TableDef("funding", _("Interventions by funding source"), _("interventions"), (
            *_rows(FundingSource.choices),), total=INTERVENTIONS, section="funding"),
        TableDef("spending", _("Spending by source (EUR)"), _("EUR"), (
            *(RowDef(v, label, "money", (f"cost.{v}",)) for v, label in FundingSource.choices),
            RowDef("total", _("Total"), "money", ("cost.total",)),
            RowDef("activities", _("of which prevention activities"), "money", ("cost.activities",)),
            RowDef("donor_share", _("Share from international donors (%)"), "rate", ("cost.donor", "cost.total")),
        ), section="funding", chart="money",
                 note=_("Interventions started and prevention activities held in the period.")),
        TableDef("per_case", _("Cost per supported case"), _("EUR"), (
            RowDef("cases", _("Cases with an intervention started")),
            RowDef("cost", _("Cost of their interventions (EUR)"), "money", ("cost.year",)),
            RowDef("mean", _("Cost per case (EUR)"), "mean", ("cost.year", "per_case.cases"))),
                 section="funding", year_only=True, chart="none"),
        TableDef("budget", _("Budget lines by kind of funding (EUR)"), _("EUR"), (
            *(RowDef(v, label, "money", (f"budget.{v}",)) for v, label in FundingSource.choices),
            RowDef("total", _("Total budget"), "money", ("budget.total",)),
            RowDef("allocated_activities", _("Allocated to activities"), "money", ("alloc.activities",)),
            RowDef("allocated_interventions", _("Allocated to interventions"), "money", ("alloc.interventions",)),
            RowDef("donor_share", _("Share of the budget from international donors (%)"), "rate",
                   ("budget.donor", "budget.total"))), section="funding", year_only=True, chart="none"),
        TableDef("trainings", _("Trainings"), _("trainings"), (
            RowDef("held", _("Trainings held"), "number"), RowDef("joint", _("of which joint (two or more agencies)"),
                                                                     "number"),
            RowDef("participants", _("Participants"), "number")), section="capacity"),
        TableDef("trainees", _("Training participants by agency"), _("participants"),
                 tuple(RowDef(v, label, "number") for v, label in AgencyType.choices), section="capacity"),
        TableDef("activities", _("Prevention activities"), _("activities"),
                 tuple(RowDef(v, label, "number") for v, label in ActivityKind.choices), section="capacity"),
        TableDef("audience", _("Participants in prevention activities by audience"), _("participants"),
                 tuple(RowDef(v, label, "number") for v, label in Audience.choices), section="capacity"),
    )


# Sums beyond "rows add up to the table's total": (total, parts). Refs ending in "_rest" are
# computed as total minus the other parts and never shown. (Referred minus accepted needs no
# rest: the screening table publishes it as the sum of the other outcomes, each protected.)
EXTRA_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("age.minors", ("age.under_15", "age.15_17")),
    ("funnel.accepted", ("funnel.adopted", "funnel.adopted_rest")),
    ("funnel.adopted", ("funnel.supported", "funnel.supported_rest")),
    ("funnel.supported", ("funnel.exited", "funnel.exited_rest")),
    ("exits.exited", ("exits.followed_12", "exits.followed_12_rest")),
    ("exits.followed_12", ("exits.rereferred_12", "exits.rereferred_12_rest")),
    ("exits.followed_12", ("exits.followed_24", "exits.followed_24_rest")),
    ("exits.followed_24", ("exits.rereferred_24", "exits.rereferred_24_rest")),
    ("completion.ended", ("completion.completed", "completion.stopped")),
)
# An amount is hidden when the count of people it is spent on or measured over is hidden.
BASIS: dict[str, str] = {
    **{f"cost.{v}": f"funding.{v}" for v in FundingSource.values},
    "cost.total": INTERVENTIONS,
    "cost.year": "per_case.cases",
    "alloc.interventions": "alloc_n.interventions",
    "ttd.days": "ttd.all",
}
# Figures that are the same count under two names.
ALIASES = {"funnel.referred": REFERRALS, "funnel.accepted": "screening.case_review"}


@dataclass
class Catalogue:
    tables: tuple[TableDef, ...]
    groups: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def build(cls, intervention_types: list[tuple[str, str]]) -> Catalogue:
        defs = tables(intervention_types)
        groups = [(t.total, tuple(t.parts)) for t in defs if t.total]
        groups += list(EXTRA_GROUPS)
        return cls(tables=defs, groups=groups)

    def table(self, key: str) -> TableDef:
        return next(t for t in self.tables if t.key == key)
