"""The spans and the encoding of the NER glue (kelisim.reading.ner, kelisim.reading.network)
are those of the plain per-token versions they replaced, kept here as the reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.reading import ner
from kelisim.reading.ner import NerModel
from kelisim.reading.network import Network
from kelisim.text.tokens import Sentence, Token

TAG_NAMES = ["<pad>", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def plain_spans(tags: list[str], length: int) -> list[tuple[str, int, int]]:
    """The per-tag loop ``_spans`` was: runs of B-/I- tags of one type, (type, first, last)."""
    spans = []
    current: list[int] | None = None
    kind = None
    for position, tag in enumerate(tags[:length]):
        part, _, label = tag.partition("-")
        if part in ("B", "I") and label in ner._TYPES and (part == "I" and current and label == kind):
            current[1] = position
            continue
        if current:
            spans.append((kind, current[0], current[1]))
            current = None
        if part in ("B", "I") and label in ner._TYPES:
            current, kind = [position, position], label
    if current:
        spans.append((kind, current[0], current[1]))
    return spans


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.integers(0, len(TAG_NAMES) - 1), min_size=1, max_size=30), max_size=12))
def test_runs_are_the_plain_loop_s_spans(windows: list[list[int]]) -> None:
    table = ner._TagTable.of(TAG_NAMES)
    ours = [[] for _ in windows]
    for window, kind, first, last in ner._runs([np.array(w, dtype=np.int64) for w in windows], table):
        ours[window].append((ner._KINDS[kind], first, last))
    assert ours == [plain_spans([TAG_NAMES[i] for i in w], len(w)) for w in windows]


@pytest.fixture(scope="module")
def network() -> Network:
    return Network(NerModel.load().infer)


def plain_encode(network: Network, sentences: list[list[str]]):
    """The per-token loop ``Network._encode`` was."""
    keys, starts, gaps = [network._pad_key], [], [0]
    for sentence in sentences:
        starts.append(len(keys))
        keys += [network._key(word) for word in sentence]
        gaps.append(len(keys))
        keys.append(network._pad_key)
    return np.array(keys, dtype=np.int64), starts, np.array(gaps)


WORDS = st.sampled_from(["Москва", "москва", "в", ".", "Иванов", "ООО", "«", "2024", "Kazakhstan", "Қазақстан"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(WORDS | st.text(min_size=1, max_size=6), max_size=20), max_size=8))
def test_encode_is_the_plain_loop_s(network: Network, sentences: list[list[str]]) -> None:
    keys, starts, gaps = network._encode(sentences)
    plain_keys, plain_starts, plain_gaps = plain_encode(network, sentences)
    assert keys.tolist() == plain_keys.tolist() and starts == plain_starts and gaps.tolist() == plain_gaps.tolist()
    assert keys.dtype == plain_keys.dtype and gaps.dtype == plain_gaps.dtype


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 3 * ner.MAX_TOKENS + 1))
def test_windows_cover_the_sentence(length: int) -> None:
    tokens = tuple(Token(i, i + 1, str(i)) for i in range(length))
    windows = ner._windows(7, Sentence(0, length, tokens))
    assert [w.first for w in windows] == list(range(0, length, ner.MAX_TOKENS))
    assert [word for w in windows for word in w.words] == [t.text for t in tokens]
    assert all(len(w.words) <= ner.MAX_TOKENS and w.sentence == 7 for w in windows)
