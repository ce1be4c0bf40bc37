"""The warning stage's cost and what it finds, on the replay simulation: build the corpus
(scripts/build_replay.py, default arguments unless given), replay it into a fresh SQLite store,
and print the time of each phase, the warning stage's cost per simulated day and per document,
peak memory, and the replay's scores. Run: .venv/bin/python bench/replay.py [--seed N ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim
from kelisim.warning.replay import load_corpus

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "tests"))
from replay_support import load_script  # noqa: E402


def run(seed: int, days: int, per_day: float, workers: int) -> dict:
    """Build one corpus and replay it; its timings and scores."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        clock = time.perf_counter()
        load_script().build(ROOT.parent / "shared" / "data", ROOT.parent / "shared" / "seeds",
                             folder, start=date(2024, 1, 1), days=days, per_day=per_day, seed=seed)
        built = time.perf_counter() - clock
        settings = Settings(db_url=f"sqlite:///{tmp}/replay.db",
                            ingest=IngestOptions(workers=workers))
        with Kelisim(settings) as kelisim:
            report = kelisim.replay(load_corpus(folder))
    (episode,) = report.episodes
    months = report.false_alarms
    return {
        "seed": seed, "days": days, "per_day": per_day, "workers": workers,
        "documents": report.documents, "build_seconds": round(built, 1), **report.seconds,
        "warning_ms_per_day": round(1000 * report.seconds["warning"] / days, 1),
        "warning_ms_per_document": round(1000 * report.seconds["warning"] / report.documents, 2),
        "delay_days": episode.delay_days, "delay_after_detectable": episode.delay_after_detectable,
        "episode_alerts": episode.alerts,
        "false_alarms_per_month": round(sum(months.values()) / len(months), 2),
        "silences_found": report.silences_found, "silences_false": report.silences_false,
        "alerts": len(report.alerts),
    }


def main() -> None:
    """Replay each seed and print a Markdown table; write bench/out/replay.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, nargs="+", default=[7])
    parser.add_argument("--days", type=int, default=270)
    parser.add_argument("--per-day", type=float, default=24.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = [run(seed, args.days, args.per_day, args.workers) for seed in args.seed]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "replay.json").write_text(json.dumps({"rows": rows, "peak_rss_mb": peak}, indent=2,
                                                ensure_ascii=False), encoding="utf-8")
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    print(f"\nPeak memory of the main process: {peak} MB")


if __name__ == "__main__":
    main()
