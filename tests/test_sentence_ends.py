"""razdel's sentences found faster: the same ends as ``razdel.sentenize`` on every line."""

import re

import razdel
from hypothesis import given, settings
from hypothesis import strategies as st
from razdel.segmenters.sentenize import DELIMITER

from kelisim.text.tokens import _MAY_END, _TOKEN, _razdel_ends, tokenize

PIECES = (
    "Токаев", "заявил", "в", "Алматы", "он", "ЕАЭС", "Kazinform", "news", "2021", "12", "3,5", "IV",
    "т.е.", "т. е.", "и т.д.", "г.", "гг.", "тыс.", "млн.", "руб.", "им.", "ул.", "ст.", "см.",
    "др.", "А. С.", "К.-Ж.", "Дж.", "Вс.", "ed.", "А.", "я.", "т", "е", "т.", "е.",
    "1.", "2)", "а)", "3.)", "в.)", "б.", "§", "1.1.", "8)",
    "—", "–", "-", "‑", "−", "«", "»", "“", "”", "„", "‘", "’", '"', "'", "(", ")", "[", "]", "{", "}",
    ".", "..", "...", "…", "?", "!", "?!", ";", ":", ",", "*", "•",
    ":)", ";-)", "=(", ":-)))", ";)", "=))", ":(",
)
SPACES = (" ", " ", " ", "  ", "", "", "\t", "\xa0", "\n", "\u2009", " \n ")


def _reference_ends(text: str) -> list[int]:
    """The ends of razdel's sentences of each line but its last, by ``razdel.sentenize``."""
    ends, offset = [], 0
    for line in text.split("\n"):
        parts = list(razdel.sentenize(line))
        ends += [offset + part.stop for part in parts[:-1]]
        offset += len(line) + 1
    return ends


def _reference_sentences(text: str) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """Each razdel sentence of each line with the tokens starting in it, as the first
    implementation made them."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    found, offset = [], 0
    for line in text.split("\n"):
        for part in razdel.sentenize(line):
            inside = [t for t in tokens if offset + part.start <= t[0] < offset + part.stop]
            if inside:
                found.append((inside[0][0], inside[-1][1], inside))
        offset += len(line) + 1
    return found


texts_of_pieces = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SPACES)), max_size=40).map(
    lambda parts: "".join(piece + space for piece, space in parts))
texts_of_marks = st.text(alphabet="аАбzZ1Ⅻ²_ .,;:=-—«»\"'„“”’()]}…?!\n\t\xa0", max_size=100)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(texts_of_pieces, texts_of_marks))
def test_sentence_ends_are_razdels(text):
    assert _razdel_ends(text) == _reference_ends(text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(texts_of_pieces, texts_of_marks))
def test_sentences_hold_the_tokens_of_razdels_sentences(text):
    found = [(s.start, s.end, [(t.start, t.end, t.text) for t in s.tokens]) for s in tokenize(text)[1]]
    assert found == _reference_sentences(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=".?!…;\"„'»”’)]}([=:-— a\n\t", max_size=40))
def test_may_end_finds_razdels_delimiters_followed_by_a_space(text):
    expected = [(m.span(), m.group(1)) for m in re.finditer(DELIMITER, text)
                if text[m.end():m.end() + 1].isspace() and text[m.end()] != "\n"]
    assert [(m.span(), m.group(1)) for m in _MAY_END.finditer(text)] == expected


def test_sentences_of_a_news_line_with_abbreviations_and_lists():
    text = ("В 2021 г. в Алматы, т.е. в городе, прошёл митинг. А. С. Иванов сказал: «Хватит!» Все ушли.\n"
            "1) Первое. 2) Второе")
    ends = _razdel_ends(text)
    assert ends == _reference_ends(text)
    assert [text[:end].rsplit(" ", 1)[-1] for end in ends] == ["митинг.", "«Хватит!»", "Первое."]
    assert _razdel_ends("1.) Первое. Далее.) Второе") == [11, 19]  # «1.)» numbers a list item
