"""Reads of assessments. Every one starts from the cases the policy lets the user open, and
keeps only the assessments whose data category the user may read there (or that they made).

A missing assessment and a forbidden one are the same ``Http404``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.assessments import services
from ura.assessments.definitions import Definition, Domain, Item, Option
from ura.assessments.models import (
    Assessment,
    Assessor,
    Credential,
    InstrumentVersion,
    InterventionNeed,
    Purpose,
    Status,
)
from ura.cases.models import Case
from ura.governance import categories as cat
from ura.governance import policy
from ura.mechanisms.models import Mechanism, Membership, Role

SIGNED = (Status.SUBMITTED, Status.COUNTERSIGNED, Status.SUPERSEDED)


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def _visible_q(user: Any, categories: frozenset[str]) -> Q:
    """Signed assessments in a category the user reads; any assessment the user made or signed."""
    return (Q(category__in=categories, status__in=SIGNED) | Q(assessors__user=user)
            | Q(countersigned_by=user))


def _with_people(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return (qs.select_related("instrument", "countersigned_by", "countersigner_agency", "submitted_by")
            .prefetch_related(Prefetch("assessors", queryset=Assessor.objects.select_related("user", "agency")),
                              "ratings"))


def visible_assessments(user: Any, case: Case) -> list[Assessment]:
    categories = policy.visible_categories(user, case)
    qs = Assessment.objects.filter(Q(case=case) & _visible_q(user, categories)).distinct()
    return list(_with_people(qs).order_by("instrument__code", "-number", "-id"))


def assessment_for(user: Any, pk: Any) -> Assessment:
    """The assessment, if the user may read it; ``Http404`` if it is missing or not theirs to read."""
    a = (Assessment.objects.filter(pk=_pk(pk), case__in=policy.cases_visible_to(user))
         .select_related("case__mechanism", "case__person", "case__coordinator", "case__referring_agency").first())
    if a is None:
        raise Http404
    categories = policy.visible_categories(user, a.case)
    visible = _with_people(Assessment.objects.filter(Q(pk=a.pk) & _visible_q(user, categories)).distinct()).first()
    if visible is None:
        raise Http404
    visible.case = a.case
    return visible


# --- one assessment, as shown ------------------------------------------------------------------

@dataclass(frozen=True)
class Rated:
    item: Item
    option: Option | None  # None: not rated (yet, or in this version)
    evidence: str


@dataclass(frozen=True)
class DomainView:
    domain: Domain
    items: list[Rated]


def rated_domains(a: Assessment) -> list[DomainView]:
    spec = a.instrument.spec
    rows = {r.item_id: r for r in a.ratings.all()}
    out = []
    for d in spec.domains:
        items = []
        for item in d.items:
            row = rows.get(item.id)
            option = next((o for o in d.scale if row is not None and o.code == row.rating), None)
            items.append(Rated(item, option, row.evidence if row is not None else ""))
        out.append(DomainView(d, items))
    return out


def held_credentials(user: Any, day: dt.date | None = None) -> set[str]:
    day = day or timezone.localdate()
    return {c.code for c in Credential.objects.filter(user=user) if c.valid_on(day)}


@dataclass
class AssessmentPage:
    a: Assessment
    spec: Definition
    domains: list[DomainView]
    summary: Option | None
    stale: bool
    countersign_required: bool
    can_edit: bool = False
    can_countersign: bool = False
    countersign_refusal: str = ""
    can_revise: bool = False
    revise_refusal: str = ""
    others: list[Assessment] = field(default_factory=list)  # other versions to compare with

    @property
    def awaiting_countersign(self) -> bool:
        return self.countersign_required and self.a.status == Status.SUBMITTED


def _countersign_refusal(user: Any, a: Assessment, held: set[str]) -> str | None:
    if not policy.can(user, "assessment.countersign", case=a.case):
        return _("Your role does not countersign assessments.")
    if a.category not in policy.visible_categories(user, a.case):
        return _("Your role does not countersign assessments of this kind.")
    if a.instrument.credential and a.instrument.credential not in held:
        return _("This instrument needs the credential “%(code)s”, and you hold no valid record of it.") % {
            "code": a.instrument.credential}
    if any(x.user_id == user.pk for x in a.assessors.all()):
        return _("You made this assessment; the second signature must come from someone else.")
    return None


def assessment_page(user: Any, a: Assessment) -> AssessmentPage:
    today = timezone.localdate()
    required = services.countersign_required(a.case.mechanism)
    held = held_credentials(user, today)
    page = AssessmentPage(a=a, spec=a.instrument.spec, domains=rated_domains(a),
                          summary=a.instrument.spec.summary_option(a.summary), stale=a.is_stale(today),
                          countersign_required=required)
    is_assessor = any(x.user_id == user.pk for x in a.assessors.all())
    page.can_edit = a.is_draft and is_assessor
    if required and a.status == Status.SUBMITTED:
        refusal = _countersign_refusal(user, a, held)
        page.can_countersign = refusal is None
        page.countersign_refusal = refusal or ""
    if (a.is_current and a.case.stage in services.ASSESSMENT_STAGES
            and not Assessment.objects.filter(previous=a).exists()):
        latest = next((v for v in services.latest_versions() if v.code == a.instrument.code), a.instrument)
        refusal = services.refusal(user, a.case, latest, held=held)
        page.can_revise = refusal is None
        page.revise_refusal = refusal or ""
    page.others = comparable(user, a)
    return page


def comparable(user: Any, a: Assessment) -> list[Assessment]:
    """Other signed versions of the same instrument for the same person that the user may read."""
    cases = policy.cases_visible_to(user).filter(person_id=a.case.person_id)
    candidates = list(Assessment.objects.filter(case__in=cases, instrument__code=a.instrument.code,
                                                status__in=SIGNED).exclude(pk=a.pk)
                      .select_related("case__mechanism", "instrument").order_by("-assessed_on", "-id"))
    by_case: dict[int, frozenset[str]] = {}
    out = []
    for other in candidates:
        if other.case_id not in by_case:
            by_case[other.case_id] = policy.visible_categories(user, other.case)
        if other.category in by_case[other.case_id]:
            out.append(other)
    return out


# --- two assessments side by side ------------------------------------------------------------

@dataclass(frozen=True)
class CompareRow:
    item: Item
    before: Rated | None  # None: the item is not in that version of the instrument
    after: Rated | None

    @property
    def rating_changed(self) -> bool:
        return (self.before is not None and self.after is not None
                and (self.before.option.code if self.before.option else "")
                != (self.after.option.code if self.after.option else ""))

    @property
    def evidence_changed(self) -> bool:
        return (self.before is not None and self.after is not None and not self.rating_changed
                and self.before.evidence.strip() != self.after.evidence.strip())


@dataclass(frozen=True)
class CompareDomain:
    label: str
    rows: list[CompareRow]

    @property
    def changed(self) -> list[CompareRow]:
        return [r for r in self.rows if r.before is None or r.after is None or r.rating_changed
                or r.evidence_changed]

    @property
    def unchanged(self) -> list[CompareRow]:
        changed = self.changed
        return [r for r in self.rows if r not in changed]


@dataclass
class Comparison:
    earlier: Assessment
    later: Assessment
    domains: list[CompareDomain]
    summary_before: Option | None
    summary_after: Option | None

    @property
    def summary_changed(self) -> bool:
        return self.earlier.summary != self.later.summary

    @property
    def any_change(self) -> bool:
        return any(d.changed for d in self.domains)

    @property
    def any_unchanged(self) -> bool:
        return any(d.unchanged for d in self.domains)


def comparison(user: Any, first: Any, second: Any) -> Comparison:
    a, b = assessment_for(user, first), assessment_for(user, second)
    if a.pk == b.pk or a.is_draft or b.is_draft or a.case.person_id != b.case.person_id \
            or a.instrument.code != b.instrument.code:
        raise Http404
    earlier, later = sorted((a, b), key=lambda x: (x.assessed_on or dt.date.min, x.number, x.pk))
    before = {r.item.id: r for d in rated_domains(earlier) for r in d.items}
    after_domains = rated_domains(later)
    shown: set[str] = set()
    domains = []
    for d in after_domains:
        domains.append(CompareDomain(d.domain.label, [CompareRow(r.item, before.get(r.item.id), r) for r in d.items]))
        shown |= {r.item.id for r in d.items}
    gone = [CompareRow(r.item, r, None) for r in before.values() if r.item.id not in shown]
    if gone:
        domains.append(CompareDomain(_("Items only in the earlier version of the instrument"), gone))
    return Comparison(earlier, later, domains, earlier.instrument.spec.summary_option(earlier.summary),
                      later.instrument.spec.summary_option(later.summary))


# --- the case page's section ----------------------------------------------------------------

@dataclass
class Row:
    """The current version of one instrument's assessment of the person."""

    a: Assessment
    summary: Option | None
    stale: bool
    awaiting_countersign: bool
    can_countersign: bool
    can_revise: bool
    revising: bool  # a new version is being drafted
    earlier: list[Assessment] = field(default_factory=list)


