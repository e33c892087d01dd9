"""What is due for a user, computed from the case data (no separate task table to drift)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, Deconfliction, InformationRequest, RequestStatus
from ura.cases.workflow import Stage
from ura.governance import policy
from ura.mechanisms.models import Role
from ura.panels.models import AgendaItem, MeetingStatus
from ura.support.models import PostExitReview

REVIEW_SOON_DAYS = 14


@dataclass(frozen=True)
class Task:
    key: str
    kind: str
    title: str
    due: dt.date | None
    url: str
    mechanism: str

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def _mech_ids(user: Any, role: str) -> list[int]:
    return [m.mechanism_id for m in policy.memberships(user) if m.role == role]


def _agency_ids(user: Any) -> list[int]:
    return [m.agency_id for m in policy.memberships(user)]


def tasks_for(user: Any, *, today: dt.date | None = None) -> list[Task]:
    today = today or timezone.localdate()
    tasks: list[Task] = []
    coordinated = _mech_ids(user, Role.COORDINATOR)
    if coordinated:
        tasks += _coordinator_tasks(coordinated, today)
    police = _mech_ids(user, Role.POLICE_LIAISON)
    if police:
        for d in (Deconfliction.objects.filter(case__mechanism_id__in=police, answer="")
                  .select_related("case__mechanism")):
            tasks.append(Task(f"deconfliction:{d.pk}", "deconfliction", _("Answer a deconfliction check"),
                              (d.requested_at + dt.timedelta(days=5)).date(),
                              reverse("cases:deconfliction_queue"), d.case.mechanism.name))
    agencies = _agency_ids(user)
    for r in (InformationRequest.objects.filter(to_agency_id__in=agencies, status=RequestStatus.OPEN)
              .select_related("case__mechanism", "to_agency")):
        tasks.append(Task(f"inforequest:{r.pk}", "inforequest",
                          _("Answer an information request (%(ref)s)") % {"ref": r.case.reference},
                          r.due_on, reverse("cases:request_answer", args=[r.pk]), r.case.mechanism.name))
    panel = [m for m in policy.memberships(user) if m.role == Role.PANEL_MEMBER]
    if panel:
        items = (AgendaItem.objects.filter(meeting__mechanism_id__in=[m.mechanism_id for m in panel],
                                           meeting__status=MeetingStatus.PLANNED, decision__isnull=True)
                 .exclude(votes__membership__in=panel).select_related("meeting__mechanism", "case"))
        for item in items:
            tasks.append(Task(f"vote:{item.pk}", "vote", _("Vote on %(ref)s") % {"ref": item.case.reference},
                              timezone.localtime(item.meeting.starts_at).date(),
                              reverse("panels:detail", args=[item.meeting_id]), item.meeting.mechanism.name))
    return sorted(tasks, key=lambda t: (t.due or dt.date.max, t.key))


def _coordinator_tasks(mechanism_ids: list[int], today: dt.date) -> list[Task]:
    tasks: list[Task] = []
    new = (Case.objects.filter(mechanism_id__in=mechanism_ids, stage__in=[Stage.REFERRED, Stage.SCREENING])
           .select_related("mechanism"))
    for c in new:
        tasks.append(Task(f"screen:{c.pk}", "screening", _("Screen referral %(ref)s") % {"ref": c.reference},
                          c.referred_on + dt.timedelta(days=10), reverse("cases:detail", args=[c.pk]),
                          c.mechanism.name))
    for c in Case.objects.filter(mechanism_id__in=mechanism_ids, stage=Stage.CONSENT).select_related("mechanism"):
        tasks.append(Task(f"consent:{c.pk}", "consent", _("Record consent for %(ref)s") % {"ref": c.reference},
                          (c.decided_on or c.referred_on) + dt.timedelta(days=14),
                          reverse("cases:detail", args=[c.pk]), c.mechanism.name))
    overdue_requests = (InformationRequest.objects
                        .filter(case__mechanism_id__in=mechanism_ids, status=RequestStatus.OPEN, due_on__lt=today)
                        .select_related("case__mechanism", "to_agency"))
    for r in overdue_requests:
        tasks.append(Task(f"chase:{r.pk}", "inforequest_overdue",
                          _("%(agency)s has not answered for %(ref)s") % {"agency": r.to_agency.name,
                                                                          "ref": r.case.reference},
                          r.due_on, reverse("cases:detail", args=[r.case_id]), r.case.mechanism.name))
    in_support = (Case.objects.filter(mechanism_id__in=mechanism_ids, stage=Stage.SUPPORT)
                  .annotate(last_review=Max("decisions__decided_at")).select_related("mechanism"))
    for c in in_support:
        since = timezone.localtime(c.last_review).date() if c.last_review else c.referred_on
        due = since + dt.timedelta(weeks=c.mechanism.review_interval_weeks)
        if due <= today + dt.timedelta(days=REVIEW_SOON_DAYS):
            tasks.append(Task(f"review:{c.pk}", "review", _("Review due for %(ref)s") % {"ref": c.reference},
                              due, reverse("cases:detail", args=[c.pk]), c.mechanism.name))
    reviews = (PostExitReview.objects.filter(case__mechanism_id__in=mechanism_ids, done_on__isnull=True,
                                             due_on__lte=today + dt.timedelta(days=REVIEW_SOON_DAYS))
               .select_related("case__mechanism"))
    for r in reviews:
        tasks.append(Task(f"postexit:{r.pk}", "post_exit_review",
                          _("%(n)s-month post-exit review for %(ref)s") % {"n": r.months_after_exit,
                                                                           "ref": r.case.reference},
                          r.due_on, reverse("cases:detail", args=[r.case_id]), r.case.mechanism.name))
    return tasks
