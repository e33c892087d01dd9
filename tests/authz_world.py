"""The world the authorization matrix runs in: personas, and objects in each object scope.

Object scopes, from the persona's side:
- ``own``: objects of the persona's own mechanism (for the outsider and the anonymous visitor:
  of the mechanism under test, which is not theirs);
- ``other``: the same kinds of objects in a mechanism none of the personas belongs to;
- ``shared``: a case of their mechanism reached only through open information requests (to the
  school, the police and the CSO), and the request addressed to the persona's agency;
- ``breakglass``: a freshly referred case the persona opened with emergency access (where their
  role may; for the others, the same case without it).
"""

from __future__ import annotations

import datetime as dt
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.walk import decide, fresh, screen_and_review, start_support
from tests.world import World, make_world
from ura.accounts.models import SecurityKey
from ura.api.services import token_create
from ura.cases.models import Case, InformationRequest
from ura.cases.services import information_request_create
from ura.governance import policy
from ura.governance.models import BreakGlass
from ura.governance.services import breakglass_open
from ura.matching.services import match_decide
from ura.panels import services as panels
from ura.reintegration.models import Household, HouseholdMember

PERSONAS = ("coordinator", "panel", "referrer", "police", "police_p4p", "provider", "analyst", "dpo", "admin",
            "outsider", "anonymous")
SCOPES = ("own", "other", "shared", "breakglass")


@dataclass
class Scene:
    user: Any  # None for the anonymous visitor
    objects: dict[str, dict[str, int]]  # scope -> object kind -> pk


def _ask(w: World, case: Case, agency: str) -> InformationRequest:
    return information_request_create(case=case, actor=w.coordinator, to_agency=w.agencies[agency],
                                      question="Is the person known to you?", purpose="needs assessment",
                                      legal_basis="Law on social protection, art. 12",
                                      due_on=timezone.localdate() + dt.timedelta(days=7))


def _own_objects(w: World) -> dict[str, Any]:
    """A case in support (its consent, intervention, deconfliction, requests), a planned meeting
    with a case waiting for its decision, an exited case's post-exit review, an emergency access."""
    case = screen_and_review(w, w.refer())
    decide(w, case, "adopt")
    case = start_support(w, case)
    requests = {r.to_agency_id: r.pk for r in case.information_requests.all()}
    for agency in ("school", "police", "cso"):
        requests[w.agencies[agency].pk] = _ask(w, case, agency).pk
    waiting = screen_and_review(w, w.refer())
    meeting = panels.meeting_create(actor=w.coordinator, mechanism=w.mechanism,
                                    starts_at=timezone.now() + dt.timedelta(days=3))
    item = panels.agenda_add(actor=w.coordinator, meeting=meeting, case=waiting)
    exited = start_support(w, _adopted(w))
    decide(w, exited, "exit")
    glass = breakglass_open(actor=w.panel[2], reference=w.refer().reference,
                            reason="A teacher reports a threat made this morning; I need the file.")
    earlier, assessment = _assessments(w, case)
    # Setup only: the case's household (its page and forms are then real in every scope).
    household = Household.objects.create(mechanism=w.mechanism, name="Household", created_by=w.coordinator)
    HouseholdMember.objects.create(household=household, case=case, relationship="head")
    return {
        "assessment": assessment.pk, "earlier": earlier.pk, "credential": _credential(w).pk,
        "instrument": assessment.instrument_id, "mechanism": w.mechanism.pk,
        "case": case.pk, "receipt": case.pk, "requests": requests,
        "request": case.information_requests.order_by("id").first().pk,
        "intervention": case.interventions.get().pk, "deconfliction": case.deconflictions.get().pk,
        "consent": case.consents.get().pk if case.consents.exists() else 0,
        "meeting": meeting.pk, "item": item.pk, "review": fresh(exited).post_exit_reviews.first().pk,
        "breakglass": glass.pk,
        "matchdecision": match_decide(actor=w.coordinator, case=case, candidate_id=waiting.person_id,
                                      verdict="dismissed").pk,
        "apitoken": token_create(actor=None, owner=w.coordinator, name="school system", scopes=["cases:read"])[0].pk,
        # Setup only: a registered key (adding one takes a real authenticator: tests/test_security_keys.py).
        "securitykey": SecurityKey.objects.create(user=w.coordinator, name="blue key", confirmed=True,
                                                  credential_id=urlsafe_b64encode(f"matrix-key-{w.coordinator.pk}".encode()).decode().rstrip("="),
                                                  public_key=b"\xa5").pk,
    }


def _assessments(w: World, case: Case) -> tuple[Any, Any]:
    """A vulnerability assessment (risk) of the case by the coordinator, in two versions."""
    from tests.test_assessments import complete
    from ura.assessments.services import assessment_revise

    first = complete(w, case)
    return first, complete(w, case, draft=assessment_revise(actor=w.coordinator, assessment=first))


def _credential(w: World) -> Any:
    from ura.assessments.services import credential_record

    return credential_record(actor=None, user=w.panel[3], code="psychiatrist", valid_from=timezone.localdate(),
                             valid_until=None)


def _adopted(w: World) -> Case:
    case = screen_and_review(w, w.refer())
    decide(w, case, "adopt")
    return fresh(case)


def _shared_case(w: World) -> dict[str, Any]:
    case = screen_and_review(w, w.refer())
    # Setup only: without its deconfliction check, the police reach this case through the request alone.
    case.deconflictions.all().delete()
    requests = {w.agencies[a].pk: _ask(w, case, a).pk for a in ("school", "police", "cso")}
    return {"case": case.pk, "receipt": case.pk, "requests": requests, "request": min(requests.values())}


def _glass_case(w: World, user: Any) -> dict[str, Any]:
    case = w.refer()
    if user is not None and policy.may_break_glass(user, w.mechanism.pk):
        breakglass_open(actor=user, reference=case.reference,
                        reason="Someone is in danger tonight and I must read this case now.")
    return {"case": case.pk, "receipt": case.pk}


def build(persona: str) -> Scene:
    home = make_world("passage4prevent" if persona == "police_p4p" else "channel")
    elsewhere = make_world("channel")
    user: Any = None
    if persona == "outsider":
        user = make_world("gjilan").coordinator
    elif persona == "police_p4p":
        user = home.police
    elif persona != "anonymous":
        user = {"coordinator": home.coordinator, "panel": home.panel[1], "referrer": home.referrer,
                "police": home.police, "provider": home.provider, "analyst": home.analyst, "dpo": home.dpo,
                "admin": home.admin}[persona]
    objects = {"own": _own_objects(home), "other": _own_objects(elsewhere), "shared": _shared_case(home),
               "breakglass": _glass_case(home, user)}
    # The request a persona's agency was sent, where there is one.
    agency_ids = {m.agency_id for m in policy.memberships(user)} if user is not None else set()
    for scope in objects.values():
        for agency_id, pk in scope.pop("requests", {}).items():
            if agency_id in agency_ids:
                scope["request"] = pk
    assert BreakGlass.objects.exists()
    return Scene(user, objects)
