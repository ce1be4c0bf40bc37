"""The per-word caches of entity normalisation agree with the dictionary read directly."""

import pytest

from kelisim.reading.entities import _is_common_word, _reading
from kelisim.reading.normal import _nominative_lower, _to_nominative
from kelisim.text.terms import _analyzer

_WORDS = ["Мажилиса", "Депутаты", "Ашимбаева", "Маулена", "Министерства", "Национального", "банка",
          "Ассамблеи", "Таразе", "Московского", "университета", "внутренних", "Вице-министр", "Побритый",
          "Алматинской", "области", "Жомарт", "Ёлки", "Щербина", "ВКО", "М."]


@pytest.mark.parametrize("word", _WORDS)
@pytest.mark.parametrize("grammar", [("sing", "gent", "masc"), ("sing", "gent", "femn"), ("sing", "gent", "neut"),
                                     ("plur", "nomn", None), ("sing", "loct", "masc"), (None, "gent", None)])
@pytest.mark.parametrize("is_head", [True, False])
def test_to_nominative_matches_the_plain_inflection(word, grammar, is_head):
    number, case, gender = grammar
    # The function the cache wraps, called afresh: a cache key that left out a setting would
    # hand one setting's inflection to another.
    expected = _nominative_lower.__wrapped__(word.lower(), number, case, gender, is_head)
    got = _to_nominative(word, number, case, gender, is_head)
    if expected is None:
        assert got == word
    else:
        assert got.lower().replace("ё", "е") == expected.replace("ё", "е")


@pytest.mark.parametrize("word", _WORDS)
def test_reading_knows_what_the_dictionary_knows(word):
    lower = word.lower()
    reading = _reading(lower)
    assert reading.known == _analyzer().word_is_known(lower)
    assert reading.named == any(t in p.tag for p in _analyzer().parse(lower) for t in ("Name", "Surn", "Patr"))


def test_common_word_is_a_known_word_without_a_name_reading():
    assert _is_common_word("Мажилиса")
    assert not _is_common_word("Ашимбаева")  # a surname reading
    assert not _is_common_word("М.")  # an initial
