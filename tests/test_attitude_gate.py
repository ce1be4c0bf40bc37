"""The attitude gate: 5-fold cross-validated figures of the masked model against the pinned floors.

Runs the masked model only (the unmasked comparison is in eval/attitude.py): about 40 s.
"""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("attitude")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("attitude")
    data = shared_path("data")
    assert module.fingerprint(data) == FLOORS["corpus_sha256"], (
        "the RuEthnoHate file changed: re-run scripts/train_attitude.py and eval/attitude.py, re-pin floors")
    return module.evaluate(module.load(data), unmasked=False)


def test_macro_f1_floor(evaluation):
    assert evaluation["masked"]["macro_f1"] >= FLOORS["macro_f1"], evaluation["masked"]


@pytest.mark.parametrize("label", sorted(FLOORS["f1"]))
def test_per_class_f1_floor(evaluation, label):
    assert evaluation["masked"]["per_class"][label]["f1"] >= FLOORS["f1"][label], evaluation["masked"]


def test_beats_the_majority_baseline(evaluation):
    gain = evaluation["masked"]["macro_f1"] - evaluation["baseline"]["macro_f1"]
    assert gain >= FLOORS["min_gain_over_baseline"], (evaluation["baseline"], evaluation["masked"])

