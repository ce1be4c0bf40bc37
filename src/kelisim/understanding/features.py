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
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import accumulate, pairwise, repeat

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
    low = text.lower().replace("ё", "е")
    # Lower-casing the whole text at once gives each word's lower case, unless a character's
    # lower case is longer («İ») or depends on what follows the word (a Greek final sigma).
    if len(low) == len(text) and "Σ" not in text:
        return tuple((w.start(), w.end(), w.group()) for w in WORD.finditer(low))
    return tuple((w.start(), w.end(), w.group().lower().replace("ё", "е")) for w in WORD.finditer(text))


@dataclass(frozen=True)
class _Layout:
    """Where the words of a text are and which words share a lemma: what masking one group
    needs, made once for all the groups of a text."""

    starts: list[int]
    ends: list[int]
    by_lemma: dict[str, list[int]]  # lemma → indexes of the words that have it


@lru_cache(maxsize=16)
def _layout(text: str) -> _Layout:
    words = _words(text)
    by_lemma: dict[str, list[int]] = {}
    for i, (_, _, word) in enumerate(words):
        by_lemma.setdefault(lemma(word), []).append(i)
    return _Layout([w[0] for w in words], [w[1] for w in words], by_lemma)


def _overlapped(layout: _Layout, start: int, end: int) -> range:
    """The indexes of the words that overlap ``start``–``end`` (words do not overlap each
    other, so their starts and ends are both sorted)."""
    return range(bisect_right(layout.ends, start), bisect_left(layout.starts, end))


