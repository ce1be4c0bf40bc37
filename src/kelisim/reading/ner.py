"""Russian named-entity recognition with slovnet's news model, batched across documents.

The model, its navec embeddings and their vocabularies ship inside the natasha package and are
loaded once per process. Sentences of many documents are tokenised once (by
:mod:`kelisim.text.tokens`), sorted by length and tagged in batches, so padding stays small and
the numpy forward pass runs on full matrices; this is several times faster than tagging one
document at a time. Nothing of natasha or slovnet leaves this module: callers get ``NerSpan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kelisim.text.tokens import Sentence

BATCH_SIZE = 32
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
        """Wrap a loaded slovnet inference object (encoder, model, CRF, decoder)."""
        self._infer = infer

    @classmethod
    def load(cls) -> NerModel:
        """The shipped model, loaded once per process."""
        return _load_model()

    def tag(self, sentences: Sequence[Sentence]) -> list[list[NerSpan]]:
        """The entity spans of each sentence, tagged in length-sorted batches."""
        windows = [(index, piece) for index, sent in enumerate(sentences) for piece in _windows(sent)]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1]))
        found: list[list[NerSpan]] = [[] for _ in sentences]
        for begin in range(0, len(order), BATCH_SIZE):
            batch = [windows[i] for i in order[begin:begin + BATCH_SIZE]]
            for (index, piece), tags in zip(batch, self._tags([p for _, p in batch]), strict=True):
                found[index].extend(_spans(index, sentences[index], piece, tags))
        for spans in found:
            spans.sort(key=lambda span: span.start)
        return found

    def _tags(self, pieces: list[tuple[int, list[str]]]) -> list[list[str]]:
        """BIO tags for token windows of one batch."""
        encoder, infer = self._infer.encoder, self._infer
        batch = encoder.input([encoder.item(words) for _, words in pieces])
        pred = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)
        paths = infer.model.head.crf.decode(pred, ~batch.pad_mask)
        return [list(infer.decoder([path]))[0] for path in paths]


def _windows(sent: Sentence) -> list[tuple[int, list[str]]]:
    """The sentence's token texts in windows of at most MAX_TOKENS, with their first index."""
    words = [tok.text for tok in sent.tokens]
    return [(i, words[i:i + MAX_TOKENS]) for i in range(0, len(words), MAX_TOKENS)]


def _spans(index: int, sent: Sentence, piece: tuple[int, list[str]], tags: list[str]) -> list[NerSpan]:
    """Runs of B-/I- tags of one type turned into spans (an I- after O starts a span too)."""
    offset, words = piece
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
    """Load slovnet's news NER model and navec's news embeddings from the natasha package."""
    from natasha.data import NEWS_EMBEDDING, NEWS_NER
    from navec import Navec
    from slovnet import NER

    ner = NER.load(NEWS_NER, batch_size=BATCH_SIZE)
    ner.navec(Navec.load(NEWS_EMBEDDING))
    return NerModel(ner.infer)
