"""Writes of the monitoring registers: each asks the policy, writes, and audits in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from ura.errors import Conflict, NotAllowed, ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Agency, Level, Mechanism
from ura.support.models import Intervention

from .models import Activity, Allocation, BudgetLine, ReportNarrative, Training, TrainingParticipation
from .scopes import Scope


def _require(actor: Any, action: str, mechanism: Mechanism) -> None:
    if not policy.allowed(actor, action, mechanism):
        raise NotAllowed(_("You cannot do this in this mechanism."))


def training_record(*, actor: Any, mechanism: Mechanism, topic: str, held_on: dt.date, trainer: str,
                    place: str = "", hours: int = 4, participants: list[tuple[Agency, Any]],
                    others: dict[Agency, int] | None = None) -> Training:
    """A training with its participants: named members (one each) and numbers of others by agency."""
    _require(actor, "training.manage", mechanism)
    others = {a: n for a, n in (others or {}).items() if n}
    if not participants and not others:
        raise ServiceError(_("Record at least one participant."))
    if any(a.mechanism_id != mechanism.pk for a, _u in participants) or any(
            a.mechanism_id != mechanism.pk for a in others):
        raise ServiceError(_("Participants must come from agencies of the training's mechanism."))
    with transaction.atomic():
        training = Training.objects.create(mechanism=mechanism, topic=topic, held_on=held_on, trainer=trainer,
                                           place=place, hours=hours, created_by=actor)
        seen = set()
        for agency, user in participants:
            if user.pk in seen:
                continue
            seen.add(user.pk)
            TrainingParticipation.objects.create(training=training, agency=agency, user=user)
        for agency, n in others.items():
            TrainingParticipation.objects.create(training=training, agency=agency, headcount=n)
        audit_record(actor=actor, action="training.recorded", obj=training, mechanism=mechanism,
                     data={"participants": len(seen) + sum(others.values()),
                           "agencies": len({a.pk for a, _u in participants} | {a.pk for a in others})})
    return training


def activity_record(*, actor: Any, mechanism: Mechanism, partners: list[Agency] | None = None,
                    **fields: Any) -> Activity:
    _require(actor, "activities.manage", mechanism)
    partners = list(partners or [])
    if any(a.mechanism_id != mechanism.pk for a in partners):
        raise ServiceError(_("Choose partners of the activity's mechanism only."), field="partners")
    if fields.get("participants", 0) < 0 or fields.get("cost", 0) < 0:
        raise ServiceError(_("Numbers cannot be negative."))
    with transaction.atomic():
        activity = Activity.objects.create(mechanism=mechanism, created_by=actor, **fields)
        activity.partners.set(partners)
        audit_record(actor=actor, action="activity.recorded", obj=activity, mechanism=mechanism,
                     data={"kind": activity.kind})
    return activity


def budget_line_add(*, actor: Any, mechanism: Mechanism, funder: str, source: str, title: str, year: int,
                    amount: Decimal) -> BudgetLine:
    _require(actor, "funding.manage", mechanism)
    if amount <= 0:
        raise ServiceError(_("The amount must be more than zero."), field="amount")
    with transaction.atomic():
        line = BudgetLine.objects.create(mechanism=mechanism, funder=funder, source=source, title=title, year=year,
                                         amount=amount, created_by=actor)
        audit_record(actor=actor, action="funding.budget_line_added", obj=line, mechanism=mechanism,
                     data={"funder": funder, "year": year})
    return line


def allocation_record(*, actor: Any, line: BudgetLine, target: Intervention | Activity,
                      amount: Decimal) -> Allocation:
    """Spend part of a budget line on an intervention or an activity; a line is never overspent."""
    mechanism = line.mechanism
    _require(actor, "funding.manage", mechanism)
    owner = target.case.mechanism_id if isinstance(target, Intervention) else target.mechanism_id
    if owner != mechanism.pk:
        raise ServiceError(_("The budget line and what it pays for must belong to the same mechanism."))
    if amount <= 0:
        raise ServiceError(_("The amount must be more than zero."), field="amount")
    with transaction.atomic():
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        spent = line.allocations.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if spent + amount > line.amount:
            raise ServiceError(_("This would overspend the budget line: %(left)s EUR are left.")
                               % {"left": line.amount - spent}, field="amount")
        allocation = Allocation.objects.create(
            line=line, amount=amount, created_by=actor,
            intervention=target if isinstance(target, Intervention) else None,
            activity=target if isinstance(target, Activity) else None)
        # The case is not named in the event: allocations are money, the intervention id is enough.
        audit_record(actor=actor, action="funding.allocated", obj=allocation, mechanism=mechanism,
                     data={"line": line.pk, "target": target._meta.label_lower, "target_id": target.pk})
    return allocation


def can_write_report(user: Any, scope: Scope) -> bool:
    if scope.mechanism is not None:
        return policy.allowed(user, "report.write", scope.mechanism)
    return any(m.level == Level.NATIONAL and m.country == scope.country
               for m in policy.mechanisms_where(user, "report.write"))


def narrative_save(*, actor: Any, scope: Scope, year: int, expected_version: int | None,
                   texts: dict[str, str]) -> ReportNarrative:
    """The coordinator's words for an annual report; two editors never overwrite each other."""
    if not can_write_report(actor, scope):
        raise NotAllowed(_("You cannot write this report."))
    with transaction.atomic():
        narrative, created = ReportNarrative.objects.select_for_update().get_or_create(
            scope=scope.code, year=year, defaults={"updated_by": actor})
        if not created and expected_version is not None and narrative.version != expected_version:
            raise Conflict(_("Someone else changed this report while you were writing. Their text is shown; "
                             "copy yours back in."), current={}, mine=texts)
        for name in ReportNarrative.FIELDS:
            setattr(narrative, name, texts.get(name, "").strip())
        narrative.updated_by = actor
        if not created:
            narrative.version = F("version") + 1
        narrative.save()
        narrative.refresh_from_db()
        audit_record(actor=actor, action="report.narrative_saved", obj=narrative, mechanism=scope.mechanism,
                     data={"scope": scope.code, "year": year})
    return narrative
