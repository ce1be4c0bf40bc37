"""`kelisim process` here and on a Dask cluster: documents per second on PostgreSQL.

The corpus is bench/news_length.py's (~1,400 news-length documents, two factRuEval texts
joined; about two thirds are near-duplicate reprints, so about 500 are read). Each configuration
runs cold in its own subprocess, into a fresh database of one throwaway PostgreSQL cluster
(tests/pg.py): locally with 1 and 2 worker processes (``--workers``), and on a LocalCluster of
1 and 2 worker processes of one thread each that the subprocess starts (the Dask client writes,
the workers clean and read). Model loading counts in every configuration, as it does in a real
run. The parent samples the process tree's memory and records the load average.

Run: .venv/bin/python bench/cluster.py [--runs 1] [--configs local:1,dask:1,local:2,dask:2]
It writes bench/out/cluster.json (a few minutes on an idle 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


class _Timer:
    """A ``Display`` (kelisim.process) that notes when each stage ends."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.ends: dict[str, float] = {}

    def stage(self, name: str):
        return nullcontext(None)

    def done(self, name: str, result) -> None:
        self.ends[name] = time.perf_counter() - self.start


def child(config: str, url: str, corpus: Path) -> dict:
    """One cold run of ``process`` in this process; what it did and how long each stage took."""
    from kelisim.cluster import ClusterOptions
    from kelisim.config import IngestOptions, Settings
    from kelisim.core import Kelisim

    kind, workers = config.split(":")
    settings = Settings(db_url=url, ingest=IngestOptions(workers=int(workers)))
    cluster = _local_cluster(int(workers)) if kind == "dask" else None
    with cluster or nullcontext(), Kelisim(settings) as kelisim:
        options = ClusterOptions(cluster.scheduler_address) if cluster else None
        timer = _Timer()
        report = kelisim.process([corpus], cluster=options, display=timer)
    total = timer.ends["warn"]
    return {"config": config, "processed": report.ingest.processed, "added": report.ingest.added,
            "read": report.read.read, "failed": len(report.read.failed), "seconds": total,
            "docs_per_second": report.ingest.processed / total,
            "stages": _stages(timer.ends)}


def _stages(ends: dict[str, float]) -> dict[str, float]:
    """Seconds per stage, from the moments each ended."""
    return {"ingest": ends["ingest"], "read": ends["read"] - ends["ingest"],
            "warn": ends["warn"] - ends["read"]}


def _local_cluster(workers: int):
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                        dashboard_address=None)


def measure(config: str, url: str, corpus: Path) -> dict:
    """Run ``child`` in a subprocess; its result with the peak memory and the CPU time of its
    process tree (sampled every 0.2 s; PostgreSQL's server processes are not in it)."""
    command = [sys.executable, __file__, "--child", config, "--url", url, "--corpus", str(corpus)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    root = psutil.Process(process.pid)
    peak_main = peak_other = peak_total = 0
    cpu: dict[int, float] = {}
    while process.poll() is None:
        sizes = {}
        for proc in _tree(root):
            try:
                sizes[proc.pid] = proc.memory_info().rss
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
            except psutil.Error:
                pass
        peak_main = max(peak_main, sizes.get(root.pid, 0))
        peak_other = max([peak_other, *(v for k, v in sizes.items() if k != root.pid)])
        peak_total = max(peak_total, sum(sizes.values()))
        time.sleep(0.2)
    out = process.stdout.read()
    if process.returncode != 0:
        raise RuntimeError(f"{config} failed ({process.returncode}): {out[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    mib = 2**20
    return result | {"peak_rss_main_mb": peak_main / mib, "peak_rss_other_mb": peak_other / mib,
                     "peak_rss_tree_mb": peak_total / mib, "cpu_seconds": sum(cpu.values()),
                     "cpu_ms_per_doc": 1000 * sum(cpu.values()) / result["processed"]}


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def main() -> None:
    """Build the corpus, then run each configuration ``--runs`` times, interleaved."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--configs", default="local:1,dask:1,local:2,dask:2")
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.url, args.corpus)))
        return
    run_all(args.configs.split(","), args.runs)


def run_all(configs: list[str], runs: int) -> None:
    """Every configuration ``runs`` times into fresh databases; print and save the figures."""
    from news_length import build

    from tests.pg import find_bindir, start_cluster, stop_cluster

    work = OUT / f"cluster-work-{os.getpid()}"
    count, mean = build(work / "corpus")
    print(f"{count} documents, mean {mean:,.0f} characters; load average {os.getloadavg()}")
    pg = start_cluster(find_bindir())
    results = []
    try:
        for run in range(runs):
            for config in configs:
                name = f"bench_{config.replace(':', '_')}_{run}"
                with pg.admin() as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                load = os.getloadavg()
                result = measure(config, pg.url(name), work / "corpus")
                result |= {"load_before": load, "load_after": os.getloadavg()}
                results.append(result)
                print(_line(result), flush=True)
    finally:
        stop_cluster(pg)
        shutil.rmtree(work, ignore_errors=True)
    (OUT / "cluster.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


def _line(r: dict) -> str:
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items())
    return (f"{r['config']:8} {r['docs_per_second']:6.1f} docs/s ({r['processed']} in "
            f"{r['seconds']:.1f} s; {r['added']} new, {r['read']} read; {stages}); "
            f"CPU {r['cpu_ms_per_doc']:.0f} ms/doc; peak RSS main {r['peak_rss_main_mb']:.0f} MB, "
            f"largest other process {r['peak_rss_other_mb']:.0f} MB, all "
            f"{r['peak_rss_tree_mb']:.0f} MB; load {r['load_before'][0]:.1f} → "
            f"{r['load_after'][0]:.1f}")


if __name__ == "__main__":
    main()
