"""The casualties evaluation gate: fails when find_casualties drops below the pinned floors."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("casualties")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("casualties")
    data, seeds = shared_path("data"), shared_path("seeds")
    assert module.fingerprint(data, seeds) == FLOORS["corpus_sha256"], (
        "the evaluation sample or its texts changed: re-run eval/casualties.py and re-pin "
        "tests/floors.json")
    return module.evaluate(data, seeds, timed=False)


@pytest.mark.parametrize("split", ["dev", "test"])
@pytest.mark.parametrize("kind", ["killed", "injured", "detained"])
def test_f1_per_kind(evaluation, split, kind):
    assert evaluation[split][kind]["f1"] >= FLOORS["f1"][split][kind], evaluation[split][kind]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_every_count_of_a_row_right(evaluation, split):
    assert evaluation[split]["rows_right"] >= FLOORS["rows_right"][split], evaluation[split]
