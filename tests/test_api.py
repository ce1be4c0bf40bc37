"""The JSON API: tokens, roles, and a regional analyst who gets nothing of another region
through any route."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from fastapi.testclient import TestClient

from kelisim.config import Settings
from kelisim.store import Store
from kelisim.users import Accounts
from kelisim.web.app import create_app

ZHAMBYL, ALMATY = "310000000", "750000000"
AT = datetime(2024, 3, 14, 18, 59, 59, tzinfo=timezone.utc)
PASSWORD = "верный-пароль-2024"


def _alert(store: Store, key: str, region: str | None) -> int:
    alert_id, _ = store.warning.upsert_alert({
        "key": key, "kind": "spike" if region else "silence", "rule": "r",
        "signal": "hostile" if region else None, "unit_kato": region,
        "unit_level": "region" if region else None, "region_kato": region,
        "day": date(2024, 3, 14), "fired_at": AT, "observed": 5.0, "expected": 0.5,
        "p_value": 1e-5, "summary": f"alert {key}", "data": {"documents": [], "evidence": []}})
    return alert_id


def _incident(store: Store, region: str) -> int:
    return store.warning.flag_incident({
        "story_id": None, "type": "violent_clash", "subtype": None, "groups": ["казах"],
        "region_kato": region, "district_kato": None, "settlement_kato": None,
        "geo_precision": 3, "date": date(2024, 3, 6), "time_precision": 1, "killed": None,
        "injured": 2, "detained": None, "evidence": {"documents": []}})


def _document(store: Store, make_doc, text: str, region: str) -> int:
    with store.writer() as writer:
        doc_id = writer.add_document(make_doc(text, origin=f"test:{region}"))
    store.warning.save_chunk([{"document_id": doc_id, "day": date(2024, 3, 14),
                               "region_kato": region, "district_kato": None, "read_at": AT}],
                             [], {}, [])
    return doc_id


@pytest.fixture()
def world(store_url, make_doc):
    """Two regions' alerts, incidents and documents, a silence alert, three users, a client."""
    with Store.open(store_url) as store:
        accounts = Accounts(store)
        accounts.add("admin", PASSWORD, "admin")
        accounts.add("aigerim", PASSWORD, "analyst", [ZHAMBYL])
        accounts.add("guest", PASSWORD, "viewer")
        tokens = {name: accounts.new_token(name) for name in ("admin", "aigerim", "guest")}
        ids = {"alert_z": _alert(store, "z", ZHAMBYL), "alert_a": _alert(store, "a", ALMATY),
               "alert_s": _alert(store, "s", None), "incident_z": _incident(store, ZHAMBYL),
               "incident_a": _incident(store, ALMATY),
               "doc_z": _document(store, make_doc, "Тараз. Встреча в акимате.", ZHAMBYL),
               "doc_a": _document(store, make_doc, "Алматы. Встреча в акимате.", ALMATY)}
    with TestClient(create_app(Settings(db_url=store_url))) as client:
        yield client, tokens, ids


def auth(tokens, name):
    return {"Authorization": f"Bearer {tokens[name]}"}


def test_no_token_no_data(world):
    client, _tokens, _ids = world
    assert client.get("/api/alerts").status_code == 401
    bad = client.get("/api/alerts", headers={"Authorization": "Bearer klsm_guess"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"


def test_an_admin_sees_every_region(world):
    client, tokens, ids = world
    alerts = client.get("/api/alerts", headers=auth(tokens, "admin")).json()
    assert alerts["total"] == 3
    incidents = client.get("/api/incidents", headers=auth(tokens, "admin")).json()
    assert {i["region"]["kato"] for i in incidents["items"]} == {ZHAMBYL, ALMATY}


def test_a_regional_analyst_gets_nothing_of_another_region_through_any_route(world):
    client, tokens, ids = world
    headers = auth(tokens, "aigerim")
    alerts = client.get("/api/alerts", headers=headers).json()
    assert [a["id"] for a in alerts["items"]] == [ids["alert_z"]] and alerts["total"] == 1
    incidents = client.get("/api/incidents", headers=headers).json()
    assert [i["id"] for i in incidents["items"]] == [ids["incident_z"]]
    table = client.get("/api/index", params={"from": "2024-03-01", "to": "2024-03-31"},
                       headers=headers).json()
    assert [v["kato"] for v in table] == [ZHAMBYL]
    hidden = [f"/api/alerts/{ids['alert_a']}", f"/api/alerts/{ids['alert_s']}",
              f"/api/incidents/{ids['incident_a']}", f"/api/documents/{ids['doc_a']}",
              f"/api/index/{ALMATY}?from=2024-03-01&to=2024-03-31",
              "/api/index/751210000?from=2024-03-01&to=2024-03-31"]
    for path in hidden:
        response = client.get(path, headers=headers)
        assert response.status_code == 404, path
    found = client.get("/api/search", params={"q": "встреча"}, headers=headers).json()
    assert [h["document_id"] for h in found["items"]] == [ids["doc_z"]] and found["total"] == 1
    everything = client.get("/api/search", headers=auth(tokens, "admin")).json()
    assert {h["document_id"] for h in everything["items"]} == {ids["doc_z"], ids["doc_a"]}
    moved = client.post(f"/api/alerts/{ids['alert_a']}/actions", headers=headers,
                        json={"action": "acknowledge"})
    assert moved.status_code == 404
    assert client.get(f"/api/documents/{ids['doc_z']}", headers=headers).status_code == 200


def test_an_analyst_acknowledges_and_it_is_audited(world, store_url):
    client, tokens, ids = world
    path = f"/api/alerts/{ids['alert_z']}/actions"
    done = client.post(path, headers=auth(tokens, "aigerim"),
                       json={"action": "acknowledge", "comment": "звоню в акимат"})
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    assert done.json()["actions"][-1]["author"] == "aigerim"
    again = client.post(path, headers=auth(tokens, "aigerim"), json={"action": "acknowledge"})
    assert again.status_code == 409 and "cannot acknowledge" in again.json()["detail"]
    with Store.open(store_url) as store:
        (entry,) = store.users.audit_entries("aigerim")
    assert (entry.action, entry.subject) == ("alert.acknowledge", f"alert:{ids['alert_z']}")


def test_a_viewer_reads_but_cannot_act(world):
    client, tokens, ids = world
    assert client.get("/api/incidents", headers=auth(tokens, "guest")).status_code == 200
    refused = client.post(f"/api/incidents/{ids['incident_z']}/actions",
                          headers=auth(tokens, "guest"), json={"action": "verify"})
    assert refused.status_code == 403


def test_the_openapi_schema_lists_the_resources(world):
    client, _tokens, _ids = world
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/alerts", "/api/incidents", "/api/stories", "/api/index", "/api/search",
            "/api/documents/{document_id}"} <= set(paths)