@dataclass(frozen=True)
class NeedLine:
    instrument: str
    item: Item
    option: Option
    assessment: Assessment
    addressed_by: list[Any]  # the running interventions citing it (those the viewer may see)
    addressed_elsewhere: bool  # also cited by an intervention the viewer may not see


@dataclass
class Needs:
    unmet: list[NeedLine] = field(default_factory=list)
    addressed: list[NeedLine] = field(default_factory=list)
    unknown: list[NeedLine] = field(default_factory=list)
    interventions: list[Any] = field(default_factory=list)
    can_cite: bool = False


@dataclass
class Startable:
    instrument: InstrumentVersion
    refusal: str | None


@dataclass
class CaseSection:
    case: Case
    rows: list[Row]
    drafts: list[Assessment]
    startable: list[Startable]
    needs: Needs | None
    countersign_required: bool
    categories: frozenset[str] = frozenset()

    @property
    def visible(self) -> bool:
        return bool(self.rows or self.drafts or self.needs or any(s.refusal is None for s in self.startable))

    @property
    def shown_ids(self) -> list[int]:
        return sorted({r.a.pk for r in self.rows} | {d.pk for d in self.drafts}
                      | {n.assessment.pk for n in self._need_lines()})

    def _need_lines(self) -> list[NeedLine]:
        return [*self.needs.unmet, *self.needs.addressed, *self.needs.unknown] if self.needs else []


