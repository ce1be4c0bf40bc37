"""The stories evaluation gate: fails when clustering drops below the pinned floors."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("stories")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("stories")
    shared = shared_path("data").parent
    assert module.fingerprint(shared) == FLOORS["corpus_sha256"], (
        "the story sample or its texts changed: re-run eval/stories.py and re-pin tests/floors.json")
    return module.evaluate(shared, workers=2)


@pytest.mark.parametrize("name", sorted(FLOORS["pairwise_f1"]))
def test_same_story_pairs(evaluation, name):
    figures = evaluation["sets"][name]["pairwise"]
    assert figures["f1"] >= FLOORS["pairwise_f1"][name], figures


@pytest.mark.parametrize("name", sorted(FLOORS["bcubed_f1"]))
def test_bcubed(evaluation, name):
    figures = evaluation["sets"][name]["bcubed"]
    assert figures["f1"] >= FLOORS["bcubed_f1"][name], figures


def test_the_seeds_stay_five_stories(evaluation):
    assert evaluation["seeds"]["stories"] == FLOORS["seed_stories"], evaluation["seeds"]
