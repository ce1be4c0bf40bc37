"""Hostility and hate speech toward an ethnic group in the text itself: slurs, dehumanising
words, calls to violence or expulsion and collective blame, told apart from reports about them
(«осудил призывы к насилию», «возбуждено дело за разжигание розни»).

Cues are word sequences matched by their base forms (``data/hostility_cues.tsv``), never as
substrings. A slur counts by itself; the other kinds count only when a group is anchored: an
ethnic mention or slur in the same sentence or the one before, or a plural pronoun («они»,
«их») with one a few sentences back. Calls to violence or expulsion count only in a call form:
an imperative or hortative («выгоните», «бей», «выгоним»), a modal word near the verb («надо
выгнать», «пусть валят», «өлтіру керек»), or an infinitive after an imperative («поможем
выгнать»). A cue in a sentence that reports or condemns it (``data/hostility_context.tsv``:
«осудить», «статья», «задержать»; «назвал», «оскорбил» just before it), or a slur in quotation
marks, is kept as evidence with weight 0 and ``context="reported"``; a negated cue («не надо
выгонять», «нельзя выгонять») likewise with ``context="negation"``. docs/method.md gives the
rules, the score and the figures.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from kelisim.datafiles import package_rows
from kelisim.reading.document import TextView
from kelisim.reading.model import EthnicMention
from kelisim.text.tokens import Token, forms, has_letter, parses
from kelisim.understanding.model import Cue, Hostility

KINDS = ("slur", "dehumanising", "violence_call", "expulsion_call", "collective_blame")
THRESHOLD = 0.5  # hostile when score ≥ this: one strong slur, one anchored call or dehumanising word
SLUR_WEIGHT = 0.6  # a slur the ethnic lexicon flags that the cue file does not weigh
GROUP = "<group>"  # in a cue: a word inside an anchoring ethnic mention («<group> вон»)
GROUP_DATIVE = "<group-dative>"  # the same in the dative: «смерть <group-dative>», not «смерть казаха»
_PLACEHOLDERS = frozenset({GROUP, GROUP_DATIVE})
ANCHOR_BACK = 1  # sentences before a cue in which a group mention anchors it
PRONOUN_BACK = 3  # sentences before a plural pronoun in which a group mention anchors it
MODAL_BEFORE, MODAL_AFTER = 3, 2  # words around a call verb searched for «надо», «керек» …
REPORTED_NEAR = 4  # words before a cue searched for «назвал», «оскорбил» …
AFTER = 2  # words after a cue (or its «керек») searched for Kazakh «емес» (not) and «деп» (saying)
QUOTED_WORDS = 3  # a slur with a quotation mark at most this many words before and after is named
_ANCHOR_KINDS = frozenset({"group", "collective", "social"})
_FUNCTION_WORDS = frozenset({"у", "в", "во", "на", "из", "от", "все", "весь", "они", "их", "ни", "эта", "такой"})
# RuEthnoHate writes an opening quotation mark as a backslash (\хохла\"): one is read as the other
_OPENING, _CLOSING, _SKIPPED = frozenset("«\"“„'\\"), frozenset("»\"”“'"), frozenset("\\")
_CACHE_LIMIT = 200_000
_RUSSIAN_LETTER = re.compile("[а-я]")


@dataclass(frozen=True, slots=True)
class _Cue:
    words: tuple[str, ...]
    kind: str
    weight: float
    mode: str  # self (counts alone) · lexicon (weighs a matcher's slur) · group (needs an anchor) · call
    key: int  # the word it is looked up by (key_word)


@dataclass(frozen=True, slots=True)
class _Word:
    """What the detector knows about one token text, computed once."""

    keys: frozenset[str]  # its base forms
    cues: tuple[_Cue, ...]  # cues looked up by it
    role: str | None  # its role in data/hostility_context.tsv
    is_word: bool
    imperative: bool  # some reading is an imperative or hortative («бей», «выгоним»)
    infinitive: bool
    first_person: bool  # «называем»: the author speaking, not a report
    dative: bool
    slur: tuple[str | None, float]  # the cue file's entry and weight if the matcher finds it a slur


class _Found(NamedTuple):
    first: int  # word indices in the sentence
    last: int
    cue: _Cue


class HostilityDetector:
    """Finds hostile language toward groups; build it with ``HostilityDetector.load()``."""

    def __init__(self, cues: Sequence[_Cue], context: dict[str, str]) -> None:
        """Index cues by their key word; ``context`` maps a base form to its role."""
        self._by_key: dict[str, list[_Cue]] = defaultdict(list)
        for cue in cues:
            if cue.mode != "lexicon":  # those only weigh what the ethnic matcher finds
                self._by_key[cue.words[cue.key]].append(cue)
        self.group_cues = (*self._by_key.pop(GROUP, ()), *self._by_key.pop(GROUP_DATIVE, ()))  # at mentions
        self._slur_weights = {c.words[0]: c.weight for c in cues if c.kind == "slur" and len(c.words) == 1}
        self._context = context
        self._cue_words = frozenset(w for c in cues if c.mode != "lexicon" for w in c.words) - _PLACEHOLDERS
        self._cues: dict[str, tuple[_Cue, ...]] = {}  # by token text, every one: the cues it looks up
        self._hot: set[str] = set()  # token texts some cue is looked up by
        self._surfaces: dict[str, set[str]] = defaultdict(set)  # a cue word → token texts it may be
        self._words: dict[str, _Word] = {}  # by token text: only those of sentences matched

    @classmethod
    def load(cls) -> HostilityDetector:
        """The shipped cues and context words, read once per process."""
        return _load()

    def detect(self, view: TextView, ethnic: Sequence[EthnicMention]) -> Hostility:
        """The hostility of one document, given the ethnic mentions found in it.

        Args:
            view: the document's text and sentences.
            ethnic: the ethnic mentions found in it (``EthnicMatcher.find`` or ``Reading.ethnic``).

        Returns:
            The score, the decision, the kinds that counted and every cue found as evidence.
        """
        starts = [s.start for s in view.sentences]
        by_sentence: dict[int, list[EthnicMention]] = defaultdict(list)
        for mention in ethnic:
            if mention.slur or (mention.kind in _ANCHOR_KINDS and mention.person):
                by_sentence[bisect_right(starts, mention.start) - 1].append(mention)
        hot = self._learn(view.distinct)
        mentioned = [m for ms in by_sentence.values() for m in ms]
        if not self._may_match(hot, view.distinct, mentioned):  # what no sentence can hold, none does
            return hostility_of(())
        evidence: list[Cue] = []
        # elsewhere no cue is looked up, and no group anchors one
        for index in sorted({*view.where(hot), *(i for i in by_sentence if i >= 0)}):
            sentence, mentions = view.sentences[index], by_sentence.get(index, ())
            texts = {t.text for t in sentence.tokens}
            hot_here = hot & texts
            if self._may_match(hot_here, texts, mentions):
                infos = [self._word(t.text) for t in sentence.tokens]
                matching = bool(hot_here or (mentions and self.group_cues))
                evidence += _Sentence(self, sentence.tokens, infos, index, by_sentence, view.text).cues(matching)
        return hostility_of(evidence)

    def _learn(self, texts: frozenset[str]) -> set[str]:
        """Make sure every token text is known (most are, after a few documents) and return those
        that some cue is looked up by: set operations, not a loop over the tokens. Only the cues a
        text looks up and the cue words it may be are worked out here; the rest of what the
        matcher needs, for the few sentences that may hold a cue (:meth:`_word`)."""
        if len(self._cues) + len(texts) > _CACHE_LIMIT:
            self._cues.clear()
            self._hot.clear()
            self._surfaces.clear()
        for text in texts.difference(self._cues):
            if not has_letter(text):  # every cue word has a letter: a number or a mark is none
                self._cues[text] = ()
                continue
            keys = _keys(text.lower().replace("ё", "е"))
            cues = self._cues[text] = self._looked_up(keys)
            if cues:
                self._hot.add(text)
            for key in keys & self._cue_words:
                self._surfaces[key].add(text)
        return texts & self._hot

    def _looked_up(self, keys: frozenset[str]) -> tuple[_Cue, ...]:
        """The cues looked up by a word with these base forms, longest first."""
        cues = {cue for key in keys for cue in self._by_key.get(key, ())}
        return tuple(sorted(cues, key=lambda c: (-len(c.words), c.words))) if cues else ()

    def _word(self, text: str) -> _Word:
        """Everything the matcher needs of a token text: worked out only for the sentences that
        may hold a cue (few), and remembered."""
        info = self._words.get(text)
        if info is None:
            if len(self._words) >= _CACHE_LIMIT:
                self._words.clear()
            info = self._words[text] = self._describe(text)
        return info

    def _describe(self, text: str) -> _Word:
        """Work out everything the matcher needs of a token text."""
        lower = text.lower().replace("ё", "е")
        keys = _keys(lower)
        role = next((self._context[k] for k in sorted(keys) if k in self._context), None)
        # a grammeme some reading has («impr» in one of its tags)
        grammemes = set().union(*(p.tag.grammemes for p in parses(lower))) if _is_russian(lower) else set()
        return _Word(keys, self._looked_up(keys), role, any(ch.isalpha() for ch in lower),
                     "impr" in grammemes, "INFN" in grammemes, "1per" in grammemes, "datv" in grammemes,
                     self._slur_weight(keys))

    def _may_match(self, hot: set[str], texts: set[str], mentions: Sequence[EthnicMention]) -> bool:
        """Whether a sentence may hold a cue, from set operations on its token texts: a slur,
        or a cue looked up by one of its words (or by a group it names) whose other words are
        all there too. Most sentences are dismissed here without being matched."""
        if any(m.slur for m in mentions):
            return True
        cues = [cue for text in hot for cue in self._cues[text]]
        if mentions:
            cues += self.group_cues
        return any(all(bool(mentions) if word in _PLACEHOLDERS else not self._surfaces[word].isdisjoint(texts)
                       for word in cue.words) for cue in cues)

    def _slur_weight(self, keys: frozenset[str]) -> tuple[str | None, float]:
        """The cue file's entry and weight for a slur the ethnic matcher finds, or the default."""
        listed = next((k for k in sorted(keys) if k in self._slur_weights), None)
        return listed, self._slur_weights[listed] if listed else SLUR_WEIGHT


