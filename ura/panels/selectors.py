from __future__ import annotations

from typing import Any

from ura.panels.models import AgendaItem, Decision


def latest_decision(*, case: Any) -> Decision | None:
    return Decision.objects.filter(case=case).order_by("-decided_at", "-id").first()


def open_agenda_item(*, case: Any) -> AgendaItem | None:
    """The agenda item awaiting a decision on this case, if any."""
    return (AgendaItem.objects.filter(case=case, decision__isnull=True)
            .select_related("meeting").order_by("meeting__starts_at").first())
