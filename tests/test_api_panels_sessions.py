"""The API's panel and support operations: the same services and policy as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.test_api import client_for
from tests.walk import fresh, screen_and_review, start_support
from ura.api.models import ApiToken
from ura.api.services import token_hash
from ura.governance.models import AuditEvent
from ura.mechanisms.models import Membership
from ura.panels import services as panels
from ura.support.models import Session


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _meeting_with(world, case):  # type: ignore[no-untyped-def]
    meeting = panels.meeting_create(actor=world.coordinator, mechanism=world.mechanism,
                                    starts_at=timezone.now() + dt.timedelta(days=1))
    item = panels.agenda_add(actor=world.coordinator, meeting=meeting, case=case)
    ids = set(Membership.objects.filter(user__in=world.panel, mechanism=world.mechanism).values_list("pk", flat=True))
    panels.attendance_record(actor=world.coordinator, meeting=meeting, present_ids=ids)
    return meeting, item


def test_panel_members_vote_and_the_chair_records_the_decision_through_the_api(world) -> None:
    case = screen_and_review(world, world.refer())
    meeting, item = _meeting_with(world, case)
    base = f"/api/v1/meetings/{meeting.pk}/items/{item.pk}"
    listed = client_for(world.panel[1]).get("/api/v1/meetings/").json()
    [mine] = [m for m in listed if m["id"] == meeting.pk]
    assert mine["items"][0]["reference"] == case.reference and "adopt" in mine["items"][0]["outcomes"]
    assert "given_name" not in str(mine)  # cases by reference only

    bad = client_for(world.panel[0]).post(f"{base}/vote/", {"outcome": "nonsense"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"outcome": [bad.json()["error"]["fields"]
                                                                                       ["outcome"][0]]}
    for member in world.panel:
        r = client_for(member).post(f"{base}/vote/", {"outcome": "adopt"}, format="json")
        assert r.status_code == 200, r.json()
    assert client_for(world.panel[1]).get(f"/api/v1/meetings/{meeting.pk}/").json()["items"][0]["my_vote"] == "adopt"
    # A panel member who is not chair cannot record the decision; the coordinator can.
    assert client_for(world.panel[1]).post(f"{base}/decision/", {"reasons": "x"}, format="json").status_code == 403
    r = client_for(world.coordinator).post(f"{base}/decision/", {"reasons": "Agreed after discussion."}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["outcome"] == "adopt" and body["case_stage"] == fresh(case).stage != "panel"
    assert AuditEvent.objects.filter(action="panel.decision_recorded", case_id=case.pk).count() == 1
    again = client_for(world.coordinator).post(f"{base}/decision/", {"reasons": "Twice."}, format="json")
    assert (again.status_code, again.json()["error"]["code"]) == (400, "refused")


def test_the_coordinator_cannot_vote(world) -> None:
    case = screen_and_review(world, world.refer())
    meeting, item = _meeting_with(world, case)
    r = client_for(world.coordinator).post(f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/vote/",
                                           {"outcome": "adopt"}, format="json")
    assert r.status_code == 403


def _intervention(world):  # type: ignore[no-untyped-def]
    from tests.walk import decide

    case = screen_and_review(world, world.refer())
    decide(world, case, "adopt")
    case = start_support(world, case)
    return case.interventions.get()


def test_a_provider_records_a_session_and_a_retry_with_the_same_key_returns_the_first(world) -> None:
    intervention = _intervention(world)
    c = client_for(world.provider)
    [listed] = [i for i in c.get("/api/v1/interventions/").json() if i["id"] == intervention.pk]
    assert listed["sessions_open"] is True
    body = {"held_on": timezone.localdate().isoformat(), "attended": True, "minutes_spent": 45,
            "progress": "Planned the next steps at school."}
    url = f"/api/v1/interventions/{intervention.pk}/sessions/"
    before = Session.objects.filter(intervention=intervention).count()
    first = c.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    again = c.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert Session.objects.filter(intervention=intervention).count() == before + 1
    listed = c.get(url).json()
    assert listed[0]["id"] == first.json()["id"]


@pytest.mark.parametrize("change,field", [({"minutes_spent": 0}, "minutes_spent"), ({"attended": "yes"}, "attended"),
                                          ({"held_on": "2999-01-01"}, "held_on")])
def test_a_bad_session_is_refused_and_names_the_field(world, change, field) -> None:  # type: ignore[no-untyped-def]
    intervention = _intervention(world)
    body = {"held_on": timezone.localdate().isoformat(), "attended": True, "minutes_spent": 45, **change}
    r = client_for(world.provider).post(f"/api/v1/interventions/{intervention.pk}/sessions/", body, format="json")
    assert r.status_code == 400 and field in r.json()["error"]["fields"], r.json()


def test_another_agency_cannot_see_or_record_sessions(world) -> None:
    intervention = _intervention(world)
    url = f"/api/v1/interventions/{intervention.pk}/sessions/"
    assert client_for(world.panel[1]).get(url).status_code == 404
    assert client_for(world.coordinator).post(url, {}, format="json").status_code == 404


def test_the_token_page_shows_a_new_secret_once_stores_a_hash_and_revokes(world) -> None:
    c = Client()
    c.force_login(world.provider)
    assert c.get("/account/tokens/").status_code == 200
    r = c.post("/account/tokens/new/", {"name": "Case tool", "scopes": ["sessions:write"], "days": "30"})
    assert r.status_code == 201
    token = ApiToken.objects.get(owner=world.provider, name="Case tool")
    secret = r.context["secret"]
    assert secret.startswith(token.prefix) and token.secret_hash == token_hash(secret)
    assert secret not in c.get("/account/tokens/").content.decode()  # shown once
    api = client_for(world.provider)
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/interventions/").status_code == 200
    assert api.get("/api/v1/cases/").status_code == 403  # not a scope it was given
    assert c.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/interventions/").status_code == 401


@pytest.mark.parametrize("post", [{"name": "", "scopes": ["cases:read"], "days": "30"},
                                  {"name": "x", "scopes": ["root"], "days": "30"},
                                  {"name": "x", "scopes": ["cases:read"], "days": "9999"}])
def test_a_bad_token_form_is_shown_again_with_its_errors(world, post) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(world.coordinator)
    r = c.post("/account/tokens/new/", post)
    assert r.status_code == 400 and r.context["form"].errors
    assert not ApiToken.objects.filter(owner=world.coordinator).exists()


def test_nobody_revokes_another_persons_token(world) -> None:
    from ura.api.services import token_create

    theirs, _secret = token_create(actor=None, owner=world.coordinator, name="t", scopes=["cases:read"])
    c = Client()
    c.force_login(world.provider)
    assert c.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_meeting_list_needs_the_same_queries_however_many_meetings(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(world.panel[1])

    def queries() -> int:
        case = screen_and_review(world, world.refer())
        _meeting_with(world, case)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/api/v1/meetings/").status_code == 200
        return len(ctx.captured_queries)

    first = queries()
    assert queries() == first
