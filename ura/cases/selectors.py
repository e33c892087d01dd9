"""Reads for the case pages. Every case query starts from the policy's visible set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.cases import workflow
from ura.cases.models import (
    Case,
    Deconfliction,
    DeconflictionAnswer,
    Indicator,
    InformationRequest,
    RequestStatus,
    TimelineEntry,
)
from ura.cases.timeline import describe
from ura.cases.workflow import Stage, Transition
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.models import Disclosure
from ura.mechanisms.models import Mechanism
from ura.people.keys import name_query

# --- what a referrer may learn: that it was received, and nothing more -----------------

RECEIVED = _("received")
BEING_HANDLED = _("being handled")
CLOSED = _("closed")


def coarse_status(stage: str) -> Any:
    if stage == Stage.REFERRED:
        return RECEIVED
    if stage in workflow.OPEN_STAGES:
        return BEING_HANDLED
    return CLOSED


@dataclass(frozen=True)
class Referral:
    pk: int
    reference: str
    referred_on: Any
    status: Any


def referrals_by(user: Any) -> list[Referral]:
    """The user's own referrals, reduced to reference, date and a coarse status."""
    rows = (Case.objects.filter(referred_by=user).order_by("-referred_on", "-id")
            .values_list("pk", "reference", "referred_on", "stage"))
    return [Referral(pk, ref, on, coarse_status(stage)) for pk, ref, on, stage in rows]


def own_referral(user: Any, pk: int) -> Referral:
    """One of the user's own referrals (for the receipt); ``Http404`` for anything else."""
    row = (Case.objects.filter(referred_by=user, pk=pk)
           .values_list("pk", "reference", "referred_on", "stage").first())
    if row is None:
        raise Http404
    return Referral(row[0], row[1], row[2], coarse_status(row[3]))


# --- the case list ------------------------------------------------------------------------

def list_mechanisms(user: Any) -> list[Mechanism]:
    return policy.mechanisms_where(user, "case.list")


