from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("panels/_case_section.html", takes_context=True)
def case_panel_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The panel part of the case page (agenda items, decisions) for the viewing user."""
    return {"case": case, "request": context.get("request")}
