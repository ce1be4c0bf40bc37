"""Relevance: is a document about interethnic relations at all? A score in [0, 1], the decision
(score ≥ 0.5) and the evidence that drove it.

A text that names a group in passing (a Kazakh footballer's transfer, a recipe for Uzbek plov,
«русский язык» as a school subject, «российские» officials) is not relevant; a round table on the
unity of peoples, a clash between villagers of two groups, a complaint of discrimination, a post
insulting a group, the resettlement of kandas are. The features, each a kind of evidence:

- ``topic``: interethnic vocabulary of ``data/relevance_cues.tsv`` matched by base forms
  (межнациональный, этнос, диаспора, кандас, ксенофобия; Kazakh ұлтаралық, этномәдени,
  халықтар достығы, in every inflection);
- ``institution``: an entity linked to an interethnic institution of the knowledge base (the
  Assembly of People of Kazakhstan, councils of mothers and elders, ethnocultural associations);
- ``people``: a group named as a people («армянскому народу», «русские земли»); the titular
  people («қазақ халқы») is kept as evidence but does not count;
- ``pair``: two groups named as actors in one sentence;
- ``group`` and ``spread``: how many times, and in what share of the sentences, groups are actors;
- ``near``: a topic cue, or a conflict or unity phrase of the tension score, in a sentence that
  names a group as an actor;
- ``slur`` and ``hostility``: a slur for a group, or hostile language found by the hostility stage;
- ``passing``: groups only as attributes («итальянские пограничники», «узбекский плов»), or a
  single piece of evidence in a longer text; counts against.

A group is an actor when it is named by a noun («казахи», «корейлерге») or an adjective standing
alone («русские пришли»), not by an adjective before a noun («узбекских парней», «Өзбек
кәсіпкерлері»). The score is the logistic of BIAS plus the weights of the evidence; every span's
weight is what it added to the log-odds, so the evidence adds up to the score (docs/method.md).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kelisim.datafiles import package_rows
from kelisim.ethnic.kazakh import kazakh_forms
from kelisim.ethnic.lexicon import Lexicon
from kelisim.reading.document import TextView, WordMemo
from kelisim.reading.model import EthnicMention, Reading
from kelisim.text.tokens import (
    Sentence,
    Token,
    forms,
    has_letter,
    lowered,
    parses,
)
from kelisim.understanding.model import Cue, Relevance

CUE_COLUMNS = ("cue", "language", "kind", "weight", "note")
THRESHOLD = 0.5
BIAS = -2.5
# Log-odds per unit of each feature, and the units past which a feature adds nothing.
WEIGHTS = {"topic": 1.5, "institution": 1.5, "people": 2.6, "pair": 0.8, "group": 0.5, "spread": 1.5,
           "near": 0.6, "slur": 2.6, "hostility": 4.0, "passing": -1.5}
CAPS = {"topic": 4.0, "institution": 3.0, "people": 2.0, "pair": 3, "group": 3, "near": 3, "slur": 2,
        "spread": 1.0, "hostility": 1.0, "passing": 1.0}
LONG_TEXT = 6  # sentences: a single piece of evidence in a text this long is an aside
RELATION_CATEGORIES = frozenset({"violence", "conflict", "incitement", "threat", "hate", "protest",
                                 "discrimination", "provocation", "unity", "mediation", "cooperation",
                                 "dialogue", "prevention"})
_ACTOR_KINDS = frozenset({"group", "collective"})  # social categories count through topic cues
_ATTRIBUTE_POS = frozenset({"ADJF", "PRTF"})
_KAZAKH_GENITIVE = ("ның", "нің", "дың", "дің", "тың", "тің")
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_KAZAKH_LINKS = frozenset({"мен", "пен", "бен", "және", "да", "де", "та", "те", "үшін", "туралы", "сияқты"})
_SEEN_LIMIT = 200_000  # token texts whose cue candidates are remembered


@dataclass(frozen=True, slots=True)
class _Cue:
    """A listed cue: per word the set of keys (base forms or Kazakh inflections) that match it."""

    words: tuple[frozenset[str], ...]
    text: str
    kind: str
    weight: float


@dataclass(slots=True)
class Features:
    """The units of each feature counted in one document, and the evidence behind them."""

    units: dict[str, float] = field(default_factory=lambda: dict.fromkeys(WEIGHTS, 0.0))
    evidence: list[Cue] = field(default_factory=list)
    peoples: set[str] = field(default_factory=set)  # groups already counted as a people

    def take(self, name: str, units: float) -> float:
        """Count ``units`` of a feature; returns the log-odds they add (none past the cap)."""
        before = self.units[name]
        self.units[name] = before + units
        gained = min(before + units, CAPS[name]) - min(before, CAPS[name])
        return round(WEIGHTS[name] * gained, 3)

    def add(self, name: str, units: float, start: int, end: int, text: str, cue: str,
            context: str | None = None, at: tuple[int, int] | None = None) -> None:
        """Count a feature and keep its span as evidence, weighted by what it added."""
        weight = self.take(name, units)
        self.evidence.append(Cue(start, end, text, cue, name, weight, context, *(at or (None, None))))

    def values(self) -> dict[str, float]:
        """The capped units of every feature."""
        return {name: min(value, CAPS[name]) for name, value in self.units.items()}


@dataclass(frozen=True, slots=True)
class _Words:
    """The sentences of one document, and the frame words and heads found among their words."""

    sentences: tuple[Sentence, ...]
    starts: tuple[int, ...]
    frames: dict[int, Cue]  # start of a word → the frame it is («народ», «земля», «халқы»)
    heads: frozenset[int]  # starts of collective heads («люди», «население»)

    def sentence_of(self, offset: int) -> int:
        """The index of the sentence holding ``offset``."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def around(self, mention: EthnicMention) -> tuple[Token | None, Token | None]:
        """The words right before and right after a mention, in its sentence."""
        if not self.sentences:
            return None, None
        tokens = self.sentences[self.sentence_of(mention.start)].tokens
        # Tokens are (start, end, text) tuples: (offset,) sorts before every token starting there.
        first = bisect_left(tokens, (mention.start,))  # the first token starting at or after the mention
        before = _word_before(tokens, first)
        if before is not None and before.end > mention.start:
            before = None
        return before, _word_from(tokens, bisect_left(tokens, (mention.end,)))


