"""The language evaluation gate: fails when detect_language drops below the pinned floors."""

import importlib.util
import json
from pathlib import Path

import pytest

if __package__:  # tests/ is a package
    from tests.shared_data import shared_path
else:
    from shared_data import shared_path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text(encoding="utf-8"))["language"]


def _load_eval():
    spec = importlib.util.spec_from_file_location("eval_language", ROOT / "eval" / "language.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evaluation():
    module = _load_eval()
    data = shared_path("data")
    assert module.fingerprint(data) == FLOORS["corpus_sha256"], (
        "the evaluation corpus changed: re-run eval/language.py and re-pin tests/floors.json")
    return module.evaluate(module.corpora(data))


@pytest.mark.parametrize("name", sorted(FLOORS["accuracy"]))
def test_accuracy_floor(evaluation, name):
    result = evaluation[name]
    assert result["accuracy"] >= FLOORS["accuracy"][name], result


@pytest.mark.parametrize("name", sorted(FLOORS["max_kk_to_ru"]))
def test_kazakh_is_not_taken_for_russian(evaluation, name):
    result = evaluation[name]
    kk_to_ru = result["confusion"].get("ru", 0) / result["n"]
    assert kk_to_ru <= FLOORS["max_kk_to_ru"][name], result
