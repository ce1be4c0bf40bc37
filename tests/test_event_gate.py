"""The event-type evaluation gate: the seeds as the issue asks, and primary-type accuracy on the
hand-labelled sample no lower than the pinned floors (eval/events.py)."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("events")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("events")
    data = shared_path("data")
    assert module.fingerprint(data) == FLOORS["corpus_sha256"], (
        "the labelled sample or the texts it labels changed: "
        "re-run eval/events.py and re-pin tests/floors.json")
    return module.evaluate(data, shared_path("seeds"), timed=False)


def test_seeds(evaluation):
    failed = [name for name, ok in evaluation["seeds"].items() if not ok]
    assert not failed, failed


@pytest.mark.parametrize("split", ["dev", "test"])
def test_sample_accuracy(evaluation, split):
    result = evaluation[split]
    assert result["n"] >= FLOORS["sample"][split], result["n"]
    assert result["accuracy"] >= FLOORS["accuracy"][split], (result["accuracy"], result["confusions"])
