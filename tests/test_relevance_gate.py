"""The relevance evaluation gate: the real Reader and the scorer on the hand-labelled sample must
stay above the pinned floors, and all five seeds must be relevant."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("relevance")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("relevance")
    data = shared_path("data")
    shared_path("seeds")
    assert module.fingerprint(data) == FLOORS["corpus_sha256"], (
        "the labelled sample or its texts changed: re-run eval/relevance.py and re-pin tests/floors.json")
    return module.evaluate(data)


def test_all_five_seeds_are_relevant(evaluation):
    assert evaluation["seeds"] == {f"00{i}": True for i in range(5)}


@pytest.mark.parametrize("split", ["all", "dev", "test"])
def test_precision_recall_f1(evaluation, split):
    result = evaluation["figures"][split]
    for figure in ("precision", "recall", "f1"):
        assert result[figure] >= FLOORS[split][figure], (figure, result)


def test_social_media_texts(evaluation):
    result = evaluation["figures"]["all:ruethnohate"]
    assert result["f1"] >= FLOORS["ruethnohate_f1"], result


def test_kazakh_sentences(evaluation):
    result = evaluation["figures"]["all:kaznerd"]
    assert result["recall"] >= FLOORS["kaznerd_recall"], result


@pytest.mark.parametrize("source", ["factru", "kaznerd"])
def test_few_false_alarms_where_most_texts_are_not_relevant(evaluation, source):
    result = evaluation["figures"][f"all:{source}"]
    errors = [e for e in evaluation["errors"] if e["source"] == source and e["relevant"] == "0"]
    assert result["fp"] <= FLOORS["max_false_alarms"][source], errors

