"""The document as the extractors see it: text, language, date and tokens made once.

The scanners of :mod:`kelisim.understanding` and :mod:`kelisim.ethnic` look for a few words among
hundreds; a view therefore also keeps its token texts in one flat tuple, so that a scanner asks
where its words stand (:meth:`TextView.where`) and visits only those tokens, instead of walking
every token of every sentence in Python. :class:`WordMemo` keeps, per token text, what a scanner
needs to know of it; one registry of every memo's hot texts is asked once per document which of
its texts matter to any scanner, instead of each scanner checking all of them against its memo.
"""

from __future__ import annotations

import weakref
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
REGISTRY_LIMIT = 200_000  # token texts the registry knows; forgotten all at once beyond this
RECENT_VIEWS = 32  # views whose hot texts the registry keeps: a reading batch's, read twice


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
        self._hot: set[str] = set()  # the texts of ``values`` whose value is hot
        self.bit = 0  # this memo's bit in the registry's hot texts
        _REGISTRY.join(self)

    def hot(self, view: TextView) -> set[str]:
        """The token texts of ``view`` that matter, learning the ones not seen before."""
        bit = self.bit
        return {text for text, memos in _REGISTRY.admit(view).items() if memos & bit}

    def is_hot(self, text: str) -> bool:
        """Whether a text matters; learnt now if it is new."""
        if text not in self.values:
            self.learn({text})
        return text in self._hot

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


class _Registry:
    """Every live memo, one bit each, and the token texts they have all learnt: for each, the
    bits of the memos it is hot for. A document's texts are looked up here once, and each memo
    then picks its own from the few hot ones."""

    def __init__(self) -> None:
        """No memo yet."""
        self._memos: list[weakref.ref[WordMemo]] = []
        self._known: set[str] = set()
        self._hot: dict[str, int] = {}  # a known text hot for some memo → their bits
        # The hot texts of the views admitted last, by id (the view is kept to tell a new one
        # that took a dead one's id): a batch's views are read by the extractors, then understood.
        self._recent: dict[int, tuple[TextView, dict[str, int]]] = {}

    def join(self, memo: WordMemo) -> None:
        """Give a new memo a bit no live memo holds; what is known is forgotten, as the new memo
        knows none of it."""
        live = self._live()
        taken = {other.bit for other in live}
        bit = 1
        while bit in taken:
            bit <<= 1
        memo.bit = bit
        self._memos = [*map(weakref.ref, live), weakref.ref(memo)]
        self.forget()

    def _live(self) -> list[WordMemo]:
        """The memos still in use."""
        return [memo for memo in (ref() for ref in self._memos) if memo is not None]

    def forget(self) -> None:
        """Forget every text known."""
        self._known.clear()
        self._hot.clear()
        self._recent.clear()

    def admit(self, view: TextView) -> dict[str, int]:
        """The texts of ``view`` hot for some memo, with the bits of those memos; every memo
        learns the texts new to them all first."""
        kept = self._recent.get(id(view))
        if kept is not None and kept[0] is view:
            return kept[1]
        new = view.distinct.difference(self._known)
        if new:
            self._learn(new, view.distinct)
        hot = {text: self._hot[text] for text in self._hot.keys() & view.distinct}  # walks the view's texts
        if len(self._recent) >= RECENT_VIEWS:
            self._recent.clear()
        self._recent[id(view)] = (view, hot)
        return hot

    def _learn(self, new: frozenset[str], distinct: frozenset[str]) -> None:
        """Have every live memo learn ``new`` texts, and note which memos they are hot for."""
        if len(self._known) + len(new) > REGISTRY_LIMIT:
            self.forget()
            new = distinct
        memos = self._live()
        for memo in memos:
            memo.learn(new)
        for text in new:
            bits = 0
            for memo in memos:
                if memo.is_hot(text):
                    bits |= memo.bit
            if bits:
                self._hot[text] = bits
        self._known.update(new)


_REGISTRY = _Registry()
