"""The menu each user sees follows their roles; the pages behind it still ask the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ura.governance import policy
from ura.mechanisms.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    url_name: str
    roles: frozenset[str]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU: tuple[MenuItem, ...] = (
    MenuItem(_("My work"), "start", frozenset(Role.values)),
    MenuItem(_("Refer a concern"), "cases:refer",
             frozenset({Role.REFERRER, Role.COORDINATOR, Role.PANEL_MEMBER, Role.PROVIDER, Role.POLICE_LIAISON})),
    MenuItem(_("My referrals"), "cases:my_referrals", frozenset({Role.REFERRER})),
    MenuItem(_("Cases"), "cases:list", frozenset({Role.COORDINATOR, Role.POLICE_LIAISON})),
    MenuItem(_("Panel meetings"), "panels:list", frozenset({Role.COORDINATOR, Role.PANEL_MEMBER})),
    MenuItem(_("Deconfliction"), "cases:deconfliction_queue", frozenset({Role.POLICE_LIAISON})),
    MenuItem(_("Information requests"), "cases:request_inbox",
             frozenset({Role.PANEL_MEMBER, Role.PROVIDER, Role.POLICE_LIAISON})),
    MenuItem(_("My interventions"), "support:my_interventions", frozenset({Role.PROVIDER})),
    MenuItem(_("Sharing agreements"), "governance:agreements", frozenset({Role.COORDINATOR, Role.DPO})),
    MenuItem(_("Sign-in locks"), "accounts:locked", frozenset({Role.ADMINISTRATOR})),
    MenuItem(_("Data protection"), "governance:dpo_home", frozenset({Role.DPO})),
    MenuItem(_("Access review"), "governance:access_review", frozenset({Role.DPO})),
    MenuItem(_("Emergency access reviews"), "governance:breakglass_reviews", frozenset({Role.DPO})),
    MenuItem(_("Emergency access"), "governance:breakglass_open", policy.BREAK_GLASS_ROLES),
    MenuItem(_("Dashboard"), "monitoring:dashboard", frozenset({Role.COORDINATOR, Role.ANALYST})),
    MenuItem(_("Annual report"), "monitoring:report", frozenset({Role.COORDINATOR, Role.ANALYST})),
    MenuItem(_("Training"), "monitoring:trainings", frozenset({Role.COORDINATOR})),
    MenuItem(_("Activities"), "monitoring:activities", frozenset({Role.COORDINATOR})),
    MenuItem(_("Funding"), "monitoring:funding", frozenset({Role.COORDINATOR})),
)


def menu_for(user: Any) -> list[MenuItem]:
    roles = {m.role for m in policy.memberships(user)}
    return [item for item in MENU if item.roles & roles]
