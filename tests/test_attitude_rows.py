"""The attitude features' caches and shortcuts give the same bits as the plain computations.

The decoded-row table must give each word's row as navec decodes it, and the mean of rows taken
from it (decoded now or earlier, before or after the table started over) must equal the mean of
the rows decoded at once. The n-gram hashes made from byte slices must equal the CRC-32 of each
feature string.
"""

from __future__ import annotations

import zlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.text.embeddings import navec
from kelisim.understanding import features as F

PQ = navec(F.Config().embedding).pq
WORDS = len(PQ.indexes)

ids_lists = st.lists(st.lists(st.one_of(st.integers(0, 40), st.integers(0, WORDS - 1)), min_size=1, max_size=30),
                     min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(ids_lists, st.integers(1, 25))
def test_rows_from_the_table_are_the_decoded_rows_and_give_the_same_mean(batches, capacity):
    """Small tables start over often, and some batches have more distinct words than they hold."""
    rows = F._DecodedRows(PQ, capacity)
    for batch in batches:
        ids = np.array(batch, dtype=np.int64)
        got = rows.of(ids)
        plain = F.decoded(PQ, ids)
        assert got.dtype == plain.dtype and got.flags.c_contiguous
        assert np.array_equal(got, plain)
        mean = np.add.reduce(got, axis=0) / np.float32(len(ids))
        assert mean.dtype == np.float32
        assert mean.tobytes() == plain.mean(0).tobytes()


def test_the_table_starts_over_when_full_and_keeps_giving_the_right_rows():
    rows = F._DecodedRows(PQ, 4)
    for ids in ([1, 2, 3], [3, 4], [5, 6, 7], [1, 2, 3, 4, 5, 6], [7, 7, 7]):
        assert np.array_equal(rows.of(np.array(ids)), F.decoded(PQ, np.array(ids)))
    assert rows._size <= 4


def test_the_mean_embedding_is_the_plain_mean_of_the_decoded_rows():
    ids = np.random.default_rng(3).integers(0, WORDS, 300)
    F._mean_embedding.cache_clear()
    got = F._mean_embedding(ids.tobytes(), F.Config().embedding, 0.5)
    mean = F.decoded(PQ, ids).mean(0)
    assert got.tobytes() == (mean * (0.5 / float(np.sqrt((mean ** 2).sum())))).tobytes()


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=12), st.integers(1, 3), st.integers(0, 3))
def test_gram_hashes_are_the_crc_of_each_gram(word, low, extra):
    high = low + extra
    assert F._gram_hashes(word, low, high) == [zlib.crc32(g.encode("utf-8")) for g in F._grams(word, low, high)]


def test_gram_hashes_of_cyrillic_and_wider_characters():
    for word in ("казах", "ёлка", "qazaqstan", "ұлт", "a😀b", F.TARGET):
        assert F._gram_hashes(word, 2, 5) == [zlib.crc32(g.encode("utf-8")) for g in F._grams(word, 2, 5)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40))
def test_run_starts_and_lengths_as_numpy_made_them(values):
    ordered = np.sort(np.array(values, dtype=np.int64))
    starts = np.flatnonzero(F._run_starts(ordered))
    _, first, counts = np.unique(ordered, return_index=True, return_counts=True)
    assert starts.tolist() == first.tolist()
    assert F._lengths(starts, len(ordered)).tolist() == counts.tolist()


def _plain_words(text: str) -> tuple:
    """Each word lower-cased on its own, as the features first did."""
    return tuple((w.start(), w.end(), w.group().lower().replace("ё", "е")) for w in F.WORD.finditer(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("АаЁёЯяIİiΣσςΑΒ-_. 1'’\nәӘҚқẞß") + ["ǅ", "Ⅻ"]), max_size=60))
def test_words_lowered_with_the_text_as_one_by_one(text):
    """Lower-casing the text at once gives the words' own lower cases (sigma and «İ» aside)."""
    assert F._words.__wrapped__(text) == _plain_words(text)


def test_words_of_a_real_text_as_one_by_one():
    for text in ("Казахи и уйгуры — соседи. ЁЛКИ, Ёж! Σοφία ΑΣ.Β", "İstanbul, ǅemal, Ⅻ век"):
        assert F._words.__wrapped__(text) == _plain_words(text)


def test_word_ids_remembered_as_the_vocabulary_gives_them(monkeypatch):
    """Rows from the per-process memo equal the vocabulary's, through the memo's forgetting."""
    monkeypatch.setattr(F, "ROWS_MEMO", 5)
    F._row_memo(F.EMBEDDING).clear()
    get = navec(F.EMBEDDING).vocab.word_ids.get
    texts = [["казахи", "живут", "рядом"], ["zzqx", "казахи", F.TARGET], ["мир", "дом", "сад", "лес"], ["казахи"]]
    for words in texts * 2:
        plain = [-1 if w in (F.TARGET, F.OTHER) else get(w, -1) for w in words]
        assert F._word_ids(words, F.EMBEDDING).tolist() == plain
        assert len(F._row_memo(F.EMBEDDING)) <= 5 + len(words)
    F._row_memo(F.EMBEDDING).clear()
