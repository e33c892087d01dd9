"""The authorization matrix: every URL pattern × every persona × every object scope, against the
written table in ``tests/authz_table.py``.

URL patterns come from Django's resolver, so a new URL that is not in the table fails the build.
Each combination is requested once (GET for pages, POST with an empty form for actions, so that
nothing is changed) and its answer reduced to a status class: 200, 302 (a redirect, not to the
sign-in page), login, 400, 403, 404, 405. A server error fails at once. The number of
combinations checked is printed at the end of the run.

Set URA_AUTHZ_EMIT=path to write the answers as table rows instead of checking them (for
reviewing a new URL's rows, never for accepting them blind).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests import authz_table
from tests.audit_matrix import CASE_KINDS, AuditMatrix
from tests.authz_world import PERSONAS, SCOPES, Scene, build

# The object each URL argument names, by URL name (the rest take a case).
ARG_OBJECT: dict[str, str] = {
    "cases:referral_received": "receipt", "cases:deconfliction_answer": "deconfliction",
    "cases:request_answer": "request",
    "panels:detail": "meeting", "panels:agenda_add": "meeting", "panels:attendance_record": "meeting",
    "panels:meeting_close": "meeting", "panels:conflict_declare": "meeting", "panels:vote_cast": "meeting",
    "panels:decision_record": "meeting",
    "support:intervention": "intervention", "support:session_record": "intervention",
    "support:intervention_set_status": "intervention", "support:post_exit_review_record": "review",
    "governance:breakglass_review": "breakglass", "governance:consent_withdraw": "consent",
    "assessments:detail": "assessment", "assessments:edit": "assessment", "assessments:countersign": "assessment",
    "assessments:revise": "assessment", "assessments:discard": "assessment",
    "assessments:intervention_needs": "intervention", "assessments:instrument": "instrument",
    "assessments:instrument_download": "instrument", "assessments:credential_revoke": "credential",
    "assessments:countersign_rule": "mechanism", "tokens:revoke": "apitoken",
    "accounts:security_key_remove": "securitykey",
    "matching:undo": "matchdecision",
}
# Actions (probed with POST); everything else is probed with GET. The table states the method too.
POSTED = frozenset({
    "set_language", "cases:transition", "cases:deconfliction_request", "cases:request_create", "cases:rerefer",
    "cases:deconfliction_answer", "panels:agenda_add", "panels:attendance_record", "panels:meeting_close",
    "panels:conflict_declare", "panels:vote_cast", "panels:decision_record", "panels:case_schedule",
    "support:session_record", "support:intervention_set_status", "governance:breakglass_review",
    "governance:case_share", "governance:consent_withdraw",
    "assessments:start", "assessments:countersign", "assessments:revise", "assessments:discard",
    "assessments:credential_revoke", "assessments:countersign_rule", "tokens:create", "tokens:revoke",
    "matching:decide", "matching:undo", "accounts:security_key_options", "accounts:security_key_add",
    "accounts:security_key_remove", "two_factor_key_options", "two_factor_key", "two_factor_recovery",
    "accounts:recovery_codes_new",
})
# Probed last: a coordinator's withdrawal changes who sees the case (in that persona's own database).
LAST = ("governance:consent_withdraw", "logout")


def url_names() -> list[str]:
    def walk(resolver: URLResolver, ns: str) -> list[str]:
        found = []
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                found += walk(p, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                found.append(ns + p.name)
        return found

    # The API's routes have their own table (tokens and scopes): tests/test_api_matrix.py.
    return sorted(n for n in set(walk(get_resolver(), "")) if not n.startswith("api:"))


def _kwargs(name: str, objects: dict[str, int]) -> dict[str, Any] | None:
    """The URL's arguments in this scope; ``None`` where the scope has no such object."""
    try:
        reverse(name)
        return {}
    except NoReverseMatch:
        pass
    kind = ARG_OBJECT.get(name, "case")
    if kind not in objects:
        return None
    kw: dict[str, Any] = {"pk": objects[kind]}
    if name in ("panels:conflict_declare", "panels:vote_cast", "panels:decision_record"):
        if "item" not in objects:
            return None
        kw["item_pk"] = objects["item"]
    if name == "panels:case_schedule":
        kw = {"case_pk": objects["case"]}
    if name == "assessments:compare":
        if "earlier" not in objects or "assessment" not in objects:
            return None
        kw = {"first": objects["earlier"], "second": objects["assessment"]}
    if name == "cases:transition":
        kw["name"] = "start_screening"
    try:
        reverse(name, kwargs=kw)
    except NoReverseMatch:
        return None  # arguments this harness does not know yet (a URL not in the table)
    return kw


