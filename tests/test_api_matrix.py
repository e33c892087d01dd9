"""The authorization matrix of the API: every API route × persona × object scope × token scope,
against the written table below. A route missing from the table fails the build, as for pages.

Personas and object scopes are the page matrix's (``tests/authz_world.py``). Token scopes: ``all``
is a token holding every scope; ``few`` one holding every scope except the one
the route needs (the browser session is covered by the page matrix and acts like ``all``).
Each combination is requested once with a body that changes nothing (an empty or incomplete
one), and the answer's status code compared. Anonymous requests carry no token at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from tests.audit_matrix import AuditMatrix
from tests.authz_world import PERSONAS, SCOPES, build
from ura.api.models import SCOPES as TOKEN_SCOPES
from ura.api.services import token_create
from ura.cases.models import Case

TABLE = """
# route                   method scope      tokens coord panel refer pol   p4p   prov  anal  dpo   admin out   anon
api:assessment            GET    own        all    200   200   404   404   404   404   404   404   404   404   401
api:assessment            GET    own        few    403   403   403   403   403   403   403   403   403   403   401
api:assessment            GET    other      all    404   404   404   404   404   404   404   404   404   404   401
api:assessment            GET    other      few    403   403   403   403   403   403   403   403   403   403   401
api:assessment            GET    shared     all    -     -     -     -     -     -     -     -     -     -     -
api:assessment            GET    shared     few    -     -     -     -     -     -     -     -     -     -     -
api:assessment            GET    breakglass all    -     -     -     -     -     -     -     -     -     -     -
api:assessment            GET    breakglass few    -     -     -     -     -     -     -     -     -     -     -
api:case                  GET    own        all    200   200   404   200   200   200   404   404   404   404   401
api:case                  GET    own        few    403   403   403   403   403   403   403   403   403   403   401
api:case                  GET    other      all    404   404   404   404   404   404   404   404   404   404   401
api:case                  GET    other      few    403   403   403   403   403   403   403   403   403   403   401
api:case                  GET    shared     all    200   200   404   200   200   200   404   404   404   404   401
api:case                  GET    shared     few    403   403   403   403   403   403   403   403   403   403   401
api:case                  GET    breakglass all    200   200   404   200   200   200   404   404   404   404   401
api:case                  GET    breakglass few    403   403   403   403   403   403   403   403   403   403   401
api:case                  PATCH  own        all    400   403   404   403   403   403   404   404   404   404   401
api:case                  PATCH  own        few    403   403   403   403   403   403   403   403   403   403   401
api:case                  PATCH  other      all    404   404   404   404   404   404   404   404   404   404   401
api:case                  PATCH  other      few    403   403   403   403   403   403   403   403   403   403   401
api:case                  PATCH  shared     all    400   403   404   403   403   403   404   404   404   404   401
api:case                  PATCH  shared     few    403   403   403   403   403   403   403   403   403   403   401
api:case                  PATCH  breakglass all    400   403   404   403   403   403   404   404   404   404   401
api:case                  PATCH  breakglass few    403   403   403   403   403   403   403   403   403   403   401
api:case_assessments      GET    own        all    200   200   404   200   200   200   404   404   404   404   401
api:case_assessments      GET    own        few    403   403   403   403   403   403   403   403   403   403   401
api:case_assessments      GET    other      all    404   404   404   404   404   404   404   404   404   404   401
api:case_assessments      GET    other      few    403   403   403   403   403   403   403   403   403   403   401
api:case_assessments      GET    shared     all    200   200   404   200   200   200   404   404   404   404   401
api:case_assessments      GET    shared     few    403   403   403   403   403   403   403   403   403   403   401
api:case_assessments      GET    breakglass all    200   200   404   200   200   200   404   404   404   404   401
api:case_assessments      GET    breakglass few    403   403   403   403   403   403   403   403   403   403   401
api:case_request_create   POST   own        all    400   403   404   403   403   403   404   404   404   404   401
api:case_request_create   POST   own        few    403   403   403   403   403   403   403   403   403   403   401
api:case_request_create   POST   other      all    404   404   404   404   404   404   404   404   404   404   401
api:case_request_create   POST   other      few    403   403   403   403   403   403   403   403   403   403   401
api:case_request_create   POST   shared     all    400   403   404   403   403   403   404   404   404   404   401
api:case_request_create   POST   shared     few    403   403   403   403   403   403   403   403   403   403   401
api:case_request_create   POST   breakglass all    400   403   404   403   403   403   404   404   404   404   401
api:case_request_create   POST   breakglass few    403   403   403   403   403   403   403   403   403   403   401
api:case_transition       POST   own        all    400   403   404   403   403   403   404   404   404   404   401
api:case_transition       POST   own        few    403   403   403   403   403   403   403   403   403   403   401
api:case_transition       POST   other      all    404   404   404   404   404   404   404   404   404   404   401
api:case_transition       POST   other      few    403   403   403   403   403   403   403   403   403   403   401
api:case_transition       POST   shared     all    400   403   404   403   403   403   404   404   404   404   401
api:case_transition       POST   shared     few    403   403   403   403   403   403   403   403   403   403   401
api:case_transition       POST   breakglass all    400   403   404   403   403   403   404   404   404   404   401
api:case_transition       POST   breakglass few    403   403   403   403   403   403   403   403   403   403   401
api:cases                 GET    *          all    200   200   200   200   200   200   200   200   200   200   401
api:cases                 GET    *          few    403   403   403   403   403   403   403   403   403   403   401
api:docs                  GET    *          all    200   200   200   200   200   200   200   200   200   200   200
api:docs                  GET    *          few    200   200   200   200   200   200   200   200   200   200   200
api:indicator_scopes      GET    *          all    200   200   200   200   200   200   200   200   200   200   401
api:indicator_scopes      GET    *          few    403   403   403   403   403   403   403   403   403   403   401
api:indicators            GET    own        all    200   404   404   404   404   404   200   404   404   404   401
api:indicators            GET    own        few    403   403   403   403   403   403   403   403   403   403   401
api:indicators            GET    other      all    404   404   404   404   404   404   404   404   404   404   401
api:indicators            GET    other      few    403   403   403   403   403   403   403   403   403   403   401
api:indicators            GET    shared     all    200   404   404   404   404   404   200   404   404   404   401
api:indicators            GET    shared     few    403   403   403   403   403   403   403   403   403   403   401
api:indicators            GET    breakglass all    200   404   404   404   404   404   200   404   404   404   401
api:indicators            GET    breakglass few    403   403   403   403   403   403   403   403   403   403   401
api:meetings              GET    *          all    200   200   200   200   200   200   200   200   200   200   401
api:meetings              GET    *          few    403   403   403   403   403   403   403   403   403   403   401
api:meeting               GET    own        all    200   200   404   404   404   404   404   404   404   404   401
api:meeting               GET    own        few    403   403   403   403   403   403   403   403   403   403   401
api:meeting               GET    other      all    404   404   404   404   404   404   404   404   404   404   401
api:meeting               GET    other      few    403   403   403   403   403   403   403   403   403   403   401
api:meeting               GET    shared     all    -     -     -     -     -     -     -     -     -     -     -
api:meeting               GET    shared     few    -     -     -     -     -     -     -     -     -     -     -
api:meeting               GET    breakglass all    -     -     -     -     -     -     -     -     -     -     -
api:meeting               GET    breakglass few    -     -     -     -     -     -     -     -     -     -     -
api:vote                  POST   own        all    403   400   404   404   404   404   404   404   404   404   401
api:vote                  POST   own        few    403   403   403   403   403   403   403   403   403   403   401
api:vote                  POST   other      all    404   404   404   404   404   404   404   404   404   404   401
api:vote                  POST   other      few    403   403   403   403   403   403   403   403   403   403   401
api:vote                  POST   shared     all    -     -     -     -     -     -     -     -     -     -     -
api:vote                  POST   shared     few    -     -     -     -     -     -     -     -     -     -     -
api:vote                  POST   breakglass all    -     -     -     -     -     -     -     -     -     -     -
api:vote                  POST   breakglass few    -     -     -     -     -     -     -     -     -     -     -
api:decision              POST   own        all    400   403   404   404   404   404   404   404   404   404   401
api:decision              POST   own        few    403   403   403   403   403   403   403   403   403   403   401
api:decision              POST   other      all    404   404   404   404   404   404   404   404   404   404   401
api:decision              POST   other      few    403   403   403   403   403   403   403   403   403   403   401
api:decision              POST   shared     all    -     -     -     -     -     -     -     -     -     -     -
api:decision              POST   shared     few    -     -     -     -     -     -     -     -     -     -     -
api:decision              POST   breakglass all    -     -     -     -     -     -     -     -     -     -     -
api:decision              POST   breakglass few    -     -     -     -     -     -     -     -     -     -     -
api:interventions         GET    *          all    200   200   200   200   200   200   200   200   200   200   401
api:interventions         GET    *          few    403   403   403   403   403   403   403   403   403   403   401
api:sessions              GET    own        all    404   404   404   404   404   200   404   404   404   404   401
api:sessions              GET    own        few    403   403   403   403   403   403   403   403   403   403   401
api:sessions              GET    other      all    404   404   404   404   404   404   404   404   404   404   401
api:sessions              GET    other      few    403   403   403   403   403   403   403   403   403   403   401
api:sessions              GET    shared     all    -     -     -     -     -     -     -     -     -     -     -
api:sessions              GET    shared     few    -     -     -     -     -     -     -     -     -     -     -
api:sessions              GET    breakglass all    -     -     -     -     -     -     -     -     -     -     -
api:sessions              GET    breakglass few    -     -     -     -     -     -     -     -     -     -     -
api:sessions              POST   own        all    404   404   404   404   404   400   404   404   404   404   401
api:sessions              POST   own        few    403   403   403   403   403   403   403   403   403   403   401
api:sessions              POST   other      all    404   404   404   404   404   404   404   404   404   404   401
api:sessions              POST   other      few    403   403   403   403   403   403   403   403   403   403   401
api:sessions              POST   shared     all    -     -     -     -     -     -     -     -     -     -     -
api:sessions              POST   shared     few    -     -     -     -     -     -     -     -     -     -     -
api:sessions              POST   breakglass all    -     -     -     -     -     -     -     -     -     -     -
api:sessions              POST   breakglass few    -     -     -     -     -     -     -     -     -     -     -
api:referrals             POST   *          all    400   400   400   400   400   400   403   403   403   400   401
api:referrals             POST   *          few    403   403   403   403   403   403   403   403   403   403   401
api:request_answer        POST   own        all    404   400   404   400   400   400   404   404   404   404   401
api:request_answer        POST   own        few    403   403   403   403   403   403   403   403   403   403   401
api:request_answer        POST   other      all    404   404   404   404   404   404   404   404   404   404   401
api:request_answer        POST   other      few    403   403   403   403   403   403   403   403   403   403   401
api:request_answer        POST   shared     all    404   400   404   400   400   400   404   404   404   404   401
api:request_answer        POST   shared     few    403   403   403   403   403   403   403   403   403   403   401
api:request_answer        POST   breakglass all    -     -     -     -     -     -     -     -     -     -     -
api:request_answer        POST   breakglass few    -     -     -     -     -     -     -     -     -     -     -
api:requests              GET    *          all    200   200   200   200   200   200   200   200   200   200   401
api:requests              GET    *          few    403   403   403   403   403   403   403   403   403   403   401
api:schema                GET    *          all    200   200   200   200   200   200   200   200   200   200   200
api:schema                GET    *          few    200   200   200   200   200   200   200   200   200   200   200
"""

BODIES: dict[str, Any] = {"api:case": {"summary": "changed"}}


def parse(text: str) -> dict[tuple[str, str, str, str], dict[str, str]]:
    rows = {}
    for line in text.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, method, scope, tokens, *answers = line.split()
        assert len(answers) == len(PERSONAS), line
        rows[(name, method, scope, tokens)] = dict(zip(PERSONAS, answers, strict=True))
    return rows


ROWS = parse(TABLE)


def api_routes() -> list[tuple[str, str]]:
    def walk(resolver: URLResolver, ns: str) -> list[Any]:
        found: list[Any] = []
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                found += walk(p, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name and ns.startswith("api:"):
                found.append((ns + p.name, p))
        return found

    out = []
    for name, pattern in walk(get_resolver(), ""):
        view = pattern.callback
        cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
        methods = [m.upper() for m in ("get", "post", "patch") if cls is not None and hasattr(cls, m)]
        out += [(name, m) for m in methods]
    return sorted(set(out))


def needed_scope(name: str, method: str, kwargs: dict[str, Any]) -> str | None:
    view = resolve(reverse(name, kwargs=kwargs)).func
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    scope = getattr(cls, "required_scope", None)
    if isinstance(scope, property):
        return "cases:read" if method == "GET" else "cases:write"
    return scope or None


_KINDS = {"api:case": "case", "api:case_transition": "case", "api:case_request_create": "case",
          "api:case_assessments": "case", "api:request_answer": "request", "api:assessment": "assessment",
          "api:meeting": "meeting", "api:vote": "meeting", "api:decision": "meeting",
          "api:sessions": "intervention"}


def _kwargs(name: str, objs: dict[str, Any]) -> dict[str, Any] | None:
    """The route's arguments in this scope; ``None`` where the scope has no such object."""
    kind = _KINDS.get(name)
    if kind is None:
        return {}
    if kind not in objs:
        return None
    if name in ("api:vote", "api:decision"):
        return {"pk": objs[kind], "item": objs["item"]} if "item" in objs else None
    return {"pk": objs[kind]}


