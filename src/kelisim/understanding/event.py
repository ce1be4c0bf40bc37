"""What a document reports: a primary event type and any others from the taxonomy, where and
when it happened when the text says, and the past incidents it refers to (docs/method.md).

Cue words per type (``data/event_cues.tsv``) are matched by their base forms, as the tension
scorer matches its cues; a cue in the headline counts twice, in the two sentences after it one
and a half times. A quote by an official of the knowledge base counts for an official statement,
a slur for hate speech. A cue right after a negation counts nothing, and so does a conflict cue
after a prevention word («профилактика конфликтов») or a refutation («опровергла сообщения о
драке»). A violence or resettlement verb in the imperative or after a call word («надо выгнать»)
is a threat. A conflict cue in a past frame — «недавние трагические события», «после событий»,
a date long before the document's, a named past incident (``data/past_incidents.tsv``) — is a
reference to a past incident, not a current event: it is kept as a :class:`PastReference` with
its place and date, and counts nothing toward the type.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from kelisim.datafiles import package_rows
from kelisim.reading.document import TextView, WordMemo
from kelisim.reading.model import PlaceMention, Reading
from kelisim.text.tokens import Sentence, Token, forms, parses
from kelisim.understanding.dates import find_dates, last_day
from kelisim.understanding.model import Cue, Event, EventDate, PastReference
from kelisim.understanding.tension import CONTEXT_WINDOW, ContextWords

HEADLINE, LEAD, LEAD_SENTENCES = 2.0, 1.5, 3  # position factors: sentence 0, sentences 1-2
SECONDARY_MIN, SECONDARY_SHARE = 3.0, 0.5  # another type is listed at this score and share
OFFICIAL_QUOTE = 2.0  # a quote whose speaker is an official of the knowledge base
SLUR, SLURS_COUNTED = 1.0, 3
PAST_DAYS = 90  # a date this long before the document's puts a conflict cue in the past
INCIDENT_GRACE_DAYS = 30  # a named incident is current news this long after it happened
ANNIVERSARY_WINDOW = 4  # «70-летие депортации»
PLACE_AFTER = 3  # words after a past reference searched for its place («события в Кордае»)
CONFLICT = frozenset({"violent_clash", "threat_incitement", "hate_speech", "protest_rally",
                      "disinformation_provocation", "incident"})  # prevention and refutation turn them
REFERABLE = frozenset({"violent_clash", "protest_rally", "law_enforcement", "migration_resettlement",
                       "incident"})  # may name a past incident
CALLABLE = frozenset({"violent_clash", "migration_resettlement"})  # a call to them is a threat
FRAMES = frozenset({"past", "call"})  # words that frame a cue and count nothing themselves
MEMO_LIMIT = 200_000  # token texts whose entries are remembered; forgotten all at once beyond this
LEVELS = {"settlement": 4, "rural_district": 3, "district": 2, "region": 1}
OTHER = "other"


@dataclass(frozen=True, slots=True)
class _Incident:
    id: str
    date: date
    kato: str


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]  # base forms; a trailing «*» matches any word starting so (Kazakh)
    type: str  # an event type, or incident, past (a frame word), named (a past incident)
    weight: float
    incident: _Incident | None = None


@dataclass(frozen=True, slots=True)
class _Hit:
    entry: _Entry
    first: int  # word indices in the sentence
    last: int
    start: int
    end: int


@dataclass(slots=True)
class _Sentence:
    """One sentence while it is judged: its words, what matched and the dates in it."""

    index: int
    span: Sentence
    words: list[Token]
    hits: list[_Hit]
    dates: list[EventDate]


class EventClassifier:
    """Types documents; build it with ``EventClassifier.load()``."""

    def __init__(self, entries: Sequence[_Entry], context: ContextWords) -> None:
        """Index the cue entries by first word; ``context`` (the tension score's negation and
        prevention words) turns them."""
        self._exact: dict[str, list[_Entry]] = defaultdict(list)
        self._prefix: dict[str, list[_Entry]] = defaultdict(list)
        for entry in sorted(entries, key=lambda e: -len(e.words)):  # longest first
            first = entry.words[0]
            if first.endswith("*"):
                self._prefix[first[:4]].append(entry)
            else:
                self._exact[first].append(entry)
        self._context = context
        self._memo = WordMemo(self._starting, limit=MEMO_LIMIT)  # by token text: most start none

    @classmethod
    def load(cls) -> EventClassifier:
        """The shipped cues, past incidents and context words, read once per process."""
        return _load()

    def classify(self, view: TextView, reading: Reading) -> Event:
        """The event one document reports; type ``other`` when no cue counts."""
        dates = find_dates(view)
        reference = view.published or max((last_day(d) for d in dates), default=None)
        evidence, pasts, hidden = [], [], []
        for sentence in self._sentences(view, dates):
            cues, past = self._judge(sentence, reference, view.text)
            evidence += cues
            if past is not None:
                pasts.append(_reference(past, sentence, reading.places, view.text))
                hidden.append((pasts[-1].start, pasts[-1].end))
                if not any(c.weight > 0 for c in cues):  # the sentence tells only of the past
                    hidden.append((sentence.span.start, sentence.span.end))
        evidence += _reading_cues(reading)
        scores = _scores(evidence)
        types = _types(scores, evidence)
        strongest = _strongest(evidence, types[0])
        place = _place(view, reading, strongest, hidden)
        when = _date(view, dates, strongest, hidden)
        return Event(types[0], tuple(types), place, when, tuple(pasts),
                     tuple(sorted(evidence, key=lambda c: (c.start, c.end))))

    def _sentences(self, view: TextView, dates: Sequence[EventDate]) -> Iterable[_Sentence]:
        """The sentences where some entry may start, with what matched in them."""
        for index, at in view.where(self._memo.hot(view)).items():
            span = view.sentences[index]
            words, starts = self._words(span, at)
            hits = list(self._matches(words, starts))
            inside = [d for d in dates if span.start <= d.start < span.end]
            yield _Sentence(index, span, words, hits, inside)

    def _words(self, span: Sentence, at: list[int]) -> tuple[list[Token], list[tuple[int, tuple[_Entry, ...]]]]:
        """The words and numbers of a sentence, and where an entry may start: at the tokens
        ``at`` (indices among its tokens), as indices among its words."""
        positions = [k for k, token in enumerate(span.tokens) if token.text[0].isalnum()]
        starts = [(bisect_left(positions, k), self._memo[span.tokens[k].text]) for k in at]
        return [span.tokens[k] for k in positions], starts

    def _matches(self, words: list[Token], starts: list[tuple[int, tuple[_Entry, ...]]]) -> Iterable[_Hit]:
        after = 0
        for i, candidates in starts:
            if i < after:
                continue
            entry = _longest(candidates, words, i)
            if entry is not None:
                after = i + len(entry.words)
                yield _Hit(entry, i, after - 1, words[i].start, words[after - 1].end)

    def _starting(self, text: str) -> tuple[_Entry, ...]:
        """The entries a word or number may start; none for a mark."""
        return self._candidates(text.lower().replace("ё", "е")) if text[0].isalnum() else ()

    def _candidates(self, lower: str) -> tuple[_Entry, ...]:
        """The entries a word may start, longest first."""
        found = [e for f in sorted(forms(lower)) for e in self._exact.get(f, ())]
        found += [e for e in self._prefix.get(lower[:4], ()) if lower.startswith(e.words[0][:-1])]
        unique = list(dict.fromkeys(found))  # a stable order: exact forms before prefixes
        return tuple(sorted(unique, key=lambda e: -len(e.words)))

    def _judge(self, sentence: _Sentence, reference: date | None, text: str) -> tuple[list[Cue], _Hit | None]:
        """The evidence of one sentence, and its first cue that refers to a past incident."""
        cues, past = [], None
        for hit in sentence.hits:
            if hit.entry.type in FRAMES or (hit.entry.type == "named" and len(hit.entry.words) == 1):
                continue  # frames only; «кордайские события» names an incident by itself
            cue, in_past = self._cue(hit, sentence, reference, text)
            if in_past and past is None:
                past = hit
            if cue is not None:
                cues.append(cue)
        return cues, past

    def _cue(self, hit: _Hit, sentence: _Sentence, reference: date | None,
             text: str) -> tuple[Cue | None, bool]:
        """The cue a hit counts as, and whether it refers to a past incident."""
        kind = "incident" if hit.entry.type == "named" else _retyped(hit, sentence)
        turned = self._turned(hit, sentence, kind)
        past = _past_frame(hit, sentence, reference) if turned is None and kind in REFERABLE else None
        if turned is None and past is None and kind == "incident":
            return None, False
        if turned is not None or past is not None:
            context, start, end = turned or ("past", *past)
            weight = 0.0
        else:
            factor, context = ((HEADLINE, "headline") if sentence.index == 0 else
                               (LEAD, "lead") if sentence.index < LEAD_SENTENCES else (1.0, None))
            weight, start, end = hit.entry.weight * factor, None, None
        return Cue(hit.start, hit.end, text[hit.start:hit.end], " ".join(hit.entry.words), kind, weight,
                   context, start, end), past is not None

    def _turned(self, hit: _Hit, sentence: _Sentence, kind: str) -> tuple[str, int, int] | None:
        """Why a cue counts 0: a negation right before it; for a conflict cue, a prevention word
        («профилактика драк») or a refutation before it («опровергла сообщения о драке»: the
        clash is only reported)."""
        words = sentence.words
        if hit.first > 0 and self._context.role(words[hit.first - 1]) == "negation":
            return "negation", words[hit.first - 1].start, words[hit.first - 1].end
        if kind not in CONFLICT:
            return None
        prevention = self._context.prevention_before(words, hit.first)
        if prevention is not None:
            return "prevention", prevention.start, prevention.end
        refuting = next((h for h in sentence.hits if h.entry.type == "disinformation_provocation"
                         and hit.first - CONTEXT_WINDOW <= h.first < hit.first), None)
        return None if refuting is None else ("reported", refuting.start, refuting.end)


def _longest(candidates: Sequence[_Entry], words: list[Token], i: int) -> _Entry | None:
    """The first (longest) candidate whose every word fits the words from ``i``."""
    for entry in candidates:  # the first word fits: that is how the candidates were found
        size = len(entry.words)
        if size == 1 or (i + size <= len(words)
                         and all(_fits(w, words[i + k]) for k, w in enumerate(entry.words[1:], 1))):
            return entry
    return None


def _fits(pattern: str, token: Token) -> bool:
    if pattern.endswith("*"):
        return token.lower.startswith(pattern[:-1])
    return pattern in forms(token.lower)


def _retyped(hit: _Hit, sentence: _Sentence) -> str:
    """A violence or resettlement verb in the imperative («бей», «выселите») or after a call
    word («надо выгнать», «призывают переселить») is a call: threat_incitement."""
    kind = hit.entry.type
    if kind not in CALLABLE or hit.first != hit.last:
        return kind
    verbs = [p for p in parses(sentence.words[hit.first].lower) if p.tag.POS in ("VERB", "INFN")]
    if not verbs:
        return kind
    called = any(h.entry.type == "call" and hit.first - h.entry.weight <= h.first < hit.first
                 for h in sentence.hits)
    return "threat_incitement" if called or verbs[0].tag.mood == "impr" else kind


def _past_frame(hit: _Hit, sentence: _Sentence, reference: date | None) -> tuple[int, int] | None:
    """What puts a conflict cue in the past: a frame word, an old date or a named incident."""
    for marker in sentence.hits:
        window = marker.entry.weight
        if marker.entry.type == "past" and (window == 0 or hit.first - window <= marker.first < hit.first):
            return marker.start, marker.end
    for j in range(max(0, hit.first - ANNIVERSARY_WINDOW), hit.first):
        if any(f.endswith("летие") for f in forms(sentence.words[j].lower)):
            return sentence.words[j].start, sentence.words[j].end
    if reference is not None:
        old = next((d for d in sentence.dates if last_day(d) < reference - timedelta(days=PAST_DAYS)), None)
        if old is not None:
            return old.start, old.end
    for named in sentence.hits:
        incident = named.entry.incident
        if incident is not None and _incident_is_past(incident, sentence.dates, reference):
            return named.start, named.end
    return None


def _incident_is_past(incident: _Incident, dates: Sequence[EventDate], reference: date | None) -> bool:
    """A named incident is past unless the document or a date beside it is of its own days."""
    after = incident.date + timedelta(days=INCIDENT_GRACE_DAYS)
    if reference is not None and reference <= after:
        return False
    return all(last_day(d) <= after for d in dates)


def _reference(hit: _Hit, sentence: _Sentence, places: Sequence[PlaceMention], text: str) -> PastReference:
    """The past reference a cue opens: its span through the place or date named right after it;
    else the place of a named incident, and a date elsewhere in the sentence."""
    limit = sentence.words[min(hit.last + PLACE_AFTER, len(sentence.words) - 1)].end
    place = next((p for p in places if hit.start <= p.start < limit and p.end <= sentence.span.end), None)
    when = next((d for d in sentence.dates if hit.start <= d.start < limit), None)
    end = max([hit.end] + [x.end for x in (place, when) if x is not None])
    place = place or _incident_place(sentence, places)
    when = when or next(iter(sentence.dates), None)
    return PastReference(hit.start, end, text[hit.start:end], place, when)


def _incident_place(sentence: _Sentence, places: Sequence[PlaceMention]) -> PlaceMention | None:
    """The place of a named incident: a mention of its district or a place in it, in the
    sentence first, else anywhere in the text."""
    for named in sentence.hits:
        incident = named.entry.incident
        if incident is None:
            continue
        ours = [p for p in places if incident.kato in (p.place.kato, p.place.district_kato)]
        inside = [p for p in ours if sentence.span.start <= p.start < sentence.span.end]
        return next(iter(inside or ours), None)
    return None


def _reading_cues(reading: Reading) -> list[Cue]:
    """Evidence from the extraction: a quote by an official, slurs."""
    cues = []
    official = next((q for q in reading.quotes if (q.speaker_kb_id or "").startswith("per:")), None)
    if official is not None:
        start, end = (official.speaker_start, official.speaker_end) if official.speaker_start is not None \
            else (official.start, official.end)
        cues.append(Cue(start, end, reading.text[start:end], "quote by an official",
                        "official_statement", OFFICIAL_QUOTE))
    slurs = [m for m in reading.ethnic if m.slur][:SLURS_COUNTED]
    cues += [Cue(m.start, m.end, m.text, "slur", "hate_speech", SLUR) for m in slurs]
    return cues


def _scores(evidence: Sequence[Cue]) -> dict[str, float]:
    scores: dict[str, float] = defaultdict(float)
    for cue in evidence:
        if cue.weight > 0:
            scores[cue.kind] += cue.weight
    return scores


def _types(scores: dict[str, float], evidence: Sequence[Cue]) -> list[str]:
    """The primary type (best score; the earlier cue on a tie) and the others that clear the bar."""
    if not scores:
        return [OTHER]
    first: dict[str, int] = {}
    for cue in sorted(evidence, key=lambda c: c.start):
        if cue.weight > 0:
            first.setdefault(cue.kind, cue.start)
    ranked = sorted(scores, key=lambda t: (-scores[t], first[t]))
    bar = max(SECONDARY_MIN, SECONDARY_SHARE * scores[ranked[0]])
    return ranked[:1] + [t for t in ranked[1:] if scores[t] >= bar]


def _strongest(evidence: Sequence[Cue], kind: str) -> Cue | None:
    """The primary type's heaviest cue, the earlier on a tie."""
    mine = [c for c in evidence if c.kind == kind and c.weight > 0]
    return min(mine, key=lambda c: (-c.weight, c.start)) if mine else None


