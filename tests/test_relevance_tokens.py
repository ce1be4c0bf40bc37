"""The relevance scorer matches cues and finds a mention's neighbours among a sentence's tokens,
without listing its words first; it must find what the plain word-list version found."""

from bisect import bisect_right

import pytest

from kelisim.reading.document import TextView
from kelisim.reading.model import EthnicMention
from kelisim.text.tokens import forms, word_positions
from kelisim.understanding.relevance import RelevanceScorer, _matches, _Words
from tests.shared_data import seed_texts


def plain_matches(words, hits):
    """The reference: cues matched on the list of the sentence's words (indices are words')."""
    found, free = [], 0
    for i, cues in hits:
        if i < free:
            continue
        match = next((cue for cue in cues if i + len(cue.words) <= len(words) and all(
            cue.words[k] & forms(words[i + k].lower) for k in range(1, len(cue.words)))), None)
        if match is not None:
            last = i + len(match.words) - 1
            frame = next((c for c in cues if c.kind == "frame"), None) if last == i else None
            found.append((match, i, last, frame))
            free = last + 1
    return found


def plain_around(words, start, end):
    """The reference: the words right before and after ``text[start:end]``, by bisecting word starts."""
    starts = [w.start for w in words]
    first = bisect_right(starts, start - 1)
    after = bisect_right(starts, end - 1)
    before = words[first - 1] if first > 0 and words[first - 1].end <= start else None
    return before, words[after] if after < len(words) else None


@pytest.fixture(scope="module")
def views():
    return [TextView.of(text) for text in seed_texts()]


def test_matches_as_on_the_word_list(views):
    scorer = RelevanceScorer.load()
    memo, checked = scorer._seen, 0
    for view in views:
        for sentence in view.sentences:
            tokens = sentence.tokens
            positions = word_positions(tokens)
            words = [tokens[k] for k in positions]
            # Every word with candidates, not only the hot texts the registry would pick.
            at = [k for k in positions if memo[tokens[k].text]]
            expected = plain_matches(words, [(positions.index(k), memo[tokens[k].text]) for k in at])
            found = _matches(tokens, [(k, memo[tokens[k].text]) for k in at])
            assert [(c, tokens[f], tokens[last], fr) for c, f, last, fr in found] == [
                (c, words[f], words[last], fr) for c, f, last, fr in expected]
            checked += len(found)
    assert checked > 50


def test_around_as_on_the_word_list(views):
    for view in views:
        shown = _Words(view.sentences, tuple(s.start for s in view.sentences), {}, frozenset())
        for sentence in view.sentences:
            words = [t for t in sentence.tokens if t.is_word]
            # Spans of one or two words, as ethnic mentions are, and single punctuation marks.
            spans = [(t.start, t.end) for t in sentence.tokens]
            spans += [(a.start, b.end) for a, b in zip(words, words[1:])]
            for start, end in spans:
                mention = EthnicMention(start=start, end=end, text=view.text[start:end], group="x", kind="group")
                assert shown.around(mention) == plain_around(words, start, end)