def case_list(user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    mechanisms = [m.pk for m in list_mechanisms(user)]
    qs = policy.cases_visible_to(user).filter(mechanism_id__in=mechanisms)
    if "mechanism" in filters:
        qs = qs.filter(mechanism_id=filters["mechanism"])
    for name in ("stage", "track", "concern_type"):
        if name in filters:
            qs = qs.filter(**{name: filters[name]})
    if "year" in filters:
        qs = qs.filter(referred_on__year=filters["year"])
    if "q" in filters:
        # Names are searched only where the user may search persons (never by pseudonymised police).
        searchable = [m.pk for m in mechanisms_searchable(user)]
        # Names are encrypted: whole name tokens are matched through their blind indexes.
        by_name = name_query(filters["q"], prefix="person__")
        found = Q(reference__icontains=filters["q"])
        if by_name is not None:
            found |= Q(mechanism_id__in=searchable) & by_name
        qs = qs.filter(found)
    return qs.select_related("mechanism", "person", "coordinator").order_by("-referred_on", "-id")


def mechanisms_searchable(user: Any) -> list[Mechanism]:
    return policy.mechanisms_where(user, "person.search")


def referral_years(user: Any) -> list[int]:
    mechanisms = [m.pk for m in list_mechanisms(user)]
    qs = policy.cases_visible_to(user).filter(mechanism_id__in=mechanisms)
    return [d.year for d in qs.dates("referred_on", "year", order="DESC")]


@dataclass(frozen=True)
class CaseRow:
    case: Case
    name: str | None  # None: the identity category is hidden from this user
    days_in_stage: int
    pseudonym: str | None = None  # for a pseudonymised viewer (Passage4prevent police)


def case_rows(user: Any, cases: list[Case]) -> list[CaseRow]:
    now = timezone.now()
    policy.prefetch_access(user, cases)
    rows = []
    for c in cases:
        person = policy.fields_for(user, c).reads("people.person")
        rows.append(CaseRow(c, c.person.full_name if "given_name" in person else None,
                            max((now - c.stage_changed_at).days, 0),
                            policy.pseudonym(c) if "pseudonym" in person else None))
    return rows


def export_rows(user: Any, cases: list[Case]) -> tuple[list[str], list[list[str]]]:
    """Columns from the field allow-list: a column shows only where the user may read its field."""
    header = ["reference", "mechanism", "episode", "stage", "track", "referred_on", "person", "birth_year",
              "concern_type"]
    policy.prefetch_access(user, cases)
    lines = []
    for c in cases:
        fields = policy.fields_for(user, c)
        person, case = fields.reads("people.person"), fields.reads("cases.case")
        name = c.person.full_name if "given_name" in person else (
            policy.pseudonym(c) if "pseudonym" in person else "")
        born = str(c.person.birth_date.year) if "birth_date" in person and c.person.birth_date else ""
        lines.append([_cell(v) for v in (c.reference, c.mechanism.name, str(c.episode), c.stage, c.track,
                                         c.referred_on.isoformat() if "referred_on" in case else "", name, born,
                                         c.concern_type if "concern_type" in case else "")])
    return header, lines


def _cell(value: str) -> str:
    """A spreadsheet must not take a name for a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- the case page ---------------------------------------------------------------------------

# The usual road through the process; off-road stages are shown where the case took them.
PATH = (Stage.REFERRED, Stage.SCREENING, Stage.CASE_REVIEW, Stage.PANEL, Stage.CONSENT, Stage.SUPPORT,
        Stage.REVIEW, Stage.EXITED, Stage.CLOSED)


@dataclass(frozen=True)
class Step:
    stage: str
    label: Any
    state: str  # "done", "current" or "todo"


def steps(case: Case, visited: list[str]) -> list[Step]:
    path: list[str] = [s for s in PATH if s != Stage.CONSENT or case.mechanism.consent_required
                       or Stage.CONSENT in visited]
    off_road = [s for s in dict.fromkeys([*visited, case.stage]) if s not in path]
    road = path[:-1] + off_road + path[-1:]
    here = path.index(case.stage) if case.stage in path else None
    result = []
    for s in road:
        if s == case.stage:
            state = "current"
        elif s in visited or (here is not None and s in path and path.index(s) < here):
            state = "done"
        else:
            state = "todo"
        result.append(Step(s, Stage(s).label, state))
    return result


@dataclass(frozen=True)
class Line:
    entry: TimelineEntry
    sentence: str
    detail: str


@dataclass
class CasePage:
    case: Case
    categories: frozenset[str]
    steps: list[Step]
    timeline: list[Line]
    transitions: list[Transition]
    deconflictions: list[Deconfliction]
    can_request_deconfliction: bool
    requests: list[InformationRequest]
    answerable: frozenset[int]  # the open requests addressed to the user's agency
    can_request_information: bool
    previous: dict[str, Any] | None
    next: dict[str, Any] | None
    can_edit: bool
    can_rerefer: bool
    fields: policy.FieldAccess = field(default_factory=lambda: policy.FieldAccess({}, {}))
    pseudonym: str | None = None
    why: dict[str, policy.Explanation] = field(default_factory=dict)
    disclosures: list[Disclosure] = field(default_factory=list)
    agreements: list[Any] = field(default_factory=list)  # sharing agreements the user may share under
    breakglass: Any = None  # the emergency access this page is read under, if any

    @property
    def indicators(self) -> list[Any]:
        return [Indicator(i).label for i in self.case.indicators if i in Indicator.values]

    @property
    def sees_police(self) -> bool:
        return cat.POLICE in self.categories

    def sees(self, category: str) -> bool:
        return category in self.categories

    @property
    def access_list(self) -> list[tuple[str, Any, policy.Explanation]]:
        return [(c, cat.LABELS[c], why) for c, why in self.why.items()]


def _timeline(case: Case, categories: frozenset[str]) -> list[Line]:
    entries = (TimelineEntry.objects.filter(case=case, category__in=categories)
               .select_related("actor").order_by("-at", "-id"))
    lines = []
    for e in entries:
        detail = e.note if e.kind in ("transition", "decision") else ""
        lines.append(Line(e, describe(e), str(detail)))
    return lines


def _deconflictions(user: Any, case: Case, categories: frozenset[str]) -> list[Deconfliction]:
    qs = Deconfliction.objects.filter(case=case).order_by("-requested_at", "-id")
    if cat.POLICE not in categories:
        # The sealed note is not even loaded for those who may not read it.
        qs = qs.defer("police_note")
    return list(qs)


def _requests(user: Any, case: Case, can_create: bool) -> list[InformationRequest]:
    qs = InformationRequest.objects.filter(case=case).select_related("to_agency").order_by("-requested_at", "-id")
    if not can_create:
        # Outside the coordinating role, an agency sees the requests addressed to it only.
        qs = qs.filter(to_agency_id__in=[m.agency_id for m in policy.memberships(user)
                                         if m.mechanism_id == case.mechanism_id])
    return list(qs)


def _episodes(user: Any, case: Case) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    previous = nxt = None
    for row in (policy.cases_visible_to(user).filter(Q(pk=case.previous_id) | Q(previous_id=case.pk))
                .values("pk", "reference", "episode")):
        if row["pk"] == case.previous_id:
            previous = row
        else:
            nxt = row
    return previous, nxt


def case_page(user: Any, case: Case) -> CasePage:
    """Everything the case page shows, already cut to what ``user`` may see."""
    categories = policy.visible_categories(user, case)
    lines = _timeline(case, categories)
    visited = [Stage.REFERRED.value] + [ln.entry.data.get("target", "") for ln in reversed(lines)
                                        if ln.entry.kind == "transition"]
    deconflictions = _deconflictions(user, case, categories)
    can_ask_police = (policy.can(user, "deconfliction.request", case=case) and case.stage == Stage.SCREENING
                      and not any(d.answer == "" for d in deconflictions))
    can_create = policy.can(user, "inforequest.create", case=case)
    requests = _requests(user, case, can_create)
    previous, nxt = _episodes(user, case)
    ended = case.stage in (Stage.CLOSED, Stage.EXITED, *workflow.ENDED_STAGES)
    can_edit = policy.can(user, "case.edit", case=case)
    fields = policy.fields_for(user, case)
    sees_disclosures = policy.can(user, "case.share", case=case)
    return CasePage(
        case=case, categories=categories,
        steps=steps(case, [s for s in dict.fromkeys(visited) if s in Stage.values]),
        timeline=lines,
        transitions=[t for t in workflow.transitions_from(case.stage)
                     if t.manual and policy.can_transition(user, case, t)],
        deconflictions=deconflictions if (cat.REFERRAL in categories or cat.POLICE in categories) else [],
        can_request_deconfliction=can_ask_police,
        requests=requests,
        answerable=frozenset(r.pk for r in requests if r.status == RequestStatus.OPEN
                             and policy.can(user, "inforequest.answer", case=case, obj=r)),
        can_request_information=can_create and case.stage in (Stage.CASE_REVIEW, Stage.SUPPORT, Stage.REVIEW),
        previous=previous, next=nxt,
        can_edit=can_edit,
        # An editor coordinates the mechanism and so sees any later episode.
        can_rerefer=can_edit and ended and nxt is None,
        fields=fields,
        pseudonym=policy.pseudonym(case) if "pseudonym" in fields.reads("people.person") else None,
        why={c: policy.explain(user, case, c) for c in cat.LABELS},
        disclosures=disclosures_of(case) if sees_disclosures else [],
        agreements=_shareable_agreements(case) if sees_disclosures and case.stage not in ENDED else [],
        breakglass=policy.access(user, case).breakglass,
    )


ENDED = (Stage.CLOSED, *workflow.ENDED_STAGES)


def disclosures_of(case: Case) -> list[Disclosure]:
    """Every disclosure of the case, newest first: to whom (or from whom), when, for what."""
    return list(Disclosure.objects.filter(case=case).select_related("agency", "agreement")
                .order_by("-disclosed_at", "-id"))


def _shareable_agreements(case: Case) -> list[Any]:
    from ura.governance.services import agreements_in_force

    return agreements_in_force(case.mechanism)


# --- police deconfliction -----------------------------------------------------------------

def deconfliction_mechanisms(user: Any) -> list[Mechanism]:
    return policy.mechanisms_where(user, "deconfliction.answer")


def deconflictions_pending(user: Any) -> list[Deconfliction]:
    """Checks waiting for the police: never answered, or paused (a pause may be lifted)."""
    ids = [m.pk for m in deconfliction_mechanisms(user)]
    return list(Deconfliction.objects
                .filter(case__mechanism_id__in=ids, answer__in=["", DeconflictionAnswer.PAUSE])
                .select_related("case__mechanism", "case__person").order_by("requested_at", "id"))


def deconfliction_for(user: Any, pk: int) -> Deconfliction:
    ids = [m.pk for m in deconfliction_mechanisms(user)]
    d = (Deconfliction.objects.filter(pk=pk, case__mechanism_id__in=ids)
         .select_related("case__mechanism", "case__person").first())
    if d is None:
        raise Http404
    return d


# --- information requests to the user's agencies ------------------------------------------

def _answerable(user: Any, qs: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    agencies = [m.agency_id for m in policy.memberships(user)
                if "inforequest.answer" in policy.ROLE_ACTIONS.get(m.role, frozenset())]
    return (qs.filter(to_agency_id__in=agencies)
            .select_related("case__mechanism", "case__person", "to_agency", "requested_by"))


def requests_inbox(user: Any) -> list[InformationRequest]:
    qs = _answerable(user, InformationRequest.objects.filter(status=RequestStatus.OPEN)).order_by("due_on", "id")
    return [r for r in qs if policy.can(user, "inforequest.answer", case=r.case, obj=r)]


def request_for(user: Any, pk: int) -> InformationRequest:
    """A request addressed to one of the user's agencies; ``Http404`` for any other."""
    r = _answerable(user, InformationRequest.objects.filter(pk=pk)).first()
    if r is None or not policy.can(user, "inforequest.answer", case=r.case, obj=r):
        raise Http404
    return r
