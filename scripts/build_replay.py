"""Build the replay corpus: a SIMULATION of a dated stream of news and posts from Kazakhstan.

Usage: python scripts/build_replay.py --data DIR --seeds DIR --out DIR [--start 2024-01-01]
       [--days 270] [--per-day 24] [--seed 7] [--episode-start DATE] [--district KATO]

The texts are real (KazNERD, factRuEval-2016, RuEthnoHate, the five seeds); their dates,
outlets and datelines are assigned here. One episode of rising hostility is planted in one
district, and one outlet goes silent, so that ``kelisim replay`` has something to find. The
output folder holds documents.jsonl, manifest.json (the truth to measure against) and a
README; /tmp/doc_replay.md (docs/replay.md) sets out the model. Deterministic for a given seed
and arguments. RuEthnoHate may not be redistributed: the corpus is built, never committed.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import itertools
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import holidays

from kelisim.clean import CleaningError
from kelisim.clean.pipeline import clean_text
from kelisim.dedup import NearDuplicateIndex, signature
from kelisim.places.gazetteer import Gazetteer, Place
from kelisim.places.matcher import PlaceMatcher
from kelisim.prepare import headline
from kelisim.reading.document import TextView
from kelisim.reading.reader import Reader, TextInput, reader_version

# Media weight per region: how much of the national stream is about it (big cities more).
MEDIA_WEIGHT = {
    "750000000": 6.0, "710000000": 5.0, "790000000": 3.0, "350000000": 2.0, "610000000": 2.0,
    "190000000": 1.8, "630000000": 1.5, "310000000": 1.5, "150000000": 1.3, "550000000": 1.2,
    "390000000": 1.2, "230000000": 1.1, "470000000": 1.1, "270000000": 1.0, "110000000": 1.0,
    "430000000": 1.0, "590000000": 0.9, "100000000": 0.9, "330000000": 0.9, "620000000": 0.5,
}
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.6)  # Monday … Sunday
HOLIDAY = 0.5  # a public holiday (holidays.KZ) lowers the day's volume
HOSTILE_SHARE = 0.03  # background: share of documents that are posts labelled hostile (−1)
REGIONAL_SHARE = 0.6  # share of a region's news published by its own outlet
NATIVE_SHARE = 0.5  # chance a slot takes a text that names the region itself, when one is left
CENTRE_WEIGHT = 3.0  # the regional centre's weight among the region's towns (others: 1)
SENTENCES = ((2, 0.65), (3, 0.30), (4, 0.05))  # KazNERD sentences joined into one item
MIN_WORDS = 6
POOL_SIMILARITY = 0.5  # pool texts this similar are dropped (Kelisim links reprints at 0.6)
WARM_UP = 60  # days of history before the episode, at least
EPISODE_SHARE = 0.55  # the episode starts this far into the period (at least WARM_UP days)
EPISODE_DAYS, EPISODE_PEAK = 16, 11  # length, and the day (from 0) of the peak and the clash
EPISODE_LOW, EPISODE_HIGH = 1.0, 6.0  # hostile posts a day naming the district: start, peak
MAX_POST_CHARS = 600  # episode posts are short social posts
SILENT_BEFORE_END = 35  # the silent outlet's last day is this many days before the end
SILENT_REGION = "750000000"  # whose regional outlet goes silent
DISTRICT = "615400000"  # Сарыагашский район, Туркестанская область
UNIFIED_ZONE = date(2024, 3, 1)  # Kazakhstan on UTC+5 everywhere from this day
WEST = frozenset({"150000000", "230000000", "270000000", "430000000", "470000000"})  # UTC+5 before
CLASH_FIRST = ("943144819", "739029145")  # RuEthnoHate posts that report an attack: tried first
CLASH_WORDS = re.compile(r"драк|избил|избив|напал|нападени|стычк|погром|поджог|подожгл|зарезал", re.IGNORECASE)
DEESCALATION = frozenset({"mediation_reconciliation", "meeting_conference", "cultural_unity"})
INTROS = ("Перепечатка сообщения «{src}»:", "Публикуем сообщение, распространённое «{src}»:",
          "Источник — «{src}». Приводим текст полностью:")
NATIONAL_NEWS = (("Сим-Новости", "sim-novosti", ("ru",)), ("Сим-Хабар", "sim-habar", ("kk",)),
                 ("Сим-24", "sim-24", ("ru", "kk")))
SOCIAL = (("Сим-Форум", "sim-forum"), ("Сим-Паблик", "sim-public"), ("Сим-Чат", "sim-chat"),
          ("Сим-Лента", "sim-lenta"))
DATASETS = {
    "kaznerd": ("KazNERD validation split (IS2AI), Kazakh TV news", "CC BY 4.0"),
    "factru": ("factRuEval-2016 dev set, Russian news", "MIT"),
    "ruethnohate": ("RuEthnoHate (Pronoza, Panicheva, Koltsova & Rosso 2021), Russian social media",
                    "no licence stated; research use, cite the paper, do not redistribute"),
    "seed": ("the five seed articles of the Kelisim brief (Kazakhstani news and parliament releases)",
             "their publishers' copyright; quoted for research"),
}


@dataclass(frozen=True)
class Raw:
    """A text as its dataset gives it, not checked yet."""

    dataset: str
    ref: str
    parts: tuple[str, ...]  # KazNERD: its sentences; else the whole text
    hostile: bool = False  # RuEthnoHate: attitude −1 toward some group

    @property
    def body(self) -> str:
        """The text."""
        return " ".join(self.parts)

    @property
    def kind(self) -> str:
        """news, social, or hostile (social posts labelled −1)."""
        return "news" if self.dataset != "ruethnohate" else "hostile" if self.hostile else "social"


@dataclass(frozen=True)
class Text:
    """A usable text: its language and the region (and district) it names itself, if any."""

    raw: Raw
    lang: str
    region: str | None
    district: str | None
    mentions: int  # place mentions of any country

    @property
    def body(self) -> str:
        """The text."""
        return self.raw.body

    @property
    def kind(self) -> str:
        """news or social."""
        return "news" if self.raw.kind == "news" else "social"


@dataclass(frozen=True)
class Found:
    """A text as Kelisim cleans it, with its language and the Kazakhstan units it names."""

    text: str
    lang: str
    regions: frozenset[str]
    districts: frozenset[str]
    mentions: int  # place mentions of any country


@dataclass(frozen=True)
class Outlet:
    """A simulated source."""

    name: str
    slug: str
    kind: str  # news | social
    region: str | None
    languages: tuple[str, ...]
    silent_from: date | None = None

    def live(self, day: date) -> bool:
        """Whether the outlet still publishes on ``day``."""
        return self.silent_from is None or day < self.silent_from


@dataclass(frozen=True)
class Town:
    """A town a dateline may name, with the dateline in each language it resolves in."""

    region: str
    district: str | None  # None for Astana, Almaty, Shymkent
    name: str
    weight: float
    phrases: dict[str, str]


@dataclass(frozen=True)
class Item:
    """One document before numbering: when, who, what and where."""

    key: int
    when: datetime
    outlet: Outlet
    text: Text
    body: str
    region: str
    district: str | None
    dateline: str | None
    episode: str | None = None
    reprint_of: int | None = None


@dataclass(frozen=True)
class Verdict:
    """What Kelisim's reader decided about a text, as far as choosing episode texts needs."""

    hostile: bool
    relevant: bool
    event: str | None
    event_district: str | None
    districts: tuple[str, ...]


