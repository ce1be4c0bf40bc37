"""Where the shared seeds and data sets live for tests: ``/work/shared`` beside the repo."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the test is skipped, with the reason, when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    return path


def seed_paths() -> list[Path]:
    """The five seed articles, in name order."""
    return sorted(shared_path("seeds").glob("*.txt"))


def read_seed(prefix: str) -> str:
    """The text of the seed whose file name starts with ``prefix`` (e.g. "002")."""
    (path,) = [p for p in seed_paths() if p.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


def seed_texts() -> list[str]:
    """The texts of the five seed articles, in name order."""
    return [path.read_text(encoding="utf-8") for path in seed_paths()]


def factru_texts() -> list[str]:
    """The Russian news texts of the factRuEval-2016 dev set, in name order."""
    folder = shared_path("data", "factru-dev")
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]


def ruethnohate_texts() -> list[str]:
    """The RuEthnoHate social-media texts, one per text_id, with HTML remnants stripped."""
    texts: dict[int, str] = {}
    with shared_path("data", "ruethnohate", "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = html.unescape(re.sub(r"<[^>]+>", " ", record["text"].replace("<br/>", "\n")))
            texts.setdefault(record["text_id"], text.strip())
    return [text for text in texts.values() if text]


_KAZAKH_NEWS = ("Алматыда өткен жиында Жамбыл облысының әкімі сөз сөйледі. Қордай ауданы мен Тараз қаласының "
                "тұрғындары (ШҚО-дан келген қонақтар), АҚШ-тың елшісі қатысты.\nАстананы Ресейден келген "
                "делегация аралады.")


@lru_cache(maxsize=1)
def reading_views() -> tuple:
    """Views of real texts for comparing readers: the seeds and factRuEval read as Russian, the
    first twenty read as Kazakh too, a Kazakh news text as Kazakh and as mixed, and an empty one."""
    from kelisim.reading.document import TextView

    texts = [*seed_texts(), *factru_texts()]
    return (*(TextView.of(text, "ru") for text in texts), *(TextView.of(text, "kk") for text in texts[:20]),
            TextView.of(_KAZAKH_NEWS, "kk"), TextView.of(_KAZAKH_NEWS, "mixed"), TextView.of("", "ru"))
