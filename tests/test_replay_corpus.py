"""The replay corpus (scripts/build_replay.py): a small simulation built from the shared data,
checked for what ``kelisim replay`` and its measurement rely on."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kelisim.clean.pipeline import clean_text
from kelisim.dedup import NearDuplicateIndex, signature
from kelisim.places.matcher import PlaceMatcher
from kelisim.reading.document import TextView
from tests.replay_support import load_script
from tests.shared_data import shared_path

ROOT = Path(__file__).resolve().parents[1]
START, DAYS, PER_DAY, SEED = date(2024, 1, 1), 90, 6.0, 3
FILES = ("documents.jsonl", "manifest.json", "README.md")


def build(script, out: Path) -> dict:
    """The small corpus of these tests, built into ``out``."""
    return script.build(shared_path("data"), shared_path("seeds"), out, start=START, days=DAYS,
                        per_day=PER_DAY, seed=SEED)


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def corpus(script, tmp_path_factory):
    """The folder, manifest and documents of a 90-day corpus of about 6 documents a day."""
    out = tmp_path_factory.mktemp("replay")
    manifest = build(script, out)
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return out, manifest, [json.loads(line) for line in lines]


def local_day(doc: dict) -> date:
    """The day a document was published, in its own time zone."""
    return datetime.fromisoformat(doc["published"]).date()


def test_the_same_seed_gives_the_same_bytes(script, corpus, tmp_path):
    out, _, _ = corpus
    build(script, tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_ids_are_unique_numbered_in_publication_order_and_inside_the_period(corpus):
    _, manifest, docs = corpus
    assert [d["id"] for d in docs] == [f"sim-{n:06d}" for n in range(1, len(docs) + 1)]
    moments = [datetime.fromisoformat(d["published"]) for d in docs]
    assert all(m.tzinfo is not None for m in moments)
    assert moments == sorted(moments)
    assert {local_day(d) for d in docs} <= {START + timedelta(days=k) for k in range(DAYS)}
    assert manifest["documents"] == len(docs) > 300
    assert manifest["start"] == START.isoformat() and manifest["end"] == (START + timedelta(days=DAYS - 1)).isoformat()


def test_no_text_is_repeated_except_declared_reprints(corpus):
    _, _, docs = corpus
    assert max(Counter(d["text"] for d in docs).values()) == 1
    by_id = {d["id"]: d for d in docs}
    reprints = [d for d in docs if d["reprint_of"]]
    assert len(reprints) >= 3
    for doc in reprints:
        original = by_id[doc["reprint_of"]]
        intro, body = doc["text"].split("\n", 1)
        assert body == original["text"] and original["outlet"] in intro and doc["outlet"] != original["outlet"]
        assert doc["id"] > original["id"] and original["reprint_of"] is None
        assert timedelta(0) < datetime.fromisoformat(doc["published"]) - datetime.fromisoformat(original["published"]) < timedelta(days=1)


def test_kelisim_links_the_reprints_and_nothing_else(corpus):
    _, _, docs = corpus
    index, linked = NearDuplicateIndex(0.6), {}
    for n, doc in enumerate(docs):
        sig = signature(clean_text(doc["text"], "text").text)
        match = index.find(sig)
        if match is None:
            index.add(n, sig)
        else:
            linked[doc["id"]] = docs[match.doc_id]["id"]
    assert linked == {d["id"]: d["reprint_of"] for d in docs if d["reprint_of"]}


def test_the_episode_is_declared_placed_and_dated(corpus):
    _, manifest, docs = corpus
    (episode,) = manifest["episodes"]
    first, peak, last = (date.fromisoformat(episode[k]) for k in ("start", "peak", "end"))
    assert (first - START).days >= 60 and 14 <= (last - first).days + 1 <= 18 and first < peak < last
    assert episode["kind"] == "hostility" and episode["district_kato"].startswith(episode["region_kato"][:2])
    mine = [d for d in docs if d["episode"] == episode["name"]]
    assert [d["id"] for d in mine] == episode["documents"]
    assert all(first <= local_day(d) <= last for d in mine)
    assert all(d["place"]["district_kato"] == episode["district_kato"] for d in mine)
    assert episode["region_kato"] not in ("710000000", "750000000", "790000000")


def test_hostile_posts_rise_to_the_clash_then_de_escalation(corpus):
    _, manifest, docs = corpus
    (episode,) = manifest["episodes"]
    by_id = {d["id"]: d for d in docs}
    per_day = episode["hostile_posts_per_day"]
    assert sum(per_day) == len(episode["hostile_posts"]) and min(per_day) >= 1
    peak = (date.fromisoformat(episode["peak"]) - date.fromisoformat(episode["start"])).days
    assert sum(per_day[peak - 3:peak + 1]) > 2 * sum(per_day[:4])
    assert all(by_id[i]["origin"]["dataset"] == "ruethnohate" for i in episode["hostile_posts"])
    clash = by_id[episode["clash"]["original"]]
    assert local_day(clash).isoformat() == episode["peak"] and 2 <= len(episode["clash"]["reprints"]) <= 3
    assert len({by_id[i]["outlet"] for i in [clash["id"], *episode["clash"]["reprints"]]}) == 1 + len(episode["clash"]["reprints"])
    calm = by_id[episode["deescalation"]["original"]]
    assert local_day(calm).isoformat() == episode["end"] and calm["origin"]["dataset"] == "seed"


def test_background_hostility_is_spread_over_regions_and_months(corpus):
    _, _, docs = corpus
    hostile = set()
    for line in shared_path("data", "ruethnohate", "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["class"] == -1:
            hostile.add(str(record["text_id"]))
    background = [d for d in docs if d["episode"] is None and d["origin"]["dataset"] == "ruethnohate"
                  and d["origin"]["ref"] in hostile]
    assert 0.01 < len(background) / len(docs) < 0.08
    assert len({d["place"]["region_kato"] for d in background}) >= 5
    assert len({d["published"][:7] for d in background}) >= 3


def test_weekends_are_quieter(corpus):
    _, _, docs = corpus
    days = Counter(local_day(d) for d in docs if d["episode"] is None)
    weekday = [days[d] for d in days if d.weekday() < 5]
    weekend = [days[d] for d in days if d.weekday() >= 5]
    assert sum(weekend) / len(weekend) < 0.85 * sum(weekday) / len(weekday)


def test_the_readme_says_first_that_it_is_a_simulation(corpus):
    out, manifest, _ = corpus
    first_line = (out / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert "SIMULATION" in first_line
    assert manifest["simulation"] is True and "SIMULATION" in manifest["about"]


def test_the_silent_outlet_publishes_until_its_date_and_never_after(corpus):
    _, manifest, docs = corpus
    (silence,) = manifest["silences"]
    since = date.fromisoformat(silence["from"])
    days = [local_day(d) for d in docs if d["outlet"] == silence["outlet"]]
    assert days and max(days) < since
    assert sum(since - timedelta(days=28) <= day for day in days) >= 3
    (outlet,) = [o for o in manifest["outlets"] if o["name"] == silence["outlet"]]
    assert outlet["silent_from"] == silence["from"]


def test_every_document_names_its_region_for_the_place_matcher(corpus):
    _, _, docs = corpus
    matcher = PlaceMatcher.load()
    for doc in docs:
        cleaned = clean_text(doc["text"], "text")
        found = matcher.find(TextView.of(cleaned.text, cleaned.lang))
        place = doc["place"]
        assert {m.place.region_kato for m in found if m.place.region_kato} == {place["region_kato"]}, doc["id"]
        if place["district_kato"]:
            assert place["district_kato"] in {m.place.district_kato for m in found}, doc["id"]
        if place["dateline"]:
            assert f"{place['dateline']}. " in doc["text"], doc["id"]


def test_records_name_known_outlets_datasets_and_simulated_urls(corpus):
    _, manifest, docs = corpus
    outlets = {o["name"] for o in manifest["outlets"]}
    assert {d["outlet"] for d in docs} <= outlets
    assert {d["origin"]["dataset"] for d in docs} == {"kaznerd", "factru", "ruethnohate", "seed"}
    assert all(d["url"] == f"https://sim.kelisim.invalid/{d['url'].split('/')[3]}/{d['id']}" for d in docs)
    counts = manifest["counts"]
    assert sum(counts["by_dataset"].values()) == sum(counts["by_region"].values()) == len(docs)
    assert len(counts["by_region"]) == 20


def test_a_period_too_short_for_the_warm_up_is_refused(script, tmp_path):
    with pytest.raises(ValueError, match="days"):
        script.build(shared_path("data"), shared_path("seeds"), tmp_path, start=START, days=60, per_day=PER_DAY, seed=SEED)


def test_kaznerd_tokens_and_ruethnohate_remnants_become_plain_text(script):
    tokens = ["Әрі", "«", "Қара", "сөздерінің", "»", "аудиодискісін", "тыңдауға", "болады", "."]
    assert script._detokenize(tokens) == "Әрі «Қара сөздерінің» аудиодискісін тыңдауға болады."
    raw = 'Я очень рад, что вы прозрели! Кстати, крымцы, ногайцы, <b>казахи</b>!<br/> \\нетипичная Махачкала\\"'
    assert script.social_text(raw) == 'Я очень рад, что вы прозрели! Кстати, крымцы, ногайцы, казахи!\n"нетипичная Махачкала"'
