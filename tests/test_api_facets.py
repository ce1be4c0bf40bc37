"""The facet routes of the JSON API (entities, quotes, ethnic groups, places, sources' health) over
real readings: the five seed articles and three short texts read by the real reader, placed by
the warning stage's own placing, on SQLite and PostgreSQL; and a regional analyst who gets
nothing of another region through any of them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from kelisim.config import Settings
from kelisim.reading.output import to_json
from kelisim.reading.reader import Reader, TextInput, reader_version
from kelisim.store import Store
from kelisim.users import Accounts
from kelisim.warning.placing import place_documents
from kelisim.web import app as web_app
from kelisim.web.routers import entities, groups, places, quotes, sources

if __package__:
    from .shared_data import read_seed
    from .store_fixtures import build_doc
else:
    from shared_data import read_seed
    from store_fixtures import build_doc

ZHAMBYL, ALMATY_CITY = "310000000", "750000000"
PASSWORD = "верный-пароль-2024"
AS_OF = datetime(2024, 4, 1, tzinfo=timezone.utc)
CLASH = ("Вечером 6 марта в селе Сортобе Кордайского района Жамбылской области произошла массовая "
         "драка между жителями-казахами и дунганами. Аким района Иван Петров заявил, что ситуация "
         "под контролем.")
POST = "Этих дунган надо гнать из Кордайского района, понаехали тут, пишут жители Масанчи."
FESTIVAL = ("В Алматы прошёл фестиваль уйгурской культуры. «Мы рады гостям со всей страны», — "
            "сказал организатор фестиваля Ерлан Сапаров.")
# name -> (text, day of publication, outlet)
TEXTS = {
    "000": (read_seed("000"), date(2024, 3, 4), "Тараз-инфо"),
    "001": (read_seed("001"), date(2024, 2, 10), "Астана-ньюс"),
    "002": (read_seed("002"), date(2024, 3, 5), "Астана-ньюс"),
    "003": (read_seed("003"), date(2024, 3, 6), "Тараз-инфо"),
    "004": (read_seed("004"), date(2024, 3, 7), "Астана-ньюс"),
    "clash": (CLASH, date(2024, 3, 7), "Тараз-инфо"),
    "post": (POST, date(2024, 3, 8), "Тараз-инфо"),
    "festival": (FESTIVAL, date(2024, 3, 8), "Алматы-ньюс"),
}


@pytest.fixture(scope="module")
def readings() -> dict[str, dict]:
    """Every text read once by the real reader (its models load once per module)."""
    reader = Reader.load()
    found = reader.read_batch([TextInput(name, text, "ru", None) for name, (text, _d, _s) in TEXTS.items()])
    return {name: to_json(reading) for name, reading in zip(TEXTS, found)}


def _fill(store: Store, readings: dict[str, dict]) -> dict[str, int]:
    """The texts stored with their outlets and readings, then placed; name -> document id."""
    outlets = {name: store.add_source(name, "web", f"https://{n}.example.kz/").id
               for n, name in enumerate(sorted({s for _t, _d, s in TEXTS.values()}))}
    ids = {}
    with store.writer() as writer:
        for name, (text, day, outlet) in TEXTS.items():
            published = datetime(day.year, day.month, day.day, 6, tzinfo=timezone.utc)
            ids[name] = writer.add_document(build_doc(text, origin=f"test:{name}", title=text[:60],
                                                      published=published, source_id=outlets[outlet]))
    store.save_readings([(ids[name], readings[name]) for name in TEXTS], reader_version())
    place_documents(store, AS_OF)
    return ids


@pytest.fixture()
def desk(store_url, readings):
    """The archive, an admin and an analyst limited to Zhambyl, and a client with the routes."""
    with Store.open(store_url) as store:
        ids = _fill(store, readings)
        accounts = Accounts(store)
        accounts.add("admin", PASSWORD, "admin")
        accounts.add("aigerim", PASSWORD, "analyst", [ZHAMBYL])
        tokens = {name: accounts.new_token(name) for name in ("admin", "aigerim")}
    app = web_app.create_app(Settings(db_url=store_url))
    registered = getattr(web_app, "API_ROUTERS", ())
    for module in (entities, quotes, groups, places, sources):
        if module.router not in registered:  # until web/app.py registers them
            app.include_router(module.router)
    with TestClient(app) as client:
        yield client, tokens, ids


def get(client: TestClient, tokens: dict, who: str, path: str, **params) -> dict | list:
    """A successful GET as a user."""
    response = client.get(path, params=params, headers={"Authorization": f"Bearer {tokens[who]}"})
    assert response.status_code == 200, (path, response.text)
    return response.json()


def test_people_are_ranked_and_their_quotes_are_counted_over_time(desk):
    client, tokens, ids = desk
    people = get(client, tokens, "admin", "/api/entities", label="PER", limit=5)
    assert people["items"][0]["ref"] == "per:tokayev" and people["total"] > 10
    assert [p["mentions"] for p in people["items"]] == sorted((p["mentions"] for p in people["items"]), reverse=True)
    tokayev = get(client, tokens, "admin", "/api/entities/per:tokayev", limit=3)
    assert tokayev["name"] == "Касым-Жомарт Токаев" and tokayev["quotes"] == 10
    assert tokayev["quotes_by_month"] == [{"month": "2024-02", "quotes": 5},
                                          {"month": "2024-03", "quotes": 5}]
    page = tokayev["quote_page"]
    assert page["total"] == 10 and len(page["items"]) == 3
    for item in page["items"]:
        text = get(client, tokens, "admin", f"/api/documents/{item['document_id']}")["text"]
        assert text[item["start"]:item["end"]] == item["text"]
        assert item["document_id"] == ids["002"] and item["day"] == "2024-03-05"  # latest first
        assert item["official"] and item["speaker_role"] == "Президент Республики Казахстан"


def test_an_unlinked_speaker_has_a_key_of_their_own_and_officials_are_told_apart(desk):
    client, tokens, ids = desk
    manoylo = get(client, tokens, "admin", "/api/entities/" + quote("PER:А. Манойло"))
    assert manoylo["quotes"] == 2 and manoylo["label"] == "PER"
    assert {q["document_id"] for q in manoylo["quote_page"]["items"]} == {ids["003"]}
    everyone = get(client, tokens, "admin", "/api/quotes", limit=500)
    officials = get(client, tokens, "admin", "/api/quotes", officials=True, limit=500)
    others = get(client, tokens, "admin", "/api/quotes", officials=False, limit=500)
    assert officials["total"] + others["total"] == everyone["total"] >= 20
    assert all(q["official"] for q in officials["items"])
    assert not any(q["official"] for q in others["items"])
    said = {(q["speaker_name"], q["speaker_role"]) for q in officials["items"]}
    assert ("Иван Петров", "Аким района") in said  # the office written before the name
    assert ("Артур Платонов", "депутат Мажилиса") in said
    unofficial = {q["speaker_name"] for q in others["items"]}
    assert {"А. Манойло", "В. Щербина", "Ерлан Сапаров", None} <= unofficial
    days = [q["day"] for q in everyone["items"]]
    assert days == sorted(days, reverse=True)


def test_groups_carry_the_attitude_and_an_analysts_correction_overrides_it(desk, store_url):
    client, tokens, ids = desk
    before = {g["group"]: g for g in get(client, tokens, "admin", "/api/groups", region=ZHAMBYL)}
    dungan = before["дунганин"]
    assert dungan["documents"] == 2 and dungan["hostile"] == 1  # the clash, the hostile post
    assert sum(dungan["attitude"].values()) == dungan["documents"]
    assert before["понаехавший"]["slurs"] == 1 and "уйгур" not in before
    machine = dungan["attitude"]
    with Store.open(store_url) as store:
        store.add_correction(ids["clash"], "attitude", 1, "aigerim", target="дунганин")
    after = {g["group"]: g for g in get(client, tokens, "admin", "/api/groups", region=ZHAMBYL)}
    corrected = after["дунганин"]["attitude"]
    assert corrected["1"] == machine["1"] + 1 and sum(corrected.values()) == 2
    assert after["казах"] == before["казах"]


def test_places_and_the_day_and_region_filters(desk):
    client, tokens, ids = desk
    found = get(client, tokens, "admin", "/api/places", region=ZHAMBYL)
    kordai = next(p for p in found if p["kato"] == "314800000")
    assert kordai["name"] == "Кордайский район" and kordai["level"] == "district"
    assert kordai["documents"] == 3  # seed 000, the clash, the post
    assert {p["region"]["kato"] for p in found} == {ZHAMBYL}
    districts = get(client, tokens, "admin", "/api/places", level="district")
    assert {p["level"] for p in districts} == {"district"}
    one_day = get(client, tokens, "admin", "/api/quotes", **{"from": "2024-03-06", "to": "2024-03-06"})
    assert {q["document_id"] for q in one_day["items"]} == {ids["003"]} and one_day["total"] == 5
    in_kordai = get(client, tokens, "admin", "/api/quotes", region="314800000", limit=100)
    assert {q["document_id"] for q in in_kordai["items"]} == {ids["000"], ids["clash"]}


def test_sources_show_their_health_and_an_open_silence(desk, store_url):
    client, tokens, _ids = desk
    with Store.open(store_url) as store:
        taraz = store.get_source("Тараз-инфо")
        store.record_poll(taraz.id, ok=False, error="HTTP 503", new_items=0, at=AS_OF)
        alert_id, _ = store.warning.upsert_alert({
            "key": f"silence:{taraz.id}:test", "kind": "silence", "rule": "silence",
            "signal": None, "unit_kato": None, "unit_level": None, "region_kato": None,
            "day": date(2024, 3, 20), "fired_at": AS_OF, "observed": None, "expected": None,
            "p_value": None, "summary": "Тараз-инфо молчит",
            "data": {"source": {"id": taraz.id, "name": taraz.name}}})
    health = {s["name"]: s for s in get(client, tokens, "admin", "/api/sources")}
    assert health["Тараз-инфо"]["silent"] and health["Тараз-инфо"]["silence_alert_id"] == alert_id
    assert health["Тараз-инфо"]["failures"] == 1 and health["Тараз-инфо"]["last_error"] == "HTTP 503"
    assert health["Тараз-инфо"]["documents"] == 4
    assert health["Тараз-инфо"]["last_item_at"].startswith("2024-03-08")
    assert not health["Алматы-ньюс"]["silent"] and health["Алматы-ньюс"]["documents"] == 1
    scoped = {s["name"]: s for s in get(client, tokens, "aigerim", "/api/sources")}
    assert set(scoped) == set(health)  # sources are not regional …
    assert scoped["Алматы-ньюс"]["documents"] == 0  # … their documents are
    assert scoped["Тараз-инфо"]["documents"] == 4


def test_a_regional_analyst_gets_nothing_of_another_region_through_the_facets(desk):
    client, tokens, ids = desk
    mine = {ids["000"], ids["003"], ids["clash"], ids["post"]}
    seen = get(client, tokens, "aigerim", "/api/entities", limit=500)
    everything = get(client, tokens, "admin", "/api/entities", limit=500)
    assert 0 < seen["total"] < everything["total"]
    refs = {e["ref"] for e in seen["items"]}
    assert "PER:Ерлан Сапаров" not in refs and "per:nazarbayev" not in refs
    tokayev = next(e for e in seen["items"] if e["ref"] == "per:tokayev")
    assert tokayev["documents"] == 1 and tokayev["quotes"] == 0  # named in seed 000 only
    headers = {"Authorization": f"Bearer {tokens['aigerim']}"}
    nowhere = client.get("/api/entities/per:no-such-person", headers=headers)
    for ref in ("PER:Ерлан Сапаров", "per:nazarbayev"):  # Almaty; placed nowhere
        assert get(client, tokens, "admin", "/api/entities/" + quote(ref))["documents"] == 1
        hidden = client.get("/api/entities/" + quote(ref), headers=headers)
        assert hidden.status_code == nowhere.status_code == 404 and hidden.json() == nowhere.json()
    detail = get(client, tokens, "aigerim", "/api/entities/per:tokayev")
    assert detail["quote_page"]["total"] == 0 and detail["quotes_by_month"] == []
    said = get(client, tokens, "aigerim", "/api/quotes", limit=500)
    assert {q["document_id"] for q in said["items"]} <= mine and said["total"] == 10
    assert {q["region"]["kato"] for q in said["items"]} == {ZHAMBYL}
    assert get(client, tokens, "aigerim", "/api/quotes", region=ALMATY_CITY)["total"] == 0
    assert get(client, tokens, "aigerim", "/api/quotes", speaker="PER:Ерлан Сапаров")["total"] == 0
    groups_seen = {g["group"] for g in get(client, tokens, "aigerim", "/api/groups")}
    assert "уйгур" not in groups_seen and "дунганин" in groups_seen
    assert get(client, tokens, "aigerim", "/api/groups", region=ALMATY_CITY) == []
    places_seen = get(client, tokens, "aigerim", "/api/places", limit=1000)
    assert places_seen and {p["region"]["kato"] for p in places_seen} == {ZHAMBYL}
    assert "750000000" in {p["kato"] for p in get(client, tokens, "admin", "/api/places", limit=1000)}


def test_the_routes_need_a_token_and_are_in_the_openapi_schema(desk):
    client, _tokens, _ids = desk
    for path in ("/api/entities", "/api/entities/per:tokayev", "/api/quotes", "/api/groups",
                 "/api/places", "/api/sources"):
        assert client.get(path).status_code == 401, path
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/entities", "/api/entities/{ref}", "/api/quotes", "/api/groups", "/api/places",
            "/api/sources"} <= paths
