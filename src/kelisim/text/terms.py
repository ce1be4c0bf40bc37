"""Search terms: the lemmas that the full-text index stores and that queries are turned into.

Russian words are lemmatised with pymorphy3 («Ассамблеи», «Ассамблеей» → «ассамблея»);
words with Kazakh letters lose their common case and plural endings («Алматыда» → «алматы»).
Documents and queries go through the same function, so both backends behave alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pymorphy3

WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # a word, hyphenated compounds whole
_KAZAKH_LETTERS = set("әғқңөұүһі")
# Tried longest first, so «дағы» goes before «да». The ablative (-нан/-дан/-тан) is left out: it
# collides with root endings like -стан, and so do «ны/ні/нда/нде» (аудан-ы, not ауда-ны);
# «ы/і/ды/ті…» are taken after a consonant only (Алматы is not Алма-ты). One ending is
# stripped: combined plural, possessive and case endings are listed whole.
_KAZAKH_ENDINGS = frozenset(
    """лардың лердің дардың дердің тардың тердің лары лері дары дері тары тері
    дағы дегі тағы тегі ларда лерде дарда дерде тарда терде лар лер дар дер тар тер
    ның нің дың дің тың тің ға ге қа ке на не ды ді ты ті да де та те
    ында інде мен бен пен ын ін ы і""".split()
)
_ENDING_SIZES = sorted({len(e) for e in _KAZAKH_ENDINGS}, reverse=True)  # longest first
_VOWELS = set("аәеиоөұүуыіэюя")
_RUSSIAN_ENDING = re.compile(
    r"(?:ого|его|ому|ему|ыми|ими|ами|ями|ом|ем|ой|ей|ым|им|ых|их|ая|яя|ую|юю|ое|ее|ые|ие|ам|ям|ах|ях"
    r"|ов|ев|а|я|у|ю|е)$")
_AFTER_CONSONANT = frozenset({"ы", "і", "ды", "ді", "ты", "ті"})
_MIN_KAZAKH_STEM = 3


@lru_cache(maxsize=1)
def _analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The search lemma of one lower-case word."""
    if _KAZAKH_LETTERS.intersection(word):
        return _kazakh_stem(word)
    if not _is_cyrillic(word):
        return word
    if not _analyzer().word_is_known(word):
        # Unknown to the Russian dictionary: Kazakh written without Kazakh-only letters
        # («Алматыда», «облысында», «аудан») unless it ends like a Russian inflection, where
        # pymorphy's guesser knows best («Кордайском» → «кордайский»).
        stem = _kazakh_stem(word)
        if stem != word or not _RUSSIAN_ENDING.search(word):
            return stem
    return parses(word)[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=200_000)
def parses(lower: str) -> tuple:
    """pymorphy3's readings of a lower-case word, cached: every stage asks about the same words,
    and names recur across documents."""
    return tuple(_analyzer().parse(lower))


def _is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" or ch == "ё" for ch in word)


def _kazakh_stem(word: str) -> str:
    for size in _ENDING_SIZES:
        stem, ending = word[:-size], word[-size:]
        if ending in _KAZAKH_ENDINGS and len(stem) >= _MIN_KAZAKH_STEM and _fits(ending, stem):
            return stem
    return word


def _fits(ending: str, stem: str) -> bool:
    return stem[-1] not in _VOWELS if ending in _AFTER_CONSONANT else True


def words(text: str) -> list[str]:
    """Lower-case words of a text (letters and digits, hyphenated compounds kept whole)."""
    return WORD.findall(text.lower().replace("ё", "е"))


def index_terms(text: str) -> str:
    """The space-separated lemmas of a text, in order, for the full-text index."""
    return terms_of(words(text))


def terms_of(text_words: list[str]) -> str:
    """``index_terms`` of a text from its ``words``, when they are at hand already."""
    return " ".join(map(lemma, text_words))


def query_terms(query: str) -> list[str]:
    """The distinct lemmas of a search query, in order."""
    return list(dict.fromkeys(lemma(w) for w in words(query)))
