from __future__ import annotations

from typing import Any

from django import template

from ura.cases.workflow import Stage
from ura.governance import categories as cat
from ura.governance import policy
from ura.panels import selectors
from ura.panels.forms import ScheduleForm

register = template.Library()


@register.inclusion_tag("panels/_case_section.html", takes_context=True)
def case_panel_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The panel part of the case page (agenda items, decisions) for the viewing user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # Decisions and their reasons are panel minutes: shown only to those who may read minutes.
    if user is None or cat.MINUTES not in policy.visible_categories(user, case):
        return {"case": case, "request": request, "visible": False}
    items = selectors.case_panel_history(case=case)
    schedule_form = None
    waiting = any(not hasattr(i, "decision") for i in items)
    if (policy.can(user, "meeting.manage", mechanism=case.mechanism) and not waiting
            and case.stage in (Stage.CASE_REVIEW, Stage.SUPPORT)):
        schedule_form = ScheduleForm(meetings=selectors.planned_meetings(mechanism=case.mechanism),
                                     auto_id="id_panel_%s")
    return {
        "case": case, "request": request, "visible": True, "items": items, "minutes": cat.MINUTES,
        "why": policy.explain(user, case, cat.MINUTES),
        "meeting_links": case.mechanism_id in selectors.meeting_mechanism_ids(user),
        "schedule_form": schedule_form,
    }
