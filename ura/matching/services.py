"""The coordinator's decisions at screening: link, merge, dismiss, and undo. Each one is a
person's decision, under the policy, recorded on the cases' timelines and in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.cases.models import Case, TimelineEntry
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.matching.models import MatchDecision, Verdict
from ura.matching.screening import pair_explanation
from ura.people.models import Person


def _timeline(case_ids: list[int], *, actor: Any, kind: str, **data: Any) -> None:
    TimelineEntry.objects.bulk_create([TimelineEntry(case_id=pk, actor=actor, kind=kind, category=cat.IDENTITY,
                                                     data=data) for pk in dict.fromkeys(case_ids)])


def _merge_cases(person_id: int, candidate: Person) -> list[list[Any]]:
    """Move a person's cases to ``candidate`` as its next episodes, the first linked to the
    candidate's last one. Returns, per case, what undoing needs: [pk, episode, previous_id]."""
    last = Case.objects.filter(person=candidate).order_by("-episode").first()
    start = last.episode if last else 0
    rows = []
    for i, c in enumerate(Case.objects.filter(person_id=person_id).order_by("episode", "id")):
        rows.append([c.pk, c.episode, c.previous_id])
        link = (c.previous_id is None and i == 0 and last is not None
                and not Case.objects.filter(previous=last).exists())
        Case.objects.filter(pk=c.pk).update(person=candidate, episode=start + i + 1,
                                            previous=last if link else c.previous_id, version=F("version") + 1)
    return rows


def _unmerge_cases(d: MatchDecision) -> list[int]:
    back = []
    for pk, episode, previous_id in d.moved_cases:
        if Case.objects.filter(pk=pk, person_id=d.candidate_id).update(
                person_id=d.person_id, episode=episode, previous_id=previous_id, version=F("version") + 1):
            back.append(pk)
    return back


def match_decide(*, actor: Any, case: Case, candidate_id: int, verdict: str) -> MatchDecision:
    if not policy.can(actor, "identity.decide", case=case):
        raise NotAllowed(_("Only the coordinator decides whether two records are the same person."))
    if verdict not in Verdict.values:
        raise ServiceError(_("Choose link, merge or not the same person."), field="verdict")
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("person", "mechanism").get(pk=case.pk)
        if candidate_id == case.person_id:
            raise ServiceError(_("A record cannot be compared with itself."))
        # The candidate must be a record this coordinator may open; anything else is unknown to them.
        if not policy.cases_visible_to(actor).filter(person_id=candidate_id).exists():
            raise ServiceError(_("This record is not one you may open."), field="candidate")
        candidate = Person.objects.select_related("mechanism").get(pk=candidate_id)
        if MatchDecision.objects.filter(case=case, candidate=candidate, undone_at__isnull=True).exists():
            raise ServiceError(_("A decision about this record is already in force; undo it first."))
        weight, explanation = pair_explanation(case, candidate)
        moved: list[int] = []
        if verdict == Verdict.MERGED:
            if candidate.mechanism_id != case.mechanism_id:
                raise ServiceError(_("Records of different mechanisms can be linked, not merged."))
            moved_rows = _merge_cases(case.person_id, candidate)
            moved = [r[0] for r in moved_rows]
        decision = MatchDecision.objects.create(case=case, person=case.person, candidate=candidate, verdict=verdict,
                                                weight=round(weight, 2), explanation=explanation,
                                                moved_cases=moved_rows if verdict == Verdict.MERGED else [],
                                                decided_by=actor)
        others = list(Case.objects.filter(person=candidate).exclude(pk__in=moved).values_list("pk", flat=True))
        _timeline([case.pk, *(moved if verdict == Verdict.MERGED else []), *others], actor=actor,
                  kind=f"identity_{verdict}", reference=case.reference)
        audit_record(actor=actor, action=f"matching.{verdict}", obj=decision, case=case,
                     data={"person": case.person_id, "candidate": candidate.pk, "weight": decision.weight,
                           "moved_cases": moved})
        for c in Case.objects.filter(pk__in=[case.pk, *moved, *others]):
            policy.forget(c)
    return decision


def match_undo(*, actor: Any, decision: MatchDecision) -> MatchDecision:
    with transaction.atomic():
        d = MatchDecision.objects.select_for_update().select_related("case__mechanism").get(pk=decision.pk)
        if not policy.can(actor, "identity.decide", case=d.case):
            raise NotAllowed(_("Only the coordinator decides whether two records are the same person."))
        if d.undone_at is not None:
            raise ServiceError(_("This decision was already undone."))
        back: list[int] = []
        if d.verdict == Verdict.MERGED:
            back = _unmerge_cases(d)
        d.undone_by, d.undone_at = actor, timezone.now()
        d.save(update_fields=["undone_by", "undone_at"])
        _timeline([d.case_id, *[pk for pk in back if pk != d.case_id]], actor=actor, kind="identity_undone",
                  verdict=d.verdict)
        audit_record(actor=actor, action="matching.undone", obj=d, case=d.case,
                     data={"verdict": d.verdict, "cases_moved_back": back})
    return d