class _Sentence:
    """One sentence's words and what they are, while its cues are found and weighed."""

    def __init__(self, detector: HostilityDetector, tokens: Sequence[Token], infos: list[_Word], index: int,
                 by_sentence: dict[int, list[EthnicMention]], text: str) -> None:
        self.detector, self.tokens, self.all_infos, self.text = detector, tokens, infos, text
        self.index, self.by_sentence = index, by_sentence
        self.at = [k for k, info in enumerate(infos) if info.is_word]  # word index → token index
        self.words = [tokens[k] for k in self.at]
        self.infos = [infos[k] for k in self.at]
        starts = [w.start for w in self.words]
        self.in_group: set[int] = set()
        self.slur_at: dict[int, EthnicMention] = {}
        for mention in by_sentence.get(index, ()):
            near = range(max(0, bisect_right(starts, mention.start) - 1), bisect_right(starts, mention.end - 1))
            covered = [i for i in near if _overlaps(mention, self.words[i])]
            self.in_group.update(covered)
            if mention.slur and covered:
                self.slur_at.setdefault(covered[0], mention)
        self.reported = next((self.words[i] for i, info in enumerate(self.infos) if info.role == "reported"), None)

    def anchored(self) -> bool:
        """A group is named in this sentence or the one before, or a plural pronoun here points
        back to one named a few sentences before."""
        if any(self.by_sentence.get(j) for j in range(self.index - ANCHOR_BACK, self.index + 1)):
            return True
        return (any(info.role == "pronoun" for info in self.infos)
                and any(self.by_sentence.get(j) for j in range(self.index - PRONOUN_BACK, self.index)))

    def cues(self, matching: bool = True) -> list[Cue]:
        """Every cue of the sentence as evidence, in text order; ``matching=False`` when only the
        ethnic matcher's slurs can be there."""
        found = [self._slur(i, mention) for i, mention in sorted(self.slur_at.items())]
        for match in self._matches() if matching else ():
            if match.cue.kind == "slur" and match.first in self.slur_at:
                continue  # the ethnic matcher found it too: weighed above
            if match.cue.mode in ("group", "call") and not self.anchored():
                continue
            cue = self._cue(match)
            if cue is not None:
                found.append(cue)
        return sorted(found, key=lambda c: c.start)

    # -- matching --

    def _matches(self) -> list[_Found]:
        """The cues found in the sentence, longer ones first where two overlap, in text order."""
        found = [match for j, info in enumerate(self.infos) if info.cues or j in self.in_group
                 for match in self._around(j, info)]
        chosen: list[_Found] = []
        taken: set[int] = set()
        for match in sorted(found, key=lambda m: (m.first - m.last, m.first)):
            if taken.isdisjoint(range(match.first, match.last + 1)):
                chosen.append(match)
                taken.update(range(match.first, match.last + 1))
        return sorted(chosen, key=lambda m: m.first)

    def _around(self, j: int, info: _Word) -> list[_Found]:
        """The cues whose key word is word ``j``, matched around it."""
        candidates = (*info.cues, *self.detector.group_cues) if j in self.in_group else info.cues
        found = []
        for cue in candidates:
            if len(cue.words) == 1:  # its one word is word j: that is how it became a candidate
                found.append(_Found(j, j, cue))
                continue
            first = j - cue.key
            last = first + len(cue.words) - 1
            if first >= 0 and last < len(self.words) and all(
                    self._fits(word, first + k) for k, word in enumerate(cue.words)):
                found.append(_Found(first, last, cue))
        return found

    def _fits(self, word: str, j: int) -> bool:
        if word == GROUP:
            return j in self.in_group
        if word == GROUP_DATIVE:
            return j in self.in_group and self.infos[j].dative
        return word in self.infos[j].keys

    # -- weighing --

    def _slur(self, i: int, mention: EthnicMention) -> Cue:
        """A slur the ethnic matcher found, weighed by the cue file when it lists the word."""
        listed, weight = self.infos[i].slur
        start, end = mention.start, mention.end
        base = Cue(start, end, self.text[start:end], listed or mention.group, "slur", weight)
        quote = self._quote(i)
        return _with(base, "reported", quote) if quote is not None else self._context_of(base, i, i)

    def _cue(self, match: _Found) -> Cue | None:
        start, end = self.words[match.first].start, self.words[match.last].end
        base = Cue(start, end, self.text[start:end], " ".join(match.cue.words), match.cue.kind, match.cue.weight)
        if match.cue.mode == "call":
            return self._call(base, match)
        quote = self._quote(match.first) if match.cue.kind == "slur" else None
        return _with(base, "reported", quote) if quote is not None else self._context_of(base, match.first, match.last)

    def _call(self, base: Cue, match: _Found) -> Cue | None:
        """A call verb counts in a call form; outside one («убили») it is no cue, unless the
        sentence reports it as a call («осудил призывы выгнать»)."""
        i, last = match.first, match.last
        if self.infos[i].imperative:
            return self._context_of(base, i, last)
        window = range(max(0, i - MODAL_BEFORE), min(len(self.words), match.last + 1 + MODAL_AFTER))
        modal = next((j for j in window if self.infos[j].role in ("modal", "prohibit")), None)
        if modal is None and self.infos[i].infinitive:  # «поможем выгнать», «идите бить»
            modal = next((j for j in range(max(0, i - MODAL_BEFORE), i) if self.infos[j].imperative), None)
        if modal is None:  # not a call, unless a report names it as one («призывал убивать»)
            cue = self._context_of(base, i, last)
            return cue if cue.context == "reported" else None
        if self.infos[modal].role == "prohibit":
            return _with(base, "negation", self.words[modal])
        if modal > 0 and self.infos[modal - 1].role == "negation":
            return _with(base, "negation", self.words[modal - 1])
        return self._context_of(base, i, max(last, modal))

    def _context_of(self, base: Cue, first: int, last: int) -> Cue:
        """The cue turned off by a negation right before it (Russian «не») or right after it
        (Kazakh «емес»), by a reporting word, or as it is."""
        if first > 0 and self.infos[first - 1].role == "negation":
            return _with(base, "negation", self.words[first - 1])
        after = self._after(last, ("negation_after", "reported_after"))
        if after is not None:
            return _with(base, "negation" if self.infos[after].role == "negation_after" else "reported",
                         self.words[after])
        if self.reported is not None:  # a word of the sentence reports or condemns what it holds
            return _with(base, "reported", self.reported)
        near = next((j for j in range(first - 1, max(-1, first - 1 - REPORTED_NEAR), -1)
                     if self.infos[j].role == "reported_near" and not self.infos[j].first_person), None)
        return _with(base, "reported", self.words[near]) if near is not None else base

    def _after(self, last: int, roles: tuple[str, ...]) -> int | None:
        """The first of the words right after word ``last`` with one of ``roles``."""
        return next((j for j in range(last + 1, min(len(self.words), last + 1 + AFTER)) if self.infos[j].role in roles),
                    None)

    def _quote(self, i: int) -> Token | None:
        """The opening quotation mark when word ``i`` stands inside quotation marks within a few
        words («\"чучмеками\"», «"убогих чухонцов"»): the word is named, not used."""
        k = self.at[i]
        opening = self._mark(range(k - 1, -1, -1), _OPENING)
        return opening if opening is not None and self._mark(range(k + 1, len(self.tokens)), _CLOSING) else None

    def _mark(self, order: range, marks: frozenset[str]) -> Token | None:
        """The first quotation mark in ``order`` before QUOTED_WORDS words or other punctuation."""
        words = 0
        for k in order:
            token = self.tokens[k]
            if token.text in marks:
                return token
            words += self.all_infos[k].is_word
            if words >= QUOTED_WORDS or not (self.all_infos[k].is_word or token.text in _SKIPPED):
                return None
        return None


