"""Every URL is behind sign-in and never answers with a server error, whatever its arguments."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.world import World

PUBLIC = {"login", "logout", "set_language"}


def _patterns(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    resolver = resolver or get_resolver()
    found: list[tuple[str, str]] = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            found += _patterns(p, prefix + str(p.pattern), inner_ns)
        elif isinstance(p, URLPattern):
            found.append((ns + (p.name or ""), prefix + str(p.pattern)))
    return found


def _example(route: str) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", "1", route).replace("^", "").replace("$", "")


ROUTES = [(name, _example(route)) for name, route in _patterns() if name.split(":")[-1] not in PUBLIC]
# The API answers 401 with its error shape instead of a sign-in redirect; the schema and docs are public.
API = {"api:schema", "api:docs", "api:"}  # "api:": the catch-all that answers 404 in the API's shape


@pytest.mark.parametrize("name,url", [(n, u) for n, u in ROUTES if n.startswith("api:") and n not in API])
def test_every_api_route_requires_a_token_or_a_session(client, db, name: str, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code in (401, 405), name
    assert response.status_code == 405 or response.json()["error"]["code"] == "not_authenticated", name


@pytest.mark.parametrize("name,url", [(n, u) for n, u in ROUTES if not n.startswith("api:")])
def test_every_page_requires_sign_in(client, db, name: str, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code in (302, 404, 405), name
    if response.status_code == 302:
        assert "/login/" in response["Location"], name


@pytest.mark.parametrize("name,url", ROUTES)
def test_no_page_gives_a_server_error_to_a_member_of_another_mechanism(client, world: World, other: World,
                                                                       name: str, url: str) -> None:
    world.refer()
    client.force_login(other.coordinator)
    assert client.get(url).status_code < 500, name
    assert client.post(url, {"x": "1"}).status_code < 500, name
