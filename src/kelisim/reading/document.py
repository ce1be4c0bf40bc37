"""The document as the extractors see it: text, language, date and tokens made once.

The scanners of :mod:`kelisim.understanding` and :mod:`kelisim.ethnic` look for a few words among
hundreds; a view therefore also keeps its token texts in one flat tuple, so that a scanner asks
where its words stand (:meth:`TextView.where`) and visits only those tokens, instead of walking
every token of every sentence in Python. :class:`WordMemo` keeps, per token text, what a scanner
needs to know of it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate, compress
from operator import attrgetter
from typing import Generic, TypeVar

from kelisim.text.tokens import Sentence, Token, tokenize

V = TypeVar("V")
_TEXT = attrgetter("text")


@dataclass(frozen=True, slots=True)
class TextView:
    """A text prepared for reading; every extractor takes one of these."""

    text: str
    language: str
    published: date | None
    sentences: tuple[Sentence, ...]
    flat: tuple[Token, ...] = field(default=(), repr=False, compare=False)  # every token, in order
    texts: tuple[str, ...] = field(default=(), repr=False, compare=False)  # their texts
    distinct: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    firsts: tuple[int, ...] = field(default=(), repr=False, compare=False)  # flat index of a sentence's first token

    @classmethod
    def of(cls, text: str, language: str = "ru", published: date | None = None) -> TextView:
        """Split ``text`` into sentences and tokens once."""
        flat, found = tokenize(text)
        texts = tuple(map(_TEXT, flat))
        firsts = tuple(accumulate((len(s.tokens) for s in found[:-1]), initial=0)) if found else ()
        return cls(text, language, published, tuple(found), tuple(flat), texts, frozenset(texts), firsts)

    def tokens(self) -> list[Token]:
        """All tokens in text order."""
        return list(self.flat)

    def where(self, texts: set[str] | frozenset[str]) -> dict[int, list[int]]:
        """Where tokens with one of ``texts`` stand: sentence index → the indices of those tokens
        in its ``tokens``, both in text order."""
        found: dict[int, list[int]] = {}
        if not texts:
            return found
        firsts = self.firsts
        for at in compress(range(len(self.texts)), map(texts.__contains__, self.texts)):
            sentence = bisect_right(firsts, at) - 1
            found.setdefault(sentence, []).append(at - firsts[sentence])
        return found


class WordMemo(Generic[V]):
    """What a scanner knows about each token text, worked out once per process (until ``limit``
    texts are known, then forgotten all at once), and the texts it may act on: the ones whose
    value ``hot`` holds true."""

    def __init__(self, describe: Callable[[str], V], hot: Callable[[V], bool] = bool,
                 limit: int = 200_000) -> None:
        """``describe`` works out the value of a token text; ``hot`` tells whether it matters."""
        self._describe, self._is_hot, self._limit = describe, hot, limit
        self.values: dict[str, V] = {}
        self._hot: set[str] = set()

    def hot(self, view: TextView) -> set[str]:
        """The token texts of ``view`` that matter, learning the ones not seen before."""
        self.learn(view.distinct)
        return self._hot.intersection(view.distinct)

    def learn(self, texts: frozenset[str] | set[str]) -> None:
        """Work out the values of texts not seen before."""
        new = texts.difference(self.values)
        if new and len(self.values) + len(new) > self._limit:
            self.values.clear()
            self._hot.clear()
            new = texts
        for text in new:
            value = self.values[text] = self._describe(text)
            if self._is_hot(value):
                self._hot.add(text)

    def __getitem__(self, text: str) -> V:
        """The value of a text; learnt now if it is new."""
        value = self.values.get(text)
        if value is None and text not in self.values:
            self.learn({text})
            value = self.values[text]
        return value