def _indicator_scope(objs: dict[str, Any]) -> str:
    return f"m-{Case.objects.select_related('mechanism').get(pk=objs['case']).mechanism.slug}"


def _client(user: Any, scopes: list[str]) -> APIClient:
    c = APIClient()
    if user is not None:
        _t, secret = token_create(actor=None, owner=user, name="matrix", scopes=scopes)
        c.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return c


def probe(user: Any, tokens: str, name: str, method: str, objs: dict[str, Any],
          audited: AuditMatrix | None = None, where: str = "") -> str | None:
    kwargs = _kwargs(name, objs)
    if kwargs is None:
        return "-"
    scopes = list(TOKEN_SCOPES)
    need = needed_scope(name, method, kwargs)
    if tokens == "few" and need:
        scopes.remove(need)
    url = reverse(name, kwargs=kwargs)
    c = _client(user, scopes)

    def request() -> str:
        if name == "api:indicators":
            response = c.get(url, {"scope": _indicator_scope(objs), "year": 2026})
        elif method == "GET":
            response = c.get(url)
        else:
            response = getattr(c, method.lower())(url, BODIES.get(name, {}), format="json")
        assert response.status_code < 500, (name, method, response.status_code)
        return str(response.status_code)

    if audited is None:
        return request()
    # The same request is held to the audit rule (tests/audit_matrix.py).
    case_id = kwargs.get("pk") if _KINDS.get(name) == "case" else None
    return audited.observe(user, where, name, case_id, request)


