"""Search and every filter with hostile strings, on SQLite (FTS5) and PostgreSQL (tsvector):
quotes, FTS operators, parentheses, comments, NUL, very long strings, bytes that are not UTF-8.
Never a 500, and never another region's data for an analyst limited to one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from markupsafe import escape

from kelisim.store import Store
from kelisim.web.app import create_app
from tests import security_world as world
from tests.security_world import ALMATY, PASSWORD, SECRET, ZHAMBYL
from tests.store_fixtures import build_doc
from tests.test_api import _document

HOSTILE = ['"', "'", '"almsecret"', "almsecret*", "NEAR(almsecret дружбе)",
           "almsecret OR дружбе", "a & b | !almsecret", "title:almsecret", "(",
           "'; DROP TABLE users; --", "\\", "\x00", "дружбе\x00almsecret", "x" * 5000,
           "😀 almsecret"]
RAW = ["%ff", "%c3%28", "%ed%a0%80", "%00", "%zz"]  # sent as they are: not UTF-8, not escapes
FEW = [quote(h, safe="") for h in ("'", "\x00", "x" * 5000)] + ["%ff"]
# Parameters whose text reaches a query or a page: every hostile string.
TEXT = ["/api/search?q={}", "/api/alerts?status={}", "/api/alerts?kind={}",
        "/api/alerts?region={}", "/api/incidents?status={}", "/api/incidents?type={}",
        "/api/entities?region={}", "/api/entities/{}", "/api/quotes?speaker={}",
        "/api/places?region={}", "/api/groups?region={}", "/api/index/{}?from=2024-03-01&to=2024-03-31",
        "/api/regions/{}", "/api/reports/{}?from=2024-03-01&to=2024-03-31", "/search?q={}",
        "/alerts?status={}", "/entities/{}", "/reports/{}?from=2024-03-01&to=2024-03-31",
        "/login?next={}"]
# The others are checked by type or pattern before any query (on either backend): a few of
# each, on SQLite.
TYPED = ["/api/search?lang={}", "/api/search?from={}", "/api/search?limit={}",
         "/api/alerts?offset={}", "/api/alerts/{}", "/api/incidents?to={}", "/api/incidents/{}",
         "/api/stories?order={}", "/api/stories/{}", "/api/entities?label={}",
         "/api/quotes?region={}", "/api/quotes?officials={}", "/api/places?level={}",
         "/api/sources?as_of={}", "/api/index?from={}&to=2024-03-31",
         "/api/index?from=2024-03-01&to=2024-03-31&level={}",
         f"/api/index/{ZHAMBYL}?from=2024-03-01&to=2024-03-31&period={{}}",
         "/api/overview?period={}", f"/api/regions/{ZHAMBYL}?period={{}}",
         f"/api/reports/{ZHAMBYL}?from=2024-03-01&to=2024-03-31&lang={{}}", "/api/documents/{}",
         "/search?page={}", "/alerts?kind={}", "/incidents?status={}", "/stories?order={}",
         "/regions/{}", "/reports?region={}", "/?period={}", "/documents/{}", "/alerts/{}"]


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgresql", marks=pytest.mark.postgres)])
def world_url(request, tmp_path_factory) -> Iterator[str]:
    """A store URL on each backend, kept for the module (the tests only add comments to it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('injection') / 'kelisim.db'}"
        return
    cluster, name = request.getfixturevalue("pg_cluster"), f"kelisim_injection_{os.getpid()}"
    with cluster.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield cluster.url(name)
    with cluster.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def client(world_url):
    """Two regions' documents, alerts and incidents; the Zhambyl analyst's client and tokens."""
    with Store.open(world_url) as store:
        tokens = world._users(store)["tokens"]
        doc_z = _document(store, build_doc, "Тараз. Встреча в акимате о дружбе.", ZHAMBYL)
        doc_a = _document(store, build_doc, f"Алматы. Встреча {SECRET} в акимате о дружбе.",
                          ALMATY)
        world._alert(store, "z", ZHAMBYL, "Всплеск", [doc_z], [])
        world._alert(store, "a", ALMATY, f"Всплеск {SECRET}", [doc_a], [])
        world._incident(store, ZHAMBYL, "драка", doc_z)
        world._incident(store, ALMATY, SECRET, doc_a)
    app = create_app(world.settings(world_url))
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as analyst:
        assert analyst.post("/login", data={"username": "aigerim",
                                            "password": PASSWORD}).status_code == 303
        yield analyst, tokens


