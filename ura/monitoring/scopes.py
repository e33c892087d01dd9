"""Whose figures a user may see: the scope rule of monitoring, asked by every monitoring view.

A scope is one mechanism, one level of one country, or a whole country ("national"):

- A coordinator or analyst of mechanism M (policy action ``aggregates.view``) sees M.
- One who holds that action in a mechanism **of level national** also sees every
  mechanism of the same country, each level of that country, and the country as a
  whole. The national body oversees its country's municipal and regional mechanisms.
- Nobody sees a sum over countries, and nothing else widens a scope.

Every scope is an aggregate: no scope opens a case or names a person.
Scope codes travel in URLs and commands: ``m-<slug>``, ``l-<country>-<level>``, ``c-<country>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ura.governance import policy
from ura.mechanisms.models import Level, Mechanism

ACTION = "aggregates.view"


@dataclass(frozen=True)
class Scope:
    kind: str  # "mechanism", "level" or "country"
    country: str
    code: str
    label: str
    mechanism: Mechanism | None = None
    level: str = ""

    @property
    def node(self) -> tuple[str, Any]:
        """The scope's place in the table of its country (see ``indicators``)."""
        if self.mechanism is not None:
            return ("m", self.mechanism.pk)
        if self.level:
            return ("l", self.level)
        return ("c", self.country)

    @property
    def is_national(self) -> bool:
        return self.kind == "country"


def mechanism_scope(m: Mechanism) -> Scope:
    return Scope(kind="mechanism", country=m.country, code=f"m-{m.slug}", label=m.name, mechanism=m)


def country_scope(country: str) -> Scope:
    return Scope(kind="country", country=country, code=f"c-{country}",
                 label=_("National: all mechanisms in %(country)s") % {"country": country})


def level_scope(country: str, level: str) -> Scope:
    return Scope(kind="level", country=country, code=f"l-{country}-{level}", level=level,
                 label=_("%(level)s mechanisms in %(country)s") % {"level": Level(level).label, "country": country})


def scopes_for(user: Any) -> list[Scope]:
    """Every scope ``user`` may see, the user's own mechanisms first."""
    own = policy.mechanisms_where(user, ACTION)
    scopes = [mechanism_scope(m) for m in sorted(own, key=lambda m: m.name)]
    national = sorted({m.country for m in own if m.level == Level.NATIONAL})
    for country in national:
        scopes.append(country_scope(country))
        members = list(Mechanism.objects.filter(country=country).order_by("name"))
        for level in Level.values:
            if any(m.level == level for m in members):
                scopes.append(level_scope(country, level))
        seen = {s.code for s in scopes}
        scopes += [mechanism_scope(m) for m in members if f"m-{m.slug}" not in seen]
    return scopes


def scope_for(user: Any, code: str) -> Scope | None:
    """The scope named by ``code`` if ``user`` may see it, else None (missing and forbidden look alike)."""
    for scope in scopes_for(user):
        if scope.code == code:
            return scope
    return None


def can_view_indicators(user: Any) -> bool:
    return bool(policy.mechanisms_where(user, ACTION))
