"""The attitude features' fast paths give exactly what the plain computation they replace gave.

The plain versions below are the earlier code: masking word by word, every feature named as a
string and hashed, two ``np.unique`` passes, each embedding block decoded token by token, and
each word's columns collected from its named features. They are compared bit for bit on real
texts: RuEthnoHate pairs and the seed articles read as the model reads them.
"""

from __future__ import annotations

import random
from itertools import chain
import zlib
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.ethnic import EthnicMatcher
from kelisim.reading.document import TextView
from kelisim.text.embeddings import navec
from kelisim.text.terms import lemma
from kelisim.understanding import features as F
from kelisim.understanding import training as train
from kelisim.understanding import attitude as A
from kelisim.understanding.attitude import AttitudeModel, excerpt
from kelisim.understanding.model import Cue

if __package__:
    from tests.shared_data import seed_texts, shared_path
else:
    from shared_data import seed_texts, shared_path

CONFIG = F.Config()


def plain_masked(text: str, group: str, mentions, found) -> F.Masked:
    """masked_words as it was: each word's mark found by walking the marks in the given order."""
    spans = mentions or []
    marks, target_slur, other_slur = [], False, False
    for m in found:
        is_target = m.group == group or lemma(m.text.lower()) == group or any(
            m.start < b and a < m.end for a, b in spans)
        marks.append((m.start, m.end, is_target))
        target_slur |= is_target and m.slur
        other_slur |= (not is_target) and m.slur
    words = [(w.start(), w.end(), w.group().lower().replace("ё", "е")) for w in F.WORD.finditer(text)]
    in_mark = F._covering(words, marks)
    in_span = F._covering(words, sorted(spans)) if spans else [-1] * len(words)
    out, targets = [], []
    for i, (_, _, word) in enumerate(words):
        inside = in_mark[i] >= 0
        is_target = (inside and marks[in_mark[i]][2]) or in_span[i] >= 0 or lemma(word) == group
        if inside or is_target:
            if is_target:
                targets.append(i)
            word = F.TARGET if is_target else F.OTHER
        out.append(word)
    return out, targets, target_slur, other_slur


