from __future__ import annotations

from typing import Any

from django import template

from ura.governance import policy

register = template.Library()


@register.inclusion_tag("matching/_link.html", takes_context=True)
def screening_link(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The way to "is this person already known?" from the case page, for those who may screen."""
    user = context["request"].user
    return {"case": case, "show": policy.can(user, "person.search", case=case)}
