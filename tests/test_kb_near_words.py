"""The knowledge-base matcher's cheaper steps agree with the plain code they replaced, on real
texts and on word salads: the words of a document's hot sentences made when looked at, a
sentence at a time (kelisim.kb.matcher.prepare_near, Words), the texts a candidate may start at found with one look-up per
text (Shapes.starting), and a match that takes no qualifier left as it is (extend)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.kb import KnowledgeBase
from kelisim.kb.matcher import (
    Shapes,
    Word,
    _may_start,
    _sentence_lines,
    _starts,
    _words_equal,
    candidates,
    extend,
    prepare_near,
)
from kelisim.kb.patterns import QUALIFIERS_AFTER, QUALIFIERS_BEFORE
from kelisim.reading.document import TextView
from tests.shared_data import factru_texts, seed_texts
from tests.test_kb_near import _WORDS


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@lru_cache(maxsize=1)
def _views() -> tuple[TextView, ...]:
    texts = [*seed_texts(), *factru_texts()]
    return (*(TextView.of(text, "ru", date(2021, 1, 1)) for text in texts),
            *(TextView.of(text, "kk", date(2019, 1, 1)) for text in texts[:20]))


def _plain_words(view: TextView, starting: set[str], shapes: Shapes) -> tuple[list[Word], list[int]]:
    """``prepare_near`` as it was: every token of the chosen sentences looked at in Python."""
    lines = _sentence_lines(view)
    hot = {lines[index] for index in view.where(starting)}
    chosen: set[int] = set()
    for index, line in enumerate(lines):
        if line in hot:
            chosen.update(range(max(index - 1, 0), min(index + 3, len(view.sentences))))
    words: list[Word] = []
    positions: list[int] = []
    for index in sorted(chosen):
        for tok in view.sentences[index].tokens:
            shape = shapes.of(tok.text)
            if shape[0].__class__ is frozenset:
                parts = [(tok.start, tok.end, tok.text, shape[0], shape[1])]
            else:
                parts = [(tok.start + a, tok.start + b, part, found, "word") for a, b, part, found in shape]
            if tok.text in starting:
                positions += range(len(words), len(words) + len(parts))
            words += [Word(*part, lines[index]) for part in parts]
    return words, positions


def _plain_starting(shapes: Shapes, texts: frozenset[str]) -> set[str]:
    """``Shapes.starting`` worked out from each text's shape, without the remembered marks."""
    index, parts_of = shapes._index, {}
    for text in texts:
        shape = shapes.of(text)
        parts_of[text] = [(text, shape[1], shape[0])] if shape[0].__class__ is frozenset else \
            [(part, "word", found) for _, _, part, found in shape]
    available = frozenset().union(*[found for parts in parts_of.values() for _, _, found in parts])
    available &= shapes._pattern_keys
    starts = {text: _starts(parts, index) for text, parts in parts_of.items()}
    return {text for text, start in starts.items() if start and _may_start(start, available)}


def _plain_extend(candidate, words):
    """``extend`` as it was: always a copy, each qualifier compared in full."""
    def equal(start, lowers, line):
        if start < 0 or start + len(lowers) > len(words):
            return False
        return all(w.line == line and w.text.lower() == low for w, low in zip(words[start:start + len(lowers)], lowers))
    last = candidate.last
    for qualifier in QUALIFIERS_AFTER:
        if equal(last + 1, qualifier, words[last].line):
            last += len(qualifier)
            break
    first = candidate.first
    for qualifier in QUALIFIERS_BEFORE:
        if equal(first - len(qualifier), qualifier, words[first].line):
            first -= len(qualifier)
            break
    return replace(candidate, first=first, last=last)


def _check(kb: KnowledgeBase, view: TextView) -> int:
    """Compare the steps on one view; the number of candidates compared."""
    shapes = kb._shapes
    notes = shapes.notes(view)
    starting = shapes.starting(notes)
    assert starting == _plain_starting(shapes, view.distinct)
    assert shapes.split(notes) == {text for text in view.distinct if shapes.of(text)[0].__class__ is not frozenset}
    if not starting:
        return 0
    words, positions = prepare_near(view, starting, shapes, shapes.split(notes))
    plain_words, plain_positions = _plain_words(view, starting, shapes)
    assert positions == plain_positions
    assert len(words) == len(plain_words)
    assert [tuple(words[i]) for i in range(len(words))] == [tuple(w) for w in plain_words]
    found = candidates(words, kb._index, positions)
    assert found == candidates(plain_words, kb._index, plain_positions)
    assert [extend(c, words) for c in found] == [_plain_extend(c, plain_words) for c in found]
    for c in found:
        for start in range(c.first - 3, c.last + 3):
            for lowers in (*QUALIFIERS_AFTER, *QUALIFIERS_BEFORE):
                line = words[c.first].line
                plain = start >= 0 and start + len(lowers) <= len(words) and all(
                    w.line == line and w.text.lower() == low for w, low in zip(plain_words[start:], lowers))
                assert _words_equal(words, start, lowers, line) == plain
    return len(found)


def test_the_same_steps_on_real_news(kb: KnowledgeBase) -> None:
    assert sum(_check(kb, view) for view in _views()) > 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, "Қазақстан", "Республикасының", "ҚР", "Қ.Тоқаев", "а-б", "из-за", "Токаев-",
                                        "-Токаев", "Астана-2020"]),
                min_size=1, max_size=40), st.sampled_from(["ru", "kk"]))
def test_the_same_steps_on_any_word_salad(kb: KnowledgeBase, words: list[str], language: str) -> None:
    _check(kb, TextView.of(" ".join(words), language, date(2022, 6, 1)))


def test_words_are_made_alike_after_the_shapes_forget_their_texts(kb: KnowledgeBase) -> None:
    shapes = Shapes(kb._index.keys, index=kb._index)
    for view in _views()[:30]:
        notes = shapes.notes(view)
        starting = shapes.starting(notes)
        words, _ = prepare_near(view, starting, shapes, shapes.split(notes))
        plain, _ = _plain_words(view, starting, shapes)
        shapes._forget()  # as another thread may, at the memory's limit, before a word is looked at
        assert [tuple(words[i]) for i in range(len(words))] == [tuple(w) for w in plain]
