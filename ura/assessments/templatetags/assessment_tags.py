from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("assessments/_case_section.html", takes_context=True)
def case_assessment_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The assessments part of the case page for the viewing user."""
    return {"case": case, "request": context.get("request")}
