"""The tension score of a document: −1 (cooperation, dialogue, mediation, unity) to +1 (violence,
incitement), with the phrases that drove it as evidence spans.

Cues are word sequences matched by their base forms (``data/tension_cues.tsv``), each with a
weight on the conflict–cooperation scale of the event types (−10 … +10). A conflict cue in a
prevention context («предотвращение конфликтов», «не допустить столкновений», «осудил призывы к
насилию») counts as prevention work, +2; a cue right after a negation («без конфликтов») or
closed by «нет» («конфликта между жителями нет») counts 0. The score is the mean weight, shrunk toward zero when there are few cues, turned round and
divided by ten so that conflict is positive (docs/method.md).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kelisim.datafiles import package_rows
from kelisim.reading.document import TextView, WordMemo
from kelisim.text.tokens import Token, forms, has_letter, lowered, word_positions
from kelisim.understanding.model import Cue, Tension

PREVENTION_WEIGHT = 2
CONTEXT_WINDOW = 5  # words before a conflict cue searched for prevention
NEGATION_AFTER = 4  # words after a cue searched for a closing «нет»
SHRINK = 2  # pseudo-count of neutral cues: one cue alone moves the score a third of its weight
WORDS_REMEMBERED = 200_000
LABELS = ((0.5, "conflict"), (0.2, "tension"), (-0.2, "calm"), (-1.01, "cooperation"))


class ContextWords:
    """The words that turn a cue (``data/tension_context.tsv``): negations, and prevention words
    («профилактика», «осудить»; «допустить» only after «не»). The event classifier shares them."""

    def __init__(self, roles: dict[str, str]) -> None:
        """``roles`` maps a base form to its role: negation, prevention or prevention_neg."""
        self._roles = roles
        self._by_text: dict[str, str | None] = {}  # a token text → its role, as words come

    @classmethod
    def load(cls) -> ContextWords:
        """The shipped context words, read once per process."""
        return _load_context()

    def role(self, token: Token) -> str | None:
        """The role of a word, by any of its base forms."""
        text = token.text
        try:
            return self._by_text[text]
        except KeyError:
            if len(self._by_text) >= WORDS_REMEMBERED:
                self._by_text.clear()
            role = self._by_text[text] = next((self._roles[f] for f in forms(token.lower) if f in self._roles), None)
            return role

    def prevention_before(self, words: Sequence[Token], i: int) -> Token | None:
        """The nearest prevention word among the CONTEXT_WINDOW words before word ``i``."""
        for j in range(i - 1, max(-1, i - 1 - CONTEXT_WINDOW), -1):
            role = self.role(words[j])
            if role == "prevention" or (role == "prevention_neg" and j > 0
                                        and self.role(words[j - 1]) == "negation"):
                return words[j]
        return None


@dataclass(frozen=True, slots=True)
class _Cue:
    words: tuple[str, ...]
    weight: int
    category: str


class TensionScorer:
    """Scores documents; build it with ``TensionScorer.load()``."""

    def __init__(self, cues: Sequence[_Cue], context: ContextWords) -> None:
        """Index cues by their first word; ``context`` turns them."""
        self._by_first: dict[str, list[_Cue]] = defaultdict(list)
        for cue in sorted(cues, key=lambda c: -len(c.words)):  # longest first
            self._by_first[cue.words[0]].append(cue)
        self._context = context
        self._starting: dict[str, tuple[_Cue, ...]] = {}  # a lower-case word → cues it may start
        self._words = WordMemo(self._starts_text)  # a token text → cues it may start

    @classmethod
    def load(cls) -> TensionScorer:
        """The shipped cues and context words, read once per process."""
        return _load()

    def score(self, view: TextView) -> Tension:
        """The tension of one document."""
        evidence = []
        for index, at in view.where(self._words.hot(view)).items():
            evidence += self._sentence(view.sentences[index].tokens, at, view.text)
        score = tension_score([e.weight for e in evidence])
        return Tension(score, label_of(score), tuple(evidence))

    def _sentence(self, tokens: tuple[Token, ...], at: list[int], text: str) -> list[Cue]:
        """The cues of one sentence, tried only at the tokens ``at`` that may start one: the
        longest at each, not overlapping, over its words (marks between them are skipped)."""
        positions = word_positions(tokens)
        words = list(map(tokens.__getitem__, positions))
        found, after = [], 0
        for i in (bisect_left(positions, k) for k in at):
            match = self._match(words, i) if i >= after else None
            if match is not None:
                cue, last = match
                found.append(self._evidence(words, i, last, cue, text))
                after = last + 1
        return found

    def _match(self, words: list[Token], i: int) -> tuple[_Cue, int] | None:
        """The longest cue starting at word ``i`` and the index of its last word."""
        for cue in self._starts(words[i].lower):
            last = i + len(cue.words) - 1
            if last < len(words) and all(cue.words[k] in forms(words[i + k].lower)
                                         for k in range(1, len(cue.words))):
                return cue, last
        return None

    def _starts_text(self, text: str) -> tuple[_Cue, ...]:
        """The cues a token may start: none unless it is a word."""
        return self._starts(lowered(text)) if has_letter(text) else ()

    def _starts(self, lower: str) -> tuple[_Cue, ...]:
        """The cues a word may start, longest first; remembered per word (most start none)."""
        found = self._starting.get(lower)
        if found is None:
            found = tuple(sorted({cue for first in forms(lower) for cue in self._by_first.get(first, ())},
                                 key=lambda c: -len(c.words)))
            if len(self._starting) < WORDS_REMEMBERED:
                self._starting[lower] = found
        return found

    def _evidence(self, words: list[Token], i: int, last: int, cue: _Cue, text: str) -> Cue:
        start, end = words[i].start, words[last].end
        base = Cue(start, end, text[start:end], " ".join(cue.words), cue.category, cue.weight)
        if i > 0 and self._context.role(words[i - 1]) == "negation":
            return _with(base, 0, "negation", words[i - 1])
        after = next((w for w in words[last + 1:last + 1 + NEGATION_AFTER] if w.lower == "нет"), None)
        if after is not None:  # «Конфликта между жителями нет»
            return _with(base, 0, "negation", after)
        prevention = self._context.prevention_before(words, i) if cue.weight < 0 else None
        if prevention is not None:
            return _with(base, PREVENTION_WEIGHT, "prevention", prevention, kind="prevention")
        return base




def _with(base: Cue, weight: int, context: str, word: Token, kind: str | None = None) -> Cue:
    return Cue(base.start, base.end, base.text, base.cue, kind or base.kind, weight,
                    context, word.start, word.end)


def tension_score(weights: Sequence[int]) -> float:
    """−mean(weight)/10, shrunk toward 0 by n/(n+SHRINK), in [−1, 1]; 0 without cues."""
    if not weights:
        return 0.0
    mean = sum(weights) / len(weights)
    shrunk = mean * len(weights) / (len(weights) + SHRINK)
    return round(max(-1.0, min(1.0, -shrunk / 10)), 3)


def label_of(score: float) -> str:
    """conflict (≥ 0.5), tension (≥ 0.2), calm (> −0.2) or cooperation."""
    return next(label for floor, label in LABELS if score >= floor)


@lru_cache(maxsize=1)
def _load() -> TensionScorer:
    cues = [_Cue(tuple(row["cue"].split()), int(row["weight"]), row["category"])
            for row in package_rows("kelisim.understanding", "data/tension_cues.tsv",
                                    ("cue", "weight", "category", "note"))]
    return TensionScorer(cues, ContextWords.load())


@lru_cache(maxsize=1)
def _load_context() -> ContextWords:
    return ContextWords({row["word"]: row["role"]
                         for row in package_rows("kelisim.understanding", "data/tension_context.tsv",
                                                 ("word", "role", "note"))})
