"""Russian named-entity recognition with slovnet's news model, batched across documents.

The model, its navec embeddings and their vocabularies ship inside the natasha package and are
loaded once per process. Sentences of many documents are tokenised once (by
:mod:`kelisim.text.tokens`) and tagged together by :mod:`kelisim.reading.network`, our forward
pass over the model's weights (the same tags as slovnet's, about four times faster). Nothing of
natasha or slovnet leaves this module: callers get ``NerSpan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from kelisim.reading.network import Network
from kelisim.text.embeddings import NEWS_EMBEDDING, natasha_data, navec
from kelisim.text.terms import _analyzer
from kelisim.text.tokens import Sentence, parses

NEWS_NER = "slovnet_ner_news_v1.tar"  # in natasha's data folder
MAX_TOKENS = 128  # longer sentences (tables, lists glued together) are tagged in windows
_TYPES = frozenset({"PER", "ORG", "LOC"})


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

    @classmethod
    def load(cls) -> NerModel:
        """The shipped model, loaded once per process."""
        return _load_model()

    def tag(self, sentences: Sequence[Sentence]) -> list[list[NerSpan]]:
        """The entity spans of each sentence, tagged in windows of at most MAX_TOKENS tokens."""
        windows = [window for index, sent in enumerate(sentences) for window in _windows(index, sent)]
        found: list[list[NerSpan]] = [[] for _ in sentences]
        for window, tags in zip(windows, self._network.tag([w.words for w in windows]), strict=True):
            found[window.sentence].extend(_spans(sentences[window.sentence], window, tags))
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
    words = [tok.text for tok in sent.tokens]
    return [_Window(index, i, words[i:i + MAX_TOKENS]) for i in range(0, len(words), MAX_TOKENS)]


def _spans(sent: Sentence, window: _Window, tags: list[str]) -> list[NerSpan]:
    """Runs of B-/I- tags of one type turned into spans (an I- after O starts a span too)."""
    index, offset, words = window
    spans: list[NerSpan] = []
    current: list[int] | None = None
    kind = None
    for position, tag in enumerate(tags[:len(words)]):
        part, _, label = tag.partition("-")
        if part in ("B", "I") and label in _TYPES and (part == "I" and current and label == kind):
            current[1] = position
            continue
        if current:
            spans.append(_span(kind, index, sent, offset + current[0], offset + current[1]))
            current = None
        if part in ("B", "I") and label in _TYPES:
            current, kind = [position, position], label
    if current:
        spans.append(_span(kind, index, sent, offset + current[0], offset + current[1]))
    return spans


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
