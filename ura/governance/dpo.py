"""The data-protection officer's tools (DESIGN.md §4): who accessed a person's file, the access
review, and the record of a person for a subject-access request.

Everything here starts from the mechanisms where the policy gives the DPO the action
(``policy.mechanisms_where``); a case elsewhere is ``Http404``, whether it exists or not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ura.cases.models import Case
from ura.errors import NotAllowed, ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.governance.models import AccessReviewMark, AuditEvent, LegalHold
from ura.mechanisms.models import Mechanism, Membership, Role

# --- finding the person ------------------------------------------------------------------------------------


def dpo_case_for(user: Any, pk: int | str, action: str = "subject.access") -> Case:
    """A case of a mechanism where the user has ``action``; ``Http404`` for any other or a missing one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not -(2**63) < pk < 2**63:
        raise Http404
    mechanisms = [m.pk for m in policy.mechanisms_where(user, action)]
    case = Case.objects.filter(pk=pk, mechanism_id__in=mechanisms).select_related("mechanism", "person").first()
    if case is None:
        raise Http404
    return case


def dpo_case_by_reference(user: Any, reference: str) -> Case | None:
    mechanisms = [m.pk for m in policy.mechanisms_where(user, "subject.access")]
    return Case.objects.filter(reference__iexact=reference.strip(), mechanism_id__in=mechanisms).first()


def value(obj: Any, name: str) -> Any:
    """A field's value with an encrypted value opened (whatever state the instance's cache is in)."""
    f = obj._meta.get_field(name)
    v = getattr(obj, f.attname)
    if v and v.__class__.__name__ == "Sealed" and hasattr(f, "unseal"):
        v = f.unseal(obj, v)
    return v


# --- who accessed the file -----------------------------------------------------------------------------------

# Plain words for the audit action codes, first match wins (prefix, or a whole code).
ACTION_WORDS: tuple[tuple[str, Promise], ...] = (
    ("breakglass.opened", gettext_lazy("Opened the file with emergency access")),
    ("export.downloaded", gettext_lazy("Downloaded a copy of the file")),
    ("retention.erased", gettext_lazy("Erased the personal data (retention or request)")),
    ("erasure.", gettext_lazy("Handled a request to erase the data")),
    ("legalhold.placed", gettext_lazy("Placed a legal hold: the data is kept until it is lifted")),
    ("legalhold.lifted", gettext_lazy("Lifted the legal hold")),
    ("dpo.", gettext_lazy("Looked at the file for data-protection supervision")),
    ("disclosure.", gettext_lazy("Shared information with another agency")),
    ("case.referral_submitted", gettext_lazy("Referred the person")),
    ("case.rereferred", gettext_lazy("Referred the person again")),
    ("case.transition.", gettext_lazy("Moved the case to its next step")),
    ("case.deconfliction.", gettext_lazy("Asked for or gave the police check")),
    ("case.inforequest.", gettext_lazy("Asked for or gave information")),
    ("case.edited", gettext_lazy("Updated the case summary")),
    ("panel.", gettext_lazy("Dealt with the case at a panel meeting")),
    ("consent.", gettext_lazy("Recorded consent or its withdrawal")),
    ("assessment.", gettext_lazy("Worked on an assessment")),
    ("support.", gettext_lazy("Worked on the support plan")),
    ("reintegration.", gettext_lazy("Worked on the reintegration plan")),
)
READ_WORDS = gettext_lazy("Read the file")
OTHER_WORDS = gettext_lazy("Recorded or changed information")

ROLE_PURPOSE: dict[str, Promise] = {
    Role.COORDINATOR: gettext_lazy("Running the case"),
    Role.PANEL_MEMBER: gettext_lazy("Panel work on the case"),
    Role.PROVIDER: gettext_lazy("Delivering support"),
    Role.POLICE_LIAISON: gettext_lazy("Police check and information requests"),
    Role.REFERRER: gettext_lazy("Making the referral"),
    Role.DPO: gettext_lazy("Data-protection supervision"),
    Role.ANALYST: gettext_lazy("Statistics"),
    Role.ADMINISTRATOR: gettext_lazy("Administration"),
}


def is_read(action: str) -> bool:
    return action.endswith("viewed") or action in ("assessment.compared", "api.assessments_listed",
                                                   "export.downloaded")


def describe(action: str) -> str:
    for key, words in ACTION_WORDS:
        if action == key or (key.endswith(".") and action.startswith(key)):
            return str(words)
    return str(READ_WORDS if is_read(action) else OTHER_WORDS)


@dataclass
class AccessLine:
    at: dt.datetime
    agency: str
    role: str
    action: str
    purpose: str
    case: str
    emergency: bool


