"""The detector's shortcuts against the plain rules: what it remembers of a token text (only the
cues it looks up, for every text; the rest only for the sentences that may hold a cue) is what
working it all out for each text gives."""

from kelisim.reading.document import TextView
from kelisim.text.tokens import has_letter, parses
from kelisim.understanding.hostility import HostilityDetector, _is_russian, _keys
from tests.shared_data import seed_texts

MIXED = ("Выгоните их всех! Бей чужаков, надо выгнать приезжих. Называем вещи своими именами: "
         "они паразиты. 2020 жылы 7 ақпанда, 18:00, №5 — «хачи» и жидо-пиндосские; ҚАЗАҚ ЕЛІ.")


def token_texts():
    texts = set(TextView.of(MIXED).distinct)
    for text in seed_texts():
        texts |= TextView.of(text).distinct
    return texts


def plain_tags(text):
    """The reading flags as the detector first worked them out: each grammeme asked of each tag."""
    lower = text.lower().replace("ё", "е")
    tags = [p.tag for p in parses(lower)] if any("а" <= ch <= "я" for ch in lower) else []
    return tuple(any(g in t for t in tags) for g in ("impr", "INFN", "1per", "datv"))


def test_every_cue_word_has_a_letter():
    # a token text without a letter is given no cue and no cue word without looking it up
    detector = HostilityDetector.load()
    assert all(has_letter(word) for word in detector._cue_words)
    assert all(has_letter(key) for key in detector._by_key)


def test_what_is_learnt_of_every_text_is_what_describing_it_gives():
    detector = HostilityDetector.load()
    texts = frozenset(token_texts())
    detector._learn(texts)
    for text in texts:
        info = detector._describe(text)
        assert detector._cues[text] == info.cues
        assert (text in detector._hot) == bool(info.cues)
        for word in info.keys & detector._cue_words:
            assert text in detector._surfaces[word]
        assert (info.imperative, info.infinitive, info.first_person, info.dative) == plain_tags(text)


def test_texts_without_a_letter_look_up_nothing():
    detector = HostilityDetector.load()
    for text in ("2020", "18:00", "№", "—", "«", "5", "3,5"):
        keys = _keys(text.lower())
        assert not keys & detector._cue_words and not any(detector._by_key.get(k) for k in keys)


def test_russian_letters_are_told_as_before():
    for word in ("казах", "қазақ", "2020", "abc", "ё", "я", "а", "ҚАЗАҚ".lower(), "мен"):
        assert _is_russian(word) == any("а" <= ch <= "я" for ch in word)
