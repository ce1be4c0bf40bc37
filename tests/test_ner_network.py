"""Our forward pass of slovnet's NER network gives slovnet's own tags (kelisim.reading.network)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.reading.document import TextView
from kelisim.reading.ner import NerModel
from kelisim.reading.network import Network, slovnet_tags, viterbi
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


@pytest.mark.parametrize("cached_words", [40, 600])
def test_same_tags_when_the_word_cache_is_small(model: NerModel, real_sentences: list[list[str]],
                                                cached_words: int) -> None:
    """40 words: fewer than a batch has, computed without the cache; 600: the cache fills and
    forgets its least used words many times over."""
    small = Network(model.infer, cached_words=cached_words)
    full = Network(model.infer)
    batches = [real_sentences[i:i + 40] for i in range(0, 1200, 40)]
    assert [small.tag(batch) for batch in batches] == [full.tag(batch) for batch in batches]
    assert full.tag(real_sentences[:400]) == slovnet_tags(model.infer, real_sentences[:400])


def test_a_lone_new_word_is_computed_as_in_a_batch(model: NerModel) -> None:
    """A batch with one word not cached yet takes it through the cache's one-row path."""
    network = Network(model.infer)
    network.tag([["Президент", "прибыл", "в", "Москву", "."]])
    lone = [["Президент", "прибыл", "в", "Минск", "."]]
    assert np.array_equal(network.emissions(lone)[0], Network(model.infer).emissions(lone)[0])
    assert network.tag(lone) == slovnet_tags(model.infer, lone)


def _plain_viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """The best path of one sentence, step by step; ties go to the lower tag."""
    score = list(emissions[0])
    back = []
    for row in emissions[1:]:
        sums = [[score[i] + transitions[i, j] + row[j] for i in range(len(score))] for j in range(len(row))]
        back.append([int(np.argmax(column)) for column in sums])
        score = [max(column) for column in sums]
    path = [int(np.argmax(score))]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return path[::-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=6), st.integers(0, 2**32 - 1))
def test_viterbi_of_a_batch_is_each_sentence_s_best_path(lengths: list[int], seed: int) -> None:
    """Small whole-number scores, so ties are frequent and must be broken as one by one."""
    rng = np.random.default_rng(seed)
    tags = 4
    transitions = rng.integers(-2, 3, (tags, tags)).astype(np.float32)
    starts = np.cumsum([1] + [length + 1 for length in lengths[:-1]])
    emissions = rng.integers(-2, 3, (int(starts[-1]) + lengths[-1] + 1, tags)).astype(np.float32)
    best = viterbi(emissions, starts, np.array(lengths), transitions)
    for start, length in zip(starts, lengths):
        expected = _plain_viterbi(emissions[start:start + length], transitions)
        assert best[start:start + length].tolist() == expected
