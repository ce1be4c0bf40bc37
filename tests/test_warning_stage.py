"""The warning stage end to end on a small dated archive, on SQLite and PostgreSQL: real news texts as the background
(factRuEval, given a dateline in Kazakhstan), then one day with a clash reported by three outlets
and a burst of hostile posts in Kordai district (short texts written for this test).

It checks what an analyst relies on: one story and one incident for the clash, whatever the
number of outlets; a spike alert with its evidence; the index traceable to documents; a silent
outlet noticed; a saved search; and no alert raised twice.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

import pytest

from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim
from kelisim.records import RawItem
from kelisim.warning.rules import parse_rules
from kelisim.warning.units import end_of_day

if __package__:
    from .shared_data import shared_path
else:
    from shared_data import shared_path

FIRST, DAY = date(2024, 2, 1), date(2024, 3, 7)
ZHAMBYL, KORDAI = "310000000", "314800000"

CLASH = [
    ("Массовая драка в селе Сортобе Кордайского района",
     "Вечером 6 марта в селе Сортобе Кордайского района Жамбылской области произошла массовая "
     "драка между жителями-казахами и дунганами. Пострадали 12 человек, задержаны 5 участников, "
     "сообщили в полиции."),
    ("В Сортобе подрались казахи и дунгане",
     "Столкновение между казахами и дунганами случилось в Сортобе (Кордайский район) в среду "
     "вечером 6 марта. По данным полиции, 12 человек получили травмы, пятеро задержаны, в село "
     "стянуты силы полиции."),
    ("Драка в Кордайском районе: 12 пострадавших",
     "В полиции Жамбылской области подтвердили массовую драку между казахами и дунганами в "
     "селе Сортобе Кордайского района 6 марта. Пострадали двенадцать человек, пятерых "
     "участников задержали."),
]
HOSTILE = [
    "Этих дунган надо гнать из Кордайского района, понаехали тут, пишут жители Масанчи.",
    "Пора выгнать всех дунган из Кордайского района, хватит терпеть, пишет житель Сортобе.",
    "В чате Кордайского района: дунгане понаехали, гнать их надо отсюда, пока не поздно.",
    "Кордайский район не для дунган, выгнать их всех из наших сёл, говорят в соцсетях.",
    "Житель Кордайского района призывает выгнать дунган из сёл, пусть уезжают откуда приехали.",
]

RULES = """
[[spike]]
name = "hostile-district"
signal = "hostile"
level = "district"
sensitivity = "medium"
min_count = 3

[[spike]]
name = "hostile-region"
signal = "hostile"
level = "region"
min_count = 3

[[search]]
name = "sortobe"
query = "Сортобе"

[[search]]
name = "sortobe-in-almaty"
query = "Сортобе"
regions = ["Алматы"]

[silence]
hours = 48
factor = 4

[stories]
enabled = true
"""


def at(day: date, hour: int = 10) -> datetime:
    """A moment of a day, in UTC (Kazakhstan is UTC+5 or +6: the day stays the same)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc) - timedelta(hours=5)


def background(kelisim: Kelisim) -> list[RawItem]:
    """Real news texts, two a day in Taraz and one in Almaty; the outlet «Тараз-инфо» stops
    publishing on 20 February."""
    texts = sorted(shared_path("data", "factru-dev").glob("*.txt"))
    taraz = kelisim.add_source("Тараз-инфо", kind="web", name="Тараз-инфо")
    daily = kelisim.add_source("Жамбыл-ньюс", kind="web", name="Жамбыл-ньюс")
    almaty = kelisim.add_source("Алматы-ньюс", kind="web", name="Алматы-ньюс")
    items, day, texts_left = [], FIRST, iter(texts)
    while day < DAY:
        for source, dateline, hour in ((taraz, "Тараз, Жамбылская область", 9),
                                       (daily, "Тараз, Жамбылская область", 12),
                                       (almaty, "Алматы", 11)):
            if source is taraz and day >= date(2024, 2, 20):
                continue
            path = next(texts_left)
            body = path.read_text(encoding="utf-8").strip()
            items.append(RawItem(origin=f"test:{path.name}", body=f"{dateline}. {body}",
                                 source_id=source.id, title=body.splitlines()[0][:80],
                                 published=at(day, hour)))
        day += timedelta(days=1)
    return items


