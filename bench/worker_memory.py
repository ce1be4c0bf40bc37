"""Peak memory of Kelisim's pipeline alone, per process.

`bench/throughput.py` loads natasha's models beside Kelisim's and keeps the whole corpus in
memory before it forks, so its resident sets are an upper bound. Here a fresh child process
runs only the pipeline (``ingest_paths`` then ``read_pending``, as `kelisim ingest` runs them,
into a fresh SQLite store) on the bench stream written as files, and the parent samples it and
its workers every 0.5 s: the resident set (RSS) and the memory that is the process's own (USS;
a forked worker shares the pages its parent loaded before the fork).

Run: ``.venv/bin/python bench/worker_memory.py [--docs 20000] [--workers 2]`` (~6 min at the
defaults); the figures go to bench/out/worker_memory.json and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpus

OUT = BENCH / "out"
CHILD = """
import sys
sys.path.insert(0, {bench!r})
import throughput
from pathlib import Path
kelisim = throughput.kelisim_store(Path({work!r}), {workers})
print(throughput.pipeline(kelisim, Path({docs!r})))
"""


def sample(process: psutil.Process) -> dict[str, int]:
    """The peak RSS and USS of ``process`` and of its largest worker, in bytes, until it ends."""
    peak = dict.fromkeys(("main_rss", "main_uss", "worker_rss", "worker_uss"), 0)
    while process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
        try:
            _raise(peak, "main", process.memory_full_info())
            for child in process.children(recursive=True):
                _raise(peak, "worker", child.memory_full_info())
        except psutil.Error:
            pass
        time.sleep(0.5)
    return peak


def _raise(peak: dict[str, int], who: str, info) -> None:
    peak[f"{who}_rss"] = max(peak[f"{who}_rss"], info.rss)
    peak[f"{who}_uss"] = max(peak[f"{who}_uss"], info.uss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = OUT / "worker_memory"
    shutil.rmtree(work, ignore_errors=True)
    corpus.write(work / "docs", corpus.stream(args.docs))
    began = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(bench=str(BENCH), work=str(work),
                                                                 workers=args.workers, docs=str(work / "docs"))],
                             stdout=subprocess.PIPE, text=True)
    peak = sample(psutil.Process(child.pid))
    read = child.communicate()[0].strip()
    if child.returncode:
        raise SystemExit(f"the pipeline failed with exit code {child.returncode}")
    result = {"docs": args.docs, "workers": args.workers, "read": int(read),
              "seconds": round(time.monotonic() - began), **{k: round(v / 2**20) for k, v in peak.items()}}
    (OUT / "worker_memory.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
