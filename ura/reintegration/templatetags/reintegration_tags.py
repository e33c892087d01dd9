from __future__ import annotations

from typing import Any

from django import template

from ura.reintegration import selectors

register = template.Library()


@register.inclusion_tag("reintegration/_case_section.html", takes_context=True)
def case_reintegration_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The household link, R&R phases and custody milestones on the case page, as the reader may see them."""
    user = getattr(context.get("request"), "user", None)
    if user is None:
        return {"relevant": False}
    return selectors.case_section(user, case)