class RelevanceScorer:
    """Decides relevance; build it with ``RelevanceScorer.load()``."""

    def __init__(self, cues: Sequence[_Cue], institutions: dict[str, float], titular: frozenset[str],
                 kazakh_stems: frozenset[str]) -> None:
        """Index the word cues by every key of their first word, longest first."""
        self._by_first: dict[str, list[_Cue]] = defaultdict(list)
        for cue in sorted(cues, key=lambda c: -len(c.words)):
            for key in cue.words[0]:
                self._by_first[key].append(cue)
        self._institutions, self._titular, self._stems = institutions, titular, kazakh_stems
        self._seen = WordMemo(self._candidates, limit=_SEEN_LIMIT)  # by token text

    @classmethod
    def load(cls) -> RelevanceScorer:
        """The shipped cues, read once per process."""
        return _load()

    def score(self, view: TextView, reading: Reading) -> Relevance:
        """The relevance of the document ``reading`` was read from (``view`` is its text)."""
        found = self.features(view, reading)
        value = logistic(BIAS + sum(cue.weight for cue in found.evidence))
        # Spans past a cap or repeated add nothing and are left out; a titular people is kept to
        # show why «қазақ халқы» did not count.
        kept = [c for c in found.evidence if c.weight or c.context == "titular"]
        return Relevance(value, value >= THRESHOLD, tuple(sorted(kept, key=lambda c: (c.start, c.kind))))

    def features(self, view: TextView, reading: Reading) -> Features:
        """Every feature of the document, with its evidence."""
        found = Features()
        words = self._words(view, found)
        self._institutions_in(reading, found)
        actors = self._groups(reading, words, found)
        _near(reading, actors, words, found)
        _slurs(reading, found)
        _hostility(reading, found)
        _passing(reading, actors, words, found)
        return found

    # --- cue words ------------------------------------------------------------------------------

    def _words(self, view: TextView, found: Features) -> _Words:
        """Topic cues go to ``found``; frame words and collective heads are kept for the groups.
        Only the tokens that may begin a cue are matched."""
        frames, heads = {}, set()
        for index, at in view.where(self._seen.hot(view)).items():
            tokens = view.sentences[index].tokens
            for cue, first, last, frame in _matches(tokens, [(k, self._seen[tokens[k].text]) for k in at]):
                start, end = tokens[first].start, tokens[last].end
                if cue.kind == "topic" and cue.weight:
                    found.add("topic", cue.weight, start, end, view.text[start:end], cue.text)
                if frame is not None:  # «диаспора» is a topic cue and a frame word
                    frames[start] = Cue(start, end, view.text[start:end], frame.text, "frame", frame.weight)
                if cue.kind == "head":
                    heads.add(start)
        return _Words(view.sentences, tuple(s.start for s in view.sentences), frames, frozenset(heads))

    def _candidates(self, text: str) -> tuple[_Cue, ...]:
        """The cues whose first word a token may be, longest first; none for a token without a
        letter."""
        if not has_letter(text):
            return ()
        cues = {id(c): c for key in forms(lowered(text)) for c in self._by_first.get(key, ())}
        return tuple(sorted(cues.values(), key=lambda c: (-len(c.words), c.kind != "topic")))

    def _institutions_in(self, reading: Reading, found: Features) -> None:
        """Interethnic institutions among the linked entities; each counts once."""
        seen = set()
        for entity in reading.entities:
            weight = self._institutions.get(entity.kb_id or "")
            if weight is not None:
                units = 0.0 if entity.kb_id in seen else weight
                seen.add(entity.kb_id)
                found.add("institution", units, entity.start, entity.end, entity.text, entity.kb_id)

    # --- groups ---------------------------------------------------------------------------------

    def _groups(self, reading: Reading, words: _Words, found: Features) -> list[EthnicMention]:
        """Groups named as a people, and the groups that are actors (returned, in text order)."""
        actors = []
        for mention in reading.ethnic:
            before, after = words.around(mention)
            frame = words.frames.get(after.start) if after else None
            frame = frame or (words.frames.get(before.start) if before else None)
            if frame is not None:
                self._people(mention, frame, found)
            if mention.person and mention.kind in _ACTOR_KINDS and not self._attribute(
                    mention, after, words, reading.language):
                actors.append(mention)
        _actors(actors, words, found)
        return actors

    def _people(self, mention: EthnicMention, frame: Cue, found: Features) -> None:
        """A group named as a people counts once per group, as much as its frame word weighs
        («народ» 1, «земля» 0.5); the titular people is evidence that counts nothing."""
        titular = mention.group in self._titular
        units = 0.0 if titular or mention.group in found.peoples else frame.weight
        if units:
            found.peoples.add(mention.group)
        found.add("people", units, mention.start, mention.end, mention.text, mention.group,
                  "titular" if titular else "frame", (frame.start, frame.end))

    def _attribute(self, mention: EthnicMention, after: Token | None, words: _Words, language: str) -> bool:
        """Whether the mention is an attribute of the noun right after it («итальянские
        пограничники», «Өзбек кәсіпкерлері»), not a group acting or spoken of. A frame word
        («народ») or a collective head («люди») after it does not make it an attribute."""
        if after is None or after.start in words.frames or after.start in words.heads:
            return False
        if after.start - mention.end > 1:  # a mark between: «казахи, узбеки»
            return False
        word = mention.text.split()[-1].lower()
        if language == "kk" or _KAZAKH_LETTERS.intersection(word):
            bare = word in self._stems or _kazakh_genitive(word, self._stems)
            return bare and after.lower not in _KAZAKH_LINKS
        return _first_pos(word) in _ATTRIBUTE_POS and _first_pos(after.lower) == "NOUN"


