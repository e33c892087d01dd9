from __future__ import annotations

from typing import Any

from django import template

from ura.governance import categories as cat
from ura.governance import policy

register = template.Library()


@register.inclusion_tag("governance/_why.html", takes_context=True)
def why(context: dict[str, Any], case: Any, category: str) -> dict[str, Any]:
    """A small "Why can I see this?" disclosure for one category of the case, for the viewing user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"category": category, "why": policy.explain(user, case, category),
            "label": cat.LABELS.get(category, category)}


@register.filter
def category_label(value: str) -> str:
    return str(cat.LABELS.get(value, value))


@register.filter
def category_labels(values: Any) -> str:
    return ", ".join(str(cat.LABELS[c]) for c in values if c in cat.LABELS)


@register.inclusion_tag("governance/_legal_hold.html", takes_context=True)
def legal_hold_notice(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """That the case is under a legal hold (kept from erasure), for those the policy lets see it."""
    from ura.governance.models import LegalHold

    request = context.get("request")
    user = getattr(request, "user", None)
    hold = None
    if user is not None and policy.can(user, "legalhold.view", case=case):
        hold = LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()
    return {"hold": hold}