class World:
    """Places, outlets and the calendar of one simulation."""

    def __init__(self, start: date, days: int, per_day: float, district: str) -> None:
        """Validate datelines with Kelisim's place matcher and lay out outlets and volumes."""
        self.gaz, self.matcher = Gazetteer.load(), PlaceMatcher.load()
        self.start, self.days, self.end = start, days, start + timedelta(days=days - 1)
        self.towns = self._towns()
        self.district = self.gaz.get(district)
        if self.district is None or self.district.level != "district":
            raise ValueError(f"{district} is not a district in the gazetteer")
        self.region = self.district.region_code
        self.tags = self._district_tags()
        self.outlets = self._outlets()
        self.means = self._means(per_day)

    def places(self, text: str) -> Found:
        """The text as Kelisim cleans it, its language, and the places it names."""
        try:
            cleaned = clean_text(text, "text")
        except CleaningError:
            return Found("", "", frozenset(), frozenset(), 0)
        found = self.matcher.find(TextView.of(cleaned.text, cleaned.lang))
        return Found(cleaned.text, cleaned.lang,
                     frozenset(m.place.region_kato for m in found if m.place.region_kato),
                     frozenset(m.place.district_kato for m in found if m.place.district_kato), len(found))

    def region_phrase(self, region: Place, lang: str) -> str | None:
        """«Жамбылская область», «область Абай», «Жамбыл облысы»; None for the three cities."""
        if region.kind_ru != "область":
            return None
        if lang == "kk":
            return f"{region.name_kk} облысы"
        return f"{region.name_ru} область" if region.name_ru.endswith("ая") else f"область {region.name_ru}"

    def _dateline(self, town: Place, lang: str) -> str:
        """«Тараз, Жамбылская область», «Тараз, Жамбыл облысы»; «Алматы» for a city region."""
        region = self.gaz.region_of(town.code)
        name = town.name_kk if lang == "kk" else town.name_ru
        phrase = self.region_phrase(region, lang)
        return f"{name}, {phrase}" if phrase else name

    def _resolves(self, phrase: str, lang: str, region: str, district: str | None) -> bool:
        """Whether the matcher reads the dateline as this region (and district) and nothing else."""
        found = self.places(with_dateline("Жиналыс өтті." if lang == "kk" else "Прошло собрание.", phrase))
        return found.regions == {region} and (district is None or found.districts == {district})

    def _towns(self) -> dict[str, list[Town]]:
        """The towns of each region whose datelines the matcher resolves, centre first."""
        towns: dict[str, list[Town]] = defaultdict(list)
        for place in sorted(self.gaz, key=lambda p: p.code):
            if place.kind_ru != "город":  # the three city regions are «город» too
                continue
            district = place.district_code or None
            phrases = {lang: self._dateline(place, lang) for lang in ("ru", "kk")}
            phrases = {lang: p for lang, p in phrases.items()
                       if self._resolves(p, lang, place.region_code, district)}
            if phrases:
                weight = 1.0 if towns[place.region_code] else CENTRE_WEIGHT
                towns[place.region_code].append(Town(place.region_code, district, place.name_kk, weight, phrases))
        return towns

    def _district_tags(self) -> list[str]:
        """The episode's datelines: the district, and its towns, each resolving to the district."""
        region = self.gaz.get(self.region)
        tags = [f"{self.district.name_ru} район, {self.region_phrase(region, 'ru')}"]
        tags += [t.phrases["ru"] for t in self.towns[self.region] if t.district == self.district.code and "ru" in t.phrases]
        tags = [tag for tag in tags if self._resolves(tag, "ru", self.region, self.district.code)]
        if not tags:
            raise ValueError(f"no dateline resolves to district {self.district.code}")
        return tags

    def _outlets(self) -> list[Outlet]:
        """National news outlets, one outlet per region and social channels; one goes silent."""
        silent = self.end - timedelta(days=SILENT_BEFORE_END - 1)
        outlets = [Outlet(name, slug, "news", None, langs) for name, slug, langs in NATIONAL_NEWS]
        for region, towns in sorted(self.towns.items()):
            outlets.append(Outlet(f"Сим-{towns[0].name}", f"sim-{region}", "news", region, ("ru", "kk"),
                                  silent if region == SILENT_REGION else None))
        outlets += [Outlet(name, slug, "social", None, ("ru", "kk")) for name, slug in SOCIAL]
        return outlets

    def _means(self, per_day: float) -> dict[date, dict[str, float]]:
        """The Poisson mean of each region on each day; they average ``per_day`` a day."""
        calendar = holidays.country_holidays("KZ", years=range(self.start.year, self.end.year + 1))
        days = [self.start + timedelta(days=i) for i in range(self.days)]
        factor = {d: WEEKDAY[d.weekday()] * (HOLIDAY if d in calendar else 1.0) for d in days}
        scale = per_day * len(days) / sum(factor.values()) / sum(MEDIA_WEIGHT.values())
        return {d: {r: scale * w * factor[d] for r, w in sorted(MEDIA_WEIGHT.items())} for d in days}

    def regional(self, region: str) -> Outlet:
        """The region's own outlet."""
        return next(o for o in self.outlets if o.region == region)

    def news_outlet(self, region: str, lang: str, day: date, rng: random.Random) -> Outlet:
        """The region's outlet most of the time, else a national one publishing in ``lang``."""
        own = self.regional(region)
        if rng.random() < REGIONAL_SHARE and own.live(day):
            return own
        lang = "kk" if lang == "kk" else "ru"
        return rng.choice([o for o in self.outlets if o.kind == "news" and o.region is None
                           and lang in o.languages and o.live(day)])

    def social_outlet(self, rng: random.Random, besides: Iterable[Outlet] = ()) -> Outlet:
        """A social channel, other than ``besides``."""
        return rng.choice([o for o in self.outlets if o.kind == "social" and o not in set(besides)])

    def offset(self, region: str, day: date) -> timezone:
        """Local time: UTC+5 everywhere from 1 March 2024, UTC+6 east of the west before it."""
        return timezone(timedelta(hours=5 if day >= UNIFIED_ZONE or region in WEST else 6))

    def at(self, region: str, day: date, minute: int) -> datetime:
        """The local moment ``minute`` minutes after midnight of ``day`` in ``region``."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.offset(region, day))
        return midnight + timedelta(minutes=minute)


# ----- the pools of real texts -----

def load_raws(data: Path, seeds: Path, rng: random.Random) -> list[Raw]:
    """Every text of the four datasets, KazNERD's sentences joined 2–4 at a time."""
    return [*kaznerd_raws(data / "kaznerd" / "IOB2_valid.txt", rng), *factru_raws(data / "factru-dev"),
            *ruethnohate_raws(data / "ruethnohate" / "dev.jsonl"), *seed_raws(seeds)]