def _matches(tokens: Sequence[Token], hits: list[tuple[int, tuple[_Cue, ...]]]
             ) -> list[tuple[_Cue, int, int, _Cue | None]]:
    """The cues found among one sentence's words (``hits``: the indices of the tokens that may
    begin one, all words, with their candidates): the longest at each word, not overlapping, with
    the frame word the first word also is when it is one. Returns the indices of a cue's first and
    last tokens."""
    found, free = [], 0
    for i, cues in hits:
        if i < free:
            continue
        # Only the words a candidate reaches are looked for, not every word of the sentence.
        following = _words_after(tokens, i, len(cues[0].words) - 1)
        match = next((cue for cue in cues if len(cue.words) - 1 <= len(following) and all(
            cue.words[k] & forms(tokens[following[k - 1]].lower) for k in range(1, len(cue.words)))), None)
        if match is not None:
            last = following[len(match.words) - 2] if len(match.words) > 1 else i
            frame = next((c for c in cues if c.kind == "frame"), None) if last == i else None
            found.append((match, i, last, frame))
            free = last + 1
    return found


def _words_after(tokens: Sequence[Token], i: int, count: int) -> list[int]:
    """The indices of at most ``count`` words after token ``i``."""
    found: list[int] = []
    for k in range(i + 1, len(tokens)):
        if len(found) == count:
            break
        if has_letter(tokens[k].text):
            found.append(k)
    return found