def _crc(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def plain_vector(masked: F.Masked, config: F.Config = CONFIG) -> tuple[np.ndarray, np.ndarray]:
    """vector as it was: named features hashed one by one, np.unique for hashes then buckets."""
    words, targets, target_slur, other_slur = masked
    names = list(F._named(F._lemmas(words), targets, target_slur, other_slur, config.window))
    names += [gram for word in words for gram in F._grams(word, config.ngram_min, config.ngram_max)]
    hashes, counts = np.unique(np.array([_crc(n) for n in names], dtype=np.int64), return_counts=True)
    columns, where = np.unique(hashes % (1 << config.bits), return_inverse=True)
    values = np.bincount(where, weights=1.0 + np.log(counts), minlength=len(columns))
    values = values / (float(np.sqrt((values ** 2).sum())) or 1.0)
    dense = plain_embeddings(words, targets, config)
    filled = np.flatnonzero(dense)
    return (np.concatenate([columns, (1 << config.bits) + filled]), np.concatenate([values, dense[filled]]))


def plain_embeddings(words: list[str], targets: list[int], config: F.Config = CONFIG) -> np.ndarray:
    vectors = navec(config.embedding)
    get = vectors.vocab.word_ids.get
    ids = np.array([-1 if w in (F.TARGET, F.OTHER) else get(w, -1) for w in words], dtype=np.int64)
    near = sorted({j for t in targets
                   for j in range(max(0, t - config.embed_window), min(len(ids), t + config.embed_window + 1))
                   if j != t})
    out = np.zeros(2 * F.EMBED_DIM)
    for part, chosen in enumerate((ids[near], ids)):
        chosen = chosen[chosen >= 0]
        if len(chosen):
            mean = vectors.pq.codes[vectors.pq.qdims, vectors.pq.indexes[chosen]].reshape(len(chosen), -1).mean(0)
            norm = float(np.sqrt((mean ** 2).sum()))
            if norm > 0:
                out[part * F.EMBED_DIM:(part + 1) * F.EMBED_DIM] = mean * (config.embed_scale / norm)
    return out


def plain_word_features(text: str, masked: F.Masked, config: F.Config = CONFIG) -> list:
    words, targets, _, _ = masked
    lemmas = F._lemmas(words)
    sides = F._sides(targets, len(words), config.window)
    size = 1 << config.bits
    out = []
    for i, w in enumerate(F.WORD.finditer(text)):
        if words[i] in (F.TARGET, F.OTHER):
            continue
        hashes = (_crc("w:" + lemmas[i]), *map(_crc, F._grams(words[i], config.ngram_min, config.ngram_max)),
                  *(_crc(side + lemmas[i]) for side in sides.get(i, ())))
        out.append((w.start(), w.end(), lemmas[i], tuple({h % size for h in hashes})))
    return out


def plain_pushes(columns: np.ndarray, values: np.ndarray, push: np.ndarray,
                 word_columns: list[tuple[int, ...]]) -> np.ndarray:
    """Each word's push, its columns found by searching the vector's sorted columns."""
    sizes = np.fromiter(map(len, word_columns), dtype=np.int64, count=len(word_columns))
    wanted = np.fromiter(chain.from_iterable(word_columns), dtype=np.int64, count=int(sizes.sum()))
    where = np.minimum(np.searchsorted(columns, wanted), len(columns) - 1)
    present = columns[where] == wanted
    contributions = np.where(present, values[where] * push[wanted], 0.0)
    return np.bincount(np.repeat(np.arange(len(word_columns)), sizes), weights=contributions,
                       minlength=len(word_columns))


def plain_explain(model: AttitudeModel, text: str, label: int, masked: F.Masked,
                  features: tuple[np.ndarray, np.ndarray]) -> list[Cue]:
    words = plain_word_features(text, masked)
    push = plain_pushes(*features, model._pushes[label], [cols for *_, cols in words])
    scored = [Cue(start, end, text[start:end], lem, "attitude", round(float(weight), 3))
              for (start, end, lem, _), weight in zip(words, push) if weight > 0]
    return sorted(scored, key=lambda cue: -cue.weight)[:3]


@pytest.fixture(scope="module")
def model() -> AttitudeModel:
    return AttitudeModel.load()


@lru_cache(maxsize=1)
def _pairs() -> list[tuple[str, str]]:
    pairs = train.pairs_of(train.load_records(train.data_path(shared_path("data"))))
    return [(pair.text, pair.group) for pair in pairs]


@lru_cache(maxsize=1)
def _seed_cases() -> list[tuple[str, str, list, list]]:
    """Each group the seeds name as people, in the excerpt the model reads for it."""
    cases = []
    for text in seed_texts():
        view = TextView.of(text)
        ethnic = EthnicMatcher.load().find(view)
        for group in dict.fromkeys(m.group for m in ethnic if m.person):
            own = [m for m in ethnic if m.group == group and m.person]
            cases.append((group, *excerpt(view, own, ethnic)))
    return cases


def _assert_same(model: AttitudeModel, text: str, group: str, spans, found) -> None:
    masked = F.masked_words(text, group, spans, True, found)
    assert masked == plain_masked(text, group, spans, found)
    columns, values = F.vector(text, group, spans, CONFIG, found, masked)
    plain = plain_vector(masked)
    assert np.array_equal(columns, plain[0]) and np.array_equal(values, plain[1])  # bit for bit
    assert F.word_features(text, group, spans, CONFIG, found, masked) == plain_word_features(text, masked)
    for label in (-1, 1):
        assert (model.explain(text, group, label, spans, found, features=(columns, values), masked=masked)
                == plain_explain(model, text, label, masked, (columns, values)))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_ruethnohate_pairs_as_before(model, data):
    text, group = data.draw(st.sampled_from(_pairs()))
    found = EthnicMatcher.load().find(TextView.of(text))
    words = list(F.WORD.finditer(text))
    spans = None
    if words and data.draw(st.booleans()):  # spans of the caller's own, on arbitrary words
        picked = data.draw(st.lists(st.integers(0, len(words) - 1), max_size=3))
        spans = [(words[i].start(), words[i].end()) for i in picked] or None
    if data.draw(st.booleans()):  # a caller's mentions in any order: the masking walks them as given
        found = list(found)
        random.Random(data.draw(st.integers(0, 1000))).shuffle(found)
    _assert_same(model, text, group, spans, found)


def test_seed_excerpts_as_before(model):
    cases = _seed_cases()
    assert len(cases) >= 3  # the seeds name three groups as people
    for group, text, spans, found in cases:
        _assert_same(model, text, group, spans, found)


def test_groups_of_one_text_do_not_leak_into_each_other(model):
    """The cached analyses of a text serve all its groups: each still gets its own masking."""
    text = "Казахи и уйгуры живут рядом, казахи гостеприимны, а уйгуры трудолюбивы."
    found = EthnicMatcher.load().find(TextView.of(text))
    for group in ("казах", "уйгур", "казах"):
        _assert_same(model, text, group, None, found)


def test_masking_follows_words_not_marks_order():
    """A word overlapped by two marks takes the first one's side, as the walk did."""
    text = "казахи-уйгуры"
    from kelisim.reading.model import EthnicMention

    found = [EthnicMention("казах", 0, 6, "казахи", "group"), EthnicMention("уйгур", 3, 13, "хи-уйгуры", "group")]
    for group in ("казах", "уйгур"):
        assert F.masked_words(text, group, None, True, found) == plain_masked(text, group, None, found)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60), st.lists(st.integers(0, 59), max_size=40), st.integers(0, 6))