def _needs(user: Any, case: Case, current: list[Assessment]) -> Needs | None:
    needs_assessments = [a for a in current if a.instrument.purpose == Purpose.NEEDS]
    if not needs_assessments:
        return None
    roles = policy.roles_in(user, case.mechanism)
    only_own = not roles & {Role.COORDINATOR, Role.PANEL_MEMBER}
    own_agencies = {m.agency_id for m in policy.memberships(user) if m.mechanism_id == case.mechanism_id}
    interventions = list(case.interventions.filter(status__in=services.RUNNING).select_related("type", "provider")
                         .prefetch_related(Prefetch("needs", queryset=InterventionNeed.objects.order_by("id"))))
    cited: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for i in interventions:
        for n in i.needs.all():
            cited[(n.instrument_code, n.item_id)].append(i)
    out = Needs(interventions=[i for i in interventions if not only_own or i.provider_id in own_agencies],
                can_cite=policy.can(user, "intervention.manage", case=case))
    for a in needs_assessments:
        rows = {r.item_id: r for r in a.ratings.all()}
        for item in a.instrument.spec.items():
            row = rows.get(item.id)
            option = a.instrument.spec.option(item.id, row.rating) if row is not None else None
            if option is None or not (option.need or option.unknown):
                continue
            by = cited.get((a.instrument.code, item.id), [])
            mine = [i for i in by if not only_own or i.provider_id in own_agencies]
            line = NeedLine(a.instrument.name, item, option, a, mine, len(mine) < len(by))
            if option.unknown:
                out.unknown.append(line)
            elif by:
                out.addressed.append(line)
            else:
                out.unmet.append(line)
    return out


def case_section(user: Any, case: Case) -> CaseSection:
    today = timezone.localdate()
    categories = policy.visible_categories(user, case)
    assessments = visible_assessments(user, case)
    required = services.countersign_required(case.mechanism)
    held = held_credentials(user, today)
    drafts = [a for a in assessments if a.is_draft and any(x.user_id == user.pk for x in a.assessors.all())]
    drafting_for = {a.previous_id for a in Assessment.objects.filter(case=case, status=Status.DRAFT,
                                                                     previous__isnull=False)
                    .only("previous_id")}
    by_code: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        if not a.is_draft:
            by_code[a.instrument.code].append(a)
    latest = {v.code: v for v in services.latest_versions()}
    open_case = case.stage in services.ASSESSMENT_STAGES
    rows = []
    for versions in sorted(by_code.values(), key=lambda vs: vs[0].instrument.name):
        current = next((v for v in versions if v.is_current), None)
        if current is None:
            continue
        awaiting = required and current.status == Status.SUBMITTED
        revise = services.refusal(user, case, latest.get(current.instrument.code, current.instrument), held=held)
        rows.append(Row(
            a=current, summary=current.instrument.spec.summary_option(current.summary), stale=current.is_stale(today),
            awaiting_countersign=awaiting,
            can_countersign=awaiting and _countersign_refusal(user, current, held) is None,
            can_revise=open_case and revise is None and current.pk not in drafting_for,
            revising=current.pk in drafting_for,
            earlier=[v for v in versions if v.pk != current.pk]))
    started = {r.a.instrument.code for r in rows} | {d.instrument.code for d in drafts}
    startable = []
    if open_case and policy.can(user, "assessment.record", case=case):
        for v in sorted(latest.values(), key=lambda v: v.name):
            if v.code not in started:
                startable.append(Startable(v, services.refusal(user, case, v, held=held)))
    needs = _needs(user, case, [r.a for r in rows]) if cat.NEEDS_PLAN in categories else None
    return CaseSection(case=case, rows=rows, drafts=drafts, startable=startable, needs=needs,
                       countersign_required=required, categories=categories)


