"""Hashed features of one (text, target group) pair for the attitude model.

The text loses its HTML remnants (``<br/>`` becomes a line break; ``<b>…</b>`` marks the targeted
mention and is kept as a span). Every ethnic mention the :class:`~kelisim.ethnic.EthnicMatcher`
finds is masked: the target group's mentions become one placeholder word, other groups' another,
so that the model learns the attitude expressed, not which group tends to be disliked in the data.
Features are lemma unigrams and bigrams, character 2-5-grams inside words, the lemmas in a window
around the target mentions and a slur flag; each is hashed with CRC-32 into ``2**BITS`` columns, so
the shipped model needs no vocabulary. After them come dense columns: the mean navec embedding of
the words near the target mentions and of the whole text (masked words left out), from the news
embeddings that ship in the natasha package. The training script and the run-time model share
this code.
"""

from __future__ import annotations

import html
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from kelisim.ethnic import EthnicMatcher
from kelisim.reading.document import TextView
from kelisim.reading.model import EthnicMention
from kelisim.text.embeddings import NEWS_EMBEDDING, navec
from kelisim.text.terms import WORD, lemma

BITS = 18
TARGET = "ztarget"  # Latin placeholders: lemma() leaves them as they are
OTHER = "zother"
WINDOW = 4  # lemmas on each side of a target mention
NGRAMS = (2, 5)
EMBEDDING = NEWS_EMBEDDING  # in natasha's data/emb folder; "" for none
EMBED_WINDOW = 8  # words on each side of a target mention whose embeddings are averaged
EMBED_SCALE = 0.5  # weight of each unit-length mean embedding next to the unit-length hashed part
EMBED_DIM = 300
VERSION = 2  # bump when the features change: the shipped model records it

_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z]+)[^>]*>")


@dataclass(frozen=True)
class Config:
    """What decides the feature vector; the model file stores it and the loader checks it."""

    bits: int = BITS
    window: int = WINDOW
    ngram_min: int = NGRAMS[0]
    ngram_max: int = NGRAMS[1]
    mask: bool = True
    embedding: str = EMBEDDING
    embed_window: int = EMBED_WINDOW
    embed_scale: float = EMBED_SCALE
    version: int = VERSION


def width(config: Config = Config()) -> int:
    """Columns of the feature vector: the hashed ones, then the two mean embeddings (window,
    whole text) when the configuration has an embedding."""
    return (1 << config.bits) + (2 * EMBED_DIM if config.embedding else 0)