def _word_before(tokens: Sequence[Token], i: int) -> Token | None:
    """The last word before token ``i``, if any."""
    for k in range(i - 1, -1, -1):
        if has_letter(tokens[k].text):
            return tokens[k]
    return None


def _word_from(tokens: Sequence[Token], i: int) -> Token | None:
    """The first word at or after token ``i``, if any."""
    for k in range(i, len(tokens)):
        if has_letter(tokens[k].text):
            return tokens[k]
    return None


@lru_cache(maxsize=_SEEN_LIMIT)
def _first_pos(lower: str) -> str | None:
    """The part of speech of a word's likeliest reading; None without a reading."""
    readings = parses(lower)
    return readings[0].tag.POS if readings else None


def _kazakh_genitive(word: str, stems: frozenset[str]) -> bool:
    """«қазақтың» (of the Kazakhs) before a noun is an attribute like «қазақ»."""
    return word.endswith(_KAZAKH_GENITIVE) and word[:-3] in stems


def _actors(actors: list[EthnicMention], words: _Words, found: Features) -> None:
    """Pairs of groups in one sentence, repeated mentions, and the share of sentences with one."""
    by_sentence: dict[int, list[EthnicMention]] = defaultdict(list)
    for mention in actors:
        by_sentence[words.sentence_of(mention.start)].append(mention)
    paired: set[str] = set()
    for mentions in by_sentence.values():
        if len({m.group for m in mentions}) > 1:
            for m in mentions:
                found.add("pair", float(m.group not in paired), m.start, m.end, m.text, m.group)
                paired.add(m.group)
    for m in actors[1:1 + int(CAPS["group"])]:  # one mention is no more than the spread says
        found.add("group", 1.0, m.start, m.end, m.text, m.group)
    if len(actors) > 1:
        for mentions in by_sentence.values():
            m = mentions[0]
            found.add("spread", 1 / len(words.sentences), m.start, m.end, m.text, m.group)


