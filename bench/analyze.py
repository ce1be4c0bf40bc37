"""Speed and memory of ``kelisim analyze`` next to natasha used as its README shows.

Corpus: 2,000 news-length documents (~3 KB), each two real factRuEval news texts joined (text i
and text i+k), the same documents for every contender, in one run:

- natasha as its README shows: ``Doc(text)``, ``segment``, ``tag_ner``, one document at a time;
- Kelisim's whole reading (cleaning, tokens, batched NER, normalisation, linking, gazetteer,
  ethnic groups, knowledge base, quotes, attribution, then relevance, event, hostility,
  attitude and tension, JSON output) through ``kelisim.analyze``;
- the same with extraction alone (``analyze --extract-only``), to show what understanding costs;
- the ceiling: slovnet's forward pass alone on pre-tokenised, length-sorted sentence batches.

Each with 1 and 2 processes; the models are loaded before forking and not timed. Peak memory is
the largest resident set of the main process and of any worker, sampled every 50 ms.
Run: ``.venv/bin/python bench/analyze.py [--docs 2000]``; figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from shared_data import factru_texts  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def corpus(count: int) -> list[str]:
    """``count`` documents of 2-5 KB, each two factRuEval texts joined."""
    texts, docs = factru_texts(), []
    for k in range(1, len(texts)):
        for i, text in enumerate(texts):
            doc = text + "\n" + texts[(i + k) % len(texts)]
            if 2000 < len(doc) < 5000:
                docs.append(doc)
                if len(docs) == count:
                    return docs
    return docs


class PeakMemory:
    """Samples the resident memory of this process and its children while running."""

    def __init__(self) -> None:
        self.main = self.worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                self.main = max(self.main, me.memory_info().rss)
                for child in me.children(recursive=True):
                    self.worker = max(self.worker, child.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.05)


# natasha as its README shows ---------------------------------------------------------------

_NATASHA = None


def _natasha_load():
    global _NATASHA
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    _NATASHA = (Doc, Segmenter(), NewsNERTagger(NewsEmbedding()))


def _natasha_one(text: str) -> int:
    doc_class, segmenter, tagger = _NATASHA
    doc = doc_class(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return len(doc.spans)


def natasha(docs: list[str], workers: int) -> int:
    """Entity spans found by natasha, one document at a time, in ``workers`` processes."""
    if workers == 1:
        return sum(map(_natasha_one, docs))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.imap(_natasha_one, docs, chunksize=16))


# Kelisim's whole reading -------------------------------------------------------------------

def kelisim(docs: list[str], workers: int, understand: bool = True) -> int:
    """Entities found by ``kelisim.analyze`` (cleaning included) in ``workers`` processes."""
    from kelisim.analyze import AnalyzeOptions, analyze
    from kelisim.records import RawItem

    items = [RawItem(origin=f"bench:{i}", body=text) for i, text in enumerate(docs)]
    found = 0
    for result in analyze(items, AnalyzeOptions(workers=workers, understand=understand)):
        found += len(result["entities"])
    return found


def kelisim_extraction(docs: list[str], workers: int) -> int:
    """The same without understanding (``analyze --extract-only``)."""
    return kelisim(docs, workers, understand=False)


# the ceiling: NER forward pass alone on pre-tokenised batches ------------------------------

_SENTENCES = None


def _ceiling_chunk(bounds: tuple[int, int]) -> int:
    """Entity tags slovnet's own forward pass gives a chunk of the sentences (their token texts
    taken before timing began)."""
    from kelisim.reading.ner import NerModel
    from kelisim.reading.network import slovnet_tags

    tags = slovnet_tags(NerModel.load().infer, _SENTENCES[bounds[0]:bounds[1]])
    return sum(tag.startswith("B-") for sentence in tags for tag in sentence)


def token_texts(docs: list[str]) -> list[list[str]]:
    """The token texts of every sentence of the documents, as Kelisim tokenises them."""
    from kelisim.reading.document import TextView

    return [[token.text for token in s.tokens] for text in docs for s in TextView.of(text).sentences]


def ceiling(sentences: list[list[str]], workers: int) -> int:
    """Entities the model alone finds in already tokenised sentences."""
    global _SENTENCES
    _SENTENCES = sentences
    size = max(1, len(sentences) // (workers * 8))
    chunks = [(i, i + size) for i in range(0, len(sentences), size)]
    if workers == 1:
        return sum(map(_ceiling_chunk, chunks))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.imap(_ceiling_chunk, chunks))


def measure(name: str, run, data, docs: int, workers: int) -> dict:
    """One timed run with peak memory."""
    with PeakMemory() as memory:
        began = time.perf_counter()
        found = run(data, workers)
        seconds = time.perf_counter() - began
    return {"contender": name, "workers": workers, "docs": docs, "seconds": round(seconds, 2),
            "docs_per_s": round(docs / seconds, 1), "found": found,
            "peak_main_mb": round(memory.main / 2**20), "peak_worker_mb": round(memory.worker / 2**20)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    docs = corpus(args.docs)
    print(f"{len(docs)} documents, mean {sum(map(len, docs)) / len(docs):,.0f} characters", flush=True)

    from kelisim.reading.reader import Reader

    Reader.load()  # models in memory before any fork, as in the product
    _natasha_load()
    sentences = token_texts(docs)
    results = []
    for workers in (1, 2):
        results.append(measure("natasha README", natasha, docs, len(docs), workers))
        results.append(measure("Kelisim analyze", kelisim, docs, len(docs), workers))
        results.append(measure("Kelisim extraction alone", kelisim_extraction, docs, len(docs), workers))
        results.append(measure("NER forward pass alone", ceiling, sentences, len(docs), workers))
        for row in results[-4:]:
            print(json.dumps(row, ensure_ascii=False), flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "analyze.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("\n| contender | processes | docs/s | peak main MB | peak worker MB |")
    print("|---|---|---|---|---|")
    for row in results:
        print(f"| {row['contender']} | {row['workers']} | {row['docs_per_s']} | {row['peak_main_mb']} "
              f"| {row['peak_worker_mb'] if row['workers'] > 1 else '-'} |")


if __name__ == "__main__":
    main()
