"""Stories: documents about the same event, clustered as they arrive (Europe Media Monitor style).

A document becomes a vector of five blocks of features: its keywords (the ``WORD_TERMS``
heaviest lemmas of its content words, the title and the lead counting more, weighed by idf,
stop words and the watch's own topic words left out), the people and organisations it names,
its places (a settlement or district most, its region a little, a country hardly), the ethnic
groups and the event types. It joins the open story whose centroid is most similar (cosine,
scaled down when the two lie in different districts), if that is at least ``THRESHOLD`` and the
story took a document within ``WINDOW_DAYS``; else it starts a story. Pure functions over readings: the caller stores centroids and membership.
The method, the figures and the limits: docs/method.md ("Stories"); measured by
``eval/stories.py``.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from kelisim.datafiles import package_rows
from kelisim.text.terms import WORD, lemma
from kelisim.text.tokens import forms, parses

EVENT_DAYS, EVENT_SHARE = 2, 0.5  # same type, district and days: joins at half the threshold
WINDOW_DAYS = 7  # a story takes new documents for this long after its last one
THRESHOLD = 0.26  # similarity at or above which a document joins a story (chosen on dev: eval/stories.py)
CENTROID_TERMS = 300  # features a centroid keeps (the heaviest)
LEAD_CHARS = 600  # the lead: the first characters of the text after the title
TITLE_WEIGHT, LEAD_WEIGHT = 3.0, 1.5  # an occurrence in the title or lead counts this many times
# Each kind of feature is normalised on its own and then weighted, so a long text's many words
# do not drown the few names and places that tell one event from another of the same kind.
BLOCK_WEIGHTS = {"w": 1.0, "e": 0.6, "p": 0.4, "g": 0.2, "t": 0.1}
OTHER_TYPE_WEIGHT = 0.5  # a type the text also reports, beside the primary one
KNOWN_WEIGHT = 0.75  # an entity of the knowledge base (the President, the Assembly, a ministry)
# A place counts by how precisely it locates the event: a village or district names the event,
# a region narrows it, a country hardly does.
PLACE_WEIGHTS = {"settlement": 1.0, "rural_district": 1.0, "district": 1.0, "foreign_region": 1.0,
                 "region": 0.5, "country": 0.2}
PARENT_DISTRICT, PARENT_REGION = 0.5, 0.3  # what a settlement adds to its district and region
ELSEWHERE_FACTOR = 0.3  # placed in different districts: only a near copy (cosine >= 0.87) joins
# KATO's three cities of republican significance are regions, their city districts under them:
# for "where", a city counts as one district.
CITIES = frozenset({"710000000", "750000000", "790000000"})  # Astana, Almaty, Shymkent
MIN_WORD = 3  # shorter words are function words or abbreviations too ambiguous to count
WORD_TERMS = 40  # a document's words are its heaviest lemmas: the rest is the topic's background
STOP_IDF = 0.5  # a lemma of lower idf (in about a tenth of news texts or more) is a stop word
_CONTENT_POS = frozenset({"NOUN", "ADJF", "ADJS", "VERB", "INFN", "PRTF", "PRTS", None})
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
IDF_COLUMNS = ("lemma", "idf", "source")
Block = dict[str, tuple[float, float]]  # feature -> (value, normalised within its block; weight)
BREAK_MIN, BREAK_RATE, PSEUDO = 4, 3.0, 1.0  # breaking: >= 4 docs in 24 h, >= 3x the 24 h before


@dataclass(frozen=True)
class StoryDoc:
    """One document as the clusterer sees it: its time, title and L2-normalised features."""

    id: int
    at: datetime
    title: str | None
    terms: dict[str, float]


@dataclass(frozen=True)
class Shape:
    """What the comparisons need of a vector besides its terms."""

    districts: frozenset[str]
    event_types: frozenset[str]
    norm: float

    @classmethod
    def of(cls, terms: Mapping[str, float]) -> Shape:
        return cls(districts(terms), event_types_of(terms), _norm(terms))


@dataclass
class Centroid:
    """A story's summed document features (the heaviest ``CENTROID_TERMS``), size and time span."""

    terms: dict[str, float]
    size: int
    first_at: datetime
    last_at: datetime
    _shape: Shape | None = field(default=None, init=False, repr=False, compare=False)

    def shape(self) -> Shape:
        """Its districts, event types and norm, worked out once between two additions: every
        new document is compared with every open story."""
        if self._shape is None:
            self._shape = Shape.of(self.terms)
        return self._shape

    @classmethod
    def of(cls, doc: StoryDoc) -> Centroid:
        """A new story's centroid: its first document."""
        centroid = cls({}, 0, doc.at, doc.at)
        centroid.add(doc)
        return centroid

    def add(self, doc: StoryDoc) -> None:
        """Add a document: sum its features in, keep the heaviest, widen the time span."""
        self._shape = None
        for key, weight in doc.terms.items():
            self.terms[key] = self.terms.get(key, 0.0) + weight
        if len(self.terms) > CENTROID_TERMS:
            self.terms = dict(sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS])
        self.first_at = doc.at if self.size == 0 else min(self.first_at, doc.at)
        self.last_at = doc.at if self.size == 0 else max(self.last_at, doc.at)
        self.size += 1

    def to_json(self) -> dict:
        """The centroid as a JSON object (times in ISO 8601)."""
        return {"terms": dict(self.terms), "size": self.size,
                "first_at": self.first_at.isoformat(), "last_at": self.last_at.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> Centroid:
        """A centroid from ``to_json``'s object."""
        return cls({str(k): float(v) for k, v in data["terms"].items()}, int(data["size"]),
                   datetime.fromisoformat(data["first_at"]), datetime.fromisoformat(data["last_at"]))


@dataclass(frozen=True)
class Growth:
    """A story's documents in the last 24 hours and the 24 before, their ratio, and whether it
    is breaking."""

    last_24h: int
    previous_24h: int
    rate: float
    breaking: bool


def story_doc(doc_id: int, at: datetime, title: str | None, reading: Mapping) -> StoryDoc:
    """A stored reading as the clusterer's document.

    Args:
        doc_id: the document's id.
        at: its publication (or arrival) time; aware or naive like every other time compared.
        title: its title, if it has one (its words count ``TITLE_WEIGHT`` times).
        reading: the reading JSON (``Store.get_reading``, ``kelisim analyze``).

    Returns:
        The document with its features, L2-normalised over all blocks.
    """
    blocks = {"w": word_features(title, reading.get("text") or "", named_spans(reading)),
              "e": entity_features(reading), "p": place_features(reading),
              "g": group_features(reading), "t": type_features(reading)}
    return StoryDoc(doc_id, at, title, combine(blocks))


def named_spans(reading: Mapping) -> list[tuple[int, int]]:
    """The spans whose words are not counted as words, merged and sorted: the outlet a text
    credits («сообщает КазИнформ»: the source, not the event), entities the knowledge base
    knows, places with a KATO code or a country, ethnic-group mentions. Their identity is a
    feature of its own; the words of a name the reader could not link stay, so
    «Авиационное управление» still meets «Федеральное авиационное управление»."""
    spans = [(m["start"], m["end"]) for m in reading.get("entities") or () if m.get("kb_id")]
    spans += [(m["start"], m["end"]) for m in reading.get("attribution") or ()]
    spans += [(m["start"], m["end"]) for m in reading.get("places") or ()
              if m.get("kato") or m.get("level") == "country"]
    spans += [(m["start"], m["end"]) for g in reading.get("ethnic_groups") or () for m in g.get("mentions") or ()]
    return merged(spans)


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined, sorted by start."""
    found: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(end, found[-1][1]))
        else:
            found.append((start, end))
    return found


def word_features(title: str | None, text: str, named: Sequence[tuple[int, int]] = ()) -> Block:
    """The ``WORD_TERMS`` heaviest content-word lemmas outside ``named`` spans: sublinear
    counts (title and lead occurrences count more) times the lemma's idf."""
    offset = len(title) if title and text.startswith(title) else 0
    lead_end = _lead_end(text, offset)
    counts: dict[str, float] = defaultdict(float)
    for word in WORD.findall(title) if title and not offset else ():
        if term := content_term(word):
            counts[term] += TITLE_WEIGHT
    starts, ends = [start for start, _ in named], [end for _, end in named]
    for match in WORD.finditer(text):
        where = match.start()
        if not _inside(where, starts, ends) and (term := content_term(match.group())):
            counts[term] += TITLE_WEIGHT if where < offset else LEAD_WEIGHT if where < lead_end else 1.0
    weights = {term: sublinear(count) * idf().get(term, 1.0) for term, count in counts.items()}
    top = sorted(weights.items(), key=lambda kv: -kv[1])[:WORD_TERMS]  # stable: earlier words win ties
    return {f"w:{term}": (weight, 1.0) for term, weight in top}


def _inside(position: int, starts: Sequence[int], ends: Sequence[int]) -> bool:
    """Whether a position falls in one of the disjoint sorted spans."""
    i = bisect_right(starts, position) - 1
    return i >= 0 and ends[i] > position


def _lead_end(text: str, offset: int) -> int:
    """Where the lead ends: the first space ``LEAD_CHARS`` after the title (never in a word)."""
    space = text.find(" ", offset + LEAD_CHARS)
    return len(text) if space < 0 else space


@lru_cache(maxsize=200_000)
def content_term(word: str) -> str | None:
    """The lemma a word counts under, or None for a number (2020-жылы, 1-ші too), a short word,
    a function word, a stop word or a word of the watch's own topic."""
    lower = word.lower().replace("ё", "е")
    if len(lower) < MIN_WORD or lower[0].isdigit() or not any(ch.isalpha() for ch in lower):
        return None
    base = lemma(lower)
    if len(base) < MIN_WORD or idf().get(base, 1.0) < STOP_IDF or topic_words() & forms(lower):
        return None
    russian = any("а" <= ch <= "я" for ch in lower) and not _KAZAKH_LETTERS.intersection(lower)
    return None if russian and parses(lower)[0].tag.POS not in _CONTENT_POS else base


def entity_features(reading: Mapping) -> Block:
    """People and organisations by knowledge-base id, else by ``entity_key``; locations that
    are no place of the reading (islands, regions abroad the gazetteer lacks) by normal name.
    An entity the knowledge base knows weighs ``KNOWN_WEIGHT``: national officials and bodies
    recur across stories."""
    places = merged((p["start"], p["end"]) for p in reading.get("places") or ())
    starts, ends = [start for start, _ in places], [end for _, end in places]
    counts: dict[str, float] = defaultdict(float)
    weights: dict[str, float] = {}
    for entity in reading.get("entities") or ():
        key = entity_key(entity)
        if key and not (key.startswith("p:") and _inside(entity["start"], starts, ends)):
            counts[key] += 1.0
            weights[key] = KNOWN_WEIGHT if entity.get("kb_id") else 1.0
    return {key: (sublinear(count), weights[key]) for key, count in counts.items()}


def entity_key(entity: Mapping) -> str | None:
    """The feature of one entity: its knowledge-base id; a person the base does not know by
    surname («И. Буларов» and «Ильяс Буларов» are one); other names whole, lower-case."""
    if entity.get("kb_id"):
        return f"e:{entity['kb_id']}"
    name = (entity.get("normal") or entity.get("text") or "").lower().replace("ё", "е").strip()
    if not name:
        return None
    if entity["type"] == "LOC":
        return f"p:{name}"
    if entity["type"] == "PER":
        return f"e:per:{name.split()[-1]}"
    return f"e:{entity['type'].lower()}:{name}"


def place_features(reading: Mapping) -> Block:
    """KATO units by code (a settlement also counts for its district and region), places abroad
    by name; each weighted by how precisely it locates an event. A place named only in a
    reference to a past incident («после событий в Кордайском районе») places nothing."""
    past = merged((r["start"], r["end"]) for r in (reading.get("event") or {}).get("references_past") or ())
    starts, ends = [start for start, _ in past], [end for _, end in past]
    counts: dict[str, float] = defaultdict(float)
    weights: dict[str, float] = {}
    for place in reading.get("places") or ():
        if _inside(place["start"], starts, ends):
            continue
        for key, weight in place_keys(place):
            counts[key] += 1.0
            weights[key] = max(weight, weights.get(key, 0.0))
    return {key: (sublinear(count), weights[key]) for key, count in counts.items()}


def place_keys(place: Mapping) -> list[tuple[str, float]]:
    """The features of one place mention with their weights."""
    level, kato = place.get("level"), place.get("kato")
    if not kato:
        return [(f"p:{place['name'].lower().replace('ё', 'е')}", PLACE_WEIGHTS.get(level, 0.5))]
    keys = [(f"p:{kato}", PLACE_WEIGHTS.get(level, 1.0))]
    district, region = place.get("district_kato"), place.get("region_kato")
    if district and district != kato:
        keys.append((f"p:{district}", PARENT_DISTRICT))
    if region and region != kato:
        keys.append((f"p:{region}", PARENT_REGION))
    return keys


def group_features(reading: Mapping) -> Block:
    """Ethnic groups by their canonical name, by the number of mentions."""
    return {f"g:{g['group']}": (sublinear(len(g.get("mentions") or ()) or 1.0), 1.0)
            for g in reading.get("ethnic_groups") or ()}


def type_features(reading: Mapping) -> Block:
    """The event types found, the primary one at full weight and the others at
    ``OTHER_TYPE_WEIGHT`` (``other`` tells nothing)."""
    event = reading.get("event") or {}
    primary = event.get("type")
    found = {kind: (1.0, 1.0 if kind == primary else OTHER_TYPE_WEIGHT)
             for kind in [primary, *(event.get("types") or ())] if kind and kind != "other"}
    return {f"t:{kind}": value for kind, value in found.items()}


def sublinear(count: float) -> float:
    """1 + ln(count) for counts above one: the tenth mention adds less than the second."""
    return 1.0 + math.log(count) if count > 1.0 else count


def combine(blocks: Mapping[str, Block]) -> dict[str, float]:
    """Each block's counts L2-normalised, times each feature's weight and the block's weight;
    then the whole L2-normalised. A block of weak features (only a country) stays weak."""
    terms: dict[str, float] = {}
    for name, block in blocks.items():
        norm = math.sqrt(sum(count * count for count, _ in block.values()))
        if norm > 0:
            terms.update({key: BLOCK_WEIGHTS[name] * weight * count / norm
                          for key, (count, weight) in block.items()})
    return normalised(terms)


def normalised(terms: Mapping[str, float]) -> dict[str, float]:
    """The vector scaled to unit length (empty stays empty)."""
    norm = math.sqrt(sum(w * w for w in terms.values()))
    return {key: w / norm for key, w in terms.items()} if norm > 0 else {}


def similarity(doc: StoryDoc, centroid: Centroid, shape: Shape | None = None) -> float:
    """Cosine of a document and a centroid, 0 to 1 (0 when either has no features), times
    ``ELSEWHERE_FACTOR`` when both name districts of Kazakhstan and none in common; between two
    single documents it is symmetric. ``shape`` is the document's :class:`Shape` when the
    caller has it."""
    shape, theirs = shape or Shape.of(doc.terms), centroid.shape()
    here, there = shape.districts, theirs.districts
    factor = ELSEWHERE_FACTOR if here and there and not here & there else 1.0
    return factor * cosine(doc.terms, centroid.terms, shape.norm, theirs.norm)


def shared_features(doc: StoryDoc, centroid: Centroid, top: int = 10) -> list[tuple[str, float]]:
    """Why a document is near a story: the features they share, each with its part of the
    cosine, largest first (the parts of all shared features add up to the cosine)."""
    norm = math.sqrt(sum(w * w for w in centroid.terms.values())) * math.sqrt(sum(w * w for w in doc.terms.values()))
    parts = [(key, w * centroid.terms[key] / norm) for key, w in doc.terms.items() if key in centroid.terms]
    return sorted(parts, key=lambda kv: (-kv[1], kv[0]))[:top] if norm else []


def districts(terms: Mapping[str, float]) -> frozenset[str]:
    """The KATO districts (a city of republican significance as one) that a vector's places
    lie in; regions alone place nothing."""
    found = set()
    for key in terms:
        code = key[2:]
        if key.startswith("p:") and len(code) == 9 and code.isdigit():
            city = code[:2] + "0000000"
            if city in CITIES:
                found.add(city)
            elif not code.endswith("0000000"):
                found.add(code[:4] + "00000")
    return frozenset(found)


def cosine(a: Mapping[str, float], b: Mapping[str, float], norm_a: float | None = None,
           norm_b: float | None = None) -> float:
    """Cosine of two non-negative sparse vectors, clipped to [0, 1]; their norms when the
    caller has them."""
    if len(a) > len(b):
        a, b, norm_a, norm_b = b, a, norm_b, norm_a
    dot = sum(w * b[key] for key, w in a.items() if key in b)
    norms = (_norm(a) if norm_a is None else norm_a) * (_norm(b) if norm_b is None else norm_b)
    return min(1.0, max(0.0, dot / norms)) if norms > 0 else 0.0


def _norm(terms: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in terms.values()))


