"""The faster extraction code agrees with the plain code it replaced, on real texts and on spans
drawn at random over them: the place matcher's scan at the tokens that may open a name only, the
entity normalisation cached by span, and the quote finder's document built without per-token loops."""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kelisim.places import PlaceMatcher
from kelisim.places.spans import _Text
from kelisim.reading import entities
from kelisim.reading.attribution import lower_tokens
from kelisim.reading.document import TextView
from kelisim.reading.model import Entity
from kelisim.reading.ner import NerSpan
from kelisim.reading.normal import person, phrase
from kelisim.reading.quote_doc import _MARKS, _cue_words, _doc
from kelisim.reading.shape import reshape
from tests.shared_data import reading_views

# --- the place matcher ---------------------------------------------------------------------------

def _plain_scan(matcher: PlaceMatcher, text: _Text) -> list:
    """The scan as it was: a look-up at every capitalised token."""
    raws, resume = [], 0
    for i in [k for k, token in enumerate(text.tokens) if token.text[0].isupper()]:
        found = matcher._match_at(text, i) if i >= resume else None
        raw = matcher._read(text, i, *found, resume) if found else None
        if raw:
            raws.append(raw)
            resume = raw.stop
    return raws


def test_place_scan_matches_the_plain_scan_on_real_texts():
    matcher = PlaceMatcher.load()
    for view in reading_views():
        assert matcher._scan(_Text.of(view)) == _plain_scan(matcher, _Text.of(view))


_NAMES = ["Алматы", "Алматинской", "области", "Тараз", "Кордайского", "района", "Казахстан", "ВКО", "ШҚО-да",
          "АҚШ-тың", "Москва", "Токаев", "Абай", "Кунанбаев", "г.", "с.", "Есик", "Жем", "Астана", "«", "»",
          "Ресейден", "ауданы", "облысы", "в", "и", ",", ".", "\n", "Мухтар", "Ауэзов", "Нур-Султан", "Рауан"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_NAMES), max_size=25), st.sampled_from(["ru", "kk", "mixed"]))
def test_place_scan_matches_the_plain_scan_on_made_up_texts(words, language):
    matcher = PlaceMatcher.load()
    view = TextView.of(" ".join(words), language)
    assert matcher._scan(_Text.of(view)) == _plain_scan(matcher, _Text.of(view))


# --- entities from the model's spans --------------------------------------------------------------

def _plain_from_spans(view: TextView, spans) -> list[Entity]:
    """:func:`entities.from_spans` as it was, normalising every span afresh."""
    found = []
    shaped = reshape(view, [(s.type, s.sentence, s.first, s.last) for s in spans])
    for kind, sentence, first, last in shaped:
        sent_tokens = view.sentences[sentence].tokens
        tokens = entities._trim(kind, sent_tokens[first:last + 1], sent_tokens[last + 1:last + 2])
        after_break = first == 0 or not sent_tokens[first - 1].is_word
        if not tokens or not any(tok.is_word for tok in tokens) or _plain_word(tokens, kind, after_break):
            continue
        start, end = tokens[0].start, tokens[-1].end
        following = [tok.text for tok in sent_tokens[last + 1:last + 4]]
        if kind == "PER":
            normal = entities._tidy(person(_plain_join_initials(tokens), following))
        else:
            gaps = [view.text[a.end:b.start] for a, b in zip(tokens, tokens[1:])]
            normal = " ".join(phrase([tok.text for tok in tokens], gaps).split())
        found.append(Entity(kind, start, end, view.text[start:end], normal))
    return found


def _plain_word(tokens, kind: str, after_break: bool) -> bool:
    words = [tok for tok in tokens if tok.is_word]
    if len(words) != 1 or words[0].text.isupper():
        return False
    reading = entities._reading(words[0].lower)
    if not reading.known and "-" not in words[0].lower:
        return False
    if reading.proper:
        return False
    if not reading.noun:
        return True
    return kind == "PER" and after_break and reading.animate_nouns


def _plain_join_initials(tokens) -> list[str]:
    words: list[str] = []
    for tok in tokens:
        if tok.text == "." and words and entities.is_initial(words[-1] + "."):
            words[-1] += "."
        elif tok.is_word:
            words.append(tok.text)
    return words


@st.composite
def _spans(draw):
    """A view and spans of up to five tokens in its sentences, of any type, in text order."""
    views = [view for view in reading_views() if view.sentences]
    view = draw(st.sampled_from(views))
    spans = []
    for sentence in sorted(draw(st.lists(st.integers(0, len(view.sentences) - 1), max_size=12))):
        size = len(view.sentences[sentence].tokens)
        first = draw(st.integers(0, size - 1))
        last = draw(st.integers(first, min(size - 1, first + 4)))
        kind = draw(st.sampled_from(["PER", "ORG", "LOC"]))
        spans.append(NerSpan(kind, 0, 0, sentence, first, last))
    return view, spans


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_spans())
def test_from_spans_matches_the_plain_normalisation(drawn):
    view, spans = drawn
    assert entities.from_spans(view, spans) == _plain_from_spans(view, spans)


def test_from_spans_matches_the_plain_normalisation_on_whole_sentences():
    for view in reading_views():
        spans = [NerSpan(kind, 0, 0, number, 0, len(sentence.tokens) - 1)
                 for number, sentence in enumerate(view.sentences) for kind in ("PER", "ORG")]
        assert entities.from_spans(view, spans) == _plain_from_spans(view, spans)


# --- the quote finder's document ------------------------------------------------------------------

def _plain_layout(view: TextView) -> dict:
    """Tokens, sentences and lines as :func:`_doc` laid them out, token by token."""
    text, tokens, sent_of, sents, line_of = view.text, [], [], [], []
    line, last_end, line_first, line_last = 0, 0, {}, {}
    for number, sentence in enumerate(view.sentences):
        line += text.count("\n", last_end, sentence.start)
        last_end, size = sentence.start, len(sentence.tokens)
        line_first.setdefault(line, len(tokens))
        line_last[line] = len(tokens) + size - 1
        sents.append((len(tokens), len(tokens) + size))
        tokens.extend(sentence.tokens)
        sent_of.extend([number] * size)
        line_of.extend([line] * size)
    lows = lower_tokens(text, tokens)
    marks = [i for i, t in enumerate(tokens) if t.text in _MARKS]
    cues = [i for i, low in enumerate(lows) if low in _cue_words()]
    return {"tokens": tokens, "sent_of": sent_of, "sents": sents, "line_of": line_of, "line_first": line_first,
            "line_last": line_last, "starts": [t.start for t in tokens], "lows": lows,
            "dashes": [i for i in marks if tokens[i].text in {"—", "–", "―", "-"}],
            "leads": [i for i in cues if lows[i] in {"по", "как", "айтуынша", "пікірінше", "сөзінше"}]}


@pytest.mark.parametrize("with_lows", [True, False])
def test_quote_doc_lays_out_the_text_as_the_plain_loop(with_lows):
    for view in reading_views():
        plain = _plain_layout(view)
        doc = _doc(view, [], [], plain["lows"] if with_lows else None)
        assert {name: getattr(doc, name) for name in plain} == plain
