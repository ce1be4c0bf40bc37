"""Cheaper extraction helpers agree with the plain code they replaced: the place matcher's text
taken from the view's flat tokens (``_Text.of``), the entity reshaping done span by span in one
pass (``reshape``), and the place resolution's shared empty support (``resolve_all``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kelisim.places import PlaceMatcher
from kelisim.places import resolve as R
from kelisim.places.index import RANK
from kelisim.places.names import _person_like, is_common
from kelisim.places.spans import _Text
from kelisim.reading import shape as S
from kelisim.reading.document import TextView
from kelisim.text.tokens import Token, forms
from tests.shared_data import reading_views

# --- the place matcher's text ----------------------------------------------------------------------

def test_text_is_the_sentences_tokens_in_order() -> None:
    for view in reading_views():
        text = _Text.of(view)
        tokens, initial = [], set()
        for sentence in view.sentences:  # as it was built: a sentence at a time
            initial.add(len(tokens))
            tokens.extend(sentence.tokens)
        assert list(text.tokens) == tokens
        assert text.initial == frozenset(initial)


# --- reshape ---------------------------------------------------------------------------------------

def _plain_reshape(view: TextView, spans) -> list[tuple[str, int, int, int]]:
    """``reshape`` as it was: every span cut, then filtered, then relabelled and extended."""
    shaped = []
    for kind, sent, first, last in spans:
        for piece_first, piece_last in _plain_split(view.sentences[sent].tokens, first, last):
            shaped.append(S._Span(kind, sent, piece_first, piece_last))
    shaped = [s for s in shaped if not S._is_title(s, view.sentences[s.sentence].tokens)]
    for span in shaped:
        tokens = view.sentences[span.sentence].tokens
        S._relabel_international(span, tokens)
        _plain_extend_left(span, tokens)
    return [(s.type, s.sentence, s.first, s.last) for s in S._merge_genitive(shaped, view)]


def _plain_split(tokens: Sequence[Token], first: int, last: int) -> list[tuple[int, int]]:
    pieces, begin = [], first
    for i in range(first, last + 1):
        if tokens[i].text in "()":
            if begin < i:
                pieces.append((begin, i - 1))
            begin = i + 1
    if begin <= last:
        pieces.append((begin, last))
    return pieces


def _plain_extend_left(span, tokens: Sequence[Token]) -> None:
    at = span.first - 1
    if span.type == "ORG" and at >= 0 and tokens[at].text in S._OPEN_QUOTES:
        at -= 1
    if at < 0:
        return
    words = forms(tokens[at].lower)
    if span.type == "LOC" and words & S.GEO_WORDS and S._is_common_noun(tokens[at]):
        span.first = S._with_adjectives(tokens, at)
    elif span.type == "LOC" and words & S.INSTITUTION_WORDS and S._is_common_noun(tokens[at]):
        span.type, span.first = "ORG", S._with_adjectives(tokens, at)
    elif span.type == "ORG" and words & S.ORG_WORDS and S._is_common_noun(tokens[at]):
        span.first = S._with_adjectives(tokens, at)


@st.composite
def _spans(draw):
    """A view and spans of up to five tokens in its sentences, of any type, in text order."""
    view = draw(st.sampled_from([view for view in reading_views() if view.sentences]))
    spans = []
    for sentence in sorted(draw(st.lists(st.integers(0, len(view.sentences) - 1), max_size=12))):
        size = len(view.sentences[sentence].tokens)
        first = draw(st.integers(0, size - 1))
        last = draw(st.integers(first, min(size - 1, first + draw(st.sampled_from([0, 0, 1, 4])))))
        spans.append((draw(st.sampled_from(["PER", "ORG", "LOC", "MISC"])), sentence, first, last))
    return view, spans


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_spans())
def test_reshape_matches_the_plain_reshape(drawn) -> None:
    view, spans = drawn
    assert S.reshape(view, spans) == _plain_reshape(view, spans)


def test_reshape_matches_the_plain_reshape_on_every_word_and_bracket() -> None:
    for view in reading_views():
        for kind in ("PER", "ORG", "LOC"):
            spans = [(kind, s, i, min(i + 2, len(sentence.tokens) - 1)) if sentence.tokens[i].text in "()"
                     else (kind, s, i, i) for s, sentence in enumerate(view.sentences) for i in range(len(sentence.tokens))
                     if i % 3 == 0]
            assert S.reshape(view, spans) == _plain_reshape(view, spans)


# --- resolve_all -----------------------------------------------------------------------------------

def _plain_resolve_all(view: TextView, raws, history):
    """``resolve_all`` as it was: a new empty support per name, ranks read through lambdas."""
    found = [_plain_resolve(view, raw, R._Support(), context=False) for raw in raws]
    context = view.language == "kk" or R._Support.of(found, raws).in_kazakhstan
    for _ in range(2):
        found = [m if m and m.how != "ambiguous" else _plain_resolve(view, raw, R._Support.of(found, raws, k), context)
                 for k, (m, raw) in enumerate(zip(found, raws))]
    return [R._with_then(m, history, view.published) for m in found if m]


def _plain_resolve(view, raw, support, context):
    day = view.published
    rank = (lambda t: t.bare_rank) if raw.bare else (lambda t: t.rank)
    if len(raw.targets) == 1 and rank(raw.targets[0]) in R._PLAIN_RANKS:
        return R._mention(view, raw, raw.targets[0].ref, raw.targets[0].how)
    best = min((t.tier(day), rank(t)) for t in raw.targets)
    if best[1] >= RANK["district"]:
        minor = R._distinct(t for t in raw.targets if rank(t) >= RANK["district"])
        backed, how = support.narrow(minor)
        if how:
            best = min((t.tier(day), rank(t)) for t in backed)
            raw = replace(raw, targets=tuple(backed))
    top = R._distinct(t for t in raw.targets if (t.tier(day), rank(t)) == best)
    village = best[1] == RANK["settlement"]
    if village and raw.bare and (is_common(raw.word, view.language) or _person_like(raw.word)):
        return None
    how = None
    if len(top) > 1:
        top, how = support.narrow(top)
    if len(top) > 1:
        shared = R._shared(top)
        backed = shared.region_kato and (not raw.bare or shared.region_kato in support.regions)
        return R._mention(view, raw, shared, "ambiguous") if backed and context else None
    how = how or support.backs(top[0])
    if village and not how and context and R._unique(raw):
        how = "unique"
    minor = best[1] == RANK["town"] or best[1] >= RANK["district"]
    if not how and (village or (raw.bare and minor and not context)):
        return None
    return R._mention(view, raw, top[0].ref, how or top[0].how)


def test_resolve_all_matches_the_plain_resolution() -> None:
    matcher = PlaceMatcher.load()
    found = 0
    for view in reading_views():
        for published in (None, date(2010, 3, 1), date(2022, 6, 1)):
            view = replace(view, published=published)
            raws = matcher._scan(_Text.of(view))
            got = R.resolve_all(view, raws, matcher._history)
            assert got == _plain_resolve_all(view, raws, matcher._history)
            found += len(got)
    assert found > 100