def is_open(centroid: Centroid, at: datetime, window_days: int = WINDOW_DAYS) -> bool:
    """Whether a story takes a document of time ``at``: its last document is at most
    ``window_days`` before it and at most a day after it (feeds arrive a little out of order)."""
    return at - timedelta(days=window_days) <= centroid.last_at <= at + timedelta(days=1)


class OpenStories:
    """The open stories of a run, in the order they came, indexed by feature: each feature
    lists the stories whose centroid has it, with its weight there. A new document is compared
    only with the stories whose cosine with it can reach ``floor`` (summed along the lists of
    its own features, as a search engine scores), so a batch of tens of thousands of documents
    does not compare each with every story. :meth:`assign` decides as :func:`assign` over all
    of them would: a story below ``floor`` can neither be the best above the threshold nor
    join as the same event."""

    def __init__(self, stories: Iterable[tuple[int, Centroid]] = (), threshold: float = THRESHOLD) -> None:
        """Index these (story id, centroid) pairs; ``threshold`` as for :func:`assign`."""
        self.centroids: dict[int, Centroid] = {}
        self.threshold = threshold
        self.floor = threshold * EVENT_SHARE  # the least similarity at which a story takes a document
        self._order: dict[int, int] = {}
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._norms: dict[int, float] = {}
        for story_id, centroid in stories:
            self.put(story_id, centroid)

    def put(self, story_id: int, centroid: Centroid) -> None:
        """Open a story (or replace its centroid)."""
        old = self.centroids.get(story_id)
        if old is not None:
            self._unindex(story_id, old)
        self._order.setdefault(story_id, len(self._order))
        self.centroids[story_id] = centroid
        self._index(story_id, centroid)

    def add(self, story_id: int, doc: StoryDoc) -> None:
        """Add a document to an open story; the features its centroid keeps may change."""
        centroid = self.centroids[story_id]
        self._unindex(story_id, centroid)
        centroid.add(doc)
        self._index(story_id, centroid)

    def assign(self, doc: StoryDoc) -> tuple[int | None, float]:
        """The story a document joins, as :func:`assign` decides; the similarity returned when
        it joins none is the best among the stories that could reach ``floor``."""
        return assign(doc, self.candidates(doc), self.threshold)

    def candidates(self, doc: StoryDoc) -> list[tuple[int, Centroid]]:
        """The stories whose cosine with ``doc`` may reach ``floor``, in the order they came."""
        dots: dict[int, float] = defaultdict(float)
        for key, weight in doc.terms.items():
            for story_id, theirs in self._postings.get(key, {}).items():
                dots[story_id] += weight * theirs
        norm = _norm(doc.terms)
        # The sums run in another order than cosine()'s, so a story at the floor is kept by a margin.
        kept = [story_id for story_id, dot in dots.items()
                if dot >= (self.floor - 1e-9) * norm * self._norms[story_id]]
        return [(story_id, self.centroids[story_id]) for story_id in sorted(kept, key=self._order.__getitem__)]

    def _index(self, story_id: int, centroid: Centroid) -> None:
        for key, weight in centroid.terms.items():
            self._postings[key][story_id] = weight
        self._norms[story_id] = _norm(centroid.terms)

    def _unindex(self, story_id: int, centroid: Centroid) -> None:
        for key in centroid.terms:
            stories = self._postings[key]
            del stories[story_id]
            if not stories:
                del self._postings[key]


