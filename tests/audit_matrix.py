"""The per-request audit matrix: every request the authorization matrices make (pages:
tests/test_matrix.py, API: tests/test_api_matrix.py) is also held to the audit rule
(``ura.governance.audit``), in the same run, so the matrices are not run twice:

- a request that is let through (200, 201, 204, 302, or 400: the form was refused but the persona
  got through) to anything that holds personal data leaves **exactly one** audit event, by that
  user, with a namespaced action (``case.viewed``, ``panel.vote_cast``), naming the case when the
  URL names one;
- a refused request (403, 404) by a signed-in user leaves exactly one ``access.refused`` event
  with a reason code and the route, and nothing of the case (no case or person id) — or, where
  the refusal page still shows what the user may read (a step refused on the case page), that
  read's one event, marked ``refused``;
- anonymous requests are sent to sign in before anything is read and are not attributed to anyone;
- a redirect (302), or an API request refused for its body (400: the answer holds only the
  errors), shows nothing and may leave no event (the probes never change anything; a change
  writes its own event in its service), but never two.

Pages that show no personal data at all are listed in ``NOT_PERSONAL``; they may leave one event
(an aggregate that was viewed) but never two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ura.governance.models import AuditEvent

# Pages and routes that hold no personal data: signing in, languages, the instrument catalogue,
# API documentation, the user's own account and tokens.
NOT_PERSONAL = frozenset({
    "login", "logout", "set_language", "start", "two_factor", "two_factor_enrol", "two_factor_key_options",
    "two_factor_key", "two_factor_recovery",
    "assessments:instruments", "assessments:instrument", "assessments:instrument_download",
    "assessments:credential_revoke",  # staff credentials
    "cases:refer", "governance:breakglass_open",  # empty forms
    "governance:agreements",  # agreements between agencies
    "monitoring:activities", "monitoring:narrative", "monitoring:trainings",  # aggregates and staff registers
    "panels:list", "panels:meeting_create",  # dates and places of meetings
    "api:docs", "api:schema", "api:indicator_scopes", "api:indicators",  # aggregates, small cells suppressed
})
# Events a request writes into another trail besides its own one: the other mechanism's record that
# one of its persons was hinted at (a disclosure, logged where the data lives).
SECONDARY = frozenset({"matching.prior_record_hinted"})
NOT_PERSONAL_PREFIXES = ("accounts:", "tokens:", "web:")
ALLOWED = frozenset({"200", "201", "204", "302", "400"})
REFUSED = frozenset({"403", "404"})
CASE_KINDS = frozenset({"case", "receipt"})
COLUMNS = ("action", "actor_id", "case_id", "person_id", "data")


def personal(name: str) -> bool:
    return name not in NOT_PERSONAL and not name.startswith(NOT_PERSONAL_PREFIXES)


@dataclass
class AuditMatrix:
    """Collects the audit rule's failures over one persona's run of a matrix."""

    problems: list[str] = field(default_factory=list)
    checked: int = 0

    def observe(self, user: Any, where: str, name: str, case_id: int | None, call: Callable[[], str]) -> str:
        """Make the request (``call`` returns its status class) and check what it wrote."""
        before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        got = call()
        events = [dict(zip(COLUMNS, row, strict=True)) for row in
                  AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list(*COLUMNS)]
        self.problems += [f"{where} ({got}): {p}; events: {[e['action'] for e in events]}"
                          for p in check(user, name, case_id, got, events)]
        self.checked += 1
        return got


def check(user: Any, name: str, case_id: int | None, got: str, events: list[dict[str, Any]]) -> list[str]:
    if user is None or got not in ALLOWED | REFUSED:
        return []
    if got in REFUSED:
        if len(events) == 1 and events[0]["data"].get("refused") and events[0]["actor_id"] == user.pk:
            return []  # the refusal page still showed what the user may read: that read, marked refused
        if len(events) != 1 or events[0]["action"] != "access.refused":
            return ["a refused request must leave exactly one access.refused event"]
        e = events[0]
        problems = []
        if e["actor_id"] != user.pk:
            problems.append("the refusal is not attributed to the user")
        if e["case_id"] is not None or e["person_id"] is not None:
            problems.append("the refusal names a case or person")
        if not e["data"].get("reason") or e["data"].get("route") != name:
            problems.append(f"the refusal lacks its reason code or route: {e['data']}")
        return problems
    events = [e for e in events if e["action"] not in SECONDARY]
    shows_nothing = got == "302" or (got == "400" and name.startswith("api:"))  # a redirect; an API error body
    if not personal(name) or shows_nothing:  # (the probes change nothing; a change writes its own event)
        return ["more than one event for one request"] if len(events) > 1 else []
    if len(events) != 1:
        return [f"an allowed request must leave exactly one audit event, not {len(events)}"]
    e = events[0]
    problems = []
    if e["actor_id"] != user.pk:
        problems.append("the event is not attributed to the user")
    namespace, _dot, verb = e["action"].partition(".")
    if not (namespace and verb) or e["action"] == "access.refused":
        problems.append(f"not a namespaced action of an allowed request: {e['action']}")
    if case_id is not None and e["case_id"] != case_id:
        problems.append(f"the event names case {e['case_id']}, not the case {case_id} requested")
    return problems