def test_near_indexes_as_the_set_made_them(count, targets, window):
    """Both ways: a set for a few targets, the numpy count for many (F.NEAR_SET_MAX)."""
    targets = sorted({t for t in targets if t < count})
    plain = sorted({j for t in targets for j in range(max(0, t - window), min(count, t + window + 1)) if j != t})
    assert F._near(targets, count, window).tolist() == plain



def test_word_ids_leave_out_placeholders_and_unknown_words():
    words = ["казахи", F.TARGET, "живут", F.OTHER, "zzqx", "рядом"]
    get = navec(CONFIG.embedding).vocab.word_ids.get
    plain = [-1 if w in (F.TARGET, F.OTHER) else get(w, -1) for w in words]
    assert F._word_ids(words, CONFIG.embedding).tolist() == plain
    assert plain[0] >= 0 and plain[1] == plain[3] == -1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 499), unique=True, max_size=60),
       st.lists(st.lists(st.integers(0, 499), min_size=1, max_size=8, unique=True), max_size=20),
       st.integers(0, 2**32 - 1))
def test_pushes_as_the_sorted_search_made_them(present, words, seed):
    """The scratch lookup gives each word the same sum, bit for bit, and leaves the scratch zeroed."""
    rng = np.random.default_rng(seed)
    columns = np.array(sorted(present), dtype=np.int64)
    values = rng.normal(size=len(columns))
    push = rng.normal(size=500).astype(np.float32)
    wanted = np.array([c for cols in words for c in cols], dtype=np.int64)
    sizes = np.array([len(cols) for cols in words], dtype=np.int64)
    got = A._pushes(columns, values, push, wanted, sizes)
    if len(columns):
        assert got.tobytes() == plain_pushes(columns, values, push, [tuple(c) for c in words]).tobytes()
    else:
        assert not got.any()
    assert not A._scratch(500).any()
