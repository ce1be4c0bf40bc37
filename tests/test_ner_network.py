"""Our forward pass of slovnet's NER network gives slovnet's own tags (kelisim.reading.network)."""

from __future__ import annotations

import pytest

from kelisim.reading.document import TextView
from kelisim.reading.ner import NerModel
from kelisim.reading.network import Network, slovnet_tags
from tests.shared_data import seed_paths, shared_path


@pytest.fixture(scope="module")
def model() -> NerModel:
    return NerModel.load()


def _sentences(texts: list[str]) -> list[list[str]]:
    return [[token.text for token in s.tokens] for text in texts for s in TextView.of(text).sentences]


@pytest.fixture(scope="module")
def real_sentences() -> list[list[str]]:
    texts = [p.read_text(encoding="utf-8") for p in seed_paths()]
    texts += [p.read_text(encoding="utf-8") for p in sorted(shared_path("data/factru-dev").glob("*.txt"))]
    return _sentences(texts)


def test_same_tags_as_slovnet_on_real_news(model: NerModel, real_sentences: list[list[str]]) -> None:
    ours = Network(model.infer).tag(real_sentences)
    reference = slovnet_tags(model.infer, real_sentences)
    assert len(real_sentences) > 1500
    assert sum(tag != "O" for tags in ours for tag in tags) > 2000  # the news has names to find
    differing = [i for i, (a, b) in enumerate(zip(ours, reference, strict=True)) if a != b]
    assert differing == []


def test_same_tags_when_a_batch_is_cut_into_many_passes(model: NerModel,
                                                        real_sentences: list[list[str]]) -> None:
    sample = real_sentences[:400]
    assert Network(model.infer, rows_per_pass=50).tag(sample) == Network(model.infer).tag(sample)


def test_odd_sentences(model: NerModel) -> None:
    sentences = [[], ["Токаев"], ["Президент", "Касым-Жомарт", "Токаев", "прибыл", "в", "Астану", "."],
                 ["ыыыщщщ", "qwertyuiop", "12345", "—", "😀"], ["Алматы"] * 300]
    ours = Network(model.infer).tag(sentences)
    assert ours == slovnet_tags(model.infer, sentences)
    assert ours[0] == []
    assert [len(tags) for tags in ours] == [len(s) for s in sentences]
    assert "B-PER" in ours[2] and "B-LOC" in ours[2]


def test_the_model_tags_names_in_context(model: NerModel) -> None:
    view = TextView.of("В Алматы прошла встреча Ассамблеи народа Казахстана с участием Ерлана Карина.")
    spans = model.tag(view.sentences)[0]
    found = {(span.type, view.text[span.start:span.end]) for span in spans}
    assert ("LOC", "Алматы") in found
    assert ("PER", "Ерлана Карина") in found
