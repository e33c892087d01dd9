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