def _covering(words: Sequence[tuple[int, int, str]], spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each word, the index of a span it overlaps in ``spans`` (sorted, not overlapping each
    other), or -1."""
    found, k = [], 0
    for start, end, _ in words:
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        found.append(k if k < len(spans) and spans[k][0] < end else -1)
    return found


def _disjoint(spans: Sequence[tuple[int, int, bool]]) -> bool:
    """Whether ``spans`` are sorted and do not overlap each other."""
    return all(a[1] <= b[0] for a, b in pairwise(spans))


def _mask_kinds(text: str, group: str, marks: list[tuple[int, int, bool]],
                spans: list[tuple[int, int]]) -> dict[int, bool]:
    """The words to mask, by index, each with whether it is the target's: a word in a mark
    takes the kind of the first mark it overlaps; a word in one of ``spans`` or whose lemma
    is ``group`` is the target's."""
    layout = _layout(text)
    kinds: dict[int, bool] = {}
    if _disjoint(marks):
        for start, end, is_target in reversed(marks):  # the first mark a word overlaps wins
            for i in _overlapped(layout, start, end):
                kinds[i] = is_target
    else:  # the matcher sorts its mentions; a caller's list might not be
        for i, k in enumerate(_covering(_words(text), marks)):
            if k >= 0:
                kinds[i] = marks[k][2]
    for start, end in spans:
        kinds.update(dict.fromkeys(_overlapped(layout, start, end), True))
    kinds.update(dict.fromkeys(layout.by_lemma.get(group, ()), True))
    return kinds


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
    out = [word for _, _, word in _words(text)]
    kinds = _mask_kinds(text, group, marks, list(spans))
    targets = sorted(i for i, is_target in kinds.items() if is_target)
    if mask:
        for i, is_target in kinds.items():
            out[i] = TARGET if is_target else OTHER
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
    hashes, counts = np.unique(_feature_hashes(words, targets, target_slur, other_slur, config),
                               return_counts=True)
    return Counter(dict(zip(hashes.tolist(), counts.tolist())))


@dataclass(frozen=True, slots=True)
class _Word:
    """What the features need of one distinct word (or placeholder), made once per process."""

    lemma: str
    lemma_utf8: bytes
    unigram: int  # CRC-32 of "w:" + lemma
    pair_head: int  # CRC-32 of "b:" + lemma + " ": a bigram's CRC goes on from it with the next lemma
    grams: bytes  # CRC-32s of the character n-grams as int64s, in the order of _grams: a text's
    # words' grams are joined as bytes, much cheaper than concatenating one small array a word


def _word(word: str, low: int, high: int) -> _Word:
    """The record of one word (or placeholder), made once per process."""
    return _word_records(low, high)(word)


@lru_cache(maxsize=4)
def _word_records(low: int, high: int):
    """The cached record maker for one n-gram range: keyed by the word alone, a cache hit is
    several times cheaper than with the range in the key (one hit per word of every text)."""
    return lru_cache(maxsize=1 << 17)(partial(_new_word, low=low, high=high))


def _new_word(word: str, low: int, high: int) -> _Word:
    item = word if word in (TARGET, OTHER) else lemma(word)
    utf8 = item.encode("utf-8")
    return _Word(item, utf8, zlib.crc32(utf8, _W), zlib.crc32(b" ", zlib.crc32(utf8, _B)),
                 array("q", _gram_hashes(word, low, high)).tobytes())


def _gram_hashes(word: str, low: int, high: int) -> list[int]:
    """The CRC-32 of each of :func:`_grams`' features, in its order: each goes on from the CRC
    of "c:" over a slice of the padded word's UTF-8, so no feature string is built."""
    padded = f" {word} "
    data = padded.encode("utf-8")
    at = (range(len(data) + 1) if len(data) == len(padded)  # byte offset of each character
          else [0, *accumulate(len(ch.encode("utf-8")) for ch in padded)])
    return [zlib.crc32(data[at[j]:at[j + n]], _C) for n in range(low, high + 1) for j in range(len(padded) - n + 1)]


_W, _B, _C = zlib.crc32(b"w:"), zlib.crc32(b"b:"), zlib.crc32(b"c:")  # CRC-32 of a prefix, to go on from
_SIDES = {"l:": zlib.crc32(b"l:"), "r:": zlib.crc32(b"r:")}


def _feature_hashes(words: list[str], targets: list[int], target_slur: bool, other_slur: bool,
                    config: Config) -> np.ndarray:
    """The CRC-32 of every feature occurrence of the words (:func:`feature_strings`' features,
    each as often as it occurs). CRC-32 goes on from a prefix's CRC, so a bigram's or window
    feature's hash needs no string built. The array is read-only."""
    records = list(map(_word_records(config.ngram_min, config.ngram_max), words))
    named = [r.unigram for r in records]
    named += [zlib.crc32(b.lemma_utf8, a.pair_head) for a, b in pairwise(records)]
    near = {(side, records[j].lemma): records[j] for j, found in _sides(targets, len(words), config.window).items()
            for side in found}  # each side and lemma once, as _named yields them
    named += [zlib.crc32(r.lemma_utf8, _SIDES[side]) for (side, _), r in near.items()]
    named += [_hash(flag) for flag in _flags(targets, target_slur, other_slur)]
    return np.frombuffer(b"".join([array("q", named).tobytes(), *(r.grams for r in records)]), dtype=np.int64)


def _bucket_order(hashes: np.ndarray, bits: int) -> np.ndarray:
    """Sort keys for the hashes whose order is their bucket's (the low ``bits`` bits) and then
    their own: the 32-bit hash rotated so its low bits come on top, which keeps distinct
    hashes distinct."""
    return ((hashes & ((1 << bits) - 1)) << (32 - bits)) | (hashes >> bits)


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where a sorted array's runs of equal values start: True at each run's first item."""
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first


def _lengths(starts: np.ndarray, total: int) -> np.ndarray:
    """The lengths of the runs that start at ``starts`` (ascending) in an array of ``total``
    items: ``np.diff(starts, append=total)`` without its overheads, which dominate small arrays."""
    bounds = np.empty(len(starts) + 1, dtype=np.int64)
    bounds[:-1] = starts
    bounds[-1] = total
    return bounds[1:] - bounds[:-1]


def word_features(text: str, group: str, mentions: list[tuple[int, int]] | None = None,
                  config: Config = Config(), found: Sequence[EthnicMention] | None = None,
                  masked: Masked | None = None) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """Each word of ``text`` that is not a masked mention: its span, its lemma and the columns
    of its own features (its lemma, its character n-grams, its side in a target's window), to
    tell which words moved a prediction. ``masked`` is :func:`masked_words`'s result when the
    caller has it."""
    spans, columns, sizes = word_columns(text, group, mentions, config, found, masked)
    ends = np.cumsum(sizes).tolist()
    return [(start, end, lemma, tuple(columns[stop - size:stop].tolist()))
            for (start, end, lemma), stop, size in zip(spans, ends, sizes.tolist())]


def word_columns(text: str, group: str, mentions: list[tuple[int, int]] | None = None,
                 config: Config = Config(), found: Sequence[EthnicMention] | None = None,
                 masked: Masked | None = None) -> tuple[list[tuple[int, int, str]], np.ndarray, np.ndarray]:
    """:func:`word_features` as arrays: each word's span and lemma, the columns of every word's
    own features laid end to end, and how many columns each word has."""
    words, targets, _, _ = masked or masked_words(text, group, mentions, config.mask, found)
    sides = _sides(targets, len(words), config.window)
    record = _word_records(config.ngram_min, config.ngram_max)
    packed = _packed_columns(config.ngram_min, config.ngram_max, config.bits)
    spans, parts = [], []
    for i, (start, end, _) in enumerate(_words(text)):  # the words masked_words read, in order
        word = words[i]
        if word in (TARGET, OTHER):
            continue
        spans.append((start, end, record(word).lemma))
        parts.append(packed(word, tuple(sides.get(i, ()))))
    sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)) // 8
    return spans, np.frombuffer(b"".join(parts), dtype=np.int64), sizes


@lru_cache(maxsize=4)
def _packed_columns(low: int, high: int, bits: int):
    """The cached maker of a word's :func:`_word_columns` as int64 bytes, keyed by the word and
    its sides alone: a text's words are joined as bytes, much cheaper than chaining tuples."""
    @lru_cache(maxsize=1 << 16)
    def packed(word: str, sides: tuple[str, ...]) -> bytes:
        return array("q", _word_columns(word, sides, low, high, bits)).tobytes()
    return packed


@lru_cache(maxsize=1 << 16)
def _word_columns(word: str, sides: tuple[str, ...], low: int, high: int, bits: int) -> tuple[int, ...]:
    """The distinct columns of a word's own features: its lemma, its n-grams, its ``sides``."""
    record = _word(word, low, high)
    hashes = (record.unigram, *array("q", record.grams), *(zlib.crc32(record.lemma_utf8, _SIDES[s]) for s in sides))
    size = 1 << bits
    return tuple({h % size for h in hashes})


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


def vector(text: str, group: str, mentions: list[tuple[int, int]] | None = None,
           config: Config = Config(), found: Sequence[EthnicMention] | None = None,
           masked: Masked | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Column indexes and values of the feature vector: the hashed, log-scaled, L2-normalised
    features, then (when the configuration has an embedding) the scaled mean embeddings.
    ``masked`` is :func:`masked_words`'s result when the caller has it."""
    masked = masked or masked_words(text, group, mentions, config.mask, found)
    # One sort: keys in bucket order put each bucket's hashes together, ascending.
    keys = _bucket_order(_feature_hashes(*masked, config), config.bits)
    keys.sort()
    starts = np.flatnonzero(_run_starts(keys))
    counts = _lengths(starts, len(keys))
    buckets = keys[starts] >> (32 - config.bits)
    first = _run_starts(buckets)
    columns = buckets[first]
    where = np.cumsum(first) - 1  # each hash's bucket, by its index in columns
    # Features that share a bucket add up there, each as 1 + log(count), in ascending hash order.
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
    ids = _word_ids(words, config.embedding)
    out = np.zeros(2 * EMBED_DIM)
    for part, chosen in enumerate((ids[_near(targets, len(ids), config.embed_window)], ids)):
        chosen = chosen[chosen >= 0]
        if len(chosen):
            out[part * EMBED_DIM:(part + 1) * EMBED_DIM] = _mean_embedding(chosen.tobytes(), config.embedding,
                                                                            config.embed_scale)
    return out


ROWS_MEMO = 1 << 17  # words whose embedding rows a process remembers; forgotten all at once beyond


def _word_ids(words: list[str], name: str) -> np.ndarray:
    """Each word's row in the embedding ``name``, -1 for a placeholder or an unknown word."""
    rows = _row_memo(name)
    try:
        ids = np.fromiter(map(rows.__getitem__, words), dtype=np.int64, count=len(words))
    except KeyError:  # words met for the first time: all looked up in the vocabulary, then kept
        ids = np.fromiter(map(navec(name).vocab.word_ids.get, words, repeat(-1)), dtype=np.int64,
                          count=len(words))
        if len(rows) + len(words) > ROWS_MEMO:
            rows.clear()
        rows.update(zip(words, ids.tolist()))
    if _placeholders_known(name):  # not so in the shipped embedding: then one lookup a word is all
        ids[[i for i, w in enumerate(words) if w in (TARGET, OTHER)]] = -1
    return ids


@lru_cache(maxsize=4)
def _row_memo(name: str) -> dict[str, int]:
    """The rows of the words met so far in the embedding ``name``: looking a word up here is
    three times cheaper than in the embedding's own vocabulary of 250,000 words, most of
    whose entries are far from the processor's caches."""
    return {}


@lru_cache(maxsize=4)
def _placeholders_known(name: str) -> bool:
    return any(w in navec(name).vocab.word_ids for w in (TARGET, OTHER))


NEAR_SET_MAX = 16  # targets up to which a set finds _near's indexes faster than numpy


def _near(targets: list[int], count: int, window: int) -> np.ndarray:
    """The indexes within ``window`` of a target, ascending, each target's own left out (a
    target next to another one is in)."""
    if len(targets) <= NEAR_SET_MAX:  # the usual case: numpy's per-call overheads would dominate
        return np.array(sorted({j for t in targets for j in range(max(0, t - window), min(count, t + window + 1))
                                if j != t}), dtype=np.int64)
    covered = np.zeros(count + 1, dtype=np.int64)  # +1 where a window opens, -1 after it closes
    for t in targets:
        covered[max(0, t - window)] += 1
        covered[min(count, t + window + 1)] -= 1
    covered = np.cumsum(covered[:count])
    covered[targets] -= 1
    return np.flatnonzero(covered > 0)


@lru_cache(maxsize=64)
def _mean_embedding(ids: bytes, name: str, scale: float) -> np.ndarray:
    """The unit-length mean embedding of the word ids (int64 bytes) times ``scale``, zeros when
    it is zero. Remembered: the groups of a text mostly share the whole text's words."""
    rows = _rows(name).of(np.frombuffer(ids, dtype=np.int64))
    # The float32 mean of a C-contiguous array's axis 0 adds its rows in order: the same rows
    # give the same bits whether they were decoded now or earlier.
    mean = np.add.reduce(rows, axis=0) / np.float32(len(rows))
    norm = float(np.sqrt((mean ** 2).sum()))
    result = mean * (scale / norm) if norm > 0 else np.zeros_like(mean)
    result.flags.writeable = False
    return result


ROWS_KEPT = 1 << 14  # decoded rows a process keeps (1,200 bytes each): the frequent words


class _DecodedRows:
    """The decoded embedding rows of the word ids met so far, kept in one table: a row is
    gathered whole from it, several times faster than decoding its centroids again. When the
    table is full it starts over, so it holds the words of the recent texts."""

    def __init__(self, pq, capacity: int = ROWS_KEPT) -> None:
        self._pq = pq
        self._slot = np.full(len(pq.indexes), -1, dtype=np.int64)  # word id → row of the table
        self._table = np.empty((capacity, pq.codes.shape[0] * pq.codes.shape[2]), dtype=pq.codes.dtype)
        self._size = 0

    def of(self, ids: np.ndarray) -> np.ndarray:
        """The rows of ``ids``, one each, the same as :func:`decoded` gives."""
        slots = self._slot[ids]
        missing = slots < 0
        if missing.any():
            new = np.unique(ids[missing])
            if self._size + len(new) > len(self._table):
                self._forget()
                new = np.unique(ids)
                if len(new) > len(self._table):  # more words than the table holds
                    return decoded(self._pq, ids)
            self._table[self._size:self._size + len(new)] = decoded(self._pq, new)
            self._slot[new] = np.arange(self._size, self._size + len(new))
            self._size += len(new)
            slots = self._slot[ids]
        return np.take(self._table, slots, axis=0)

    def _forget(self) -> None:
        self._slot[self._slot >= 0] = -1
        self._size = 0


@lru_cache(maxsize=4)
def _rows(name: str) -> _DecodedRows:
    return _DecodedRows(navec(name).pq)


def decoded(pq, ids: np.ndarray) -> np.ndarray:
    """The embeddings of word ids, one row each, from navec's product quantiser ``pq``: the
    same values as its own lookup, ``pq.codes[pq.qdims, pq.indexes[ids]]``. Each centroid is
    gathered as one opaque item from a flat view of the codebooks, several times faster than
    that broadcast fancy indexing."""
    flat = np.ascontiguousarray(pq.codes).reshape(-1, pq.codes.shape[2])  # a view: the codes are contiguous
    centroids = flat.view(np.dtype((np.void, flat.shape[1] * flat.itemsize))).ravel()
    rows = pq.indexes[ids] + (pq.qdims * pq.codes.shape[1])
    return np.take(centroids, rows).view(flat.dtype).reshape(len(ids), pq.codes.shape[0] * flat.shape[1])
