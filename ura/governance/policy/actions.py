"""Object questions: may this user open this case, take this action, record this read?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils import timezone

from ura.governance.policy.grants import BREAK_GLASS_ROLES, access, cases_visible_to
from ura.governance.policy.roles import allowed, is_chair, memberships, roles_in
from ura.mechanisms.models import Role

if TYPE_CHECKING:
    from ura.cases.models import Case
    from ura.mechanisms.models import Mechanism


def can_view_case(user: Any, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def case_for(user: Any, pk: int | str, *, for_update: bool = False) -> Case:
    """The case, if this user may open it; ``Http404`` whether it is missing or forbidden."""
    from ura.governance.audit import note_opened, note_refused

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not -(2**63) < pk < 2**63:
        raise Http404
    qs = cases_visible_to(user).select_related("mechanism", "person", "coordinator", "referring_agency")
    case = qs.filter(pk=pk).first()
    if case is None:
        note_refused("case_not_visible")
        raise Http404
    note_opened(case)  # the request's one audit event will name it (ura.governance.audit)
    return case


def can(user: Any, action: str, *, case: Case | None = None, mechanism: Mechanism | None = None,
        obj: Any = None) -> bool:
    """May ``user`` take ``action`` (on ``case`` / ``obj``) in ``mechanism``?

    Emergency access never adds an action: it lets a user read, nothing more.
    """
    mechanism = mechanism or (case.mechanism if case is not None else None)
    if mechanism is None or not allowed(user, action, mechanism):
        return False
    roles = roles_in(user, mechanism)
    if action == "session.record" and obj is not None:
        # The providing agency, and only while the case is shared with it (consent may stop it).
        return (any(m.agency_id == obj.provider_id and m.role == Role.PROVIDER
                    for m in memberships(user) if m.mechanism_id == mechanism.pk)
                and case is not None and can_view_case(user, case))
    if action == "inforequest.answer" and obj is not None:
        return any(m.agency_id == obj.to_agency_id for m in memberships(user) if m.mechanism_id == mechanism.pk)
    if action == "meeting.vote":
        return Role.PANEL_MEMBER in roles
    return True


def can_transition(user: Any, case: Case, transition: Any) -> bool:
    from ura.cases.workflow import CHAIR, COORDINATOR

    roles = roles_in(user, case.mechanism)
    if COORDINATOR in transition.roles and Role.COORDINATOR in roles:
        return True
    return CHAIR in transition.roles and is_chair(user, case.mechanism)


def may_hold_api_tokens(user: Any) -> bool:
    """A token acts as its owner, never more: anyone with an active membership may hold their own."""
    return bool(memberships(user))


def may_break_glass(user: Any, mechanism_id: int) -> bool:
    return any(m.role in BREAK_GLASS_ROLES for m in memberships(user) if m.mechanism_id == mechanism_id)


def breakglass_active(user: Any) -> list[Any]:
    """The user's emergency accesses still running (for the banner on every page)."""
    from ura.governance.models import BreakGlass

    if not any(m.role in BREAK_GLASS_ROLES for m in memberships(user)):
        return []
    return list(BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())
                .select_related("case").order_by("expires_at"))


def read_flags(user: Any, case: Case) -> dict[str, Any]:
    """What an audit event of a read must carry about how the case was reached.

    Every read under emergency access names the break-glass record, so the DPO sees each one.
    """
    bg = access(user, case).breakglass
    return {"breakglass": bg.pk} if bg is not None else {}
