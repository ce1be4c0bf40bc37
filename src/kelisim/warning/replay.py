"""Replay: a dated corpus fed through the whole pipeline in time order, and the alerts it fires
as they would have fired, scored against the corpus's manifest (its planted episodes and silent
outlets): detection delay and false alarms per month.

Ingestion and reading go first, in publication order (de-duplication depends on the order;
reading a text does not depend on any other), then the warning stage steps through the days,
each run seeing only what was published by the end of that day. See docs/replay.md.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kelisim.records import RawItem, Skip
from kelisim.warning import stage
from kelisim.warning.outbox import alert_json
from kelisim.warning.rules import Rules
from kelisim.warning.units import end_of_day

log = logging.getLogger(__name__)
SIMULATION_STATE = "simulation"  # set in a store that holds a replay: pages and reports say so
SOURCE_PREFIX = "sim:"  # replayed outlets are sources named so: a simulation, never news
ORIGIN_PREFIX = "replay:"
EPISODE_GRACE_DAYS = 7  # alerts this long after an episode's end still belong to it
SCORED_KINDS = ("spike", "story")
# An episode's posts become visible to a spike rule once a day holds this many (the default
# rules' min_count): one hostile post a day is what background noise looks like.
MIN_PLANTED = 3


class CorpusError(ValueError):
    """A replay corpus that cannot be used: the message says what is missing or wrong."""


@dataclass(frozen=True)
class Corpus:
    """A replay corpus: its folder, manifest and documents file."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def documents_path(self) -> Path:
        """The JSON-lines file of documents."""
        return self.folder / "documents.jsonl"

    @property
    def start(self) -> date:
        """The first day of the corpus."""
        return date.fromisoformat(self.manifest["start"])

    @property
    def end(self) -> date:
        """The last day of the corpus."""
        return date.fromisoformat(self.manifest["end"])


@dataclass
class EpisodeResult:
    """How a planted episode was detected."""

    name: str
    region_kato: str
    district_kato: str | None
    start: date
    end: date
    detectable: date | None = None  # the first day with MIN_PLANTED hostile posts planted
    detected: date | None = None
    delay_days: int | None = None  # from the start
    delay_after_detectable: int | None = None
    first_alert: dict[str, Any] | None = None
    alerts: int = 0


@dataclass
class ReplayReport:
    """What a replay fired and how it scores against the manifest."""

    corpus: str
    start: date
    end: date
    documents: int = 0
    reprints: int = 0
    skipped: int = 0
    read: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)
    episodes: list[EpisodeResult] = field(default_factory=list)
    false_alarms: dict[str, int] = field(default_factory=dict)  # month -> spike/story alerts
    silences_found: list[str] = field(default_factory=list)
    silences_false: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # ingest, read, warning (wall clock)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON (the alerts themselves are written separately)."""
        data = asdict(self)
        data.pop("alerts")
        data["alert_count"] = len(self.alerts)
        return json.loads(json.dumps(data, default=str))


def load_corpus(folder: Path) -> Corpus:
    """Open a replay corpus folder (``manifest.json`` and ``documents.jsonl``)."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file() or not (folder / "documents.jsonl").is_file():
        raise CorpusError(f"{folder} is not a replay corpus: it needs manifest.json and "
                          "documents.jsonl (build one with scripts/build_replay.py)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorpusError(f"{manifest_path}: cannot read the manifest: {error}") from error
    for key in ("start", "end"):
        try:
            date.fromisoformat(str(manifest.get(key)))
        except ValueError:
            raise CorpusError(f"{manifest_path}: {key} must be a date (YYYY-MM-DD)") from None
    return Corpus(folder, manifest)


def records(corpus: Corpus) -> Iterator[dict[str, Any] | Skip]:
    """The corpus's documents as records, or a Skip for a line that cannot be used."""
    with corpus.documents_path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            origin = f"{corpus.documents_path}#{number}"
            try:
                record = json.loads(line)
                _check_record(record)
            except (json.JSONDecodeError, ValueError, TypeError) as error:
                yield Skip(origin, "bad_record", f"line {number}: {error}")
                continue
            yield record