def _place(view: TextView, reading: Reading, strongest: Cue | None,
           hidden: Sequence[tuple[int, int]]) -> PlaceMention | None:
    """The place in the strongest cue's sentence, else in the headline and lead; never one of
    the past, nor a country in a name («Ассамблея народа Казахстана»)."""
    names = [(e.start, e.end) for e in reading.entities if e.type in ("ORG", "PER")]
    for start, end in _where_to_look(view, strongest):
        found = [p for p in reading.places
                 if start <= p.start < end and not _inside(p, hidden) and not _inside(p, names)]
        if found:
            return max(found, key=lambda p: (_rank(p), -_distance(p, strongest)))
    return None


def _date(view: TextView, dates: Sequence[EventDate], strongest: Cue | None,
          hidden: Sequence[tuple[int, int]]) -> EventDate | None:
    """The date in the strongest cue's sentence (the nearest), else the first in headline and
    lead; never one of the past."""
    for start, end in _where_to_look(view, strongest):
        found = [d for d in dates if start <= d.start < end and not _inside(d, hidden)]
        if found:
            return min(found, key=lambda d: _distance(d, strongest))
    return None


def _where_to_look(view: TextView, strongest: Cue | None) -> list[tuple[int, int]]:
    spans = []
    if strongest is not None:
        spans += [(s.start, s.end) for s in view.sentences if s.start <= strongest.start < s.end]
    lead = view.sentences[:LEAD_SENTENCES]
    if lead:
        spans.append((lead[0].start, lead[-1].end))
    return spans


def _inside(span, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= span.start and span.end <= end for start, end in spans)


def _rank(mention: PlaceMention) -> tuple[int, int]:
    """Kazakhstan first, then the finer unit."""
    place = mention.place
    in_kazakhstan = place.kato is not None or place.name == "Казахстан"
    return int(in_kazakhstan), LEVELS.get(place.level, 0)


def _distance(span, cue: Cue | None) -> int:
    return 0 if cue is None else abs(span.start - cue.start)


@lru_cache(maxsize=1)
def _load() -> EventClassifier:
    entries = [_Entry(tuple(row["cue"].split()), row["type"], float(row["weight"]))
               for row in package_rows("kelisim.understanding", "data/event_cues.tsv",
                                       ("cue", "type", "weight", "note"))]
    for row in package_rows("kelisim.understanding", "data/past_incidents.tsv",
                            ("name", "incident", "date", "kato", "place", "note")):
        incident = _Incident(row["incident"], date.fromisoformat(row["date"]), row["kato"])
        entries.append(_Entry(tuple(row["name"].split()), "named", 0.0, incident))
    return EventClassifier(entries, ContextWords.load())
