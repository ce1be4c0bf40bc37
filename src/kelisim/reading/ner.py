"""Russian named-entity recognition with slovnet's news model, batched across documents.

The model, its navec embeddings and their vocabularies ship inside the natasha package and are
loaded once per process. Sentences of many documents are tokenised once (by
:mod:`kelisim.text.tokens`) and tagged together by :mod:`kelisim.reading.network`, our forward
pass over the model's weights (the same tags as slovnet's, about four times faster). Nothing of
natasha or slovnet leaves this module: callers get ``NerSpan``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from kelisim.reading.network import Network
from kelisim.text.embeddings import NEWS_EMBEDDING, natasha_data, navec
from kelisim.text.terms import _analyzer
from kelisim.text.tokens import Sentence, parses

NEWS_NER = "slovnet_ner_news_v1.tar"  # in natasha's data folder
MAX_TOKENS = 128  # longer sentences (tables, lists glued together) are tagged in windows
_TYPES = frozenset({"PER", "ORG", "LOC"})
_TEXT = itemgetter(2)  # a Token's text


@dataclass(frozen=True, slots=True)
class NerSpan:
    """A span the model tagged: a type and the token range ``[first, last]`` of one sentence."""

    type: str
    start: int
    end: int
    sentence: int
    first: int
    last: int


class NerModel:
    """slovnet's NER model with its navec embeddings; build with ``NerModel.load()``."""

    def __init__(self, infer) -> None:
        """Run the network of a loaded slovnet inference object (encoder, model, CRF, decoder)."""
        self.infer = infer  # slovnet's own forward pass: the reference (network.slovnet_tags)
        self._network = Network(infer)
        self._tags = _TagTable.of(self._network.tag_names)

    @classmethod
    def load(cls) -> NerModel:
        """The shipped model, loaded once per process."""
        return _load_model()

    def tag(self, sentences: Sequence[Sentence]) -> list[list[NerSpan]]:
        """The entity spans of each sentence, tagged in windows of at most MAX_TOKENS tokens."""
        windows = [window for index, sent in enumerate(sentences) for window in _windows(index, sent)]
        found: list[list[NerSpan]] = [[] for _ in sentences]
        tags = self._network.tag_ids([w.words for w in windows])
        for window, kind, first, last in _runs(tags, self._tags):
            index, offset, _ = windows[window]
            found[index].append(_span(_KINDS[kind], index, sentences[index], offset + first, offset + last))
        for spans in found:
            spans.sort(key=lambda span: span.start)
        return found


_PROPER = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad")


def may_name(sentence: Sentence) -> bool:
    """False for a sentence the model need not see: no capitalised word but its first, and that
    one a plain dictionary word («Участники обсудили вопросы…»). The model finds names by their
    capital letters; about a quarter of news sentences (a fifth of the tokens) are skipped this
    way, at a cost measured on factRuEval of 0.007 token F1 on ORG (0.755 → 0.748) and none on
    PER or LOC (docs/benchmarks.md)."""
    for position, token in enumerate(sentence.tokens):
        if not token.text[:1].isupper():
            continue
        if position > 0 or not _plain_dictionary_word(token.lower):
            return True
    return False


@lru_cache(maxsize=100_000)
def _plain_dictionary_word(lower: str) -> bool:
    """A word the dictionary knows, with no reading as a name, place or organisation."""
    if not _analyzer().word_is_known(lower):
        return False
    return not any(tag in p.tag for p in parses(lower) for tag in _PROPER)


class _Window(NamedTuple):
    """Up to MAX_TOKENS token texts of one sentence, from token ``first`` on."""

    sentence: int
    first: int
    words: list[str]


def _windows(index: int, sent: Sentence) -> list[_Window]:
    """The sentence's token texts in windows of at most MAX_TOKENS."""
    words = list(map(_TEXT, sent.tokens))
    if len(words) <= MAX_TOKENS:  # nearly every sentence: no copy
        return [_Window(index, 0, words)] if words else []
    return [_Window(index, i, words[i:i + MAX_TOKENS]) for i in range(0, len(words), MAX_TOKENS)]


_KINDS = ("",) + tuple(sorted(_TYPES))  # a span's type by its number in _TagTable.kinds


class _TagTable(NamedTuple):
    """What each tag id says: the number in _KINDS of its type (0 for O and for a type we do not
    keep) and whether it is an I- tag."""

    kinds: np.ndarray
    inside: np.ndarray

    @classmethod
    def of(cls, names: Sequence[str]) -> _TagTable:
        """The table of the tags ``names`` (such as ``B-PER``), by id."""
        parts = [name.partition("-") for name in names]
        kinds = [_KINDS.index(label) if part in ("B", "I") and label in _TYPES else 0 for part, _, label in parts]
        return cls(np.array(kinds), np.array([part == "I" for part, _, _ in parts]))


def _runs(tags: list[np.ndarray], table: _TagTable) -> Iterator[tuple[int, int, int, int]]:
    """Runs of B-/I- tags of one type in each window's tag ids (an I- after O starts a run too),
    as (window, kind, first, last) in order, all the windows at once."""
    ids = np.concatenate(tags) if tags else np.empty(0, dtype=np.int64)
    offsets = np.zeros(len(tags) + 1, dtype=np.int64)
    np.cumsum([len(window) for window in tags], out=offsets[1:])
    kinds = table.kinds[ids]
    named = kinds > 0
    goes_on = np.zeros(len(ids) + 1, dtype=bool)  # an I- tag of the type of the tag before it
    np.equal(kinds[1:], kinds[:-1], out=goes_on[1:-1])
    goes_on[offsets[:-1]] = False  # a window's first tag
    goes_on[:-1] &= named & table.inside[ids]
    firsts = np.flatnonzero(named & ~goes_on[:-1])
    lasts = np.flatnonzero(named & ~goes_on[1:])
    windows = np.searchsorted(offsets, firsts, side="right") - 1
    starts = offsets[windows]
    return zip(windows.tolist(), kinds[firsts].tolist(), (firsts - starts).tolist(), (lasts - starts).tolist())


def _span(kind: str, index: int, sent: Sentence, first: int, last: int) -> NerSpan:
    return NerSpan(kind, sent.tokens[first].start, sent.tokens[last].end, index, first, last)


@lru_cache(maxsize=1)
def _load_model() -> NerModel:
    """Load slovnet's news NER model and navec's news embeddings from the natasha package's data
    folder (:mod:`kelisim.text.embeddings`: the attitude model shares the embeddings)."""
    from slovnet import NER

    ner = NER.load(str(natasha_data() / "model" / NEWS_NER))
    ner.navec(navec(NEWS_EMBEDDING))
    return NerModel(ner.infer)
