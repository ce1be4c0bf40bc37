"""Throughput of the whole pipeline next to natasha and to the NER model alone, in one run.

Corpus: ``bench.corpus.stream`` (default 20,000 documents of real text mixed as a media stream:
Russian news of 1.5-4.5 KB, social-media threads, Kazakh news), written as text files. The
contenders, each with 1 and 2 processes, on the same documents:

- Kelisim's whole pipeline: ``ingest_paths`` (read files, clean, de-duplicate, store, index for
  search) then ``read_pending`` (tokens, NER, dictionaries, quotes, understanding, storing the
  mentions), into a fresh SQLite store, exactly as ``kelisim ingest`` runs them;
- (a) natasha as its README shows: ``Doc``, ``segment``, ``tag_ner``, one document at a time;
- (b) the ceiling: slovnet's NER forward pass alone on pre-tokenised sentences, sorted by length
  and tagged in batches (the tokenising is not timed).

The corpus is cut into slices and the contenders take turns slice by slice, so a change in the
machine's load falls on all of them alike; each contender's time is the sum over its slices.
The Kelisim stores grow slice by slice, as an archive does. Models are loaded before forking and
not timed. Peak memory: the largest resident set of the main process and of any worker,
sampled every 50 ms. Then one instrumented run in one process on a share of the corpus gives the
CPU time of each stage.

Run: ``.venv/bin/python bench/throughput.py [--docs 20000] [--slices 4] [--stage-docs 2000]``;
figures go to bench/out/throughput.json and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import shutil
import sys
import time
from collections import Counter

import psutil
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from analyze import PeakMemory, _natasha_load, ceiling, natasha, token_texts  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
WORKERS = (1, 2)


def kelisim_store(folder: Path, workers: int):
    """A fresh SQLite store read and written with ``workers`` processes."""
    from kelisim.config import Settings
    from kelisim.core import Kelisim

    settings = Settings(db_url=f"sqlite:///{folder / f'store-{workers}-{time.monotonic_ns()}.db'}")
    return Kelisim(dataclasses.replace(
        settings, ingest=dataclasses.replace(settings.ingest, workers=workers)))


def pipeline(kelisim, folder: Path) -> int:
    """Ingest a folder, then read what it stored; the number of documents read."""
    kelisim.ingest_paths([folder])
    return kelisim.read_pending().read


def timed(run, *args) -> tuple[float, float, int, PeakMemory]:
    """Seconds, CPU seconds (this process and its workers, reaped or alive), the run's result
    and its peak memory."""
    with PeakMemory() as memory:
        cpu, began = _cpu(), time.perf_counter()
        found = run(*args)
        return time.perf_counter() - began, _cpu() - cpu, found, memory


def _cpu() -> float:
    """CPU seconds of this process, of the children it reaped and of those still running (a
    Kelisim keeps its reading workers from one read to the next)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system + _live_children_cpu()


def _live_children_cpu() -> float:
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            cpu = child.cpu_times()
        except psutil.Error:  # gone since: its time is among the reaped children's
            continue
        total += cpu.user + cpu.system
    return total


