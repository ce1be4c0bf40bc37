"""The shipped attitude model: loading, predictions on clear sentences, and its provenance."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from kelisim.understanding import training as train
from kelisim.understanding.attitude import AttitudeModel
from kelisim.understanding.features import Config, masked_words, strip_html

if __package__:
    from tests.shared_data import shared_path
else:
    from shared_data import shared_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model():
    return AttitudeModel.load()


def test_loaded_once(model):
    assert AttitudeModel.load() is model
    assert model.classes == (-1, 0, 1)


@pytest.mark.parametrize("text, group, expected", [
    ("Русские и казахи — братья, мы всегда жили в мире и дружбе.", "казах", 1),
    ("Уйгуры — отличные соседи, трудолюбивые и добрые люди.", "уйгур", 1),
    ("Чурки понаехали, гнать их всех отсюда, ненавижу этих тварей.", "среднеазиат", -1),
    ("По данным переписи, в области проживает двадцать тысяч татар.", "татарин", 0),
    ("В Алматы прошла встреча представителей ассамблеи, в ней участвовали узбеки и казахи.", "узбек", 0),
])
def test_clear_sentences(model, text, group, expected):
    label, p, probabilities = model.predict(text, group)
    assert label == expected, probabilities
    assert p == probabilities[label] == max(probabilities.values())
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_batch_equals_single(model):
    pairs = [("Уйгуры — отличные соседи.", "уйгур"), ("Казахи живут в степи.", "казах", [(0, 6)])]
    assert model.predict_many(pairs) == [model.predict(*pair) for pair in pairs]


def test_html_is_stripped_and_bold_kept():
    text, bold = strip_html("мы и <b>казахи</b>!<br/>да &amp; нет")
    assert text == "мы и казахи!\nда & нет"
    assert [text[a:b] for a, b in bold] == ["казахи"]


def test_masking_hides_the_groups():
    words, targets, _, _ = masked_words("Русские и казахи — братья", "казах", None)
    assert words == ["zother", "и", "ztarget", "братья"] and targets == [2]
    slur = masked_words("Эти хохлы опять", "хохол", None)
    assert slur[0][1] == "ztarget" and slur[2] is True


def test_shipped_file_matches_the_script_and_data(model):
    data = train.data_path(shared_path("data"))
    assert model.meta["data_sha256"] == train.fingerprint(data)
    assert json.loads(json.dumps(dataclasses.asdict(model.config))) == dataclasses.asdict(Config())
    assert model.meta["cv"]["alpha"] == train.ALPHA and model.meta["cv"]["epochs"] == train.EPOCHS
    assert (ROOT / "src/kelisim/understanding/data/attitude.npz").stat().st_size < 3_000_000


def test_shipped_model_predicts_as_a_fresh_fit(model):
    """Refit on the same data (deterministic SGD) and compare on real texts: same labels."""
    pairs = train.pairs_of(train.load_records(train.data_path(shared_path("data"))))
    x = train.matrix(pairs)
    y, _, _ = train.arrays(pairs)
    fresh = train.fit(x, y)
    sample = pairs[::40]
    shipped = [model.predict(p.text, p.group)[0] for p in sample]
    assert shipped == fresh.predict(train.matrix(sample)).tolist()
    assert np.allclose(model._coef.T, fresh.coef_, rtol=1e-3, atol=1e-2)  # float16: relative error <= 2**-11


def test_cached_hashes_are_the_hashes_of_the_named_features():
    """``vector`` counts features by cached CRC-32s; they must be the named features' CRC-32s."""
    import zlib
    from collections import Counter

    from kelisim.understanding.features import feature_hashes, feature_strings

    pairs = train.pairs_of(train.load_records(train.data_path(shared_path("data"))))[:60:3]
    for pair in pairs:
        named = feature_strings(pair.text, pair.group)
        expected = Counter()
        for name, count in named.items():
            expected[zlib.crc32(name.encode("utf-8"))] += count
        assert feature_hashes(pair.text, pair.group) == expected


def test_embeddings_are_navecs_own_lookup():
    """The fast gather gives exactly the vectors of navec's own lookup, for every kind of id."""
    from kelisim.text.embeddings import navec
    from kelisim.understanding.features import decoded

    pq = navec().pq
    ids = np.concatenate([np.arange(5), np.random.default_rng(7).integers(0, len(pq.indexes), 500),
                          [len(pq.indexes) - 1]])
    expected = pq.codes[pq.qdims, pq.indexes[ids]].reshape(len(ids), -1)
    assert np.array_equal(decoded(pq, ids), expected)
    assert decoded(pq, ids).dtype == expected.dtype
    assert decoded(pq, ids[:0]).shape == (0, expected.shape[1])