def assign(doc: StoryDoc, open_stories: Sequence[tuple[int, Centroid]],
           threshold: float = THRESHOLD, window_days: int = WINDOW_DAYS) -> tuple[int | None, float]:
    """The story a document joins.

    Args:
        doc: the new document.
        open_stories: (story id, centroid) of the candidate stories; those outside the window
            are skipped here.
        threshold: the least similarity to join.
        window_days: how long after its last document a story stays open.

    Returns:
        (story id, similarity) of the most similar open story if it reaches ``threshold``,
        else (None, the best similarity seen; 0.0 when no story was open).
    """
    best_id, best, best_last = None, 0.0, None
    event_id, event_best = None, 0.0
    shape = Shape.of(doc.terms)
    for story_id, centroid in open_stories:
        if not is_open(centroid, doc.at, window_days):
            continue
        score = similarity(doc, centroid, shape)
        if best_id is None or score > best or (score == best and centroid.last_at > best_last):
            best_id, best, best_last = story_id, score, centroid.last_at
        if score > event_best and same_event(doc, centroid, shape):
            event_id, event_best = story_id, score
    if best_id is not None and best >= threshold:
        return best_id, best
    if event_id is not None and event_best >= threshold * EVENT_SHARE:
        return event_id, event_best
    return None, best


