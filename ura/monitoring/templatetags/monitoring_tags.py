from __future__ import annotations

from typing import Any

from django import template

from ura.governance import policy
from ura.monitoring.selectors import referrer_trained

register = template.Library()


@register.inclusion_tag("monitoring/_referrer_training_note.html", takes_context=True)
def referrer_training_note(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """On the case page, for those who keep the training register: whether the referrer had been
    trained (a prompt for coaching, never a reason to refuse)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.can(user, "training.manage", mechanism=case.mechanism):
        return {"trained": None}
    return {"trained": referrer_trained(case)}
