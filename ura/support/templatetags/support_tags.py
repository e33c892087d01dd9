from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.models import ConsentGiver
from ura.support import selectors
from ura.support.forms import ConsentForm, InterventionForm, PostExitReviewForm, StatusForm

register = template.Library()

# A post-exit review's form is shown open from this many days before it is due (as on the task list).
REVIEW_SOON_DAYS = 14


@register.inclusion_tag("support/_case_section.html", takes_context=True)
def case_support_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The consent, support-plan and post-exit part of the case page for the viewing user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"case": case, "request": request, "s": None}
    s = selectors.support_section(case=case, user=user)
    ctx_why = policy.explain(user, case, cat.NEEDS_PLAN)
    today = timezone.localdate()
    ctx: dict[str, Any] = {"case": case, "request": request, "s": s, "today": today, "why": ctx_why,
                           "needs": cat.NEEDS_PLAN, "can_withdraw": policy.can(user, "consent.withdraw", case=case),
                           "soon": today + dt.timedelta(days=REVIEW_SOON_DAYS)}
    if s.can_consent:
        minor = bool(case.person.is_minor_on(timezone.localdate()))
        initial = {"decided_on": timezone.localdate(), **({"given_by": ConsentGiver.GUARDIAN} if minor else {})}
        ctx.update(consent_form=ConsentForm(initial=initial, mechanism=case.mechanism), minor=minor)
    if s.can_manage:
        ctx["intervention_form"] = InterventionForm(case=case)
        for i in s.interventions:
            i.status_form = StatusForm(initial={"status": i.status}, auto_id=f"id_%s_{i.pk}")
    if s.can_review:
        for r in s.reviews:
            if r.done_on is None:
                r.form = PostExitReviewForm(auto_id=f"id_%s_review{r.pk}")
    return ctx
