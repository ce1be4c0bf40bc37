"""The five seeds read as a person checked by hand (tests/golden/seeds.json): people,
organisations, places with KATO codes, ethnic groups, quotes and their speakers, attribution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kelisim.analyze import AnalyzeOptions, analyze
from kelisim.records import RawItem
from tests.shared_data import seed_paths

GOLDEN = json.loads((Path(__file__).parent / "golden" / "seeds.json").read_text(encoding="utf-8"))
TICKER_WORDS = ("Астане", "Алматы", "Темиртау", "Абайской", "Мангистау", "Костанайской", "Джеки",
                "Гонконгский", "USD", "казахский")


def compact(obj: dict) -> dict:
    """A reading in the golden file's shape."""
    return {
        "entities": [[e["type"], e["text"], e["normal"], e["kb_id"]] for e in obj["entities"]],
        "places": [[p["text"], p["kato"], p["name"], p["region_kato"], p["country"]] for p in obj["places"]],
        "ethnic": [[g["group"], m["text"], m["person"], m["slur"]]
                   for g in obj["ethnic_groups"] for m in g["mentions"]],
        "quotes": [[q["direct"], q["speaker"], q["speaker_kb_id"], q["text"][:50]] for q in obj["quotes"]],
        "attribution": [[a["text"], a["outlet"], a["kb_id"]] for a in obj["attribution"]],
    }


@pytest.fixture(scope="module")
def readings() -> dict[str, dict]:
    items = [RawItem(origin=f"file:{p}", body=p.read_bytes()) for p in seed_paths()]
    return {obj["id"].rsplit("/", 1)[-1][:3]: obj for obj in analyze(items, AnalyzeOptions())}


@pytest.mark.parametrize("seed", sorted(GOLDEN))
@pytest.mark.parametrize("part", ["entities", "places", "ethnic", "quotes", "attribution"])
def test_seed_reads_as_checked_by_hand(readings, seed, part):
    assert compact(readings[seed])[part] == GOLDEN[seed][part]


def test_nothing_from_the_news_ticker_of_seed_002(readings):
    reading = readings["002"]
    found = [m["text"] for key in ("entities", "places", "quotes", "attribution") for m in reading[key]]
    found += [m["text"] for g in reading["ethnic_groups"] for m in g["mentions"]]
    assert not [text for text in found if any(word in text for word in TICKER_WORDS)]
    assert "Щелкунчик" not in reading["text"]


PRIMARY = {"000": "meeting_conference", "001": "official_statement", "002": "official_statement",
           "003": "meeting_conference", "004": "meeting_conference"}


@pytest.mark.parametrize("seed", sorted(PRIMARY))
def test_seed_is_understood_as_the_issue_expects(readings, seed):
    """All relevant; a meeting or a statement, never a clash; not hostile; low tension; no
    group spoken of negatively."""
    reading = readings[seed]
    assert reading["relevance"]["relevant"] and reading["relevance"]["score"] > 0.9
    assert reading["event"]["type"] == PRIMARY[seed]
    assert "violent_clash" not in reading["event"]["types"]
    assert not reading["hostility"]["hostile"] and reading["hostility"]["kinds"] == []
    assert reading["tension"]["label"] in ("calm", "cooperation") and reading["tension"]["score"] < 0.2
    assert all(g["attitude"] in (0, 1, None) for g in reading["ethnic_groups"])


def test_the_kordai_reference_of_seed_000_is_a_reference_with_its_place(readings):
    reading = readings["000"]
    (reference,) = reading["event"]["references_past"]
    assert reference["text"] == "трагические события в Кордайском районе"
    assert reading["text"][reference["start"]:reference["end"]] == reference["text"]
    assert (reference["place"]["kato"], reference["place"]["region_kato"]) == ("314800000", "310000000")
    clash_cues = [e for e in reading["event"]["evidence"] if e["kind"] in ("violent_clash", "incident")]
    assert all(e["weight"] == 0 and e["context"] == "past" for e in clash_cues)
