"""Run the fuzz targets, one process at a time, and write a summary.

    .venv/bin/python fuzz/run.py --target all --seconds 300
    .venv/bin/python fuzz/run.py --target html --seconds 60 --corpus build/fuzz/corpus
    .venv/bin/python fuzz/run.py --target all --runs 300          # the smoke run the tests do

Each target runs under libFuzzer (atheris) with -rss_limit_mb=2048 and -timeout=10. Its
working corpus grows in ``<corpus>/<target>`` (kept between runs); seeds are made afresh from
../shared in ``<out>/seeds/<target>``. A crash, timeout or out-of-memory input is saved under
``<out>/findings/<target>/``; the target is then started again for the time left, unless it
crashed the same way before. ``<out>/summary.json`` and ``summary.md`` hold runs, executions
per second, coverage and findings per target. The exit status is 1 if anything was found.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fuzz.seeds import SHARED, write_seeds  # noqa: E402
from fuzz.targets import TARGETS  # noqa: E402
from fuzz.tokens import write_dict  # noqa: E402

_STATUS = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/\S+.*?exec/s: (\d+)", re.M)
_EXECUTED = re.compile(r"stat::number_of_executed_units: (\d+)")
_AVERAGE = re.compile(r"stat::average_exec_per_sec: +(\d+)")
_ARTIFACT = re.compile(r"(?:Test unit written to|artifact_prefix.*?; Test unit written to) (\S+)")
_KINDS = (("Uncaught Python exception", "exception"), ("ERROR: libFuzzer: timeout", "timeout"),
          ("out-of-memory", "oom"), ("ERROR: libFuzzer: deadly signal", "signal"))
_GRACE = 600  # seconds for imports and model loading beyond the fuzzing time


@dataclass
class Finding:
    """One crash, timeout or out-of-memory input."""

    kind: str
    signature: str
    artifact: str | None
    log: str


@dataclass
class Result:
    """What fuzzing one target gave."""

    target: str
    seconds: float = 0.0
    runs: int = 0
    execs_per_second: float = 0.0
    coverage: int = 0
    features: int = 0
    corpus: int = 0
    starts: int = 0
    findings: list[Finding] = field(default_factory=list)
    broken: str | None = None


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Fuzz Kelisim's parsers with atheris.")
    parser.add_argument("--target", default="all", help=f"all, or one of: {', '.join(TARGETS)}")
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target")
    parser.add_argument("--runs", type=int, help="stop each target after this many inputs")
    parser.add_argument("--corpus", type=Path, help="working corpora (default <out>/corpus)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz")
    parser.add_argument("--shared", type=Path, default=SHARED, help="../shared (seeds, data)")
    parser.add_argument("--max-starts", type=int, default=4, help="restarts after findings")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the fuzzing processes")
    parser.add_argument("--jobs", type=int, default=1, help="targets fuzzed at the same time")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Fuzz the chosen targets in turn; 1 if any finding or broken harness."""
    args = _arguments(argv)
    names = list(TARGETS) if args.target == "all" else args.target.split(",")
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        sys.exit(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:  # each target is its own process
        results = list(pool.map(lambda name: fuzz_target(name, args), names))
    _write_summary(results, args.out)
    return 1 if any(r.findings or r.broken for r in results) else 0


def fuzz_target(name: str, args: argparse.Namespace) -> Result:
    """Fuzz one target for ``--seconds`` (or ``--runs`` inputs), restarting after a finding."""
    out, result = args.out, Result(name)
    seeds, corpus = out / "seeds" / name, (args.corpus or out / "corpus") / name
    findings = out / "findings" / name
    for folder in (corpus, findings, out / "logs"):
        folder.mkdir(parents=True, exist_ok=True)
    write_seeds(name, seeds, args.shared)
    started = time.monotonic()
    while result.starts < args.max_starts:
        left = args.seconds - (time.monotonic() - started)
        if args.runs is None and left < 5:
            break
        log = out / "logs" / f"{name}-{result.starts}.log"
        text = _run_once(name, args, corpus, seeds, findings, max(int(left), 1), log)
        result.starts += 1
        _add_stats(result, text)
        finding = _finding(text, log)
        if finding is None:
            if _STATUS.search(text) is None:
                result.broken = f"no libFuzzer status in {log}"
            break
        repeated = any(f.signature == finding.signature for f in result.findings)
        result.findings.append(finding)
        if repeated or args.runs is not None:
            break
    result.seconds = round(time.monotonic() - started, 1)
    print(f"{name}: {result.runs} runs, {result.execs_per_second:.0f}/s, cov {result.coverage}, "
          f"{len(result.findings)} finding(s){' BROKEN' if result.broken else ''}", flush=True)
    return result


def _run_once(name: str, args: argparse.Namespace, corpus: Path, seeds: Path, findings: Path,
              seconds: int, log: Path) -> str:
    target = TARGETS[name]
    limit = [f"-runs={args.runs}"] if args.runs is not None else [f"-max_total_time={seconds}"]
    command = ["nice", "-n", str(args.nice), sys.executable, "-m", "fuzz.harness", name, *limit,
               "-rss_limit_mb=2048", "-timeout=10", f"-max_len={target.max_len}",
               "-print_final_stats=1", f"-artifact_prefix={findings}/", str(corpus), str(seeds)]
    words = write_dict(name, args.out / "dicts" / f"{name}.dict")
    if words is not None:
        command.insert(command.index("-print_final_stats=1"), f"-dict={words}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KELISIM_FUZZ_TMP": str(args.out / "tmp" / name)}
    wall = (seconds if args.runs is None else 300) + _GRACE
    with log.open("w", encoding="utf-8") as stream:
        try:
            subprocess.run(command, cwd=ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT,
                           timeout=wall, check=False)
        except subprocess.TimeoutExpired:
            stream.write(f"\nKILLED: the harness ran past {wall} s\n")
    return log.read_text(encoding="utf-8", errors="replace")


def _add_stats(result: Result, text: str) -> None:
    statuses = _STATUS.findall(text)
    if not statuses:
        return
    last, cov, ft, corp, speed = map(int, statuses[-1])
    executed = _EXECUTED.search(text)
    average = _AVERAGE.search(text)
    runs = int(executed.group(1)) if executed else last
    speed = int(average.group(1)) if average else speed
    busy = result.runs / result.execs_per_second if result.execs_per_second else 0.0
    busy += runs / speed if speed else 0.0
    result.runs += runs
    result.execs_per_second = result.runs / busy if busy else float(result.runs)
    result.coverage, result.features = max(result.coverage, cov), max(result.features, ft)
    result.corpus = max(result.corpus, corp)


def _finding(text: str, log: Path) -> Finding | None:
    kind = next((k for marker, k in _KINDS if marker in text), None)
    if kind is None and "KILLED:" in text:
        kind = "hang"
    if kind is None:
        return None
    artifact = _ARTIFACT.search(text)
    return Finding(kind, _signature(text, kind), artifact.group(1) if artifact else None, str(log))


def _signature(text: str, kind: str) -> str:
    """The exception and the innermost frame of the project's code, to tell findings apart."""
    if kind != "exception":
        return kind
    trace = text.split("Uncaught Python exception", 1)[1]
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', trace)
    ours = [f for f in frames if "/kelisim/" in f[0] or "/fuzz/" in f[0]] or frames
    error = next((line for line in trace.splitlines()
                  if re.match(r"[\w.]*(Error|Exception)\b", line)), "?")
    where = f"{Path(ours[-1][0]).name}:{ours[-1][2]}" if ours else "?"
    return f"{error.split(':')[0]} in {where}"


def _write_summary(results: list[Result], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n",
                                      encoding="utf-8")
    rows = ["| target | seconds | runs | exec/s | coverage | corpus | findings |",
            "|---|---:|---:|---:|---:|---:|---|"]
    rows += [f"| {r.target} | {r.seconds:.0f} | {r.runs:,} | {r.execs_per_second:.0f} | "
             f"{r.coverage} | {r.corpus} | "
             f"{'; '.join(f.signature for f in r.findings) or (r.broken or 'none')} |"
             for r in results]
    (out / "summary.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
