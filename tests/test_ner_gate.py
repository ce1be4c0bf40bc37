"""The NER gate: Kelisim's entities on factRuEval dev must stay above the pinned floors, beat
plain natasha on LOC and ORG, and not lose to it on PER, measured side by side in one run."""

import pytest

if __package__:
    from tests.gates import floors, load_eval
    from tests.shared_data import shared_path
else:
    from gates import floors, load_eval
    from shared_data import shared_path

FLOORS = floors("ner")


@pytest.fixture(scope="module")
def evaluation():
    module = load_eval("ner")
    data = shared_path("data")
    assert module.fingerprint(data) == FLOORS["fingerprint"], (
        "factRuEval changed: re-run eval/ner.py and re-pin tests/floors.json")
    return module.evaluate(data)


@pytest.mark.parametrize("level", ["token", "span"])
@pytest.mark.parametrize("kind", ["PER", "ORG", "LOC"])
def test_f1_floor(evaluation, level, kind):
    assert evaluation["kelisim"][level][kind]["f1"] >= FLOORS["f1"][level][kind], evaluation["kelisim"][level]


@pytest.mark.parametrize("level", ["token", "span"])
@pytest.mark.parametrize("kind", ["ORG", "LOC"])
def test_beats_plain_natasha(evaluation, level, kind):
    assert evaluation["kelisim"][level][kind]["f1"] > evaluation["natasha"][level][kind]["f1"]


@pytest.mark.parametrize("level", ["token", "span"])
def test_does_not_lose_on_people(evaluation, level):
    assert evaluation["kelisim"][level]["PER"]["f1"] >= evaluation["natasha"][level]["PER"]["f1"]