def event_types_of(terms: Mapping[str, float]) -> frozenset[str]:
    """The event types a vector reports (its document's types, or its documents'), not «other»."""
    return frozenset(key[2:] for key in terms if key.startswith("t:") and key != "t:other")


def same_event(doc: StoryDoc, centroid: Centroid, shape: Shape | None = None) -> bool:
    """Whether a document reports what a story reports, as ACLED and GDELT tell one event from
    another: an event type in common, the same district, within EVENT_DAYS. Two reports of one
    clash can share few words («драка», «столкновение», «подрались»), and one may lead with the
    arrests; this lets them join at a lower similarity (EVENT_SHARE of the threshold).
    ``shape`` is the document's :class:`Shape` when the caller has it."""
    shape, theirs = shape or Shape.of(doc.terms), centroid.shape()
    if not shape.event_types & theirs.event_types:
        return False
    near = abs((doc.at - centroid.last_at).total_seconds()) <= EVENT_DAYS * 86400
    return near and bool(shape.districts & theirs.districts)


def growth(times: Sequence[datetime], now: datetime) -> Growth:
    """A story's growth at ``now`` from its documents' times (later times are ignored).

    Args:
        times: the times of the story's documents.
        now: the moment of the measurement.

    Returns:
        The counts in (now − 24 h, now] and (now − 48 h, now − 24 h], ``rate`` =
        (last + 1) / (previous + 1), and ``breaking`` when last ≥ ``BREAK_MIN`` and rate ≥
        ``BREAK_RATE`` (EMM's breaking news: many documents, growing fast).
    """
    day = timedelta(hours=24)
    last = sum(1 for t in times if now - day < t <= now)
    previous = sum(1 for t in times if now - 2 * day < t <= now - day)
    rate = (last + PSEUDO) / (previous + PSEUDO)
    return Growth(last, previous, round(rate, 3), last >= BREAK_MIN and rate >= BREAK_RATE)


