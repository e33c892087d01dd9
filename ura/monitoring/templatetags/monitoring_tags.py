from __future__ import annotations

from typing import Any

from django import template

from ura.monitoring.selectors import referrer_trained

register = template.Library()


@register.inclusion_tag("monitoring/_referrer_training_note.html")
def referrer_training_note(case: Any) -> dict[str, Any]:
    """On the case page: whether the referrer had been trained (coaching, never refusal)."""
    return {"trained": referrer_trained(case)}
