"""slovnet's NER network (navec and shape embeddings, three convolutions, a CRF), run on our own
numpy forward pass over its shipped weights.

slovnet pads each batch to its longest sentence and builds every convolution window as a copy.
Here the sentences of a whole batch are laid end to end with one zero row between neighbours,
so a convolution is three matrix products over shifted views of one array: no padding to the
longest sentence and no window copies. The zero rows are what slovnet's padding gives each
sentence's edges (its pad embeddings are zero and it zeroes padded positions after every layer),
so the emissions are the same up to float rounding, and the tags are the same (checked by
tests/test_ner_network.py against slovnet's own forward pass).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from slovnet.shape import word_shape

_ENCODED_LIMIT = 300_000  # distinct token texts remembered before the cache starts over
_CRF_BATCH = 64
_ROWS_PER_PASS = 16_384  # token rows per forward pass, so the activations stay small


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
        out = rows[:-2] @ self.taps[0]
        out += rows[1:-1] @ self.taps[1]
        out += rows[2:] @ self.taps[2]
        return self.finish(out, gaps)

    def finish(self, out: np.ndarray, gaps: np.ndarray) -> np.ndarray:
        """Bias, ReLU and norm of the convolution's inner rows ``out``, framed by zero rows."""
        out += self.bias
        np.maximum(out, 0, out=out)
        out *= self.scale
        out += self.shift
        full = np.zeros((out.shape[0] + 2, out.shape[1]), dtype=np.float32)
        full[1:-1] = out
        full[gaps] = 0
        return full


class _FirstLayer(_Layer):
    """The first convolution, over the embeddings. Its products are linear in each token's
    embedding, so they are computed once per distinct word (and per shape) and then gathered:
    a batch has about a third as many distinct words as tokens."""

    def __init__(self, layer, navec, shapes: np.ndarray) -> None:
        super().__init__(layer)
        words = navec.dim
        self.navec = navec
        self.word_taps = np.ascontiguousarray(np.concatenate([t[:words] for t in self.taps], axis=1))
        self.shape_taps = shapes @ np.concatenate([t[words:] for t in self.taps], axis=1)

    def embed(self, word_ids: np.ndarray, shape_ids: np.ndarray, gaps: np.ndarray) -> np.ndarray:
        """The layer's output for the end-to-end layout of these ids."""
        distinct, where = np.unique(word_ids, return_inverse=True)
        taps = (self.navec(distinct) @ self.word_taps)[where]
        taps += self.shape_taps[shape_ids]
        taps[gaps] = 0
        width = self.filters
        out = taps[:-2, :width] + taps[1:-1, width:2 * width]
        out += taps[2:, 2 * width:]
        return self.finish(out, gaps)


class Network:
    """The NER network of a loaded slovnet ``NER`` inference object."""

    def __init__(self, infer, rows_per_pass: int = _ROWS_PER_PASS) -> None:
        """Take the weights, vocabularies and CRF of slovnet's inference object."""
        self.rows_per_pass = rows_per_pass
        model = infer.model
        self._words, self._shapes = infer.encoder.words_vocab, infer.encoder.shapes_vocab
        first, *rest = model.encoder.layers
        self._first = _FirstLayer(first, model.emb.word, model.emb.shape.weight.array)
        self._layers = [_Layer(layer) for layer in rest]
        self._proj, self._proj_bias = model.head.proj.weight.array, model.head.proj.bias.array
        self._crf = model.head.crf
        self._tags = infer.decoder.tags_vocab.items
        self._encoded: dict[str, tuple[int, int]] = {}

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The BIO tags of each sentence (a sequence of token texts)."""
        out: list[list[str]] = [[] for _ in sentences]
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

    def _tag_group(self, sentences: list[Sequence[str]], where: list[int], out: list[list[str]]) -> None:
        emissions, starts = self.emissions(sentences)
        for begin in range(0, len(sentences), _CRF_BATCH):
            chunk = range(begin, min(begin + _CRF_BATCH, len(sentences)))
            paths = self._decode(emissions, [starts[i] for i in chunk], [len(sentences[i]) for i in chunk])
            for i, path in zip(chunk, paths, strict=True):
                out[where[i]] = [self._tags[t] for t in path]

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[int]]:
        """Tag scores of every token, the sentences laid end to end (row ``starts[i]`` is the
        first token of sentence ``i``), and the starts."""
        word_ids, shape_ids, starts, gaps = self._encode(sentences)
        rows = self._first.embed(word_ids, shape_ids, gaps)
        for layer in self._layers:
            rows = layer(rows, gaps)
        return rows @ self._proj + self._proj_bias, starts

    def _encode(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, list[int], np.ndarray]:
        """Word and shape ids of the end-to-end layout, each sentence after a zero row."""
        total = sum(len(s) for s in sentences) + len(sentences) + 1
        word_ids = np.full(total, self._words.pad_id, dtype=np.int64)
        shape_ids = np.full(total, self._shapes.pad_id, dtype=np.int64)
        starts, gaps, at = [], [0], 1
        for sentence in sentences:
            ids = [self._encode_word(word) for word in sentence]
            if ids:
                word_ids[at:at + len(ids)], shape_ids[at:at + len(ids)] = zip(*ids)
            starts.append(at)
            at += len(ids)
            gaps.append(at)
            at += 1
        return word_ids, shape_ids, starts, np.array(gaps)

    def _encode_word(self, word: str) -> tuple[int, int]:
        known = self._encoded.get(word)
        if known is None:
            if len(self._encoded) >= _ENCODED_LIMIT:
                self._encoded.clear()
            known = self._encoded[word] = (self._words.encode(word.lower()), self._shapes.encode(word_shape(word)))
        return known

    def _decode(self, emissions: np.ndarray, starts: list[int], lengths: list[int]) -> list[list[int]]:
        """Viterbi paths of some sentences, on their rows padded to the longest: slovnet's CRF
        decoding step for step (the same sums and the same ties), with the path traced back for
        all the sentences at once."""
        longest = max(lengths)
        batch = np.zeros((len(starts), longest, emissions.shape[1]), dtype=emissions.dtype)
        for row, (start, length) in enumerate(zip(starts, lengths, strict=True)):
            batch[row, :length] = emissions[start:start + length]
        return viterbi(batch, np.array(lengths), self._crf.transitions.array)


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


def viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> list[list[int]]:
    """The best tag path of each sentence (``emissions``: sentences x positions x tags, each
    sentence's first ``lengths`` positions real), computed as slovnet's ``CRF.decode`` does."""
    count, longest, tags = emissions.shape
    rows = np.arange(count)
    score = emissions[:, 0]
    history = np.zeros((max(longest - 1, 0), count, tags), dtype=np.int64)
    for index in range(1, longest):
        step = score.reshape(count, tags, 1) + transitions + emissions[:, index].reshape(count, 1, tags)
        best = step.argmax(-2)
        history[index - 1] = best
        moved = np.take_along_axis(step, best.reshape(count, 1, tags), axis=1).reshape(count, tags)
        score = np.where((index < lengths).reshape(count, 1), moved, score)
    paths = np.zeros((count, longest), dtype=np.int64)
    current = score.argmax(-1)
    for index in range(longest - 1, -1, -1):
        here = lengths - 1 >= index  # the sentences this position belongs to
        paths[here, index] = current[here]
        if index:
            current = np.where(here, history[index - 1][rows, current], current)
    return [path[:length].tolist() for path, length in zip(paths, lengths.tolist(), strict=True)]