# --- instruments and credentials ---------------------------------------------------------------

def instruments() -> list[InstrumentVersion]:
    return list(InstrumentVersion.objects.order_by("name", "code", "-id"))


def instrument_for(pk: Any) -> InstrumentVersion:
    v = InstrumentVersion.objects.filter(pk=_pk(pk)).first()
    if v is None:
        raise Http404
    return v


def may_read_instrument(user: Any, instrument: InstrumentVersion) -> bool:
    """A licensed instrument's items are for those who hold its credential; its description is for all."""
    return not instrument.credential or instrument.credential in held_credentials(user)


def credential_mechanisms(user: Any) -> list[Mechanism]:
    return policy.mechanisms_where(user, "credential.manage")


@dataclass(frozen=True)
class MemberCredentials:
    user: Any
    agencies: list[str]
    credentials: list[Credential]


def credential_rows(user: Any) -> list[MemberCredentials]:
    mechanisms = [m.pk for m in credential_mechanisms(user)]
    members = (Membership.objects.filter(mechanism_id__in=mechanisms, active=True)
               .select_related("user", "agency").order_by("user__last_name", "user__first_name", "user_id"))
    by_user: dict[int, tuple[Any, list[str]]] = {}
    for m in members:
        entry = by_user.setdefault(m.user_id, (m.user, []))
        if m.agency.name not in entry[1]:
            entry[1].append(m.agency.name)
    credentials: dict[int, list[Credential]] = defaultdict(list)
    for c in Credential.objects.filter(user_id__in=by_user).order_by("code", "-valid_from"):
        credentials[c.user_id].append(c)
    return [MemberCredentials(u, agencies, credentials[pk]) for pk, (u, agencies) in by_user.items()]


def credential_codes() -> list[str]:
    """The credentials loaded instruments ask for."""
    return sorted(set(InstrumentVersion.objects.exclude(credential="").values_list("credential", flat=True)))


def credential_for(user: Any, pk: Any) -> tuple[Credential, Mechanism]:
    """A credential of a member of a mechanism where the user manages credentials."""
    c = Credential.objects.filter(pk=_pk(pk)).select_related("user").first()
    if c is None:
        raise Http404
    for m in credential_mechanisms(user):
        if Membership.objects.filter(user_id=c.user_id, mechanism=m, active=True).exists():
            return c, m
    raise Http404


def co_assessor_candidates(a: Assessment, actor: Any) -> list[tuple[Any, str]]:
    """Colleagues in the mechanism whose role and credentials let them assess with this instrument."""
    instrument = a.instrument
    members = [m for m in Membership.objects.filter(mechanism_id=a.case.mechanism_id, active=True)
               .exclude(user_id__in=[actor.pk, a.created_by_id]).select_related("user", "agency")
               .order_by("user__last_name", "user__first_name", "id")
               if "assessment.record" in policy.ROLE_ACTIONS.get(m.role, frozenset())
               and instrument.category in policy.ROLE_ASSESSMENT_CATEGORIES.get(m.role, frozenset())]
    if instrument.credential:
        today = timezone.localdate()
        holders = {c.user_id for c in Credential.objects.filter(user_id__in=[m.user_id for m in members],
                                                                code=instrument.credential) if c.valid_on(today)}
        members = [m for m in members if m.user_id in holders]
    seen: dict[int, tuple[Any, str]] = {}
    for m in members:
        seen.setdefault(m.user_id, (m.user, m.agency.name))
    return list(seen.values())
