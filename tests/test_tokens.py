"""Sentences and tokens: offsets index the text, sentences stay within a line, tokens are values."""

import razdel
from hypothesis import given, settings, strategies as st

from kelisim.text.tokens import _TOKEN, Token, sentences, tokenize

NEWS = ("Президент К.-Ж. Токаев заявил: «Мы готовы». Курс — 521,5 тенге.\n"
        "Усть-Каменогорск... Сообщает Kazinform.kz")


def _reference(text: str) -> list[tuple[int, int, str]]:
    """The tokens as the first implementation made them: each razdel sentence of each line sliced
    out and matched alone."""
    found = []
    offset = 0
    for line in text.split("\n"):
        for part in razdel.sentenize(line):
            start = offset + part.start
            found += [(start + m.start(), start + m.end(), m.group()) for m in _TOKEN.finditer(part.text)]
        offset += len(line) + 1
    return found


def test_news_paragraph_tokens():
    found = sentences(NEWS)
    assert [[t.text for t in s.tokens] for s in found] == [
        ["Президент", "К", ".", "-", "Ж", ".", "Токаев", "заявил", ":", "«", "Мы", "готовы", "»", "."],
        ["Курс", "—", "521,5", "тенге", "."],
        ["Усть-Каменогорск", "..."],
        ["Сообщает", "Kazinform", ".", "kz"],
    ]
    assert [t.is_word for t in found[1].tokens] == [True, False, False, True, False]


def test_tokens_are_values():
    a, b = Token(0, 3, "Ёлка"), Token(0, 3, "Ёлка")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Token(0, 3, "елка") and a.lower == "елка"
    assert a != (0, 3, "Ёлка") and (a == (0, 3, "Ёлка")) is False and {a: 1}.get((0, 3, "Ёлка")) is None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="аБz1.,-‐'’…_ \t\n\r\x0b\x0c\xa0\u2028\u3000\u0301ǅ٣!«", max_size=80))
def test_every_token_is_found_as_one_match_at_a_time_would(text):
    """The spaced matching of ``tokenize`` gives what matching each token alone does."""
    flat = tokenize(text)[0]
    assert [(t.start, t.end, t.text) for t in flat] == [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    assert all(type(t) is Token for t in flat)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="аБвZz1. ,-—«»\"!?…\n’_Ⅻǅİ", max_size=120))
def test_offsets_index_the_text_and_match_the_reference(text):
    found = sentences(text)
    tokens = [(t.start, t.end, t.text) for s in found for t in s.tokens]
    assert tokens == _reference(text)
    for sentence in found:
        assert "\n" not in text[sentence.start:sentence.end]
        assert all(text[t.start:t.end] == t.text for t in sentence.tokens)
        assert all(t.is_word == any(ch.isalpha() for ch in t.text) for t in sentence.tokens)