def the_day(kelisim: Kelisim) -> list[RawItem]:
    """The clash by three outlets and the hostile posts, all on DAY."""
    items = []
    for n, (title, text) in enumerate(CLASH):
        outlet = kelisim.add_source(f"outlet-{n}", kind="web", name=f"Outlet {n}")
        items.append(RawItem(origin=f"test:clash-{n}", body=f"{title}\n\n{text}", title=title,
                             source_id=outlet.id, published=at(DAY, 8 + n)))
    social = kelisim.add_source("social", kind="web", name="Соцсети")
    items += [RawItem(origin=f"test:post-{n}", body=text, source_id=social.id,
                      published=at(DAY, 12 + n)) for n, text in enumerate(HOSTILE)]
    return items


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path_factory):
    """A store URL on each backend, for the whole module."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('warning') / 'kelisim.db'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"kelisim_warning_{os.getpid()}"
    with cluster.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield cluster.url(name)
    with cluster.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def warned(database):
    """A store with the archive read and the warning stage run as of the end of DAY."""
    settings = Settings(db_url=database, ingest=IngestOptions(workers=1))
    kelisim = Kelisim(settings, rules=parse_rules(RULES, {}, "test rules"))
    items = background(kelisim) + the_day(kelisim)
    kelisim.ingest_items(items, command="test")
    kelisim.read_pending()
    before = kelisim.warn(end_of_day(DAY - timedelta(days=1)), send=False)
    report = kelisim.warn(end_of_day(DAY), send=False)
    yield kelisim, before, report
    kelisim.close()


def test_three_outlets_reporting_one_clash_make_one_story_and_one_incident(warned):
    kelisim, _before, _report = warned
    _total, stories = kelisim.store.warning.stories(region=ZHAMBYL, limit=50)
    clash = [s for s in stories if s.event_type == "violent_clash" and s.district_kato == KORDAI]
    assert len(clash) == 1
    story = clash[0]
    assert story.documents == 3 and story.outlets == 3 and story.district_kato == KORDAI
    _n, incidents = kelisim.store.warning.incidents(region=ZHAMBYL)
    (incident,) = [i for i in incidents if i.story_id == story.id]
    assert incident.status == "flagged" and incident.type == "violent_clash"
    assert incident.district_kato == KORDAI and incident.geo_precision == 1  # the village named
    assert incident.date == date(2024, 3, 6) and incident.time_precision == 1
    assert incident.injured == 12 and incident.detained == 5 and incident.killed is None
    assert {"казах", "дунганин"} <= set(incident.groups)
    assert len(incident.evidence["documents"]) == 3
    posts = [s for s in stories if s.event_type in ("hate_speech", "threat_incitement")
             and s.district_kato == KORDAI]
    assert posts and all(s.title and s.title.split()[0] in " ".join(HOSTILE) for s in posts)
    for span in incident.evidence["spans"]:
        text = kelisim.store.get_document(span["document_id"]).text
        assert text[span["start"]:span["end"]] == span["text"]


def test_the_hostile_burst_raises_a_spike_alert_with_its_evidence(warned):
    kelisim, before, report = warned
    assert not [a for a in before.alerts_new if kelisim.store.warning.alert(a).kind == "spike"]
    spikes = [kelisim.store.warning.alert(a) for a in report.alerts_new]
    spikes = [a for a in spikes if a.kind == "spike" and a.signal == "hostile"]
    assert {a.unit_kato for a in spikes} >= {KORDAI}
    alert = next(a for a in spikes if a.unit_kato == KORDAI)
    assert alert.day == DAY and alert.observed >= 3 and alert.p_value < 1e-3
    assert alert.expected < 1 and "Кордайский район" in alert.summary
    evidence = alert.data["evidence"]
    assert len(evidence) == alert.observed
    for item in evidence:
        text = kelisim.store.get_document(item["document_id"]).text
        assert item["spans"] and all(text[s["start"]:s["end"]] == s["text"] for s in item["spans"])


def test_a_silent_outlet_and_a_saved_search_raise_their_alerts(warned):
    kelisim, before, _report = warned
    _n, alerts = kelisim.store.warning.alerts(limit=500)
    silences = [a for a in alerts if a.kind == "silence"]
    assert [a.data["source"]["name"] for a in silences] == ["Тараз-инфо"]
    (search,) = [a for a in alerts if a.kind == "search"]  # none for Almaty: Sortobe is not there
    assert search.day == DAY and search.observed == 4  # the three reports and one post
    assert len(search.data["documents"]) == 4


def test_running_the_stage_again_raises_nothing_twice(warned):
    kelisim, _before, _report = warned
    _n, alerts = kelisim.store.warning.alerts(limit=500)
    again = kelisim.warn(end_of_day(DAY), send=False)
    assert again.alerts_new == [] and again.clustered == 0
    _m, after = kelisim.store.warning.alerts(limit=500)
    assert len(after) == len(alerts)


def test_the_index_of_the_day_rises_and_is_made_of_stored_documents(warned):
    kelisim, _before, _report = warned
    days = kelisim.index(KORDAI, "district", "day", DAY - timedelta(days=3), DAY)
    assert days[-1].value > 0 and all(v.value == 0 for v in days[:-1])
    region = kelisim.index(ZHAMBYL, "region", "day", DAY, DAY)[0]
    assert region.volume >= len(CLASH) + len(HOSTILE)
    assert region.component("incidents").points >= 9  # the clash, once
    for component in region.components:
        for doc_id in component.documents:
            assert kelisim.store.get_document(doc_id) is not None
    table = kelisim.index_table("region", DAY, DAY)
    assert table[0].kato == ZHAMBYL and len({v.kato for v in table}) == 20


def test_a_saved_search_counts_the_day_in_kazakhstan_not_the_day_in_utc(tmp_path):
    """A post at 02:30 in Kazakhstan is on the local day, though it is still the day before in
    UTC; one at 23:30 the evening before is not. The stage counts local days everywhere."""
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'k.db'}", ingest=IngestOptions(workers=1))
    with Kelisim(settings, rules=parse_rules(RULES, {}, "test rules")) as kelisim:
        social = kelisim.add_source("social", kind="web", name="Соцсети")
        night, evening = at(DAY, 2) + timedelta(minutes=30), at(DAY, 0) - timedelta(minutes=30)
        assert night.date() == DAY - timedelta(days=1) == evening.date()
        kelisim.ingest_items([RawItem(origin=f"test:{name}", body=f"{text} в селе Сортобе.", source_id=social.id,
                                      published=moment)
                              for name, text, moment in (("night", "Ночью снова шумно", night),
                                                         ("evening", "Вечером было тихо", evening))],
                             command="test")
        kelisim.read_pending()
        report = kelisim.warn(end_of_day(DAY), send=False)
        searches = [kelisim.store.warning.alert(a) for a in report.alerts_new]
        (search,) = [a for a in searches if a.kind == "search" and a.day == DAY]
        (found,) = search.data["documents"]
        assert kelisim.store.get_document(found).text.startswith("Ночью")
