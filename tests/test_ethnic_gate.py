"""The ethnic-group evaluation gate: fails when EthnicMatcher drops below the pinned floors."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("ethnic")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("ethnic")
    data = shared_path("data")
    assert module.fingerprint(data) == FLOORS["corpus_sha256"], (
        "the evaluation corpus or the judged sample changed: re-run eval/ethnic.py and re-pin tests/floors.json")
    return module.evaluate(data, warm=False)


def test_ruethnohate_recall(evaluation):
    result = evaluation["ruethnohate"]
    assert result["recall"] >= FLOORS["ruethnohate_recall"], result["recall"]
    worst = min(result["top"].items(), key=lambda item: item[1]["recall"])
    assert worst[1]["recall"] >= FLOORS["ruethnohate_top20_min_recall"], worst


@pytest.mark.parametrize("kind", sorted(FLOORS["ruethnohate_recall_by_kind"]))
def test_ruethnohate_recall_by_kind(evaluation, kind):
    result = evaluation["ruethnohate"]["by_kind"][kind]
    assert result["recall"] >= FLOORS["ruethnohate_recall_by_kind"][kind], result


def test_precision_on_the_judged_sample(evaluation):
    result = evaluation["precision"]
    assert result["n"] >= FLOORS["precision_sample"], result
    assert result["precision"] >= FLOORS["precision"], result
    assert result["person_accuracy"] >= FLOORS["person_accuracy"], result
    assert result["still_found"] >= FLOORS["sample_still_found"], (
        "the matcher no longer finds the sampled mentions: draw and judge a new sample", result)


def test_kaznerd_norp_recall(evaluation):
    result = evaluation["kaznerd"]
    assert result["recall"] >= FLOORS["kaznerd_norp_recall"], result["missed"]
    assert result["other_norp_matched"] <= FLOORS["kaznerd_max_other_norp_matched"], result["other_norp_matched_as"]