def person_cases(case: Case) -> list[Case]:
    return list(Case.objects.filter(person_id=case.person_id).select_related("mechanism").order_by("episode"))


def accesses_of(case: Case, *, limit: int = 2000) -> list[AccessLine]:
    """Who read or changed the person's file, newest first: agency, role, what, when and why.

    Staff are named by agency and role, not by name: this is what the person can be told.
    """
    cases = {c.pk: c.reference for c in person_cases(case)}
    events = list(AuditEvent.objects.filter(Q(person_id=case.person_id) | Q(case_id__in=list(cases)),
                                            actor__isnull=False)
                  .select_related("agency").order_by("-created_at", "-seq")[:limit])
    roles: dict[tuple[int, int | None], set[str]] = defaultdict(set)
    for m in Membership.objects.filter(user_id__in={e.actor_id for e in events}, mechanism=case.mechanism):
        roles[(m.user_id, m.agency_id)].add(m.role)
    labels = dict(Role.choices)
    lines = []
    for e in events:
        held = sorted(roles.get((e.actor_id, e.agency_id), set())) or sorted(
            {r for (u, _a), rs in roles.items() if u == e.actor_id for r in rs})
        emergency = "breakglass" in (e.data or {}) or e.action == "breakglass.opened"
        purpose = (_("Emergency access") if emergency
                   else "; ".join(str(ROLE_PURPOSE.get(r, labels.get(r, r))) for r in held) or "—")
        lines.append(AccessLine(at=e.created_at, agency=e.agency.name if e.agency else "—",
                                role=", ".join(str(labels.get(r, r)) for r in held) or "—",
                                action=describe(e.action), purpose=purpose,
                                case=cases.get(e.case_id or 0, ""), emergency=emergency))
    return lines


# --- the access review -----------------------------------------------------------------------------------

# Working hours in the installation's time zone; reads outside them, or at weekends, are flagged.
OFFICE_HOURS = (7, 19)
# More distinct cases than this read by one user in one day is flagged.
MANY_READS = 25
REVIEW_DAYS = (7, 30, 90)

RULES: dict[str, Promise] = {
    "breakglass": gettext_lazy("Emergency access was used."),
    "after_hours": gettext_lazy("Case files were read outside office hours (7:00–19:00, Monday to Friday)."),
    "many_reads": gettext_lazy("More case files were read in one day than the work usually needs."),
    "no_task": gettext_lazy("A case file was read by someone whose agency has no task on the case "
                            "(no referral, request, intervention, police check or panel item)."),
}


@dataclass
class Flag:
    key: str
    rule: str
    mechanism: Mechanism
    user: Any
    agency: str
    day: dt.date
    cases: list[str]
    reads: int
    mark: AccessReviewMark | None = None

    @property
    def explanation(self) -> str:
        return str(RULES[self.rule])


@dataclass
class _Read:
    at: dt.datetime
    user: int
    agency: int | None
    mechanism: int
    case: int
    breakglass: int | None


@dataclass
class _Tasks:
    agencies: set[int] = field(default_factory=set)
    deconfliction: bool = False
    on_agenda: bool = False


def _tasks(case_ids: set[int]) -> dict[int, _Tasks]:
    from ura.cases.models import Deconfliction, InformationRequest
    from ura.governance.models import Disclosure
    from ura.panels.models import AgendaItem
    from ura.support.models import Intervention

    tasks: dict[int, _Tasks] = defaultdict(_Tasks)
    for pk, agency in Case.objects.filter(pk__in=case_ids).values_list("pk", "referring_agency_id"):
        if agency:
            tasks[pk].agencies.add(agency)
    for model, column in ((InformationRequest, "to_agency_id"), (Disclosure, "agency_id"),
                          (Intervention, "provider_id")):
        for pk, agency in model.objects.filter(case_id__in=case_ids).values_list("case_id", column):
            tasks[pk].agencies.add(agency)
    for pk in Deconfliction.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True):
        tasks[pk].deconfliction = True
    for pk in AgendaItem.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True):
        tasks[pk].on_agenda = True
    return tasks


def _has_task(roles: set[str], agency: int | None, t: _Tasks) -> bool:
    if Role.COORDINATOR in roles or agency in t.agencies:
        return True
    if Role.POLICE_LIAISON in roles and t.deconfliction:
        return True
    return Role.PANEL_MEMBER in roles and t.on_agenda