def key_word(words: Sequence[str]) -> int:
    """The index of the word a cue is looked up by: its longest word that is not a function word,
    else its group placeholder, else its first word. Function words («у», «все», «из») are
    everywhere, and so are group mentions in the texts that matter most: looking cues up by them
    would send most sentences through the matcher."""
    content = [k for k, w in enumerate(words) if w not in _PLACEHOLDERS and w not in _FUNCTION_WORDS]
    if content:
        return max(content, key=lambda k: len(words[k]))
    return next((k for k, w in enumerate(words) if w in _PLACEHOLDERS), 0)


def hostility_of(evidence: Sequence[Cue]) -> Hostility:
    """The score, decision and kinds (in the order of KINDS) from the evidence."""
    score = hostility_score(evidence)
    counted = {c.kind for c in evidence if c.weight > 0}
    return Hostility(score, score >= THRESHOLD, tuple(k for k in KINDS if k in counted), tuple(evidence))


def hostility_score(evidence: Sequence[Cue]) -> float:
    """1 − Π(1 − w) over the distinct cues that counted, each with its highest weight: a word
    repeated does not add up, two different ones do."""
    best: dict[tuple[str, str], float] = {}
    for cue in evidence:
        key = (cue.kind, cue.cue)
        best[key] = max(best.get(key, 0.0), cue.weight)
    remaining = 1.0
    for weight in best.values():
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 3)