def kaznerd_sentences(path: Path) -> list[str]:
    """KazNERD's sentences as text: IOB2 tokens one per line, a blank line between sentences."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            tokens.append(line.rsplit(" ", 1)[0])
        elif tokens:
            sentences.append(_detokenize(tokens))
            tokens = []
    return sentences


def _detokenize(tokens: list[str]) -> str:
    """Tokens joined as written: no space before «.,)»» nor after «(«»."""
    text = tokens[0]
    for before, token in itertools.pairwise(tokens):
        glued = token in {".", ",", ";", ":", "!", "?", ")", "»", "]", "%", "…"} or before in {"(", "«", "["}
        text += token if glued else " " + token
    return text


def kaznerd_raws(path: Path, rng: random.Random) -> Iterable[Raw]:
    """Consecutive sentences (one story, as the set keeps its order) 2–4 at a time."""
    sentences, (sizes, weights) = kaznerd_sentences(path), zip(*SENTENCES)
    i = 0
    while i < len(sentences):
        j = min(len(sentences), i + rng.choices(sizes, weights)[0])
        yield Raw("kaznerd", f"IOB2_valid.txt#{i + 1}-{j}", tuple(sentences[i:j]))
        i = j


def factru_raws(folder: Path) -> Iterable[Raw]:
    """factRuEval's dev news, one text per .txt."""
    for path in sorted(folder.glob("*.txt")):
        yield Raw("factru", path.stem, (path.read_text(encoding="utf-8").strip(),))


def ruethnohate_raws(path: Path) -> Iterable[Raw]:
    """RuEthnoHate's texts, one per text_id, hostile when any group is labelled −1."""
    texts: dict[int, str] = {}
    hostile: dict[int, bool] = defaultdict(bool)
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts.setdefault(record["text_id"], record["text"])
        hostile[record["text_id"]] |= record["class"] == -1
    for text_id, raw in texts.items():
        yield Raw("ruethnohate", str(text_id), (social_text(raw),), hostile[text_id])


def social_text(raw: str) -> str:
    """A RuEthnoHate text without its HTML remnants and escaped quotes."""
    text = html.unescape(re.sub(r"<(?!br)[^>]*>", "", raw))
    text = re.sub(r"<br\s*/?>", "\n", text).replace('\\"', '"').replace("\\", '"')
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def seed_raws(folder: Path) -> Iterable[Raw]:
    """The seed articles."""
    for path in sorted(folder.glob("*.txt")):
        yield Raw("seed", path.name, (path.read_text(encoding="utf-8").rstrip(),))


class Pools:
    """The texts not used yet: a shuffled stack per kind (news, social, hostile), each text
    checked when drawn. A text naming several regions is dropped (KazNERD's groups are split
    into sentences first), and so are short ones, other languages, and near-duplicates of a
    text checked earlier. A text naming another region waits for a slot of its own region."""

    def __init__(self, raws: Iterable[Raw], world: World, rng: random.Random) -> None:
        """Stack and shuffle ``raws``; the seeds go into the top four fifths of theirs, so that
        a full-length corpus uses them all."""
        self.world, self.dropped, self.index = world, Counter(), NearDuplicateIndex(POOL_SIMILARITY)
        self.splits = 0  # KazNERD groups naming two regions, split into their sentences
        self.stacks: dict[str, list[Raw]] = {kind: [] for kind in ("news", "social", "hostile")}
        self.waiting: dict[str, dict[str, list[Text]]] = {kind: defaultdict(list) for kind in self.stacks}
        self.checked: dict[Raw, Text | None] = {}
        for raw in raws:
            self.stacks[raw.kind].append(raw)
        for stack in self.stacks.values():
            rng.shuffle(stack)
            for raw in [r for r in stack if r.dataset == "seed"]:
                stack.remove(raw)
                stack.insert(rng.randrange(len(stack) // 5, len(stack) + 1), raw)

    def left(self, kind: str) -> int:
        """How many texts of ``kind`` are unused (checked or not)."""
        return len(self.stacks[kind]) + sum(map(len, self.waiting[kind].values()))

    def take(self, kind: str, region: str, rng: random.Random) -> Text | None:
        """A text for a slot of ``region``: half the time one that names it, if one waits."""
        waiting, stack = self.waiting[kind].get(region), self.stacks[kind]
        if waiting and rng.random() < NATIVE_SHARE:
            return waiting.pop()
        while stack:
            text = self.check(stack.pop())
            if text and text.region in (None, region):
                return text
            if text:
                self.waiting[kind][text.region].append(text)
        return waiting.pop() if waiting else None

    def candidates(self, kinds: Iterable[str], keep: Callable[[Raw], bool],
                   order: Callable[[Raw], object] | None = None) -> Iterable[Text]:
        """Usable unchecked-or-checked texts of ``kinds`` that ``keep`` accepts, from the top
        of their stacks (or in ``order``); they stay in the pools until ``remove``d."""
        raws = [raw for kind in kinds for raw in reversed(self.stacks[kind]) if keep(raw)]
        for raw in sorted(raws, key=order) if order else raws:
            text = self.check(raw)
            if text:
                yield text

    def remove(self, text: Text) -> None:
        """Take ``text`` out of the pools (the episode uses it)."""
        self.stacks[text.raw.kind].remove(text.raw)

    def check(self, raw: Raw) -> Text | None:
        """The text placed by Kelisim's place matcher, or None when it cannot be used."""
        if raw not in self.checked:
            found = self.world.places(raw.body)
            reason = _unusable(found) or self._duplicate(found)
            if reason == "names several regions" and len(raw.parts) > 1:
                reason, self.splits = "split", self.splits + 1
                self.stacks[raw.kind] += [Raw(raw.dataset, _sentence_ref(raw, k), (part,))
                                          for k, part in enumerate(raw.parts)]
            elif reason:
                self.dropped[reason] += 1
            self.checked[raw] = None if reason else Text(
                raw, found.lang, next(iter(found.regions), None),
                next(iter(found.districts)) if len(found.districts) == 1 else None, found.mentions)
        return self.checked[raw]

    def _duplicate(self, found: Found) -> str | None:
        """«near-duplicate» when a text checked earlier is this similar; else index it."""
        sig = signature(found.text)
        if self.index.find(sig) is not None:
            return "near-duplicate"
        self.index.add(len(self.index), sig)
        return None


def _sentence_ref(raw: Raw, k: int) -> str:
    """The ref of the ``k``-th sentence of a KazNERD group («IOB2_valid.txt#12-12»)."""
    first = int(raw.ref.rsplit("#", 1)[1].split("-")[0]) + k
    return f"IOB2_valid.txt#{first}-{first}"


def _unusable(found: Found) -> str | None:
    """Why a text cannot be used, or None."""
    if found.lang not in ("ru", "kk", "mixed"):
        return "not Russian or Kazakh"
    if len(found.text.split()) < MIN_WORDS:
        return "too short"
    return "names several regions" if len(found.regions) > 1 else None


class PoolsExhausted(RuntimeError):
    """The period and volume asked for need more texts than the pools hold."""


# ----- the reader's verdicts, for choosing episode texts -----

_VERDICTS: dict[str, Verdict] = {}


def verdicts(texts: list[str]) -> list[Verdict]:
    """Kelisim's reading of each text, cleaned as the pipeline cleans it (remembered)."""
    todo = [text for text in dict.fromkeys(texts) if text not in _VERDICTS]
    for start in range(0, len(todo), 16):
        batch = todo[start:start + 16]
        cleaned = [clean_text(text, "text") for text in batch]
        inputs = [TextInput(str(i), c.text, c.lang) for i, c in enumerate(cleaned)]
        _VERDICTS.update(zip(batch, map(_verdict, Reader.load().read_batch(inputs))))
    return [_VERDICTS[text] for text in texts]


def _verdict(reading) -> Verdict:
    """The decisions of one reading that the choice of episode texts looks at."""
    event = reading.event
    place = event.place.place if event and event.place else None
    return Verdict(bool(reading.hostility and reading.hostility.hostile),
                   bool(reading.relevance and reading.relevance.relevant),
                   event.type if event else None, place.district_kato if place else None,
                   tuple(sorted({m.place.district_kato for m in reading.places if m.place.district_kato})))


# ----- the planted episode -----

def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth; means here are small)."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k, p = k + 1, p * rng.random()
    return k


def episode_rate(day: int) -> float:
    """Hostile posts a day naming the district: up from LOW to HIGH at the peak, back to LOW."""
    if day <= EPISODE_PEAK:
        return EPISODE_LOW + (EPISODE_HIGH - EPISODE_LOW) * day / EPISODE_PEAK
    return EPISODE_HIGH - (EPISODE_HIGH - EPISODE_LOW) * (day - EPISODE_PEAK) / (EPISODE_DAYS - 1 - EPISODE_PEAK)


def with_dateline(body: str, phrase: str) -> str:
    """«Phrase.» as a sentence of its own before the body (after its headline line, if any), so
    that the body's first word still opens a sentence."""
    if headline(body, "text"):
        first, rest = body.split("\n", 1)
        return f"{first}\n{phrase}. {rest.lstrip()}"
    return f"{phrase}. {body}"


class EpisodePlanner:
    """Chooses and dates the episode's texts, each checked with Kelisim's reader."""

    def __init__(self, world: World, pools: Pools, first: date, rng: random.Random, keys) -> None:
        """Plan the episode starting on ``first``; ``keys`` numbers the items."""
        self.world, self.pools, self.first, self.rng, self.keys = world, pools, first, rng, keys
        self.name = f"hostility-{world.district.code}-{first.isoformat()}"
        self.items: list[Item] = []
        self.roles: dict[int, str] = {}  # item key → post | clash | deescalation (| … reprint)

    def plan(self) -> list[Item]:
        """Hostile posts day by day, the clash story at the peak, de-escalation on the last day."""
        counts = [max(1, poisson(self.rng, episode_rate(k))) for k in range(EPISODE_DAYS)]
        posts = iter(self._posts(sum(counts)))
        for k, count in enumerate(counts):
            for _ in range(count):
                text, tag = next(posts)
                when = self._when(k, self.rng.randrange(8 * 60, 24 * 60))
                self._add(when, self.world.social_outlet(self.rng), text, with_dateline(text.body, tag), tag, "post")
        self._story(*self._clash(), "clash", k=EPISODE_PEAK, minute=self.rng.randrange(9 * 60, 12 * 60))
        self._story(*self._deescalation(), "deescalation", k=EPISODE_DAYS - 1, minute=11 * 60)
        return self.items

    def _when(self, k: int, minute: int) -> datetime:
        """Local time on day ``k`` of the episode."""
        return self.world.at(self.world.region, self.first + timedelta(days=k), minute)

    def _add(self, when: datetime, outlet: Outlet, text: Text, body: str, tag: str, role: str,
             reprint_of: int | None = None) -> int:
        """Record an episode item in its role; returns its key."""
        key = next(self.keys)
        self.roles[key] = role
        self.items.append(Item(key, when, outlet, text, body, self.world.region, self.world.district.code,
                               tag, self.name, reprint_of))
        return key

    def _posts(self, needed: int) -> list[tuple[Text, str]]:
        """``needed`` posts labelled hostile that name no place and that Kelisim reads as hostile
        and in the district under their tag."""
        chosen: list[tuple[Text, str]] = []
        candidates = (t for t in self.pools.candidates(["hostile"], lambda r: len(r.body) <= MAX_POST_CHARS)
                      if t.mentions == 0)
        while len(chosen) < needed:
            batch = [(t, self.rng.choice(self.world.tags)) for t in itertools.islice(candidates, 24)]
            if not batch:
                raise PoolsExhausted(f"only {len(chosen)} of {needed} hostile posts read as hostile")
            for (text, tag), v in zip(batch, verdicts([with_dateline(t.body, tag) for t, tag in batch])):
                if v.hostile and self.world.district.code in v.districts and len(chosen) < needed:
                    chosen.append((text, tag))
        for text, _ in chosen:
            self.pools.remove(text)
        return chosen

    def _clash(self) -> tuple[Text, str, str, list[Outlet]]:
        """A post Kelisim reads as a violent clash in the district, in every version published;
        the posts of CLASH_FIRST first."""
        first = self.world.social_outlet(self.rng)
        outlets = [first, self._regional(), self._national("ru"), self.world.social_outlet(self.rng, [first])]
        keep = lambda r: len(r.body) <= 400 and bool(CLASH_WORDS.search(r.body))
        rank = {ref: n for n, ref in enumerate(CLASH_FIRST)}
        candidates = self.pools.candidates(["social", "hostile"], keep, lambda r: rank.get(r.ref, len(rank)))
        return self._first_read_as((t for t in candidates if t.mentions == 0), outlets, {"violent_clash"},
                                   "a violent clash")

    def _deescalation(self) -> tuple[Text, str, str, list[Outlet]]:
        """The first seed (in name order) naming no region that Kelisim reads as a meeting,
        mediation or unity event in the district once datelined there."""
        seeds = self.pools.candidates(["news"], lambda r: r.dataset == "seed", lambda r: r.ref)
        return self._first_read_as((t for t in seeds if t.region is None), [self._regional(), self._national("ru")],
                                   DEESCALATION, "de-escalation")

    def _first_read_as(self, candidates: Iterable[Text], outlets: list[Outlet], events: frozenset[str] | set[str],
                       what: str) -> tuple[Text, str, str, list[Outlet]]:
        """The first candidate whose every version (original and reprints) Kelisim reads as one
        of ``events`` in the district; it leaves the pools."""
        tag = self.world.tags[0]
        for chunk in iter(lambda: list(itertools.islice(candidates, 16)), []):
            bodies = [with_dateline(text.body, tag) for text in chunk]
            for text, body, verdict in zip(chunk, bodies, verdicts(bodies)):
                reprints = [self._reprint(body, outlets[0], n) for n in range(len(outlets) - 1)]
                if self._reads_as(verdict, events) and all(self._reads_as(v, events) for v in verdicts(reprints)):
                    self.pools.remove(text)
                    return text, body, tag, outlets
        raise PoolsExhausted(f"no text reads as {what} in district {self.world.district.code}")

    def _reads_as(self, verdict: Verdict, events: frozenset[str] | set[str]) -> bool:
        """A relevant text of one of ``events`` placed in the episode's district."""
        return verdict.relevant and verdict.event in events and verdict.event_district == self.world.district.code

    def _story(self, text: Text, body: str, tag: str, outlets: list[Outlet], role: str, *, k: int,
               minute: int) -> None:
        """The original, then each reprint a few hours later, all within a day."""
        when = self._when(k, minute)
        original = self._add(when, outlets[0], text, body, tag, role)
        for n, outlet in enumerate(outlets[1:]):
            when += timedelta(minutes=self.rng.randrange(60, 240))
            self._add(when, outlet, text, self._reprint(body, outlets[0], n), tag, f"{role} reprint", original)

    @staticmethod
    def _reprint(body: str, source: Outlet, n: int) -> str:
        """The same text under an intro line crediting the outlet that published it first."""
        return f"{INTROS[n % len(INTROS)].format(src=source.name)}\n{body}"

    def _regional(self) -> Outlet:
        """The episode region's own outlet, or a national one when it has gone silent."""
        own = self.world.regional(self.world.region)
        return own if own.live(self.first + timedelta(days=EPISODE_DAYS)) else self._national("ru")

    def _national(self, lang: str) -> Outlet:
        """The first national news outlet publishing in ``lang``."""
        return next(o for o in self.world.outlets if o.kind == "news" and o.region is None and lang in o.languages)


# ----- the background stream -----

def background(world: World, pools: Pools, rng: random.Random, keys, progress: Callable[[str], None]) -> list[Item]:
    """Each region's documents of each day: a Poisson count around its mean."""
    items: list[Item] = []
    for n, (day, means) in enumerate(world.means.items(), start=1):
        for region, mean in means.items():
            items += [_slot(world, pools, day, region, rng, next(keys)) for _ in range(poisson(rng, mean))]
        if n % 30 == 0 or n == world.days:
            progress(f"day {n}/{world.days}: {len(items):,} documents")
    return items


def _slot(world: World, pools: Pools, day: date, region: str, rng: random.Random, key: int) -> Item:
    """One document of ``region`` on ``day``: a hostile post now and then, else news or a
    post in the proportion the pools still hold."""
    while True:
        text = _take(pools, region, rng)
        placed = _place(world, text, region, rng)
        if placed:
            break
        pools.dropped["dateline does not resolve in context"] += 1
    body, district, dateline = placed
    outlet = world.news_outlet(region, text.lang, day, rng) if text.kind == "news" else world.social_outlet(rng)
    minute = rng.randrange(7 * 60, (22 if text.kind == "news" else 24) * 60)
    return Item(key, world.at(region, day, minute), outlet, text, body, region, district, dateline)


def _take(pools: Pools, region: str, rng: random.Random) -> Text:
    """The next text for a slot of ``region``."""
    news, social = pools.left("news"), pools.left("social")
    if rng.random() < HOSTILE_SHARE and pools.left("hostile"):
        kinds = ["hostile"]
    else:
        kinds = ["social", "news"] if rng.random() * (news + social) < social else ["news", "social"]
    for kind in kinds + ["news", "social"]:
        text = pools.take(kind, region, rng)
        if text:
            return text
    raise PoolsExhausted("the pools are used up: lower --per-day or --days")


def _place(world: World, text: Text, region: str, rng: random.Random) -> tuple[str, str | None, str | None] | None:
    """The body as published, its district and dateline: as it is when the text names the
    region, else under the dateline of one of the region's towns; None if that does not resolve."""
    if text.region:
        return text.body, text.district, None
    lang = "kk" if text.lang == "kk" else "ru"
    towns = [t for t in world.towns[region] if lang in t.phrases]
    town = rng.choices(towns, [t.weight for t in towns])[0]
    body = with_dateline(text.body, town.phrases[lang])
    found = world.places(body)
    if found.regions != {region} or (town.district and found.districts != {town.district}):
        return None
    return body, town.district, town.phrases[lang]


def without_duplicates(items: list[Item], dropped: Counter) -> list[Item]:
    """The stream without what Kelisim would link as a reprint though none was meant: such a
    background document is dropped (a short text under a common dateline can come close)."""
    while True:
        drop = _undeclared_reprints(items)
        if not drop:
            return items
        dropped["near-duplicate in the stream"] += len(drop)
        items = [item for item in items if item.key not in drop]


def _undeclared_reprints(items: list[Item]) -> set[int]:
    """Keys of background items that match an earlier document in time order (or that an
    episode item matches)."""
    index, drop = NearDuplicateIndex(0.6), set()
    planted = {item.key for item in items if item.episode is not None}
    for item in sorted(items, key=_order):
        if item.reprint_of is not None:
            continue
        sig = _signature(item.body)
        match = index.find(sig)
        if match is not None and item.key not in planted:
            drop.add(item.key)
            continue
        if match is not None and match.doc_id not in planted:
            drop.add(match.doc_id)
        index.add(item.key, sig)
    return drop


@cache
def _signature(body: str) -> bytes:
    """The MinHash signature Kelisim computes for a text, from its cleaned form."""
    return signature(clean_text(body, "text").text)


def _order(item: Item) -> tuple[datetime, int]:
    """Publication order: the moment in UTC, then the order of making."""
    return item.when.astimezone(UTC), item.key


# ----- writing -----

def number(items: list[Item]) -> list[tuple[str, Item]]:
    """Items in publication order with their ids."""
    ordered = sorted(items, key=_order)
    return [(f"sim-{n:06d}", item) for n, item in enumerate(ordered, start=1)]


def record(doc_id: str, item: Item, ids: dict[int, str]) -> dict:
    """The JSON line of one document."""
    return {
        "id": doc_id, "outlet": item.outlet.name, "published": item.when.isoformat(), "title": None,
        "text": item.body, "url": f"https://sim.kelisim.invalid/{item.outlet.slug}/{doc_id}",
        "origin": {"dataset": item.text.raw.dataset, "ref": item.text.raw.ref},
        "episode": item.episode, "reprint_of": ids[item.reprint_of] if item.reprint_of is not None else None,
        "place": {"region_kato": item.region, "district_kato": item.district, "dateline": item.dateline},
    }


def fingerprint(paths: Iterable[Path]) -> str:
    """SHA-256 over the files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def dataset_files(data: Path, seeds: Path) -> dict[str, list[Path]]:
    """The files each dataset is read from."""
    return {"kaznerd": [data / "kaznerd" / "IOB2_valid.txt"], "factru": sorted((data / "factru-dev").glob("*.txt")),
            "ruethnohate": [data / "ruethnohate" / "dev.jsonl"], "seed": sorted(seeds.glob("*.txt"))}


def _manifest(world: World, arguments: dict, numbered: list[tuple[str, Item]], planner: EpisodePlanner,
              raws: list[Raw], pools: Pools, files: dict[str, list[Path]]) -> dict:
    """What was simulated, for ``kelisim replay`` to be measured against."""
    ids = {item.key: doc_id for doc_id, item in numbered}
    silent = [o for o in world.outlets if o.silent_from]
    return {
        "simulation": True,
        "about": ("A SIMULATION: real texts from public datasets with assigned dates, outlets and "
                  "datelines, and one planted episode of rising hostility; see README.md."),
        "start": world.start.isoformat(), "end": world.end.isoformat(), "seed": arguments["seed"],
        "arguments": arguments, "reader_version": reader_version(), "documents": len(numbered),
        "outlets": [{"name": o.name, "kind": o.kind, "region_kato": o.region, "languages": list(o.languages),
                     "silent_from": o.silent_from.isoformat() if o.silent_from else None} for o in world.outlets],
        "episodes": [_episode(world, planner, ids)],
        "silences": [{"outlet": o.name, "from": o.silent_from.isoformat()} for o in silent],
        "counts": _counts(numbered, raws, pools),
        "datasets": [{"name": name, "what": DATASETS[name][0], "licence": DATASETS[name][1],
                      "files": len(paths), "sha256": fingerprint(paths)} for name, paths in files.items()],
    }


def _episode(world: World, planner: EpisodePlanner, ids: dict[int, str]) -> dict:
    """The planted episode: where, when, and its documents by role."""
    region = world.gaz.get(world.region)
    by_role: dict[str, list[Item]] = defaultdict(list)
    for item in sorted(planner.items, key=lambda it: ids[it.key]):
        by_role[planner.roles[item.key]].append(item)
    daily = Counter((it.when.date() - planner.first).days for it in by_role["post"])

    def story(role: str) -> dict:
        original = by_role[role][0]
        return {"original": ids[original.key], "reprints": [ids[it.key] for it in by_role[f"{role} reprint"]],
                "origin": {"dataset": original.text.raw.dataset, "ref": original.text.raw.ref}}

    return {
        "name": planner.name, "kind": "hostility", "region_kato": world.region,
        "district_kato": world.district.code, "district": f"{world.district.name_ru} район",
        "region": world.region_phrase(region, "ru") or region.name_ru,
        "start": planner.first.isoformat(), "peak": (planner.first + timedelta(days=EPISODE_PEAK)).isoformat(),
        "end": (planner.first + timedelta(days=EPISODE_DAYS - 1)).isoformat(),
        "documents": sorted(ids[it.key] for it in planner.items),
        "hostile_posts": [ids[it.key] for it in by_role["post"]],
        "hostile_posts_per_day": [daily[k] for k in range(EPISODE_DAYS)],
        "clash": story("clash"), "deescalation": story("deescalation"),
    }


def _counts(numbered: list[tuple[str, Item]], raws: list[Raw], pools: Pools) -> dict:
    """Documents by dataset, region, kind, outlet and language; the pools used and left."""
    items = [item for _, item in numbered]
    return {
        "by_dataset": dict(sorted(Counter(it.text.raw.dataset for it in items).items())),
        "by_region": dict(sorted(Counter(it.region for it in items).items())),
        "by_kind": dict(sorted(Counter(it.outlet.kind for it in items).items())),
        "by_language": dict(sorted(Counter(it.text.lang for it in items).items())),
        "by_outlet": dict(sorted(Counter(it.outlet.name for it in items).items())),
        "datelined": sum(it.dateline is not None for it in items),
        "reprints": sum(it.reprint_of is not None for it in items),
        "labelled_hostile": sum(it.text.raw.hostile for it in items),
        "pool_texts": dict(sorted(Counter(raw.dataset for raw in raws).items())),
        "pool_dropped": dict(sorted(pools.dropped.items())),
        "kaznerd_groups_split": pools.splits,
        "pool_left": {kind: pools.left(kind) for kind in ("news", "social", "hostile")},
    }


def write(out: Path, numbered: list[tuple[str, Item]], manifest: dict) -> None:
    """documents.jsonl, manifest.json and README.md into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    ids = {item.key: doc_id for doc_id, item in numbered}
    with (out / "documents.jsonl").open("w", encoding="utf-8", newline="\n") as lines:
        for doc_id, item in numbered:
            lines.write(json.dumps(record(doc_id, item, ids), ensure_ascii=False) + "\n")
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(readme(manifest), encoding="utf-8")


def readme(manifest: dict) -> str:
    """The corpus README; its first line says it is a simulation."""
    episode, counts, silence = manifest["episodes"][0], manifest["counts"], manifest["silences"][0]
    datasets = "\n".join(f"- `{d['name']}`: {d['what']}; licence: {d['licence']}; {d['files']} file(s), "
                         f"sha256 `{d['sha256'][:16]}…`" for d in manifest["datasets"])
    by_dataset = ", ".join(f"{name} {n:,}" for name, n in counts["by_dataset"].items())
    clash, calm = episode["clash"], episode["deescalation"]
    return f"""# SIMULATION — not a record of real events: real texts with assigned dates, outlets and datelines

Built by `scripts/build_replay.py {_args(manifest['arguments'])}` for `kelisim replay`.
Every text is real and published elsewhere, but **where and when it appears here is made up**:
the dates, the outlets (all named «Сим-…», URLs under `sim.kelisim.invalid`) and the datelines
are assigned by the script. Nothing here happened in {episode['district']}.

## What is in it

{manifest['documents']:,} documents from {manifest['start']} to {manifest['end']} ({by_dataset}), in
publication order in `documents.jsonl`. `manifest.json` holds the truth to measure against: the
episode, the silent outlet, every outlet; each document says where it was placed (`place`) and
whether it belongs to the episode (`episode`) or reprints another (`reprint_of`).

{datasets}

RuEthnoHate may not be redistributed: do not commit or share this folder; build it.

## How it was made

- Volume: each region's documents a day are a Poisson draw around a mean proportional to a
  media weight (Almaty, Astana, Shymkent largest), ×0.6 at weekends and ×0.5 on public holidays.
- A text that names a place in Kazakhstan is placed in that region. Every other text gets a
  **dateline** written by the simulation, a sentence of its own naming a real town and its
  region («Тараз, Жамбылская область. …», «Тараз, Жамбыл облысы. …»): {counts['datelined']:,}
  documents. Kelisim's place matcher finds each document's region, and only that one.
- Background hostility: about {HOSTILE_SHARE:.0%} of documents are social posts labelled hostile
  in RuEthnoHate, over all regions and months ({counts['labelled_hostile']:,} with the episode's).
- No text appears twice, except the declared reprints; texts Kelisim would take for reprints
  of one another were dropped.

## The planted episode

`{episode['name']}`: {episode['district']}, {episode['region']} (KATO {episode['district_kato']}),
{episode['start']} to {episode['end']}, {len(episode['documents'])} documents.

- Hostile posts naming the district rise from about {EPISODE_LOW:g} to {EPISODE_HIGH:g} a day and
  fall back: {episode['hostile_posts_per_day']}.
- {episode['peak']}: a post on a violent clash (RuEthnoHate {clash['origin']['ref']}), datelined
  in the district, reprinted by {len(clash['reprints'])} other outlets within the day.
- {episode['end']}: de-escalation, a round table (seed `{calm['origin']['ref']}`) datelined in
  the district, and {len(calm['reprints'])} reprint.

These texts were chosen because Kelisim's reader (version {manifest['reader_version']}) reads them
so: hostile, a violent clash, a meeting, each placed in the district.

## The silent outlet

«{silence['outlet']}» publishes nothing from {silence['from']} on.

## What it can and cannot show

It measures the warning stage (stories, the tension index, baselines, alerts, silent sources)
on a stream whose truth is known: detection delay and false alarms a month. It does not
measure reading: the episode's texts were chosen because the reader reads them as intended,
places come from datelines, and the Russian texts are mostly not about Kazakhstan.
"""


def _args(arguments: dict) -> str:
    """The build's arguments as command-line options."""
    return " ".join(f"--{k.replace('_', '-')} {v}" for k, v in arguments.items() if v is not None)


# ----- the entry point -----

def build(data: Path, seeds: Path, out: Path, *, start: date = date(2024, 1, 1), days: int = 270,
          per_day: float = 24.0, seed: int = 7, episode_start: date | None = None,
          district: str = DISTRICT, progress: Callable[[str], None] | None = None) -> dict:
    """Build the replay corpus.

    Args:
        data: the shared data folder (kaznerd/, factru-dev/, ruethnohate/).
        seeds: the folder of the five seed articles.
        out: the folder to write documents.jsonl, manifest.json and README.md into.
        start: the first day; days: the length of the period.
        per_day: documents a day on average, before the episode's.
        seed: the random seed; the same seed and arguments give the same bytes.
        episode_start: the episode's first day; by default 55% into the period, after at least
            60 days.
        district: the KATO code of the episode's district.
        progress: called with a line of progress now and then.

    Returns:
        The manifest, also written to ``out/manifest.json``.
    """
    say = progress or (lambda line: None)
    first = episode_start or start + timedelta(days=max(WARM_UP, round(days * EPISODE_SHARE)))
    _check_period(start, days, first)
    say("checking datelines")
    world = World(start, days, per_day, district)
    raws = load_raws(Path(data), Path(seeds), random.Random(f"{seed}:pools"))
    pools = Pools(raws, world, random.Random(f"{seed}:order"))
    say(f"{len(raws):,} texts; choosing the episode's with Kelisim's reader")
    keys = itertools.count(1)
    planner = EpisodePlanner(world, pools, first, random.Random(f"{seed}:episode"), keys)
    episode = planner.plan()
    stream = background(world, pools, random.Random(f"{seed}:stream"), keys, say)
    say("checking the stream for near-duplicates")
    numbered = number(without_duplicates(episode + stream, pools.dropped))
    arguments = {"start": start.isoformat(), "days": days, "per_day": per_day, "seed": seed,
                 "episode_start": first.isoformat(), "district": district}
    manifest = _manifest(world, arguments, numbered, planner, raws, pools, dataset_files(Path(data), Path(seeds)))
    write(Path(out), numbered, manifest)
    return manifest


def _check_period(start: date, days: int, first: date) -> None:
    """The episode needs WARM_UP days before it and must end inside the period."""
    if (first - start).days < WARM_UP:
        raise ValueError(f"the episode must start at least {WARM_UP} days after {start}")
    if (first - start).days + EPISODE_DAYS > days:
        raise ValueError(f"the episode ({EPISODE_DAYS} days from {first}) does not fit in {days} days")
    if days <= SILENT_BEFORE_END + 28:
        raise ValueError(f"at least {SILENT_BEFORE_END + 29} days are needed for the silent outlet")


def main(argv: list[str] | None = None) -> int:
    """Command line: build the corpus and print its counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--seeds", type=Path, required=True, help="the folder of the seed articles")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the corpus into")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--days", type=int, default=270)
    parser.add_argument("--per-day", type=float, default=24.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--episode-start", type=date.fromisoformat, default=None)
    parser.add_argument("--district", default=DISTRICT, help="KATO code of the episode's district")
    args = parser.parse_args(argv)
    began = time.monotonic()
    progress = lambda line: print(f"\r{line:<70}", end="", file=sys.stderr, flush=True)
    try:
        manifest = build(args.data, args.seeds, args.out, start=args.start, days=args.days, per_day=args.per_day,
                         seed=args.seed, episode_start=args.episode_start, district=args.district,
                         progress=progress)
    except (PoolsExhausted, ValueError) as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    counts, episode = manifest["counts"], manifest["episodes"][0]
    print(f"\r{manifest['documents']:,} documents in {time.monotonic() - began:.0f} s -> {args.out}", file=sys.stderr)
    print(json.dumps({"documents": manifest["documents"], "episode": episode["name"],
                      "episode_documents": len(episode["documents"]), "silences": manifest["silences"],
                      **counts}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