def strip_html(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without tags and entities, and the spans that ``<b>…</b>`` wrapped in it."""
    out: list[str] = []
    size = 0
    bold: list[tuple[int, int]] = []
    opened: int | None = None
    last = 0
    for match in _TAG.finditer(raw):
        piece = html.unescape(raw[last:match.start()])
        out.append(piece)
        size += len(piece)
        closing, name = match.group(1), match.group(2).lower()
        if name == "br":
            out.append("\n")
            size += 1
        elif name == "b" and not closing:
            opened = size
        elif name == "b" and opened is not None:
            bold.append((opened, size))
            opened = None
        last = match.end()
    out.append(html.unescape(raw[last:]))
    return "".join(out), bold


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


@lru_cache(maxsize=16)
def _words(text: str) -> tuple[tuple[int, int, str], ...]:
    """The words of ``text`` (span, lower case with ё as е), remembered for the few texts in
    hand: every group of a text is read from the same words."""
    return tuple((w.start(), w.end(), w.group().lower().replace("ё", "е")) for w in WORD.finditer(text))


def _covering(words: Sequence[tuple[int, int, str]], spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each word, the index of a span it overlaps in ``spans`` (sorted, not overlapping each
    other), or -1."""
    found, k = [], 0
    for start, end, _ in words:
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        found.append(k if k < len(spans) and spans[k][0] < end else -1)
    return found


Masked = tuple[list[str], list[int], bool, bool]  # words, target indexes, target slur, other slur


def masked_words(text: str, group: str, mentions: list[tuple[int, int]] | None,
                 mask: bool = True, found: Sequence[EthnicMention] | None = None) -> Masked:
    """Lower-case words of ``text`` with ethnic mentions replaced by placeholders.

    Returns the words, the indexes of the target's words, and whether a target or another
    mention is a slur. A mention is the target's when the matcher names ``group``, when its
    lemma is ``group`` (the data name some targets by a slur: «хохол», «чурка»), or when it
    overlaps one of the given ``mentions`` spans; a word whose lemma is ``group`` counts too,
    as the lexicon does not know every target («мордва»). ``found`` are the ethnic mentions of
    ``text`` when the caller has them already (a reading has); the matcher runs otherwise.
    """
    spans = mentions or []
    if found is None:
        found = EthnicMatcher.load().find(TextView.of(text))
    marks: list[tuple[int, int, bool]] = []  # start, end, is target
    target_slur = other_slur = False
    for m in found:
        is_target = m.group == group or lemma(m.text.lower()) == group or _overlaps(m.start, m.end, spans)
        marks.append((m.start, m.end, is_target))
        target_slur |= is_target and m.slur
        other_slur |= (not is_target) and m.slur
    words = _words(text)
    in_mark = _covering(words, marks)
    in_span = _covering(words, sorted(spans)) if spans else [-1] * len(words)
    out: list[str] = []
    targets: list[int] = []
    for i, (_, _, word) in enumerate(words):
        inside = in_mark[i] >= 0
        is_target = (inside and marks[in_mark[i]][2]) or in_span[i] >= 0 or lemma(word) == group
        if inside or is_target:
            if is_target:
                targets.append(i)
            if mask:
                word = TARGET if is_target else OTHER
        out.append(word)
    return out, targets, target_slur, other_slur


def feature_strings(text: str, group: str, mentions: list[tuple[int, int]] | None = None,
                    config: Config = Config(),
                    found: Sequence[EthnicMention] | None = None) -> Counter[str]:
    """The named features of one pair and their counts, before hashing (to read what the
    model sees; :func:`vector` makes the same features through cached hashes)."""
    words, targets, target_slur, other_slur = masked_words(text, group, mentions, config.mask, found)
    feats = Counter(_named(_lemmas(words), targets, target_slur, other_slur, config.window))
    for word in words:
        feats.update(_grams(word, config.ngram_min, config.ngram_max))
    return feats


def feature_hashes(text: str, group: str, mentions: list[tuple[int, int]] | None = None,
                   config: Config = Config(),
                   found: Sequence[EthnicMention] | None = None) -> Counter[int]:
    """The CRC-32 of every feature of :func:`feature_strings` and its count. The hashes of a
    word's character n-grams are made once per process: they are most of the features."""
    return _hashes(*masked_words(text, group, mentions, config.mask, found), config)


def _hashes(words: list[str], targets: list[int], target_slur: bool, other_slur: bool,
            config: Config) -> Counter[int]:
    hashes, counts = _hash_counts(words, targets, target_slur, other_slur, config)
    return Counter(dict(zip(hashes.tolist(), counts.tolist())))


def _hash_counts(words: list[str], targets: list[int], target_slur: bool, other_slur: bool,
                 config: Config) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct feature hash of the words and how often it occurs."""
    named = np.fromiter(map(_hash, _named(_lemmas(words), targets, target_slur, other_slur, config.window)),
                        dtype=np.int64)
    grams = [_gram_array(word, config.ngram_min, config.ngram_max) for word in words]
    return np.unique(np.concatenate([named, *grams]), return_counts=True)


def word_features(text: str, group: str, mentions: list[tuple[int, int]] | None = None,
                  config: Config = Config(), found: Sequence[EthnicMention] | None = None,
                  masked: Masked | None = None) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """Each word of ``text`` that is not a masked mention: its span, its lemma and the columns
    of its own features (its lemma, its character n-grams, its side in a target's window), to
    tell which words moved a prediction. ``masked`` is :func:`masked_words`'s result when the
    caller has it."""
    words, targets, _, _ = masked or masked_words(text, group, mentions, config.mask, found)
    lemmas = _lemmas(words)
    sides = _sides(targets, len(words), config.window)
    size = 1 << config.bits
    out = []
    for i, (start, end, _) in enumerate(_words(text)):  # the words masked_words read, in order
        if words[i] in (TARGET, OTHER):
            continue
        hashes = (_hash("w:" + lemmas[i]), *_gram_hashes(words[i], config.ngram_min, config.ngram_max),
                  *(_hash(side + lemmas[i]) for side in sides.get(i, ())))
        out.append((start, end, lemmas[i], tuple({h % size for h in hashes})))
    return out


def _lemmas(words: list[str]) -> list[str]:
    """The words' lemmas, placeholders kept as they are."""
    return [w if w in (TARGET, OTHER) else lemma(w) for w in words]


def _named(lemmas: list[str], targets: list[int], target_slur: bool, other_slur: bool,
           window: int) -> Iterator[str]:
    """Every feature but the character n-grams: lemma unigrams and bigrams, the lemmas near a
    target mention (each once), the flags."""
    for i, item in enumerate(lemmas):
        yield "w:" + item
        if i:
            yield "b:" + lemmas[i - 1] + " " + item
    yield from {side + lemmas[j] for j, found in _sides(targets, len(lemmas), window).items()
                for side in found}
    yield from _flags(targets, target_slur, other_slur)


def _grams(word: str, low: int, high: int) -> list[str]:
    """The character n-gram features of a word, padded with a space at both ends."""
    padded = f" {word} "
    return ["c:" + padded[j:j + n] for n in range(low, high + 1) for j in range(len(padded) - n + 1)]


def _sides(targets: list[int], count: int, window: int) -> dict[int, set[str]]:
    """The words within ``window`` of a target mention (by index), each with its side: ``l:``
    before a target, ``r:`` after one."""
    sides: dict[int, set[str]] = {}
    for t in targets:
        for j in range(max(0, t - window), min(count, t + window + 1)):
            if j != t:
                sides.setdefault(j, set()).add("l:" if j < t else "r:")
    return sides


def _flags(targets: list[int], target_slur: bool, other_slur: bool) -> list[str]:
    return ((["notarget"] if not targets else []) + (["SLUR"] if target_slur else [])
            + (["OSLUR"] if other_slur else []))


@lru_cache(maxsize=1 << 18)
def _hash(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


@lru_cache(maxsize=1 << 17)
def _gram_hashes(word: str, low: int, high: int) -> tuple[int, ...]:
    return tuple(zlib.crc32(name.encode("utf-8")) for name in _grams(word, low, high))


@lru_cache(maxsize=1 << 17)
def _gram_array(word: str, low: int, high: int) -> np.ndarray:
    return np.array(_gram_hashes(word, low, high), dtype=np.int64)


def vector(text: str, group: str, mentions: list[tuple[int, int]] | None = None,
           config: Config = Config(), found: Sequence[EthnicMention] | None = None,
           masked: Masked | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Column indexes and values of the feature vector: the hashed, log-scaled, L2-normalised
    features, then (when the configuration has an embedding) the scaled mean embeddings.
    ``masked`` is :func:`masked_words`'s result when the caller has it."""
    masked = masked or masked_words(text, group, mentions, config.mask, found)
    hashes, counts = _hash_counts(*masked, config)
    # Features that share a bucket add up there, each as 1 + log(count).
    columns, where = np.unique(hashes % (1 << config.bits), return_inverse=True)
    values = np.bincount(where, weights=1.0 + np.log(counts), minlength=len(columns))
    norm = float(np.sqrt((values ** 2).sum())) or 1.0
    values = values / norm
    if not config.embedding:
        return columns, values
    dense = embeddings(masked[0], masked[1], config)
    filled = np.flatnonzero(dense)
    return (np.concatenate([columns, (1 << config.bits) + filled]),
            np.concatenate([values, dense[filled]]))


def embeddings(words: list[str], targets: list[int], config: Config = Config()) -> np.ndarray:
    """The two dense parts, each the unit-length mean embedding times ``embed_scale`` (zeros
    when no word has one): of the words within ``embed_window`` of a target mention (the
    mentions left out), and of the whole text. Masked and unknown words have no embedding."""
    vectors = navec(config.embedding)
    get = vectors.vocab.word_ids.get
    ids = np.array([-1 if w in (TARGET, OTHER) else get(w, -1) for w in words], dtype=np.int64)
    near = sorted({j for t in targets
                   for j in range(max(0, t - config.embed_window), min(len(ids), t + config.embed_window + 1))
                   if j != t})
    pq = vectors.pq
    out = np.zeros(2 * EMBED_DIM)
    for part, chosen in enumerate((ids[near], ids)):
        chosen = chosen[chosen >= 0]
        if len(chosen):
            mean = decoded(pq, chosen).mean(0)
            norm = float(np.sqrt((mean ** 2).sum()))
            if norm > 0:
                out[part * EMBED_DIM:(part + 1) * EMBED_DIM] = mean * (config.embed_scale / norm)
    return out


def decoded(pq, ids: np.ndarray) -> np.ndarray:
    """The embeddings of word ids, one row each, from navec's product quantiser ``pq``: the
    same values as its own lookup, ``pq.codes[pq.qdims, pq.indexes[ids]]``. Each centroid is
    gathered as one opaque item from a flat view of the codebooks, several times faster than
    that broadcast fancy indexing."""
    flat = np.ascontiguousarray(pq.codes).reshape(-1, pq.codes.shape[2])  # a view: the codes are contiguous
    centroids = flat.view(np.dtype((np.void, flat.shape[1] * flat.itemsize))).ravel()
    rows = pq.indexes[ids] + (pq.qdims * pq.codes.shape[1])
    return np.take(centroids, rows).view(flat.dtype).reshape(len(ids), pq.codes.shape[0] * flat.shape[1])
