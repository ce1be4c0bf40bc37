"""The scanners' shortcuts against the plain rules they replace: word positions found without a
Python loop, a word's role remembered by its text, its likeliest part of speech remembered."""

from kelisim.reading.document import TextView
from kelisim.text.tokens import forms, parses, word_positions
from kelisim.understanding.relevance import _ATTRIBUTE_POS, _first_pos
from kelisim.understanding.tension import ContextWords
from tests.shared_data import seed_texts

MIXED = ("Не допустить конфликтов! Без столкновений, нет — 2020 г. «Профилактика» жидо-пиндосские; "
         "Қазақ және орыс халқы... ёлка, Ёж, _x_ 18:00.")


def sentences():
    for text in (MIXED, *seed_texts()):
        yield from TextView.of(text).sentences


def test_word_positions_are_the_tokens_with_a_letter():
    for sentence in sentences():
        assert word_positions(sentence.tokens) == [k for k, t in enumerate(sentence.tokens) if t.is_word]


def test_a_remembered_role_is_the_role_of_the_words_forms():
    roles = dict(ContextWords.load()._roles)
    context = ContextWords(roles)
    for sentence in sentences():
        for token in sentence.tokens:
            plain = next((roles[f] for f in forms(token.lower) if f in roles), None)
            assert context.role(token) == plain
            assert context.role(token) == plain  # asked again: remembered


def test_the_first_part_of_speech_decides_as_the_parses_do():
    for sentence in sentences():
        for a, b in zip(sentence.tokens, sentence.tokens[1:]):
            own, following = parses(a.lower), parses(b.lower)
            plain = bool(own and following and own[0].tag.POS in _ATTRIBUTE_POS and following[0].tag.POS == "NOUN")
            assert (_first_pos(a.lower) in _ATTRIBUTE_POS and _first_pos(b.lower) == "NOUN") == plain
