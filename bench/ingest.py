"""Ingest benchmark: documents per second, MB/s and peak memory of `Kelisim.ingest_paths`.

Usage: .venv/bin/python bench/ingest.py [--docs 10000] [--quick] [--backends sqlite,postgresql]
       [--workers 1,2] [--runs 3] [--pages 2000] [--no-html] [--no-stages]

Plain text: the corpus of bench/corpus.py written as .txt files under bench/out/, ingested into a
fresh database per run on each backend with each worker count. HTML: news pages built from the
same texts, ingested on SQLite next to trafilatura alone over the same pages (the extraction
bound). Stages: one worker's share of time per step of `prepare`, measured step by step.

Every run is its own subprocess (`--child`), so imports and caches start cold alike and memory is
the run's own; runs of all configurations are interleaved, and medians are reported. The table
is printed and written to bench/out/ingest.json. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import psutil
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
sys.path[:0] = [str(BENCH), str(ROOT)]

import corpus  # noqa: E402

MiB = 2**20
TARGET_DOCS_PER_S = 300  # plain text, SQLite, this 2-core machine (the target)
PART = "· "  # names a step that is part of prepare
MARK = "@bench "  # prefix of the lines a child reports on; anything else it prints is ignored
SAMPLE_EVERY_S = 0.1
console = Console(stderr=True)


# Children: one measured run each, reporting JSON lines on stdout.

def _say(**fields) -> None:
    print(MARK + json.dumps(fields), flush=True)


def _rusage(main_cpu: float | None = None) -> dict:
    """Peak RSS of this process and of its largest finished child; CPU seconds of both."""
    kib = 1024 / MiB  # ru_maxrss is in KiB on Linux
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"self_maxrss_mb": own.ru_maxrss * kib, "children_maxrss_mb": children.ru_maxrss * kib,
            "main_cpu_s": main_cpu, "workers_cpu_s": children.ru_utime + children.ru_stime}


def child_ingest(job: dict) -> None:
    """Ingest a folder into a fresh database with N workers, timing `ingest_paths` alone."""
    from kelisim.config import IngestOptions, Settings
    from kelisim.core import Kelisim

    opened = time.perf_counter()
    app = Kelisim(Settings(db_url=job["url"], ingest=IngestOptions(workers=job["workers"])))
    start, cpu = time.perf_counter(), time.process_time()
    summary = app.ingest_paths([Path(job["folder"])],
                               progress=lambda s: _say(progress=s.processed))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    app.close()
    counts = {name: getattr(summary, name) for name in
              ("processed", "added", "reprints_exact", "reprints_near", "rejected")}
    _say(result={"seconds": seconds, "open_seconds": start - opened, **counts, **_rusage(cpu)})


def _extract(page: str) -> int:
    import trafilatura

    # The options kelisim.clean.html uses, so the bound is for the same work.
    text = trafilatura.extract(page, with_metadata=True, include_comments=False,
                               include_tables=True, favor_recall=True)
    return len(text or "")


def child_extract(job: dict) -> None:
    """trafilatura.extract over the pages of a folder, in 1 process or a pool of N."""
    import trafilatura  # noqa: F401  (imported before forking, as the product does)

    pages = [p.read_text(encoding="utf-8") for p in sorted(Path(job["folder"]).glob("*.html"))]
    start, cpu = time.perf_counter(), time.process_time()
    if job["workers"] == 1:
        lengths = [_progress(n, _extract(page), 0) for n, page in enumerate(pages)]
    else:
        pool = multiprocessing.get_context("fork").Pool(job["workers"])
        done = pool.imap(_extract, pages, chunksize=8)
        lengths = [_progress(n, length, 0) for n, length in enumerate(done)]
        pool.close()
        pool.join()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    _say(result={"seconds": seconds, "processed": len(pages),
                 "extracted": sum(1 for n in lengths if n), **_rusage(cpu)})


def child_stages(job: dict) -> None:
    """CPU time of each step of plain-text ingest, in one process over the same items: the
    steps of ``prepare`` one after the other per document, as ``prepare`` runs them; then
    ``prepare`` itself; then the in-memory de-duplication over its results."""
    from kelisim.config import IngestOptions
    from kelisim.prepare import prepare
    from kelisim.sources.files import read_paths
    from kelisim.text.terms import lemma

    options, clock = IngestOptions(workers=1), time.process_time
    start = clock()
    items = list(read_paths([Path(job["folder"])], options))
    times = {"read files": clock() - start} | _time_steps(items)
    lemma.cache_clear()  # prepare starts as cold as the steps did
    start = clock()
    docs = [_progress(n, prepare(item, options), len(items)) for n, item in enumerate(items)]
    times["prepare (all of it)"] = clock() - start
    start = clock()
    _deduplicate(docs, options.near_duplicate_threshold)
    times["de-duplication (in memory)"] = clock() - start
    _say(result={"times": times, "processed": len(items), **_rusage()})


def _time_steps(items: list) -> dict[str, float]:
    from kelisim.clean import detect_language, find_date_in_text, normalize_text, strip_chrome
    from kelisim.clean.encoding import decode
    from kelisim.dedup import content_hash, signature
    from kelisim.text.terms import index_terms

    steps = {"decode": lambda item: decode(item.body).text, "normalise": normalize_text,
             "strip chrome": lambda text: strip_chrome(text)[0]}
    checks = {"language": detect_language, "content hash": content_hash,
              "MinHash signature": signature, "index terms (lemmas)": index_terms}
    times = dict.fromkeys([*steps, "date in text", *checks], 0.0)
    for number, item in enumerate(items):
        value = item
        for name, step in steps.items():  # each step feeds the next
            start = time.process_time()
            value = step(value)
            times[name] += time.process_time() - start
        start = time.process_time()
        find_date_in_text(value, item.fetched_at)
        times["date in text"] += time.process_time() - start
        for name, check in checks.items():  # each reads the cleaned text
            start = time.process_time()
            check(value)
            times[name] += time.process_time() - start
        _progress(number, None, 0)
    return {PART + name: seconds for name, seconds in times.items()}


def _progress(number: int, value, offset: int):
    if number % 500 == 499:
        _say(progress=offset + number + 1)
    return value


def _deduplicate(docs: list, threshold: float) -> None:
    """The in-memory part of ingest's de-duplication, as kelisim.ingest plans a chunk: the best
    MinHash match of every document, exact hashes, and new documents join the index at once."""
    from kelisim.dedup import NearDuplicateIndex

    index, hashes = NearDuplicateIndex(threshold), set()
    for doc in docs:
        match = index.find(doc.signature)
        if doc.content_hash not in hashes and not match:
            hashes.add(doc.content_hash)
            index.add(-len(hashes), doc.signature)


CHILDREN = {"ingest": child_ingest, "extract": child_extract, "stages": child_stages}


def fingerprint() -> str:
    """A hash of the kelisim package's source: others edit it while the bench runs."""
    import hashlib

    import kelisim

    digest = hashlib.sha256()
    for path in sorted(Path(kelisim.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# The parent: corpus, runs, memory sampling, progress, table and JSON.

@dataclass
class Job:
    """One measured run of one configuration, in its own subprocess."""

    group: str  # "text", "html", "trafilatura" or "stages"
    backend: str
    workers: int
    folder: Path
    total: int  # progress units: documents, or steps for "stages"

    @property
    def name(self) -> str:
        return f"{self.group} {self.backend} ×{self.workers}"


@dataclass
class Peak:
    """Peaks sampled over a process tree: RSS of the main process and of the largest worker,
    and the PSS of all together (forked workers share pages, so RSS would count them twice)."""

    main: int = 0
    worker: int = 0
    total: int = 0
    timeline: list = field(default_factory=list)  # (progress, main RSS MB) per report

    def sample(self, process: psutil.Process) -> None:
        try:
            tree = [process, *process.children(recursive=True)]
            memory = [p.memory_full_info() for p in tree]
        except psutil.Error:
            return
        self.main = max(self.main, memory[0].rss)
        self.worker = max([self.worker, *(m.rss for m in memory[1:])])
        self.total = max(self.total, sum(m.pss for m in memory))


def run_child(job: Job, url: str, bar: Progress, task) -> dict:
    """Run a job's subprocess; return its result with the sampled peaks."""
    spec = json.dumps({"kind": "stages" if job.group == "stages" else
                       "extract" if job.group == "trafilatura" else "ingest",
                       "url": url, "folder": str(job.folder), "workers": job.workers})
    process = subprocess.Popen([sys.executable, __file__, "--child", spec],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    peak, done = Peak(), threading.Event()
    watched = psutil.Process(process.pid)

    def sampler() -> None:
        while not done.wait(SAMPLE_EVERY_S):
            peak.sample(watched)

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    load_before, result, product = os.getloadavg()[0], None, None
    for line in process.stdout:
        if not line.startswith(MARK):
            continue
        report = json.loads(line[len(MARK):])
        if "progress" in report:
            bar.update(task, completed=report["progress"])
            peak.timeline.append((report["progress"], round(peak.main / MiB, 1)))
        result = report.get("result", result)
        product = report.get("product", product)
    done.set()
    thread.join()
    if process.wait() != 0 or result is None:
        raise RuntimeError(f"{job.name} failed (exit status {process.returncode})")
    return result | {"product": product, "load_before": load_before,
                     "load_after": os.getloadavg()[0],
                     "peak_main_rss_mb": peak.main / MiB, "peak_worker_rss_mb": peak.worker / MiB,
                     "peak_total_pss_mb": peak.total / MiB, "rss_timeline": peak.timeline}


class Databases:
    """A fresh database per run: a SQLite file, or a database in one throwaway PG cluster."""

    def __init__(self, backends: list[str], folder: Path) -> None:
        self.cluster, self.folder = None, folder
        if "postgresql" in backends:
            from tests.pg import find_bindir, start_cluster

            bindir = find_bindir()
            if bindir is None:
                raise SystemExit("PostgreSQL server binaries not found: run `make system-deps`")
            self.cluster = start_cluster(bindir)
        self._number = 0

    def create(self, backend: str) -> str:
        self._number += 1
        if backend == "sqlite":
            path = self.folder / f"run{self._number}.db"
            self._remove_sqlite(path)
            return f"sqlite:///{path}"
        name = f"bench_{self._number}"
        with self.cluster.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" STRATEGY FILE_COPY')
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        if url.startswith("sqlite"):
            self._remove_sqlite(Path(url.removeprefix("sqlite:///")))
        elif url:
            name = url.split("@/")[1].split("?")[0]
            with self.cluster.admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def server_version(self) -> str | None:
        if self.cluster is None:
            return None
        with self.cluster.admin() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def close(self) -> None:
        if self.cluster is not None:
            from tests.pg import stop_cluster

            stop_cluster(self.cluster)

    @staticmethod
    def _remove_sqlite(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def write_corpus(work: Path, docs: list[str], pages: int) -> tuple[Path, Path, dict]:
    """Write the .txt documents and the .html pages; describe the corpus."""
    text_dir, html_dir = work / f"corpus-txt-{len(docs)}", work / f"corpus-html-{pages}"
    for folder, suffix, chosen in ((text_dir, ".txt", docs), (html_dir, ".html", docs[:pages])):
        shutil.rmtree(folder, ignore_errors=True)
        corpus.write(folder, chosen, suffix)
        if not chosen:
            folder.rmdir()
    lengths = [len(d) for d in docs]
    parts = {name: len(texts) for name, texts in corpus.originals().items()}
    return text_dir, html_dir, {
        "documents": len(docs), "unique_texts_available": parts,
        "reprints": max(0, len(docs) - sum(parts.values())),
        "mean_chars": statistics.mean(lengths), "median_chars": statistics.median(lengths),
        "text_mb": _folder_mb(text_dir), "pages": pages, "pages_mb": _folder_mb(html_dir),
        "pages_text_mb": sum(len(d.encode("utf-8")) for d in docs[:pages]) / MiB,
    }


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / MiB if folder.exists() else 0.0


def _product_versions(results: dict[str, list[dict]]) -> list[str]:
    """The source fingerprints the runs saw: more than one means the product changed mid-bench."""
    return sorted({run["product"] for runs in results.values() for run in runs})


def plan(args, text_dir: Path, html_dir: Path, docs: int) -> list[Job]:
    """Every run, interleaved: run 1 of each configuration, then run 2, …"""
    configs = [Job("text", b, w, text_dir, docs) for b in args.backends for w in args.workers]
    if args.pages:
        configs += [Job("html", "sqlite", w, html_dir, args.pages) for w in args.workers]
        configs += [Job("trafilatura", "alone", w, html_dir, args.pages) for w in args.workers]
    jobs = [job for _ in range(args.runs) for job in configs]
    if args.stages:
        jobs.append(Job("stages", "none", 1, text_dir, 2 * docs))
    return jobs


def run_all(jobs: list[Job], databases: Databases) -> dict[str, list[dict]]:
    """Run every job with a progress display; results by configuration name."""
    results: dict[str, list[dict]] = {}
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        overall = bar.add_task("all runs", total=len(jobs))
        for job in jobs:
            task = bar.add_task(job.name, total=job.total)
            url = databases.create(job.backend) if job.group in ("text", "html") else ""
            try:
                result = run_child(job, url, bar, task)
            finally:
                databases.drop(url)
            results.setdefault(job.name, []).append(result)
            seconds = result.get("seconds") or sum(result["times"].values())
            bar.console.log(f"{job.name:<24} {result['processed'] / seconds:7.0f} items/s  "
                            f"load {result['load_before']:.1f}")
            bar.remove_task(task)
            bar.advance(overall)
    return results


def summarise(job: Job, runs: list[dict], mb: float) -> dict:
    """Medians over the runs of one configuration."""
    rates = [r["processed"] / r["seconds"] for r in runs]
    median = statistics.median
    return {
        "group": job.group, "backend": job.backend, "workers": job.workers, "runs": len(runs),
        "documents": runs[0]["processed"], "seconds": median(r["seconds"] for r in runs),
        "docs_per_s": median(rates), "docs_per_s_min": min(rates), "docs_per_s_max": max(rates),
        "mb_per_s": median(mb / r["seconds"] for r in runs),
        "cpu_ms_per_doc": median(1000 * (r["main_cpu_s"] + r["workers_cpu_s"]) / r["processed"]
                                 for r in runs),
        "main_cpu_share": median(r["main_cpu_s"] / r["seconds"] for r in runs),
        "main_rss_growth_mb_per_1000": median(_growth(r["rss_timeline"]) for r in runs),
        "main_rss_mb": max(r["self_maxrss_mb"] for r in runs),
        "worker_rss_mb": max(r["children_maxrss_mb"] for r in runs),
        "total_pss_mb": max(r["peak_total_pss_mb"] for r in runs),
        "counts": {k: runs[0].get(k) for k in
                   ("added", "reprints_exact", "reprints_near", "rejected", "extracted")
                   if k in runs[0]},
        "raw": runs,
    }


def _growth(timeline: list) -> float:
    """MB the main process grew per 1,000 documents, first progress report to last."""
    if len(timeline) < 2:
        return 0.0
    (first, rss_first), (last, rss_last) = timeline[0], timeline[-1]
    return 1000 * (rss_last - rss_first) / (last - first)


def stage_shares(stages: dict, text_1: dict | None) -> dict:
    """CPU seconds per step, and its share of the 1-worker SQLite ingest's CPU seconds (median);
    the store gets the remainder. CPU time, not wall time: one worker does all the work in one
    process, and CPU time is less disturbed by whatever else runs on the machine."""
    measured, prepare = stages["times"], "prepare (all of it)"
    parts = {name: t for name, t in measured.items() if name.startswith(PART)}
    times = {"read files": measured["read files"], prepare: measured[prepare], **parts,
             PART + "rest (prepare − the steps: record building, noise)":
                 measured[prepare] - sum(parts.values()),
             "de-duplication (in memory)": measured["de-duplication (in memory)"]}
    if text_1 is None:
        return {"times": times}
    total = statistics.median(r["main_cpu_s"] for r in text_1["raw"])
    top = [t for name, t in times.items() if not name.startswith(PART)]
    times["store + bookkeeping, by difference"] = total - sum(top)
    return {"ingest_cpu_seconds": total, "times": times,
            "shares": {name: t / total for name, t in times.items()}}


def table(rows: list[dict]) -> Table:
    """The results table."""
    out = Table(title="Kelisim ingest (medians)")
    for name in ("input", "backend", "workers", "runs", "docs", "s", "docs/s", "range", "MB/s",
                 "CPU ms/doc", "RSS main", "+MB/1k docs", "RSS worker", "PSS all",
                 "new/exact/near/rejected"):
        out.add_column(name, justify="left" if name in ("input", "backend") else "right")
    for r in rows:
        c = r["counts"]
        outcome = ("/".join(str(c[k]) for k in ("added", "reprints_exact", "reprints_near",
                                                 "rejected")) if "added" in c else
                   f"{c['extracted']} extracted")
        out.add_row(r["group"], r["backend"], str(r["workers"]), str(r["runs"]),
                    f"{r['documents']:,}", f"{r['seconds']:.1f}", f"{r['docs_per_s']:.0f}",
                    f"{r['docs_per_s_min']:.0f}–{r['docs_per_s_max']:.0f}", f"{r['mb_per_s']:.2f}",
                    f"{r['cpu_ms_per_doc']:.1f}",
                    f"{r['main_rss_mb']:.0f} MB", f"{r['main_rss_growth_mb_per_1000']:.1f}",
                    f"{r['worker_rss_mb']:.0f} MB",
                    f"{r['total_pss_mb']:.0f} MB", outcome)
    return out


def stage_table(shares: dict) -> Table:
    """Time per step of plain-text ingest, one worker."""
    out = Table(title="Where one worker's time goes (plain text, SQLite, CPU seconds)")
    for name in ("step", "CPU s", "share of ingest"):
        out.add_column(name, justify="left" if name == "step" else "right")
    for name, seconds in shares["times"].items():
        share = shares.get("shares", {}).get(name)
        out.add_row(name, f"{seconds:.2f}", f"{share:.0%}" if share is not None else "")
    return out


def machine(databases: Databases) -> dict:
    """What the figures were measured on."""
    import sqlite3

    import trafilatura

    return {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "postgresql": databases.server_version(), "trafilatura": trafilatura.__version__,
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "commit": _git("rev-parse", "--short", "HEAD"),
            "uncommitted_in_src": len(_git("status", "--porcelain", "src").splitlines())}


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="plain-text documents")
    parser.add_argument("--quick", action="store_true", help="1,000 docs, 200 pages, 1 run")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per configuration (median)")
    parser.add_argument("--pages", type=int, default=2_000, help="HTML pages (0: none)")
    parser.add_argument("--no-html", dest="pages", action="store_const", const=0)
    parser.add_argument("--no-stages", dest="stages", action="store_false")
    parser.add_argument("--out", type=Path, default=OUT / "ingest.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.docs, args.pages, args.runs = 1_000, min(args.pages, 200), 1
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.workers = [int(w) for w in args.workers.split(",")]
    unknown = set(args.backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    return args


def measure(args: argparse.Namespace, work: Path) -> dict:
    """Write the corpus into ``work``, run every job, and gather the report."""
    with console.status("writing the corpus…"):
        docs = corpus.build(args.docs)[: args.docs]
        text_dir, html_dir, described = write_corpus(work, docs, args.pages)
    console.print(f"{len(docs):,} documents, {described['text_mb']:.1f} MB, mean "
                  f"{described['mean_chars']:.0f} characters; {args.pages:,} pages")
    databases = Databases(args.backends, work / "db")
    try:
        jobs = plan(args, text_dir, html_dir, len(docs))
        results = run_all(jobs, databases)
        about = machine(databases)
    finally:
        databases.close()
    return report(args, jobs, results, described) | {"machine": about}


def report(args, jobs: list[Job], results: dict[str, list[dict]], described: dict) -> dict:
    """Medians per configuration, the target check and the stage shares."""
    first = {job.name: job for job in jobs}
    sizes = {"text": described["text_mb"], "html": described["pages_mb"],
             "trafilatura": described["pages_mb"]}
    rows = [summarise(first[n], runs, sizes[first[n].group])
            for n, runs in results.items() if first[n].group != "stages"]
    text_1 = next((r for r in rows if (r["group"], r["backend"], r["workers"])
                   == ("text", "sqlite", 1)), None)
    sqlite = [r["docs_per_s"] for r in rows if (r["group"], r["backend"]) == ("text", "sqlite")]
    out = {"corpus": described, "runs": args.runs, "product": _product_versions(results),
           "results": rows, "target": {
               "docs_per_s": TARGET_DOCS_PER_S, "best_sqlite_docs_per_s": max(sqlite, default=None),
               "met": bool(sqlite) and max(sqlite) >= TARGET_DOCS_PER_S}}
    if "stages none ×1" in results:
        out["stages"] = stage_shares(results["stages none ×1"][0], text_1)
    return out


def show(result: dict, path: Path) -> None:
    """Print the tables and the verdict."""
    out = Console() if sys.stdout.isatty() else Console(width=180)
    out.print(table(result["results"]))
    if "stages" in result:
        out.print(stage_table(result["stages"]))
    target = result["target"]
    if target["best_sqlite_docs_per_s"] is not None:
        out.print(f"Target ≥{TARGET_DOCS_PER_S} plain-text docs/s on SQLite: best "
                  f"{target['best_sqlite_docs_per_s']:.0f} → {'met' if target['met'] else 'NOT met'}")
    if len(result["product"]) > 1:
        out.print(f"[bold red]The kelisim source changed during the bench "
                  f"({', '.join(result['product'])}): rerun before trusting the figures[/]")
    out.print(f"Written to {path}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        job = json.loads(args.child)
        _say(product=fingerprint())
        return CHILDREN[job["kind"]](job)
    work = OUT / f"work-{os.getpid()}"  # its own corpus and databases: runs may overlap
    try:
        result = measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    show(result, args.out)


if __name__ == "__main__":
    main()