def status_class(response: Any) -> str:
    code = response.status_code
    if code >= 500:
        raise AssertionError(f"server error {code}")
    if 200 <= code < 300:
        return "200"
    if 300 <= code < 400:
        return "login" if "/login/" in response.get("Location", "") else "302"
    return str(code)


def probe(client: Client, name: str, method: str, kwargs: dict[str, Any]) -> str:
    url = reverse(name, kwargs=kwargs)
    response = client.post(url, {}) if method == "POST" else client.get(url)
    return status_class(response)


def run(scene: Scene, persona: str) -> tuple[int, list[str], list[str]]:
    """Check every row of the table for one persona; returns (checked, mismatches, emitted rows)."""
    client = Client()
    if scene.user is not None:
        client.force_login(scene.user)
    checked, wrong, emitted = 0, [], []
    audited = AuditMatrix()
    names = [n for n in url_names() if n not in LAST] + [n for n in LAST if n in url_names()]
    for name in names:
        for scope in SCOPES:
            expected = authz_table.expected(name, scope, persona)
            kwargs = _kwargs(name, scene.objects[scope])
            if kwargs is None:
                if expected not in (None, "-"):
                    wrong.append(f"{name} {scope} {persona}: expected {expected}, but the scope has no object")
                continue
            method = authz_table.method(name) or ("POST" if name in POSTED else "GET")
            # The same request is held to the audit rule (tests/audit_matrix.py).
            case_id = (kwargs.get("pk", kwargs.get("case_pk"))
                       if kwargs and ARG_OBJECT.get(name, "case") in CASE_KINDS else None)
            got = audited.observe(scene.user, f"{name} {method} {scope} {persona}", name, case_id,
                                  lambda: probe(client, name, method, kwargs))  # noqa: B023 (called at once)
            emitted.append(f"{name} {method} {scope} {persona} {got}")
            if expected is None:
                continue  # reported by test_every_url_is_in_the_table
            checked += 1
            if got != expected:
                wrong.append(f"{name} {method} {scope} {persona}: expected {expected}, got {got}")
    return checked, wrong + [f"audit: {p}" for p in audited.problems], emitted


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_the_table_says(db, persona: str, record_property) -> None:  # type: ignore[no-untyped-def]
    scene = build(persona)
    checked, wrong, emitted = run(scene, persona)
    record_property("authz_combinations", checked)
    if os.environ.get("URA_AUTHZ_EMIT"):
        with Path(os.environ["URA_AUTHZ_EMIT"]).open("a", encoding="utf-8") as f:
            f.write("\n".join(emitted) + "\n")
        return
    print(f"authorization matrix: {checked} combinations checked for {persona}")
    assert not wrong, "\n".join(wrong)


def test_every_url_is_in_the_table() -> None:
    missing = [n for n in url_names() if not authz_table.has(n)]
    assert not missing, "URLs missing from tests/authz_table.py: " + ", ".join(missing)


def test_the_table_names_no_url_that_does_not_exist() -> None:
    stale = sorted(set(authz_table.names()) - set(url_names()))
    assert not stale, "Rows for URLs that no longer exist: " + ", ".join(stale)


def test_the_table_is_well_formed() -> None:
    for row in authz_table.ROWS:
        assert re.fullmatch(r"[\w:]+", row.name) and row.method in ("GET", "POST"), row
        assert row.scope in (*SCOPES, "*"), row
        assert all(v in authz_table.CLASSES for v in row.expected.values()), row
