"""slovnet's NER network (navec and shape embeddings, three convolutions, a CRF), run on our own
numpy forward pass over its shipped weights.

slovnet pads each batch to its longest sentence and builds every convolution window as a copy.
Here the sentences of a whole batch are laid end to end with one zero row between neighbours,
so a convolution is three matrix products over shifted views of one array: no padding to the
longest sentence and no window copies. The zero rows are what slovnet's padding gives each
sentence's edges (its pad embeddings are zero and it zeroes padded positions after every layer),
so the emissions are the same up to float rounding, and the tags are the same (checked by
tests/test_ner_network.py against slovnet's own forward pass).

The first layer's products with each word's embedding are kept from batch to batch (a news
stream repeats its words), and the CRF decodes all the sentences of a pass at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import chain

import numpy as np
from slovnet.shape import word_shape

_ENCODED_LIMIT = 300_000  # distinct token texts remembered before the cache starts over
_ROWS_PER_PASS = 16_384  # token rows per forward pass, so the activations stay small
_CACHED_WORDS = 16_384  # words whose first-layer products are kept (3 KB each)
_NO_TAGS = np.empty(0, dtype=np.int64)


class _Layer:
    """One convolution with its ReLU and batch norm, the norm as a scale and a shift."""

    def __init__(self, layer) -> None:
        weight = layer.conv.weight.array  # filters x in x kernel
        if layer.conv.padding != 1 or weight.shape[2] != 3:
            raise ValueError("the NER network's convolutions were expected to be of width 3")
        self.taps = [np.ascontiguousarray(weight[:, :, k].T) for k in range(3)]  # in x filters
        self.filters = weight.shape[0]
        self.bias = layer.conv.bias.array
        norm = layer.norm
        self.scale = (norm.weight.array / norm.std.array).astype(np.float32)
        self.shift = (norm.bias.array - norm.mean.array * self.scale).astype(np.float32)

    def __call__(self, rows: np.ndarray, gaps: np.ndarray) -> np.ndarray:
        """``rows`` is (n, in) with zero rows at ``gaps``; returns (n, filters), the same."""
        full = np.empty((rows.shape[0], self.filters), dtype=np.float32)
        out = full[1:-1]
        np.matmul(rows[:-2], self.taps[0], out=out)
        out += rows[1:-1] @ self.taps[1]
        out += rows[2:] @ self.taps[2]
        return self.finish(full, gaps)

    def finish(self, full: np.ndarray, gaps: np.ndarray) -> np.ndarray:
        """Bias, ReLU and norm of the convolution's sums in the inner rows of ``full``, in
        place; the first, last and ``gaps`` rows set to zero."""
        out = full[1:-1]
        out += self.bias
        np.maximum(out, 0, out=out)
        out *= self.scale
        out += self.shift
        full[0] = full[-1] = 0
        full[gaps] = 0
        return full


class _FirstLayer(_Layer):
    """The first convolution, over the embeddings. Its products are linear in each token's
    embedding, so the word part is computed once per distinct word and kept for the next
    batches (a news stream repeats its words: on the benchmark corpus nine in ten of a batch's
    distinct words were seen before), the shape part once per shape, and the two are summed
    once per distinct (word, shape) pair of a batch before being gathered for its tokens."""

    def __init__(self, layer, navec, shapes: np.ndarray, cached_words: int = _CACHED_WORDS) -> None:
        super().__init__(layer)
        words = navec.dim
        self.navec = navec
        self.word_taps = np.ascontiguousarray(np.concatenate([t[:words] for t in self.taps], axis=1))
        self.shape_taps = shapes @ np.concatenate([t[words:] for t in self.taps], axis=1)
        self._cached_words = cached_words
        self._slot = np.full(len(navec.indexes.array), -1, dtype=np.int64)  # word id -> cache row
        self._products = np.empty((0, self.word_taps.shape[1]), dtype=np.float32)
        self._uses = np.empty(0, dtype=np.int64)
        self._used = 0
        self._lock = threading.Lock()  # the cache is updated in several steps

    def key(self, word_id: int, shape_id: int) -> int:
        """A token's word and shape ids in one number, what :meth:`embed` takes."""
        return word_id * len(self.shape_taps) + shape_id

    def embed(self, keys: np.ndarray, gaps: np.ndarray) -> np.ndarray:
        """The layer's output for the end-to-end layout of these tokens' keys."""
        shapes = len(self.shape_taps)
        distinct, where = np.unique(keys, return_inverse=True)
        pairs = np.empty((len(distinct) + 1, self.word_taps.shape[1]), dtype=np.float32)
        self.word_products(distinct // shapes, pairs[:-1])
        pairs[:-1] += self.shape_taps[distinct % shapes]
        pairs[-1] = 0  # the gaps' row: slovnet's padding embeds as zero
        where = where.reshape(-1)
        where[gaps] = len(distinct)
        width = self.filters
        full = np.empty((len(keys), width), dtype=np.float32)
        out = full[1:-1]
        np.add(pairs[where[:-2], :width], pairs[where[1:-1], width:2 * width], out=out)
        out += pairs[where[2:], 2 * width:]
        return self.finish(full, gaps)

    def word_products(self, word_ids: np.ndarray, out: np.ndarray) -> None:
        """Write into ``out`` the word part of the taps' products (one row per id), from the
        cache or computed."""
        with self._lock:
            self._cached_products(word_ids, out)

    def _cached_products(self, word_ids: np.ndarray, out: np.ndarray) -> None:
        """:meth:`word_products` under the lock: a batch's new words computed in one product."""
        slots = self._slot[word_ids]
        missing = np.unique(word_ids[slots < 0])
        if len(missing):
            wanted = len(np.unique(word_ids))
            if wanted > self._cached_words:
                out[:] = self._product(word_ids)
                return
            if self._used + len(missing) > self._cached_words:
                self._keep_most_used(min(self._cached_words // 2, self._cached_words - wanted))
                slots = self._slot[word_ids]
                missing = np.unique(word_ids[slots < 0])
            self._store(missing, self._product(missing))
            slots = self._slot[word_ids]
        self._uses[slots] += 1
        np.take(self._products, slots, axis=0, out=out)

    def _product(self, word_ids: np.ndarray) -> np.ndarray:
        """Embeddings times the word taps. A single row is computed as two: numpy's product
        of a one-row matrix takes another BLAS routine, whose sums differ in the last bit."""
        if len(word_ids) == 1:
            return (self.navec(np.repeat(word_ids, 2)) @ self.word_taps)[:1]
        return self.navec(word_ids) @ self.word_taps

    def _store(self, word_ids: np.ndarray, products: np.ndarray) -> None:
        """Keep the products of ids not cached yet, growing the cache up to its limit."""
        end = self._used + len(word_ids)
        if end > len(self._products):
            size = min(self._cached_words, max(end, 2 * len(self._products)))
            grown = np.empty((size, self._products.shape[1]), dtype=np.float32)
            grown[:self._used] = self._products[:self._used]
            uses = np.zeros(size, dtype=np.int64)
            uses[:self._used] = self._uses[:self._used]
            self._products, self._uses = grown, uses
        self._products[self._used:end] = products
        self._uses[self._used:end] = 0
        self._slot[word_ids] = np.arange(self._used, end)
        self._used = end

    def _keep_most_used(self, count: int) -> None:
        """Forget all cached words but the ``count`` used most often."""
        owners = np.full(self._used, -1, dtype=np.int64)
        cached = np.flatnonzero(self._slot >= 0)
        owners[self._slot[cached]] = cached
        kept = np.sort(np.argsort(-self._uses[:self._used], kind="stable")[:count])
        self._slot[cached] = -1
        self._products[:len(kept)] = self._products[kept]
        self._uses[:len(kept)] = self._uses[kept]
        self._slot[owners[kept]] = np.arange(len(kept))
        self._used = len(kept)


class Network:
    """The NER network of a loaded slovnet ``NER`` inference object."""

    def __init__(self, infer, rows_per_pass: int = _ROWS_PER_PASS, cached_words: int = _CACHED_WORDS) -> None:
        """Take the weights, vocabularies and CRF of slovnet's inference object."""
        self.rows_per_pass = rows_per_pass
        model = infer.model
        self._words, self._shapes = infer.encoder.words_vocab, infer.encoder.shapes_vocab
        first, *rest = model.encoder.layers
        self._first = _FirstLayer(first, model.emb.word, model.emb.shape.weight.array, cached_words)
        self._layers = [_Layer(layer) for layer in rest]
        self._proj, self._proj_bias = model.head.proj.weight.array, model.head.proj.bias.array
        self._crf = model.head.crf
        self._tag_names = np.array(infer.decoder.tags_vocab.items, dtype=object)
        self._keys: dict[str, int] = {}
        self._pad_key = self._first.key(self._words.pad_id, self._shapes.pad_id)

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The BIO tags of each sentence (a sequence of token texts)."""
        return [self._tag_names[ids].tolist() for ids in self.tag_ids(sentences)]

    def tag_ids(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The ids of the BIO tags of each sentence (indexes into :attr:`tag_names`)."""
        out: list[np.ndarray] = [_NO_TAGS] * len(sentences)
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        group: list[int] = []
        rows = 0
        for index in order:
            if group and rows + len(sentences[index]) + 1 > self.rows_per_pass:
                self._tag_group([sentences[i] for i in group], group, out)
                group, rows = [], 0
            group.append(index)
            rows += len(sentences[index]) + 1
        if group:
            self._tag_group([sentences[i] for i in group], group, out)
        return out

    @property
    def tag_names(self) -> list[str]:
        """The names of the tag ids, such as ``B-PER``."""
        return self._tag_names.tolist()

    def _tag_group(self, sentences: list[Sequence[str]], where: list[int], out: list[np.ndarray]) -> None:
        emissions, starts = self.emissions(sentences)
        lengths = [len(sentence) for sentence in sentences]
        best = viterbi(emissions, np.array(starts), np.array(lengths), self._crf.transitions.array)
        for i, start, length in zip(where, starts, lengths, strict=True):
            out[i] = best[start:start + length]

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[int]]:
        """Tag scores of every token, the sentences laid end to end (row ``starts[i]`` is the
        first token of sentence ``i``), and the starts."""
        keys, starts, gaps = self._encode(sentences)
        rows = self._first.embed(keys, gaps)
        for layer in self._layers:
            rows = layer(rows, gaps)
        return rows @ self._proj + self._proj_bias, starts

    def _encode(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[int], np.ndarray]:
        """The tokens' keys (:meth:`_key`) in the end-to-end layout, each sentence after a
        zero row; the sentences' first rows; the zero rows."""
        words = list(chain.from_iterable(sentences))
        found = list(map(self._keys.get, words))
        if None in found:  # words not seen yet, or forgotten when the cache started over
            found = [self._key(word) if key is None else key for word, key in zip(words, found)]
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        gaps = np.zeros(len(sentences) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=gaps[1:])
        keys = np.full(gaps[-1] + 1, self._pad_key, dtype=np.int64)
        tokens = np.ones(len(keys), dtype=bool)
        tokens[gaps] = False
        keys[tokens] = found
        return keys, (gaps[:-1] + 1).tolist(), gaps

    def _key(self, word: str) -> int:
        """The word's navec id and shape id in one number, ``word id * shapes + shape id``."""
        key = self._keys.get(word)
        if key is None:
            if len(self._keys) >= _ENCODED_LIMIT:
                self._keys.clear()
            key = self._keys[word] = self._first.key(self._words.encode(word.lower()),
                                                     self._shapes.encode(word_shape(word)))
        return key


def slovnet_tags(infer, sentences: Sequence[Sequence[str]], batch_size: int = 32) -> list[list[str]]:
    """The BIO tags of each sentence by slovnet's own forward pass, in batches of sentences of
    similar length: the reference :class:`Network` is checked against, and the benchmarks'
    ceiling."""
    out: list[list[str]] = [[] for _ in sentences]
    order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
    for begin in range(0, len(order), batch_size):
        chosen = order[begin:begin + batch_size]
        batch = infer.encoder.input([infer.encoder.item(sentences[i]) for i in chosen])
        pred = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)
        paths = infer.model.head.crf.decode(pred, ~batch.pad_mask)
        for i, tags in zip(chosen, infer.decoder(paths), strict=True):
            out[i] = tags
    return out


def viterbi(emissions: np.ndarray, starts: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """The best tag of every row of ``emissions`` (rows x tags, sentence ``i`` on the rows
    ``starts[i]`` to ``starts[i] + lengths[i] - 1``; other rows get tag 0), computed as
    slovnet's ``CRF.decode`` does (the same sums and the same ties), all the sentences at once:
    step ``t`` works on the sentences longer than ``t``, the first ones once they are sorted
    longest first."""
    order = np.argsort(-lengths, kind="stable")
    starts, lengths = starts[order], lengths[order]
    longest = int(lengths[0])
    longer = np.searchsorted(-lengths, -np.arange(longest), side="left")  # sentences longer than t
    tags = emissions.shape[1]
    score = emissions[starts]
    into = np.ascontiguousarray(transitions.T)  # to x from: the sums reduced on the last axis
    row_starts = np.arange(0, len(starts) * tags * tags, tags)  # of each (sentence, to) row
    history = np.zeros((max(longest - 1, 0), len(starts), tags), dtype=np.int64)
    for index in range(1, longest):
        count = longer[index]
        step = score[:count, None, :] + into + emissions[starts[:count] + index][:, :, None]
        best = step.argmax(-1)
        history[index - 1, :count] = best
        # the values at the argmax (the maximum): gathered, several times cheaper than max()
        score[:count] = step.reshape(-1)[row_starts[:count * tags] + best.reshape(-1)].reshape(count, tags)
    best = np.zeros(len(emissions), dtype=np.int64)
    current = score.argmax(-1)
    for index in range(longest - 1, -1, -1):
        count = longer[index]
        best[starts[:count] + index] = current[:count]
        if index:
            current[:count] = history[index - 1, np.arange(count), current[:count]]
    return best