def ask(client: TestClient, tokens: dict, path: str, user: str = "aigerim"):
    """GET a path: the API with the user's token, a page with the analyst's session."""
    headers = {"Authorization": f"Bearer {tokens[user]}"} if path.startswith("/api/") else {}
    return client.get(path, headers=headers)


def test_hostile_filters_give_no_500_and_nothing_of_another_region(client, world_url):
    analyst, tokens = client
    failures = []
    hostile = [quote(h, safe="") for h in HOSTILE] + RAW
    asked = [(template, value) for template in TEXT for value in hostile]
    if world_url.startswith("sqlite"):
        asked += [(template, value) for template in TYPED for value in FEW]
    for template, value in asked:
        path = template.format(value)
        answer = ask(analyst, tokens, path)
        if answer.status_code >= 500 or SECRET in without_echo(answer.text, unquote(value)):
            failures.append(f"{answer.status_code} {path[:120]}")
    assert failures == []


def without_echo(text: str, value: str) -> str:
    """An answer without the words asked for (the search box and 422 errors repeat them)."""
    for echo in (str(escape(value)), json.dumps(value)[1:-1],
                 json.dumps(value, ensure_ascii=False)[1:-1], quote(value, safe="")):
        text = text.replace(echo, "") if echo else text
    return text


def test_fts_syntax_is_words_on_both_backends(client):
    analyst, tokens = client
    found = ask(analyst, tokens, f"/api/search?q={SECRET}", user="admin").json()
    assert found["total"] == 1  # the admin finds the Almaty document: there is one to hide
    for query in ('"almsecret"', "almsecret*", "(almsecret)", "almsecret:*", "+almsecret"):
        admin = ask(analyst, tokens, f"/api/search?q={quote(query)}", user="admin").json()
        assert admin["total"] == 1, query  # operators are dropped, the word stays a word
        assert ask(analyst, tokens, f"/api/search?q={quote(query)}").json()["total"] == 0
    for query in ("almsecret OR дружбе", "NEAR(almsecret дружбе)", "дружбе NOT almsecret"):
        admin = ask(analyst, tokens, f"/api/search?q={quote(query)}", user="admin").json()
        assert admin["total"] == 0, query  # OR, NEAR and NOT are words to find, not operators


def test_any_search_text_is_answered_within_the_analysts_region(client):
    analyst, tokens = client

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=40))
    def search(text: str) -> None:
        answer = ask(analyst, tokens, f"/api/search?q={quote(text, safe='')}")
        assert answer.status_code in (200, 400, 422), answer.text
        if answer.status_code == 200:
            assert SECRET not in answer.text

    search()


def test_hostile_bodies_give_no_500(client):
    analyst, tokens = client
    headers = {"Authorization": f"Bearer {tokens['aigerim']}"}
    csrf = re.search(r'name="csrf" value="([^"]+)"', analyst.get("/search").text).group(1)
    answers = []
    for text in ("\x00", "a\x00b", "x" * 3000, "'; DROP TABLE alerts; --"):
        answers += [
            analyst.post("/api/alerts/1/actions", json={"action": text, "comment": text},
                         headers=headers),
            analyst.post("/api/alerts/1/actions", json={"action": "acknowledge", "comment": text},
                         headers=headers),
            analyst.post("/api/documents/1/corrections", headers=headers, json={
                "field": "attitude", "value": text, "target": text, "comment": text}),
            analyst.post("/alerts/1", data={"action": text, "comment": text, "csrf": csrf}),
            analyst.post("/incidents/1", data={"action": "comment", "comment": text,
                                               "csrf": csrf}),
            analyst.post("/documents/1", data={"field": text, "value": text, "csrf": csrf}),
            analyst.post("/login", data={"username": text, "password": "x", "next": text})]
    assert [(a.status_code, a.request.url.path) for a in answers if a.status_code >= 500] == []