def story_title(docs: Sequence[StoryDoc]) -> str | None:
    """The title of the document nearest the story's centroid (the earliest on a tie); None
    when no document has a title."""
    centroid = centroid_of(docs)
    titled = [doc for doc in docs if doc.title]
    if not titled or centroid is None:
        return None
    return max(titled, key=lambda doc: (similarity(doc, centroid), -doc.at.timestamp(), -doc.id)).title


def centroid_of(docs: Iterable[StoryDoc]) -> Centroid | None:
    """The centroid of some documents (None for none)."""
    centroid = None
    for doc in docs:
        if centroid is None:
            centroid = Centroid.of(doc)
        else:
            centroid.add(doc)
    return centroid


@lru_cache(maxsize=1)
def idf() -> dict[str, float]:
    """Each common lemma's idf relative to the rarest, 0 to 1 (``data/story_idf.tsv``, built by
    ``eval/stories.py --write-idf``); a lemma not listed is rare: 1. Stop words added by hand
    are listed with 0."""
    rows = package_rows("kelisim.warning", "data/story_idf.tsv", IDF_COLUMNS)
    return {row["lemma"]: float(row["idf"]) for row in rows}


@lru_cache(maxsize=1)
def topic_words() -> frozenset[str]:
    """The one-word topic cues of relevance (межэтнический, этнос, диаспора, ұлтаралық, …):
    every document the watch keeps shares them, so they tell no event from another."""
    rows = package_rows("kelisim.understanding", "data/relevance_cues.tsv")
    return frozenset(row["cue"] for row in rows if row.get("kind") == "topic" and " " not in row["cue"])
