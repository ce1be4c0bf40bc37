"""Language detection keeps the balance of the words it met in a dict of its own and decides
what it decided when it asked ``_balance`` about every word (the plain version, kept here)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.clean import language

# Words of every kind of evidence (Kazakh letters, function words, endings of both languages),
# words of none, and look-alikes: mixed case, ё, Latin, digits, punctuation.
_PIECES = st.sampled_from([
    "және", "бұл", "үшін", "деп", "қазір", "облысында", "жылы", "балалары", "келген",
    "и", "в", "что", "который", "после", "государственного", "развития", "считают",
    "Алматы", "Астана", "район", "газ", "ЖӘНЕ", "Ёлка", "ещё", "the", "and", "jáne", "qazir",
    "2021", "_", " ", " ", " ", ", ", ". ", "! ", "?\n", "…", "\n", "https://kz.kz/a", "-",
])
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)


def _plain_side(words: list[str]) -> str:
    balance = sum(map(language._balance, words))
    return "kk" if balance > 0 else "ru" if balance < 0 else "undecided"


def _plain_detect(text: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(language, "_side", _plain_side)
        return language.detect_language(text)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(_PIECES.filter(str.isalpha), max_size=12), max_size=6))
def test_side_is_the_plain_side(sentences):
    for words in sentences:
        assert language._side(words) == _plain_side(words)


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_detect_language_is_the_plain_detection(text):
    assert language.detect_language(text) == _plain_detect(text)


def test_a_full_dict_is_emptied_and_still_right(monkeypatch):
    monkeypatch.setattr(language, "_BALANCES", {})
    monkeypatch.setattr(language, "_MAX_BALANCES", 3)
    words = "және что газ бұл после район үшін".split()
    for _ in range(3):
        assert language._side(words) == _plain_side(words)
        assert len(language._BALANCES) <= 3
