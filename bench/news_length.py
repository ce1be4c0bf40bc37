"""Ingest speed on news-length documents (~3 KB), next to the main bench's short corpus.

The shared data holds few long texts, so each document here joins two factRuEval news texts
(i and i+k) and keeps those of 2-5 KB. Many pairs share a text, so about two thirds are linked as
near-duplicate reprints: de-duplication works hard here. Run: .venv/bin/python bench/news_length.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from shared_data import factru_texts  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "news-length"


def build(folder: Path) -> tuple[int, float]:
    """Write the joined news texts; return their count and mean length in characters."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    texts, lengths = factru_texts(), []
    for k in range(1, 18):
        for i, text in enumerate(texts):
            doc = text + "\n" + texts[(i + k) % len(texts)]
            if 2000 < len(doc) < 5000:
                (folder / f"{len(lengths):05d}.txt").write_text(doc, encoding="utf-8")
                lengths.append(len(doc))
    return len(lengths), sum(lengths) / len(lengths)


def measure(folder: Path, workers: int) -> tuple[float, object]:
    """Documents per second of one ingest into a fresh SQLite store (store opening excluded)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/k.db", ingest=IngestOptions(workers=workers))
        with Kelisim(settings) as kelisim:
            start = time.perf_counter()
            summary = kelisim.ingest_paths([folder])
            return summary.processed / (time.perf_counter() - start), summary


def main() -> None:
    """Build the corpus, then ingest it with 1 and 2 workers, three times each."""
    count, mean = build(OUT / "corpus")
    print(f"{count} documents, mean {mean:,.0f} characters")
    for workers in (1, 2):
        rates = sorted(measure(OUT / "corpus", workers)[0] for _ in range(3))
        print(f"SQLite, {workers} worker(s): median {rates[1]:.0f} docs/s "
              f"(range {rates[0]:.0f}-{rates[2]:.0f})")


if __name__ == "__main__":
    main()
