"""One request, one audit event (ura.governance.audit, ura.governance.middleware).

The authorization matrices hold every URL to this rule (tests/audit_matrix.py); these tests pin
the middleware's own behaviour with views made for the purpose.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.world import World
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.governance.middleware import AuditMiddleware
from ura.governance.models import AuditEvent


def events_after(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def call(view: Any, user: Any, pk: int) -> HttpResponse:
    request = RequestFactory().get(f"/probe/{pk}/")
    request.user = user
    return AuditMiddleware(lambda r: view(r, pk))(request)


def opens_quietly(request: HttpRequest, pk: int) -> HttpResponse:
    policy.case_for(request.user, pk)
    return HttpResponse("ok")


def opens_and_records(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    audit_record(actor=request.user, action="case.viewed", obj=case)
    return HttpResponse("ok")


def test_a_case_opened_without_an_event_of_its_own_gets_one(world: World) -> None:
    case, before = world.refer(), last_seq()
    call(opens_quietly, world.coordinator, case.pk)
    [event] = events_after(before)
    assert (event.action, event.actor_id, event.case_id, event.person_id) == (
        "case.opened", world.coordinator.pk, case.pk, case.person_id)


def test_a_view_that_records_its_read_is_not_recorded_twice(world: World) -> None:
    case, before = world.refer(), last_seq()
    call(opens_and_records, world.coordinator, case.pk)
    assert [e.action for e in events_after(before)] == ["case.viewed"]


def test_a_refused_case_leaves_one_refusal_without_personal_data(world: World, other: World) -> None:
    case, before = world.refer(), last_seq()
    response = Client()
    response.force_login(other.coordinator)
    answer = response.get(reverse("cases:detail", kwargs={"pk": case.pk}))
    assert answer.status_code == 404
    [event] = events_after(before)
    assert (event.action, event.actor_id, event.case_id, event.person_id) == (
        "access.refused", other.coordinator.pk, None, None)
    assert event.data == {"route": "cases:detail", "args": {"pk": str(case.pk)}, "method": "GET", "status": 404,
                          "reason": "case_not_visible"}
    assert case.person.family_name not in str(event.data)


def test_anonymous_requests_are_attributed_to_no_one(world: World) -> None:
    case, before = world.refer(), last_seq()
    call(lambda r, pk: HttpResponse(status=404), AnonymousUser(), case.pk)
    assert events_after(before) == []
