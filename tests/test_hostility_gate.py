"""The hostility evaluation gate: fails when HostilityDetector drops below the pinned floors on
the hand-labelled sample (eval/hostility_sample.tsv), or when a seed is called hostile."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("hostility")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("hostility")
    data, seeds = shared_path("data"), shared_path("seeds")
    assert module.fingerprint(data, seeds=seeds) == FLOORS["corpus_sha256"], (
        "the labelled sample or the texts it names changed: re-run eval/hostility.py and re-pin tests/floors.json")
    return module.evaluate(data, seeds=seeds, timed=False)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_hostile_precision_and_recall(evaluation, split):
    result, floor = evaluation[split], FLOORS[split]
    assert result["precision"] >= floor["precision"], result
    assert result["recall"] >= floor["recall"], result
    assert result["f1"] >= floor["f1"], result


@pytest.mark.parametrize("split", ["dev", "test"])
def test_slur_kind(evaluation, split):
    result = evaluation[split]["by_kind"]["slur"]
    assert result["f1"] >= FLOORS["slur_f1"][split], result


def test_no_seed_is_hostile(evaluation):
    assert evaluation["seeds"] == 5 and evaluation["seeds_hostile"] == 0, evaluation["errors"]


def test_news_reports_are_not_hostile(evaluation):
    assert evaluation["news_hostile"] <= FLOORS["max_news_hostile"], evaluation["errors"]
