from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("support/_case_section.html", takes_context=True)
def case_support_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The consent, support-plan and post-exit part of the case page for the viewing user."""
    return {"case": case, "request": context.get("request")}
