"""The fuzzing harness cannot rot: every atheris target runs a few hundred inputs under
libFuzzer, and every input fuzzing ever found (tests/data/fuzz/<target>/) is replayed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.targets import TARGETS

ROOT = Path(__file__).resolve().parents[1]
FINDINGS = Path(__file__).resolve().parent / "data" / "fuzz"


def _found() -> list[Path]:
    return sorted(p for p in FINDINGS.glob("*/*") if p.is_file() and p.parent.name in TARGETS)


@pytest.mark.parametrize("path", _found(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_input_fuzzing_found_is_handled_now(path):
    TARGETS[path.parent.name].load()(path.read_bytes())


def test_every_finding_folder_names_a_target():
    assert {p.name for p in FINDINGS.iterdir() if p.is_dir()} <= set(TARGETS)


@pytest.mark.timeout(900)
def test_every_harness_runs_three_hundred_inputs_without_a_finding(tmp_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), "--target", "all", "--runs", "300",
         "--jobs", "2", "--out", str(tmp_path), "--max-starts", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=880, check=False)
    summary = {r["target"]: r for r in json.loads((tmp_path / "summary.json").read_text())}
    assert set(summary) == set(TARGETS), run.stdout + run.stderr
    problems = {name: (r["broken"], [f["signature"] for f in r["findings"]])
                for name, r in summary.items() if r["broken"] or r["findings"]}
    assert not problems, f"{problems}\n{(tmp_path / 'summary.md').read_text()}"
    assert all(r["runs"] >= 300 for r in summary.values()), summary
    assert run.returncode == 0, run.stdout + run.stderr
