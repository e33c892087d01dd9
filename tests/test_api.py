"""The API: tokens, scopes, the error shape, idempotency, throttling and the field allow-lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from ura.api.models import SCOPES, ApiToken, IdempotencyRecord
from ura.api.services import token_create, token_revoke
from ura.cases.models import Case
from ura.governance import policy
from ura.governance.models import AuditEvent
from ura.governance.policy.fields import CASE, PERSON


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()  # token ids repeat across rolled-back tests; so would their request history


def client_for(user, scopes=None) -> APIClient:  # type: ignore[no-untyped-def]
    _token, secret = token_create(actor=None, owner=user, name="t", scopes=list(SCOPES) if scopes is None else scopes)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return c


def referral(world, **over):  # type: ignore[no-untyped-def]
    body = {"mechanism": world.mechanism.pk, "person": {"given_name": "Arta", "family_name": "Berisha"},
            "source_sector": "education", "concern_type": "religious", "concern": "Shares violent videos."}
    body.update(over)
    return body


def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_result(world) -> None:
    c = client_for(world.referrer)
    first = c.post("/api/v1/referrals/", referral(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = c.post("/api/v1/referrals/", referral(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Case.objects.filter(mechanism=world.mechanism).count() == 1


def test_the_same_idempotency_key_with_another_body_is_refused(world) -> None:
    c = client_for(world.referrer)
    c.post("/api/v1/referrals/", referral(world), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    r = c.post("/api/v1/referrals/", referral(world, concern="Other."), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert (r.status_code, r.json()["error"]["code"]) == (422, "idempotency_key_reused")
    assert IdempotencyRecord.objects.count() == 1


def test_a_token_is_stored_hashed_and_shown_once(world) -> None:
    token, secret = token_create(actor=None, owner=world.coordinator, name="t", scopes=["cases:read"])
    assert secret.startswith(token.prefix + ".") and secret not in token.secret_hash


@pytest.mark.parametrize("spoil", ["revoked", "expired", "unknown"])
def test_a_revoked_expired_or_unknown_token_is_refused(world, spoil: str) -> None:
    token, secret = token_create(actor=None, owner=world.coordinator, name="t", scopes=["cases:read"])
    if spoil == "revoked":
        token_revoke(actor=None, token=token)
    elif spoil == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    else:
        secret += "x"
    r = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert (r.status_code, r.json()["error"]["code"]) == (401, "authentication_failed")


def test_a_token_without_the_scope_is_refused(world) -> None:
    r = client_for(world.coordinator, ["indicators:read"]).get("/api/v1/cases/")
    assert (r.status_code, r.json()["error"]["code"]) == (403, "permission_denied")


def test_validation_errors_name_the_field_in_the_users_language(world) -> None:
    r = client_for(world.referrer).post("/api/v1/referrals/", referral(world, concern_type="nope"), format="json",
                                        HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert set(r.json()["error"]) == {"code", "message", "fields"} and "concern_type" in r.json()["error"]["fields"]


def test_too_many_requests_get_a_429_with_retry_after(world, settings) -> None:
    settings.URA_API_RATE = "2/minute"
    c = client_for(world.coordinator)
    answers = [c.get("/api/v1/cases/") for _ in range(3)]
    assert answers[-1].status_code == 429 and answers[-1].json()["error"]["code"] == "throttled"
    assert answers[-1]["Retry-After"]


def test_a_case_of_another_mechanism_is_the_same_404_as_a_missing_one(world, other) -> None:
    theirs = other.refer()
    c = client_for(world.coordinator)
    assert c.get(f"/api/v1/cases/{theirs.pk}/").json() == c.get("/api/v1/cases/999999/").json()


def test_reading_a_case_writes_an_audit_event(world) -> None:
    case = world.refer()
    client_for(world.coordinator).get(f"/api/v1/cases/{case.pk}/")
    assert AuditEvent.objects.filter(action="api.case_viewed", case_id=case.pk).exists()


PERSONAS = ("coordinator", "referrer", "police", "provider", "analyst", "dpo", "admin", "chair")


@pytest.mark.parametrize("persona", PERSONAS)
def test_serialised_fields_are_within_the_personas_allow_list(world, persona: str) -> None:
    case = world.refer()
    user = getattr(world, persona)
    r = client_for(user).get(f"/api/v1/cases/{case.pk}/")
    if r.status_code == 404:
        assert not policy.can_view_case(user, case)
        return
    allowed = policy.fields_for(user, case)
    data = r.json()
    assert set(data) - {"person"} <= allowed.reads(CASE)
    assert set(data.get("person", {})) <= allowed.reads(PERSON)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_write_to_a_field_outside_the_allow_list_is_refused_and_named(world, persona: str) -> None:
    case = world.refer()
    user = getattr(world, persona)
    writable = policy.writable_fields(user, case) if policy.can_view_case(user, case) else frozenset()
    outside = next(f for f in ("risk_summary", "needs_summary", "summary", "track") if f not in writable) \
        if len(writable) < 4 else "reference"
    r = client_for(user).patch(f"/api/v1/cases/{case.pk}/", {"version": case.version, outside: "x"}, format="json")
    assert 400 <= r.status_code < 500
    if r.status_code != 404:
        assert outside in r.json()["error"]["fields"]
    case.refresh_from_db()
    assert case.version == 1


def test_a_coordinator_edits_a_field_on_the_allow_list(world) -> None:
    case = world.refer()
    r = client_for(world.coordinator).patch(f"/api/v1/cases/{case.pk}/", {"version": 1, "summary": "New."},
                                            format="json")
    assert r.status_code == 200 and r.json()["summary"] == "New."


def test_the_schema_and_docs_are_served(db) -> None:
    c = APIClient()
    assert c.get("/api/schema/").status_code == 200
    assert c.get("/api/docs/").status_code == 200


def test_the_tokens_command_shows_the_secret_once_and_revokes(world) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("tokens", "create", world.coordinator.username, "--scope", "cases:read", stdout=out)
    secret = out.getvalue().strip()
    listing = StringIO()
    call_command("tokens", "list", stdout=listing)
    assert secret.split(".")[0] in listing.getvalue() and secret not in listing.getvalue()
    call_command("tokens", "revoke", secret.split(".")[0], stdout=StringIO())
    assert APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401