def _scopes_of(name: str) -> tuple[str, ...]:
    every = {"case": 1, "request": 1, "assessment": 1, "meeting": 1, "item": 1, "intervention": 1}
    return SCOPES if _kwargs(name, every) or name == "api:indicators" else ("*",)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_route_answers_each_persona_and_token_as_the_table_says(db, persona: str,
                                                                           record_property) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    scene = build(persona)
    user, objects = scene.user, scene.objects
    checked, wrong = 0, []
    audited = AuditMatrix()
    for name, method in api_routes():
        for scope in _scopes_of(name):
            for tokens in ("all", "few"):
                expected = ROWS.get((name, method, scope, tokens), {}).get(persona)
                if expected is None:
                    continue  # reported by test_every_api_route_is_in_the_table
                got = probe(user, tokens, name, method, objects["own" if scope == "*" else scope],
                            audited, f"{name} {method} {scope} {tokens} {persona}")
                checked += 1
                if got != expected:
                    wrong.append(f"{name} {method} {scope} {tokens} {persona}: expected {expected}, got {got}")
    wrong += [f"audit: {p}" for p in audited.problems]
    record_property("api_authz_combinations", checked)
    print(f"API authorization matrix: {checked} combinations checked for {persona}")
    assert not wrong, "\n".join(wrong)


def test_every_api_route_is_in_the_table() -> None:
    missing = [f"{n} {m} {s} {t}" for n, m in api_routes() for s in _scopes_of(n) for t in ("all", "few")
               if (n, m, s, t) not in ROWS]
    assert not missing, "API routes missing from the table in tests/test_api_matrix.py: " + ", ".join(missing)


def test_the_table_names_no_route_that_does_not_exist() -> None:
    stale = sorted({(n, m) for n, m, _s, _t in ROWS} - set(api_routes()))
    assert not stale, f"Rows for routes that no longer exist: {stale}"