def access_flags(user: Any, *, days: int = 30, now: dt.datetime | None = None) -> list[Flag]:
    """Unusual access in the DPO's mechanisms over the last ``days``, by four explainable rules
    (``RULES``); flags not yet marked as reviewed first."""
    from ura.accounts.models import User

    mechanisms = {m.pk: m for m in policy.mechanisms_where(user, "access.review")}
    if not mechanisms:
        return []
    now = now or timezone.now()
    rows = (AuditEvent.objects.filter(mechanism_id__in=list(mechanisms), created_at__gte=now - dt.timedelta(days=days),
                                      created_at__lte=now, case_id__isnull=False, actor__isnull=False)
            .filter(Q(action__endswith="viewed") | Q(action__in=["assessment.compared", "export.downloaded"]))
            .exclude(action__startswith="dpo.")
            .values_list("created_at", "actor_id", "agency_id", "mechanism_id", "case_id", "data"))
    reads = [_Read(at, u, a, m, c, (d or {}).get("breakglass") if isinstance(d, dict) else None)
             for at, u, a, m, c, d in rows]
    roles: dict[tuple[int, int], set[str]] = defaultdict(set)
    for m in Membership.objects.filter(mechanism_id__in=list(mechanisms), user_id__in={r.user for r in reads}):
        roles[(m.user_id, m.mechanism_id)].add(m.role)
    tasks = _tasks({r.case for r in reads})
    groups: dict[tuple[str, int, int, dt.date, Any], list[_Read]] = defaultdict(list)
    for r in reads:
        local = timezone.localtime(r.at)
        day = local.date()
        if r.breakglass is not None:
            groups[("breakglass", r.mechanism, r.user, day, r.breakglass)].append(r)
            continue  # an emergency access is reviewed as such, not again by the other rules
        if local.weekday() >= 5 or not OFFICE_HOURS[0] <= local.hour < OFFICE_HOURS[1]:
            groups[("after_hours", r.mechanism, r.user, day, None)].append(r)
        groups[("many_reads", r.mechanism, r.user, day, None)].append(r)
        if not _has_task(roles[(r.user, r.mechanism)], r.agency, tasks[r.case]):
            groups[("no_task", r.mechanism, r.user, day, r.case)].append(r)
    found = {k: v for k, v in groups.items()
             if k[0] != "many_reads" or len({r.case for r in v}) > MANY_READS}
    users = User.objects.in_bulk({k[2] for k in found})
    refs = dict(Case.objects.filter(pk__in={r.case for v in found.values() for r in v})
                .values_list("pk", "reference"))
    agencies = {m.agency_id: m.agency.name for m in Membership.objects.filter(
        mechanism_id__in=list(mechanisms)).select_related("agency")}
    flags = []
    for (rule, mechanism, uid, day, extra), items in found.items():
        key = f"{rule}:{mechanism}:{uid}:{day.isoformat()}" + (f":{extra}" if extra is not None else "")
        flags.append(Flag(key=key, rule=rule, mechanism=mechanisms[mechanism], user=users.get(uid),
                          agency=agencies.get(items[0].agency or 0, "—"), day=day,
                          cases=sorted({refs.get(r.case, "") for r in items}), reads=len(items)))
    marks = {(m.mechanism_id, m.flag): m for m in AccessReviewMark.objects.filter(
        mechanism_id__in=list(mechanisms), flag__in=[f.key for f in flags]).select_related("reviewed_by")}
    for f in flags:
        f.mark = marks.get((f.mechanism.pk, f.key))
    flags.sort(key=lambda f: (f.mark is not None, -f.day.toordinal(), f.rule, f.key))
    return flags


def access_review_mark(*, actor: Any, flag: str, note: str) -> AccessReviewMark:
    """The DPO marks one flag as reviewed, with a note. ``flag`` is a key ``access_flags`` gave."""
    parts = flag.split(":")
    if len(parts) not in (4, 5) or parts[0] not in RULES or not parts[1].isdigit():
        raise ServiceError(_("This is not a flag of the access review."), field="flag")
    mechanism = Mechanism.objects.filter(pk=int(parts[1])).first()
    if mechanism is None or not policy.can(actor, "access.review", mechanism=mechanism):
        raise NotAllowed(_("This is not a flag of the access review."))
    note = note.strip()
    if not note:
        raise ServiceError(_("Write what you found, or what was done."), field="note")
    try:
        with transaction.atomic():
            mark = AccessReviewMark.objects.create(mechanism=mechanism, flag=flag, note=note[:500],
                                                   reviewed_by=actor, reviewed_at=timezone.now())
            audit_record(actor=actor, action="dpo.access_review_marked", obj=mark, mechanism=mechanism,
                         data={"flag": flag})
    except IntegrityError:
        raise ServiceError(_("This flag has already been reviewed.")) from None
    return mark


def legal_holds_of(user: Any) -> list[LegalHold]:
    mechanisms = [m.pk for m in policy.mechanisms_where(user, "legalhold.manage")]
    return list(LegalHold.objects.filter(case__mechanism_id__in=mechanisms, lifted_at__isnull=True)
                .select_related("case", "case__mechanism", "placed_by").order_by("-placed_at"))
