"""NearDuplicateIndex.find scores all candidates at once and finds what scoring them one by one
(the plain version it replaces, kept here) found."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.dedup import (
    Match,
    NearDuplicateIndex,
    _cardinality,
    _lean,
    estimate_containment,
    signature,
)

if __package__:  # tests/ is a package
    from tests.shared_data import read_seed
else:
    from shared_data import read_seed

# Few words, so that texts share many shingles and the index has many candidates to score.
_WORDS = st.sampled_from("""Астана Алматы акимат область район жители новости вода газ свет
    заявил сообщил сегодня вчера были будет және мен бұл the of""".split())
_TEXTS = st.lists(_WORDS, min_size=1, max_size=40).map(" ".join)


def _plain_find(index: NearDuplicateIndex, sig: bytes) -> Match | None:
    values = index._checked(sig)
    size = _cardinality(values)
    candidates = index._lsh.query(_lean(values))
    best = max(((*_plain_score(index, values, size, d), -d) for d in candidates), default=None)
    if best is None or best[0] < index.threshold:
        return None
    return Match(-best[2], best[0])


def _plain_score(index: NearDuplicateIndex, values, size: float, doc_id: int):
    jaccard = float(np.mean(values == index._values[doc_id]))
    if not index.containment or jaccard == 1.0:
        return jaccard, jaccard
    return max(jaccard, estimate_containment(jaccard, size, index._sizes[doc_id])), jaccard


def _index(texts: list[str], threshold: float, containment: bool) -> NearDuplicateIndex:
    index = NearDuplicateIndex(threshold, containment=containment)
    for doc_id, text in enumerate(texts):
        index.add(doc_id, signature(text))
    return index


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=12), st.data(),
       st.sampled_from([0.3, 0.6, 0.9]), st.booleans())
def test_find_is_the_plain_find(texts, data, threshold, containment):
    index = _index(texts, threshold, containment)
    base = data.draw(st.sampled_from(texts))
    cut = data.draw(st.integers(0, len(base)))
    for query in (base, base[cut:], base[:cut] + " " + data.draw(_TEXTS), data.draw(_TEXTS)):
        sig = signature(query)
        found = index.find(sig)
        assert found == _plain_find(index, sig)
        assert found is None or type(found.similarity) is float


def test_find_on_real_reprints_is_the_plain_find():
    seeds = [read_seed(number) for number in ("000", "001", "002", "003", "004")]
    texts = seeds + [seed[len(seed) // 3 :] for seed in seeds]
    for containment in (True, False):
        index = _index(texts, 0.6, containment)
        for text in texts + [seed[: len(seed) // 2] for seed in seeds]:
            assert index.find(signature(text)) == _plain_find(index, signature(text))
