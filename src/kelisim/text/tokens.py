"""Sentences and tokens with offsets into the text, and the candidate base forms of a word.

Every extractor of :mod:`kelisim.reading` works on the same tokens, made once per document:
razdel finds the sentences, one regular expression the tokens.
A line break always ends a sentence: headlines, datelines and list items carry no full stop,
and a sentence that ran over them would glue a headline's last word to the body's first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import itemgetter
from typing import NamedTuple

import razdel
from razdel.segmenters.sentenize import DELIMITER

from kelisim.text.terms import _kazakh_stem, lemma, parses

_LINE = re.compile(r"[^\n]+")
# razdel's tokens, by one regular expression: words with their hyphens and apostrophes
# («Усть-Каменогорск», «О’Рейли»), numbers with their decimal marks («0,5»), an ellipsis, and
# every other mark alone («С.Абдрахманов» → «С», «.», «Абдрахманов»). On 300 news texts it agrees
# with razdel.tokenize on all but a few number tokens («36,») and is twelve times faster.
_TOKEN = re.compile(r"[^\W_]+(?:(?:[-‐'’]|(?<=\d)[.,](?=\d))[^\W_]+)*|\.\.\.|[^\w\s]|_+")
# Every character but a space starts a token, so the text is runs of spaces and tokens: matching
# each token with the spaces before it gives every offset by adding up lengths, without a Match
# object per token.
_SPACED_TOKEN = re.compile(r"(\s*)(" + _TOKEN.pattern + ")")
# Where razdel may end a sentence: one of its delimiters followed by a space (its rules join
# the two sides of a delimiter with no space after it before any other rule is tried).
_MAY_END = re.compile(DELIMITER + r"\s")
_FORM_POS = frozenset({"NOUN", "ADJF", "ADJS", "PRTF", "NUMR", "NPRO", None})


# A named tuple: tokenising makes a few hundred a document, and a tuple is built in C where a
# dataclass runs its __init__ in Python for each. Equality stays by type and value as for a
# dataclass: a token never equals a plain tuple.
class Token(NamedTuple):
    """One token: a word, number or punctuation mark, at ``text[start:end]``."""

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        """The token in lower case, ё written as е."""
        return lowered(self.text)

    @property
    def is_word(self) -> bool:
        """True for a token with a letter in it."""
        return has_letter(self.text)

    @property
    def is_capitalized(self) -> bool:
        """True when the token starts with an upper-case letter."""
        return self.text[:1].isupper()

    def __eq__(self, other: object) -> bool:
        """Equal to a token with the same offsets and text, never to a plain tuple."""
        return type(other) is Token and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        """The negation of ``__eq__`` (a tuple's own would compare as plain tuples)."""
        return not self == other

    __hash__ = tuple.__hash__


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence at ``text[start:end]`` and its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, never crossing a line break, with their tokens."""
    return tokenize(text)[1]


def tokenize(text: str) -> tuple[list[Token], list[Sentence]]:
    """Every token of ``text`` in order, and its sentences.

    The text is matched once (with no Match object per token: see ``_SPACED_TOKEN``), and the
    tokens of each sentence are a slice: razdel ends a sentence only before a space, where no
    token runs on. A line without a sentence mark before a space is one sentence without asking
    razdel.
    """
    spaced = _SPACED_TOKEN.findall(text)
    offsets = list(accumulate(map(len, chain.from_iterable(spaced))))  # a token's start, its end, ...
    starts = offsets[0::2]
    tokens = list(map(tuple.__new__, repeat(Token), zip(starts, offsets[1::2], map(itemgetter(1), spaced))))
    found: list[Sentence] = []
    for line in _LINE.finditer(text):
        for start, end in _sentence_spans(text, line):
            first, last = bisect_left(starts, start), bisect_left(starts, end)
            if first < last:
                found.append(Sentence(starts[first], tokens[last - 1].end, tuple(tokens[first:last])))
    return tokens, found


def _sentence_spans(text: str, line: re.Match) -> list[tuple[int, int]]:
    """The spans of razdel's sentences in one line of ``text``."""
    begin, end = line.span()
    if _MAY_END.search(text, begin, end) is None:
        return [(begin, end)]
    return [(begin + part.start, begin + part.stop) for part in razdel.sentenize(line.group())]


@lru_cache(maxsize=400_000)
def lowered(word: str) -> str:
    """The word in lower case, ё written as е (cached: the same words recur)."""
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=400_000)
def has_letter(word: str) -> bool:
    """True when the word has a letter in it (cached: the same words recur)."""
    return any(ch.isalpha() for ch in word)


@lru_cache(maxsize=400_000)
def forms(word: str) -> frozenset[str]:
    """Every base form a lower-case word may stand for: itself, the normal forms of its
    Russian noun and adjective readings, and its Kazakh stem.

    A proper name that pymorphy only guesses gets several readings («в Кордае» → кордая or
    кордай), so matchers test whether the name they look for is among them instead of
    trusting the most likely one.
    """
    found = {word, lemma(word), _kazakh_stem(word)}
    if any("а" <= ch <= "я" for ch in word):
        for parse in parses(word):
            if parse.tag.POS in _FORM_POS:
                found.add(parse.normal_form.replace("ё", "е"))
    return frozenset(found)
