"""The de-duplication evaluation gate: fails when reprint detection drops below pinned floors."""

import pytest

if __package__:  # tests/ is a package
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("dedup")


@pytest.fixture(scope="module")
def report():
    module = load_eval("dedup")
    data = module.build(shared_path("data").parent)
    assert data.fingerprint == FLOORS["fingerprint"], (
        "the evaluation set changed: re-run eval/dedup.py and re-pin tests/floors.json")
    assert module.DEFAULT_THRESHOLD == FLOORS["threshold"], (
        "the shipped near_duplicate_threshold changed: re-run eval/dedup.py and re-pin the floors")
    return module.evaluate(module.sign(data), FLOORS["threshold"])


def test_precision_floor(report):
    assert report.scores()[0] >= FLOORS["precision"], report


def test_recall_floor(report):
    assert report.scores()[1] >= FLOORS["recall"], report


@pytest.mark.parametrize("kind", sorted(FLOORS["recall_by_kind"]))
def test_recall_floor_per_edit(report, kind):
    assert report.rate(kind) >= FLOORS["recall_by_kind"][kind], report


@pytest.mark.parametrize("kind", sorted(FLOORS["max_false_positive_rate"]))
def test_false_positive_ceiling_per_negative_kind(report, kind):
    assert report.rate(kind) <= FLOORS["max_false_positive_rate"][kind], report