def _check_record(record: Any) -> None:
    if not isinstance(record, dict):
        raise ValueError("a record is a JSON object")
    for key in ("id", "outlet", "published", "text"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise ValueError(f"{key} must be a non-empty string")
    _moment(record["published"])


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def replay(kelisim, corpus: Corpus, rules: Rules, *,
           progress: Callable[[str], None] | None = None) -> ReplayReport:
    """Feed a corpus through the pipeline of ``kelisim`` (a Kelisim) in time order and score
    the alerts fired against the manifest."""
    store = kelisim.store
    report = ReplayReport(str(corpus.folder), corpus.start, corpus.end)
    found = list(records(corpus))
    good = [r for r in found if isinstance(r, dict)]
    bad = [r for r in found if isinstance(r, Skip)]
    for skip in bad:
        log.warning("replay: %s", skip.message)
    sources = _register_outlets(store, corpus, good)
    store.warning.set_state(SIMULATION_STATE, {
        "label": "simulation", "corpus": str(corpus.folder), "start": corpus.start.isoformat(),
        "end": corpus.end.isoformat(), "outlets": SOURCE_PREFIX + "…"})
    _say(progress, "ingesting the corpus in publication order")
    clock = time.perf_counter()
    summary = kelisim.ingest_items(_items(good, sources) + bad, command=f"replay {corpus.folder}")
    report.seconds["ingest"] = round(time.perf_counter() - clock, 1)
    report.documents, report.reprints = summary.added, summary.reprints_exact + summary.reprints_near
    report.skipped = sum(summary.skipped.values())
    _say(progress, "reading the documents")
    clock = time.perf_counter()
    report.read = kelisim.read_pending().read
    report.seconds["read"] = round(time.perf_counter() - clock, 1)
    clock = time.perf_counter()
    day = corpus.start
    while day <= corpus.end:
        _say(progress, f"{day.isoformat()}")
        stage.run(store, rules, end_of_day(day), send=False, backfill_days=0)
        day += timedelta(days=1)
    report.seconds["warning"] = round(time.perf_counter() - clock, 1)
    report.alerts = _fired(store, corpus)
    _score(report, corpus)
    return report


def _say(progress: Callable[[str], None] | None, what: str) -> None:
    if progress:
        progress(what)


def _register_outlets(store, corpus: Corpus, found: list[dict[str, Any]]) -> dict[str, int]:
    """Each outlet of the manifest and the records as a source named ``sim:…``: its id."""
    outlets = [o["name"] for o in corpus.manifest.get("outlets", []) if o.get("name")]
    outlets += sorted({r["outlet"] for r in found} - set(outlets))
    ids = {}
    for outlet in outlets:
        name = SOURCE_PREFIX + outlet
        source = store.get_source(name) or store.add_source(
            name, "file", str(corpus.documents_path), {"simulation": True, "outlet": outlet})
        ids[outlet] = source.id
    return ids


def _items(found: list[dict[str, Any]], sources: dict[str, int]) -> list[RawItem]:
    """The records as raw items of their outlets, in publication order."""
    items = [RawItem(origin=ORIGIN_PREFIX + r["id"], body=r["text"], kind="text",
                     source_id=sources[r["outlet"]], url=r.get("url"), title=r.get("title"),
                     published=_moment(r["published"]),
                     meta={"simulation": True, "episode": r.get("episode"),
                           "dataset": (r.get("origin") or {}).get("dataset")})
             for r in found]
    return sorted(items, key=lambda item: (item.published, item.origin))


def _fired(store, corpus: Corpus) -> list[dict[str, Any]]:
    since = end_of_day(corpus.start - timedelta(days=1))
    until = end_of_day(corpus.end) + timedelta(seconds=1)
    total, page = store.warning.alerts(since=since, until=until, limit=100_000)
    return sorted((alert_json(a) for a in page), key=lambda a: (a["fired_at"], a["id"]))


def _score(report: ReplayReport, corpus: Corpus) -> None:
    episodes = [_episode(e) for e in corpus.manifest.get("episodes", [])]
    silences = {s["outlet"]: date.fromisoformat(s["from"])
                for s in corpus.manifest.get("silences", [])}
    false_alarms: Counter[str] = Counter()
    for alert in report.alerts:
        day = date.fromisoformat(alert["day"]) if alert["day"] else None
        if alert["kind"] == "silence":
            _score_silence(report, alert, silences, day)
            continue
        if alert["kind"] not in SCORED_KINDS or day is None:
            continue
        matched = [e for e in episodes if _belongs(alert, day, e)]
        for episode in matched:
            episode.alerts += 1
            if episode.detected is None or day < episode.detected:
                episode.detected, episode.first_alert = day, alert
                episode.delay_days = (day - episode.start).days
                if episode.detectable is not None:
                    episode.delay_after_detectable = (day - episode.detectable).days
        if not matched:
            false_alarms[day.strftime("%Y-%m")] += 1
    report.episodes = episodes
    months = _months(report.start, report.end)
    report.false_alarms = {month: false_alarms.get(month, 0) for month in months}


def _episode(data: dict[str, Any]) -> EpisodeResult:
    start = date.fromisoformat(data["start"])
    per_day = data.get("hostile_posts_per_day") or []
    first = next((i for i, n in enumerate(per_day) if n >= MIN_PLANTED), None)
    return EpisodeResult(data["name"], data["region_kato"], data.get("district_kato"), start,
                         date.fromisoformat(data["end"]),
                         detectable=start + timedelta(days=first) if first is not None else None)


def _belongs(alert: dict[str, Any], day: date, episode: EpisodeResult) -> bool:
    unit = (alert.get("unit") or {}).get("kato")
    in_place = unit in (episode.region_kato, episode.district_kato)
    window = episode.start <= day <= episode.end + timedelta(days=EPISODE_GRACE_DAYS)
    return in_place and window


def _score_silence(report: ReplayReport, alert: dict[str, Any], silences: dict[str, date],
                   day: date | None) -> None:
    name = ((alert.get("source") or {}).get("name") or "").removeprefix(SOURCE_PREFIX)
    if name in silences and day is not None and day >= silences[name]:
        report.silences_found.append(name)
    else:
        report.silences_false += 1


def _months(start: date, end: date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def write_alerts(alerts: list[dict[str, Any]], out: Path) -> None:
    """Write the alerts fired, one JSON object per line, in the order they fired."""
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as handle:
        for alert in alerts:
            handle.write(json.dumps(alert, ensure_ascii=False, default=str) + "\n")
    tmp.replace(out)