class Totals:
    """Seconds, results and peak memory of each contender, summed over slices."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], dict] = {}

    def add(self, name: str, workers: int, docs: int, seconds: float, cpu: float, found: int,
            memory) -> None:
        row = self.rows.setdefault((name, workers), {
            "contender": name, "workers": workers, "docs": 0, "seconds": 0.0, "cpu": 0.0,
            "found": 0, "peak_main_mb": 0, "peak_worker_mb": 0})
        row["docs"] += docs
        row["seconds"] += seconds
        row["cpu"] += cpu
        row["found"] += found
        row["peak_main_mb"] = max(row["peak_main_mb"], round(memory.main / 2**20))
        row["peak_worker_mb"] = max(row["peak_worker_mb"], round(memory.worker / 2**20))

    def table(self) -> list[dict]:
        rows = [dict(r, docs_per_s=round(r["docs"] / r["seconds"], 1),
                     cpu_ms_per_doc=round(r["cpu"] / r["docs"] * 1000, 1)) for r in self.rows.values()]
        for row in rows:
            base = self.rows[("natasha README", row["workers"])]
            top = self.rows[("NER forward pass alone", row["workers"])]
            one = self.rows[(row["contender"], 1)]
            row["x_natasha"] = round(base["seconds"] / row["seconds"], 2)
            row["share_of_ceiling"] = round(top["seconds"] / row["seconds"], 2)
            row["x_one_process"] = round(one["seconds"] / row["seconds"], 2)
            row["cpu_x_natasha"] = round(base["cpu"] / row["cpu"], 2)
            row["cpu_share_of_ceiling"] = round(top["cpu"] / row["cpu"], 2)
        return rows


def run_slices(docs: list[str], slices: int, work: Path) -> Totals:
    """Every contender over every slice, taking turns."""
    totals = Totals()
    stores = {w: kelisim_store(work, w) for w in WORKERS}
    size = -(-len(docs) // slices)
    for number in range(slices):
        part = docs[number * size:(number + 1) * size]
        folder = work / f"slice-{number}"
        corpus.write(folder, part)
        sentences = token_texts(part)
        load = os.getloadavg()[0]
        for workers in WORKERS:
            totals.add("natasha README", workers, len(part), *timed(natasha, part, workers))
            totals.add("NER forward pass alone", workers, len(part), *timed(ceiling, sentences, workers))
            totals.add("Kelisim pipeline", workers, len(part),
                       *timed(pipeline, stores[workers], folder))
        print(json.dumps({"slice": number, "docs": len(part), "load_before": round(load, 2),
                          "rows": totals.table()}, ensure_ascii=False), flush=True)
        shutil.rmtree(folder)
    for kelisim in stores.values():
        kelisim.close()
    return totals


def stage_shares(docs: list[str], work: Path) -> list[dict]:
    """CPU time of each stage of the pipeline in one process (instrumented, so a little slower
    than the timed run)."""
    import kelisim.ingest as ingest
    import kelisim.read as read
    from kelisim.reading import reader
    from kelisim.reading.document import TextView
    import kelisim.analyze as analyze
    from kelisim.understanding.understand import Understander

    spent: Counter[str] = Counter()
    stages = [(ingest, "_prepare_or_pass", "clean (decode, normalise, language, date, MinHash, terms)"),
              (ingest.Ingestor, "_write_chunk", "de-duplicate and store documents, search index"),
              (TextView, "of", "tokenise (sentences, tokens)"),
              (reader.Reader, "_tag", "NER (slovnet, batched)"),
              (reader.Reader, "_read", "extract (knowledge base, places, groups, quotes)"),
              (Understander, "understand", "understand (tension, hostility, attitude, event, relevance)"),
              (analyze, "to_json", "reading to JSON"),
              (read, "save_chunk", "store readings (mentions)")]
    for owner, name, label in stages:
        setattr(owner, name, _cpu_timed(getattr(owner, name), label, spent))
    folder = work / "stages"
    corpus.write(folder, docs)
    kelisim = kelisim_store(work, 1)
    began = time.process_time()
    pipeline(kelisim, folder)
    total = time.process_time() - began
    kelisim.close()
    rows = [{"stage": label, "ms_per_doc": round(spent[label] / len(docs) * 1000, 2),
             "share": round(spent[label] / total, 3)} for _, _, label in stages]
    rest = total - sum(spent.values())
    rows.append({"stage": "the rest (reading files, queries, bookkeeping)",
                 "ms_per_doc": round(rest / len(docs) * 1000, 2), "share": round(rest / total, 3)})
    rows.append({"stage": "total", "ms_per_doc": round(total / len(docs) * 1000, 2), "share": 1.0})
    return rows


def _cpu_timed(function, label: str, spent: Counter):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - began
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--slices", type=int, default=4)
    parser.add_argument("--stage-docs", type=int, default=2_000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    docs = corpus.stream(args.docs)
    print(f"{len(docs)} documents, mean {sum(map(len, docs)) / len(docs):,.0f} characters", flush=True)
    work = OUT / "throughput"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    from kelisim.reading.reader import Reader

    Reader.load()  # models in memory before any fork, as in the product
    _natasha_load()
    rows = run_slices(docs, args.slices, work).table()
    shares = stage_shares(corpus.stream(args.stage_docs, seed=29), work) if args.stage_docs else []
    result = {"docs": len(docs), "slices": args.slices, "rows": rows, "stages": shares}
    (OUT / "throughput.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print("\n| contender | processes | docs/s | × natasha | share of the ceiling | × 1 process "
          "| CPU ms/doc | CPU: × natasha, share of the ceiling | peak RSS main | peak RSS per worker |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        worker = f"{r['peak_worker_mb']} MB" if r["workers"] > 1 else "–"
        print(f"| {r['contender']} | {r['workers']} | {r['docs_per_s']} | {r['x_natasha']} "
              f"| {r['share_of_ceiling']:.0%} | {r['x_one_process']} | {r['cpu_ms_per_doc']} "
              f"| {r['cpu_x_natasha']}, {r['cpu_share_of_ceiling']:.0%} | {r['peak_main_mb']} MB | {worker} |")
    print("\n| stage | CPU ms a document | share |\n|---|---|---|")
    for s in shares:
        print(f"| {s['stage']} | {s['ms_per_doc']} | {s['share']:.0%} |")


if __name__ == "__main__":
    main()