def _near(reading: Reading, actors: list[EthnicMention], words: _Words, found: Features) -> None:
    """Topic cues, and conflict or unity phrases of the tension score, in a sentence that names a
    group as an actor: the group is what the phrase is about."""
    near = {}
    for mention in actors:
        near.setdefault(words.sentence_of(mention.start), mention)
    if not near:
        return
    phrases = [c for c in found.evidence if c.kind == "topic"]
    if reading.tension is not None:
        phrases += [c for c in reading.tension.evidence if c.kind in RELATION_CATEGORIES]
    for cue in sorted(phrases, key=lambda c: c.start):
        mention = near.get(words.sentence_of(cue.start))
        if mention is not None:
            found.add("near", 1.0, cue.start, cue.end, cue.text, cue.cue, "group", (mention.start, mention.end))


def _slurs(reading: Reading, found: Features) -> None:
    """Slurs for a group: an insult is about the group by itself."""
    for mention in reading.ethnic:
        if mention.slur:
            found.add("slur", 1.0, mention.start, mention.end, mention.text, mention.group)


def _hostility(reading: Reading, found: Features) -> None:
    """Hostile language found by the hostility stage counts in full, on its strongest span (a
    hostile decision without a span to check counts nothing)."""
    hostility = reading.hostility
    if hostility is None or not hostility.hostile or not hostility.evidence:
        return
    cue = max(hostility.evidence, key=lambda c: c.weight)
    found.add("hostility", 1.0, cue.start, cue.end, cue.text, cue.cue, cue.kind, (cue.context_start, cue.context_end))


def _passing(reading: Reading, actors: list[EthnicMention], words: _Words, found: Features) -> None:
    """Groups only as attributes of people or things, or a single piece of evidence in a longer
    text: an aside, which counts against relevance."""
    if found.units["hostility"]:
        return
    weighty = [c for c in found.evidence if c.weight > 0 and c.kind in ("topic", "institution", "people", "slur")]
    sentences = {words.sentence_of(c.start) for c in weighty} | {words.sentence_of(m.start) for m in actors}
    attributes_only = bool(reading.ethnic) and not actors and not weighty
    aside = len(sentences) == 1 and len(words.sentences) >= LONG_TEXT
    if attributes_only or aside:
        first = weighty[0] if weighty else (actors or reading.ethnic)[0]
        name = first.cue if isinstance(first, Cue) else first.group
        found.add("passing", 1.0, first.start, first.end, first.text, name, "attribute" if attributes_only else "aside")


def logistic(z: float) -> float:
    """1 / (1 + e^−z), rounded to three places."""
    return round(1 / (1 + math.exp(-z)), 3)


def relevance_score(values: dict[str, float]) -> float:
    """The score from capped feature units: logistic(BIAS + Σ WEIGHTS[f] × units[f])."""
    return logistic(BIAS + sum(WEIGHTS[name] * value for name, value in values.items()))


def _keys(word: str, language: str) -> frozenset[str]:
    """The keys a cue word matches: a Russian base form (ё as е, as :func:`forms` gives them), or
    every inflection of a Kazakh stem."""
    word = word.replace("ё", "е")
    return frozenset({word, *kazakh_forms(word)}) if language == "kk" else frozenset({word})


def _kazakh_stems() -> frozenset[str]:
    """The one-word Kazakh stems of the ethnic lexicon: «қазақ» bare before a noun is an attribute."""
    lexicon = Lexicon.load()
    stems = [stem for group in lexicon.groups() for stem in group.kk]
    stems += [stem for category in lexicon.categories() for stem in category.kk]
    return frozenset(stem for stem in stems if " " not in stem)


@lru_cache(maxsize=1)
def _load() -> RelevanceScorer:
    rows = package_rows("kelisim.understanding", "data/relevance_cues.tsv", CUE_COLUMNS)
    cues = [_Cue(tuple(_keys(w, row["language"]) for w in row["cue"].split()), row["cue"], row["kind"],
                 float(row["weight"])) for row in rows if row["kind"] in ("topic", "frame", "head")]
    institutions = {row["cue"]: float(row["weight"]) for row in rows if row["kind"] == "institution"}
    titular = frozenset(row["cue"] for row in rows if row["kind"] == "titular")
    return RelevanceScorer(cues, institutions, titular, _kazakh_stems())
