"""The places evaluation gate: fails when the matcher drops below the floors pinned under
"places" in tests/floors.json (measured by eval/places.py, described in docs/places.md)."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("places")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("places")
    data = shared_path("data")
    assert module.fingerprint(data) == FLOORS["corpus_sha256"], (
        "the evaluation corpus changed: re-run eval/places.py and re-pin tests/floors.json")
    return module.evaluate(data, timing=False)


@pytest.mark.parametrize("task", ["region", "country"])
@pytest.mark.parametrize("figure", ["precision", "recall", "f1"])
def test_kaznerd_resolution_floor(evaluation, task, figure):
    result = evaluation["kaznerd"][task]
    assert result[figure] >= FLOORS["kaznerd"][task][figure], result


@pytest.mark.parametrize("scenario", sorted(FLOORS["synthetic_right"]))
def test_synthetic_villages(evaluation, scenario):
    tally = evaluation["synthetic"][scenario]
    n = sum(tally.values())
    assert tally["right"] / n >= FLOORS["synthetic_right"][scenario], dict(tally)
    assert tally["wrong"] / n <= FLOORS["synthetic_max_wrong"], dict(tally)


def test_real_villages(evaluation):
    tally = evaluation["real_villages"]
    n = sum(tally.values())
    assert tally["right"] / n >= FLOORS["kaznerd_villages_right"], dict(tally)
    assert tally["wrong"] / n <= FLOORS["kaznerd_villages_max_wrong"], dict(tally)


def test_no_kazakhstan_units_in_russian_world_news(evaluation):
    result = evaluation["factru"]
    assert result["kazakhstan_units"] <= FLOORS["factru_max_kazakhstan_units"], result
