"""The language evaluation gate: fails when detect_language drops below the pinned floors."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("language")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("language")
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