def _overlaps(mention: EthnicMention, word: Token) -> bool:
    return mention.start < word.end and mention.end > word.start


def _with(base: Cue, context: str, word: Token) -> Cue:
    """The cue with weight 0, turned by ``word``."""
    return Cue(base.start, base.end, base.text, base.cue, base.kind, 0.0, context, word.start, word.end)


def _is_russian(lower: str) -> bool:
    return _RUSSIAN_LETTER.search(lower) is not None


@lru_cache(maxsize=200_000)
def _keys(lower: str) -> frozenset[str]:
    """Every base form of a word, verbs included (:func:`forms` gives the first reading's lemma
    only), and of each part of a hyphenated word («жидо-пиндосские»)."""
    found = set(forms(lower))
    if _is_russian(lower):
        found.update(p.normal_form.replace("ё", "е") for p in parses(lower))
    if "-" in lower:
        for part in lower.split("-"):
            if part:
                found |= _keys(part)
    return frozenset(found)


@lru_cache(maxsize=1)
def _load() -> HostilityDetector:
    cues = [_Cue(tuple(row["cue"].split()), row["kind"], float(row["weight"]), row["mode"],
                 key_word(row["cue"].split()))
            for row in package_rows("kelisim.understanding", "data/hostility_cues.tsv",
                                    ("cue", "kind", "weight", "mode", "note"))]
    context = {row["word"]: row["role"]
               for row in package_rows("kelisim.understanding", "data/hostility_context.tsv",
                                       ("word", "role", "note"))}
    return HostilityDetector(cues, context)
