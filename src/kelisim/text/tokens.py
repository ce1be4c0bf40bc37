"""Sentences and tokens with offsets into the text, and the candidate base forms of a word.

Every extractor of :mod:`kelisim.reading` works on the same tokens, made once per document:
razdel's rules find the sentences (the answers certain at a glance worked out here, the same
as razdel's), one regular expression the tokens.
A line break always ends a sentence: headlines, datelines and list items carry no full stop,
and a sentence that ran over them would glue a headline's last word to the body's first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter
from typing import NamedTuple

from razdel.segmenters.punct import CLOSE_BRACKETS, CLOSE_QUOTES, ENDINGS
from razdel.segmenters.sentenize import (
    BULLET_SIZE,
    FIRST_TOKEN,
    HEAD_SOKRS,
    INITIALS,
    LAST_TOKEN,
    PAIR_SOKR,
    PAIR_SOKRS,
    SOKRS,
    SentSplit,
    is_sokr,
)
from razdel.segmenters.sentenize import sentenize as _SEGMENTER

from kelisim.text.terms import _kazakh_stem, lemma, parses

# razdel's tokens, by one regular expression: words with their hyphens and apostrophes
# («Усть-Каменогорск», «О’Рейли»), numbers with their decimal marks («0,5»), an ellipsis, and
# every other mark alone («С.Абдрахманов» → «С», «.», «Абдрахманов»). On 300 news texts it agrees
# with razdel.tokenize on all but a few number tokens («36,») and is twelve times faster.
_TOKEN = re.compile(r"[^\W_]+(?:(?:[-‐'’]|(?<=\d)[.,](?=\d))[^\W_]+)*|\.\.\.|[^\w\s]|_+")
# Every character but a space starts a token, so the text is runs of spaces and tokens: matching
# each token with the spaces before it gives every offset by adding up lengths, without a Match
# object per token.
_SPACED_TOKEN = re.compile(r"(\s*)(" + _TOKEN.pattern + ")")
# Where razdel may end a sentence: one of its delimiters (razdel's DELIMITER: a smile «;-)» or
# one of «.?!…;"„'»”’)]}») followed by a space within the line; razdel's rules join the sides of
# any other delimiter before they look further. Written to start with the set of a delimiter's
# first characters, which lets the regular expression engine skip to them (three times faster
# than DELIMITER itself), a smile's tail allowed only after «=:;», and «=» or «:» alone never a
# delimiter. Its matches are those of DELIMITER that a space follows: a shorter match at the
# same place ends before a bracket, and the look-ahead only drops the others.
_MAY_END = re.compile(r"""([!"'.;?)\]}»’”„…=:](?:(?<=[=:;])-?[)(]{1,3}|(?<![=:])))(?=[^\S\n])""")
_NEWLINE = re.compile(r"\n")
_WINDOW = 10  # razdel's characters of context on either side of a delimiter
_PLAIN_ENDS = frozenset("?!…;")  # delimiters none of razdel's rules after the first four looks at
_CLOSING = frozenset(CLOSE_QUOTES + CLOSE_BRACKETS)
_OPENING = frozenset("«“‘([")  # razdel's opening quotes and brackets but «}», one of its delimiters
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
    tokens of each sentence are a slice: a sentence ends at a line break or where razdel ends
    one, before a space, where no token runs on.
    """
    spaced = _SPACED_TOKEN.findall(text)
    offsets = list(accumulate(map(len, chain.from_iterable(spaced))))  # a token's start, its end, ...
    starts = offsets[0::2]
    tokens = list(map(tuple.__new__, repeat(Token), zip(starts, offsets[1::2], map(itemgetter(1), spaced))))
    found: list[Sentence] = []
    first = 0
    for last in sorted(set(map(bisect_left, repeat(starts), _sentence_ends(text)))):
        if first < last:
            found.append(Sentence(starts[first], tokens[last - 1].end, tuple(tokens[first:last])))
            first = last
    if first < len(tokens):
        found.append(Sentence(starts[first], tokens[-1].end, tuple(tokens[first:])))
    return tokens, found


def _sentence_ends(text: str) -> Iterator[int]:
    """Where a sentence may end in ``text``: its line breaks, then the ends of razdel's sentences
    of each line but the last one of the line (at the end of a delimiter)."""
    return chain(map(re.Match.start, _NEWLINE.finditer(text)), _razdel_ends(text))


def _razdel_ends(text: str) -> list[int]:
    """The ends of the sentences ``razdel.sentenize`` finds in each line of ``text``, but the
    last of each line: the same as razdel's, found faster.

    razdel asks its rules about every delimiter with the few characters either side of it in
    the line, and the text of the sentence so far. Most answers are certain at a glance (a full
    stop, a space and a capitalised word after a long sentence); razdel's own rules answer the
    rest.
    """
    ends: list[int] = []
    begin = 0  # where the sentence being read began, or a line before it
    for match in _MAY_END.finditer(text):
        start, stop = match.span()
        left = text[max(0, start - _WINDOW):start]
        left = left[left.rfind("\n") + 1:]
        right = text[stop:stop + _WINDOW].partition("\n")[0]
        sentence = max(begin, text.rfind("\n", begin, start) + 1)
        joins = _joins_at_a_glance(left, match.group(1), right, start - sentence)
        if joins is None:
            joins = _razdel_joins(left, match.group(1), right, text[sentence:start])
        if not joins:
            ends.append(stop)
            begin = stop
    return ends


def _joins_at_a_glance(left: str, delimiter: str, right: str, sentence_length: int) -> bool | None:
    """razdel's answer on whether a delimiter followed by a space joins its two sides, where it
    is certain from the tokens either side; None where razdel's rules must be asked.

    razdel's rules, in order, join when a side has no token, when the right one is a lower-case
    word, a closing mark, a smile or a dash before a lower-case word; after a full stop, when
    the left one is an abbreviation or an initial, or the sentence a list item's number; after
    a closing quote or bracket, unless a sentence mark stands before it. Otherwise they split.
    """
    if not left or left.isspace() or right.isspace():
        return True
    after = FIRST_TOKEN.match(right).group(1)
    if after.isalpha() and after.islower():
        return True
    if delimiter in _CLOSING and LAST_TOKEN.search(left).group(1) not in ENDINGS:
        return True
    if not (after.isalnum() or after in _OPENING):
        return None
    return _joins_before_a_word(left, delimiter, after, sentence_length)


def _joins_before_a_word(left: str, delimiter: str, after: str, sentence_length: int) -> bool | None:
    """razdel's answer when the right token is a capitalised word, a number or an opening mark
    (no closing mark, smile or dash, which razdel's first rules look for), where it is certain."""
    if delimiter in _PLAIN_ENDS:
        return False
    if delimiter in _CLOSING:  # with a sentence mark before it; a «)» may close a list number
        return False if delimiter != ")" or sentence_length > BULLET_SIZE else None
    if delimiter != "." or sentence_length <= BULLET_SIZE or PAIR_SOKR.search(left):
        return None
    before = LAST_TOKEN.search(left).group(1)
    lower = before.lower()
    if lower in HEAD_SOKRS or lower in INITIALS or (lower, after.lower()) in PAIR_SOKRS:
        return None
    if (lower in SOKRS and is_sokr(after)) or (before.isupper() and len(before) == 1):
        return None
    return False


def _razdel_joins(left: str, delimiter: str, right: str, sentence: str) -> bool:
    """razdel's rules' answer on whether a delimiter joins its two sides."""
    split = SentSplit(left, delimiter, right)
    split.buffer = sentence
    return bool(_SEGMENTER.join(split))


@lru_cache(maxsize=400_000)
def lowered(word: str) -> str:
    """The word in lower case, ё written as е (cached: the same words recur)."""
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=400_000)
def has_letter(word: str) -> bool:
    """True when the word has a letter in it (cached: the same words recur)."""
    return any(ch.isalpha() for ch in word)


def word_positions(tokens: Sequence[Token]) -> list[int]:
    """The indices of the words (tokens with a letter) among ``tokens``, found without a Python
    loop: scanners ask this of every sentence they match in."""
    return list(compress(range(len(tokens)), map(has_letter, map(itemgetter(2), tokens))))


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
