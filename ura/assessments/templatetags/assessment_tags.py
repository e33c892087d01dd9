from __future__ import annotations

from typing import Any

from django import template

from ura.assessments import selectors
from ura.assessments.forms import StartForm
from ura.governance import policy
from ura.governance.audit import audit_record, request_audit

register = template.Library()


@register.inclusion_tag("assessments/_case_section.html", takes_context=True)
def case_assessment_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The assessments part of the case page for the viewing user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"case": case, "request": request, "s": None}
    s = selectors.case_section(user, case)
    current = request_audit()
    if s.shown_ids and (current is None or not current.events):
        # The section shows results: a read of those assessments. On the case page the request's
        # one event (case.viewed) already names them.
        audit_record(actor=user, action="assessment.viewed", case=case,
                     data={"page": "case", "assessments": s.shown_ids, **policy.read_flags(user, case)})
    usable = [x.instrument for x in s.startable if x.refusal is None]
    return {"case": case, "request": request, "s": s,
            "start_form": StartForm(instruments=usable, auto_id="id_assess_%s") if usable else None,
            "blocked": [x for x in s.startable if x.refusal is not None]}
