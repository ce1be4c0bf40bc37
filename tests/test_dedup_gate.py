"""The de-duplication evaluation gate: fails when reprint detection drops below pinned floors."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

if __package__:  # tests/ is a package
    from tests.shared_data import shared_path
else:
    from shared_data import shared_path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text(encoding="utf-8"))["dedup"]


def _load_eval():
    spec = importlib.util.spec_from_file_location("eval_dedup", ROOT / "eval" / "dedup.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report():
    module = _load_eval()
    data = module.build(shared_path("data").parent)
    assert data.fingerprint == FLOORS["fingerprint"], (
        "the evaluation set changed: re-run eval/dedup.py and re-pin tests/floors.json")
    assert module.DEFAULT_THRESHOLD == FLOORS["threshold"], (
        "the shipped near_duplicate_threshold changed: re-run eval/dedup.py and re-pin the floors")
    return module.evaluate(module.sign(data), FLOORS["threshold"])


def test_precision_floor(report):
    assert report.scores()[0] >= FLOORS["precision"], report


def test_recall_floor(report):
    assert report.scores()[1] >= FLOORS["recall"], report


@pytest.mark.parametrize("kind", sorted(FLOORS["recall_by_kind"]))
def test_recall_floor_per_edit(report, kind):
    assert report.rate(kind) >= FLOORS["recall_by_kind"][kind], report


@pytest.mark.parametrize("kind", sorted(FLOORS["max_false_positive_rate"]))
def test_false_positive_ceiling_per_negative_kind(report, kind):
    assert report.rate(kind) <= FLOORS["max_false_positive_rate"][kind], report
