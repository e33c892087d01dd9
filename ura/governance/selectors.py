"""Reads for the governance pages. The DPO's pages show audit metadata, never case content."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from ura.governance import policy
from ura.governance.models import AuditEvent, BreakGlass, Consent, SharingAgreement

REVIEW_LIMIT = 500


@dataclass
class BreakGlassRow:
    bg: BreakGlass
    agency: Any
    reads: int  # audit events of reads flagged with this emergency access
    form: Any = None


def breakglass_for_review(user: Any) -> list[BreakGlassRow]:
    """Emergency accesses in the DPO's mechanisms, those waiting for review first."""
    mechanisms = [m.pk for m in policy.mechanisms_where(user, "breakglass.review")]
    items = list(BreakGlass.objects.filter(mechanism_id__in=mechanisms)
                 .select_related("user", "case", "mechanism", "reviewed_by")
                 .order_by("reviewed_at", "-opened_at")[:REVIEW_LIMIT])
    if not items:
        return []
    reads: Counter[int] = Counter()
    agencies: dict[int, Any] = {}
    events = (AuditEvent.objects.filter(mechanism_id__in=mechanisms, data__has_key="breakglass",
                                        created_at__gte=min(b.opened_at for b in items))
              .exclude(action__startswith="breakglass.").select_related("agency"))
    for e in events:
        key = e.data.get("breakglass")
        if isinstance(key, int):
            reads[key] += 1
    for e in (AuditEvent.objects.filter(action="breakglass.opened", object_id__in=[str(b.pk) for b in items])
              .select_related("agency")):
        agencies[int(e.object_id)] = e.agency
    items.sort(key=lambda b: (b.reviewed_at is not None, -b.opened_at.timestamp()))
    return [BreakGlassRow(b, agencies.get(b.pk), reads[b.pk]) for b in items]


def agreements_of(mechanism_ids: list[int]) -> list[SharingAgreement]:
    return list(SharingAgreement.objects.filter(mechanism_id__in=mechanism_ids)
                .select_related("agency", "mechanism", "created_by").order_by("mechanism__name", "agency__name", "id"))


def consent_for(user: Any, pk: int | str) -> Consent:
    """A consent of a case the user may open; ``Http404`` for any other."""
    consent = (Consent.objects.filter(pk=pk, case__in=policy.cases_visible_to(user))
               .select_related("case__mechanism").first())
    if consent is None:
        raise Http404
    return consent
