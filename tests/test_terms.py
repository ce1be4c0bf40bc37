"""Search lemmas: Russian forms meet in one lemma, Kazakh case forms in one stem."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from kelisim.text.terms import index_terms, lemma, query_terms

SAME = [
    ["Ассамблея", "Ассамблеи", "Ассамблеей", "Ассамблее"],
    ["Кордайский", "Кордайском", "Кордайского"],
    ["район", "районе", "района"],
    ["дунгане", "дунган", "дунганам"],
    ["Қазақстан", "Қазақстанда", "Қазақстанның", "Қазақстанға"],
    ["облысы", "облысында", "облыстың"],
    ["аудан", "ауданы", "ауданында", "ауданның"],
    ["Шымкент", "Шымкентке", "Шымкенттің"],
    ["ұйғыр", "ұйғырлар", "ұйғырлардың"],
]


@pytest.mark.parametrize("forms", SAME, ids=[f[0] for f in SAME])
def test_forms_of_one_word_share_a_lemma(forms):
    assert len({lemma(f.lower()) for f in forms}) == 1, [lemma(f.lower()) for f in forms]


def test_a_query_is_lemmatised_like_the_text():
    assert query_terms("Ассамблеей народа") == ["ассамблея", "народ"]
    assert set(query_terms("в Кордайском районе")) <= set(index_terms(
        "Трагические события в Кордайском районе Жамбылской области").split())


@given(st.text(max_size=200))
def test_index_terms_never_fail_and_are_lower_case(text):
    terms = index_terms(text)
    assert terms == terms.lower()
