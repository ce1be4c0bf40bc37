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
