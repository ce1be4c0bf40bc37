"""Deciding the alerts of a day: spikes against the baseline, saved searches, silent sources,
breaking stories. Each alert is stored under a key that names what it is about, so that
evaluating the same day again refreshes its evidence instead of raising it twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kelisim.store.views import UnitDay, UnitDocument
from kelisim.text.terms import query_terms
from kelisim.warning.baseline import DayCount, Surprise, expected, is_spike
from kelisim.warning.rules import Rules, SearchRule, SpikeRule
from kelisim.warning.severity import conflict_types, severity
from kelisim.warning.units import day_bounds, local_day, region_of, unit_name

WINDOW = 56  # days of history a baseline looks at
EVIDENCE_DOCUMENTS = 10
SOURCE_ITEMS = 60  # a source's latest items, whose gaps tell how long it is usually quiet
SPANS_PER_DOCUMENT = 3
_SPANS_OF = {"conflict": "event", "hostile": "hostility", "attention": "relevance"}
_WHAT = {"conflict": "Всплеск сообщений о конфликтах", "hostile": "Всплеск враждебных публикаций",
         "attention": "Всплеск внимания к межэтнической теме"}


@dataclass
class Draft:
    """An alert decided, before it is stored, with the channels it goes to."""

    fields: dict[str, Any]
    channels: tuple[str, ...] = ()


@dataclass
class Evaluation:
    """The alerts decided for one day."""

    day: date
    drafts: list[Draft] = field(default_factory=list)


def evaluate(store, rules: Rules, day: date, as_of: datetime) -> Evaluation:
    """Every alert the rules raise for ``day``, as known at ``as_of``."""
    found = Evaluation(day)
    first_day, _last = store.warning.day_range()
    if first_day is not None:
        for level in sorted({rule.level for rule in rules.spikes}):
            found.drafts += _spikes(store, rules, level, day, as_of, first_day)
    for rule in rules.searches:
        found.drafts += _search(store, rule, day, as_of)
    if rules.silence is not None:
        found.drafts += _silences(store, rules, as_of)
    if rules.stories is not None and rules.stories.enabled:
        found.drafts += _stories(store, rules, day, as_of)
    return found


# Spikes


def _spikes(store, rules: Rules, level: str, day: date, as_of: datetime,
            first_day: date) -> list[Draft]:
    start = max(first_day, day - timedelta(days=WINDOW))
    counts = store.warning.daily_counts(level, start, day, conflict_types())
    by_unit: dict[str, dict[date, UnitDay]] = defaultdict(dict)
    for row in counts:
        by_unit[row.kato][row.day] = row
    drafts = []
    for kato, days in sorted(by_unit.items()):
        today = days.get(day)
        if today is None:
            continue
        for rule in (r for r in rules.spikes if r.level == level and _covers(r.regions, kato)):
            surprise = _surprise(rule.signal, days, start, day, kato)
            if surprise is not None and is_spike(surprise, rule.sensitivity, rule.min_count):
                drafts.append(_spike_draft(store, rule, kato, day, as_of, surprise))
    return drafts


def _covers(regions: Sequence[str], kato: str) -> bool:
    return not regions or region_of(kato) in regions


def _surprise(signal: str, days: dict[date, UnitDay], start: date, day: date,
              kato: str) -> Surprise | None:
    history = [_day_count(signal, days.get(d), d) for d in _dates(start, day - timedelta(days=1))]
    return expected(signal, history, _day_count(signal, days[day], day), kato, window=WINDOW)


def _dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day_count(signal: str, row: UnitDay | None, day: date) -> DayCount:
    if row is None:
        return DayCount(day, 0, 0.0 if signal != "attention" else None)
    exposure = None if signal == "attention" else float(row.volume)
    return DayCount(day, getattr(row, signal), exposure)


def _spike_draft(store, rule: SpikeRule, kato: str, day: date, as_of: datetime,
                 surprise: Surprise) -> Draft:
    docs = store.warning.unit_documents(rule.level, day, day, [kato])
    chosen = [d.document_id for d in docs if _counts_for(rule.signal, d)]
    name = unit_name(kato)
    expected_text = f"{surprise.expected:.1f}".replace(".", ",")
    summary = (f"{_WHAT[rule.signal]}: {name}, {day:%d.%m.%Y} — {surprise.observed} "
               f"при ожидаемых {expected_text}")
    fields = {
        "key": f"spike:{rule.name}:{kato}:{rule.signal}:{day.isoformat()}",
        "kind": "spike", "rule": rule.name, "signal": rule.signal, "unit_kato": kato,
        "unit_level": rule.level, "region_kato": region_of(kato), "day": day, "fired_at": as_of,
        "observed": float(surprise.observed), "expected": round(surprise.expected, 3),
        "p_value": surprise.p_value, "summary": summary,
        "data": {"unit": _unit(kato, rule.level), "sensitivity": rule.sensitivity,
                 "factors": surprise.factors, "dispersion": _finite(surprise.dispersion),
                 "z": round(surprise.z, 3), "history_days": surprise.history_days,
                 "documents": chosen,
                 "evidence": evidence(store, chosen, _SPANS_OF[rule.signal])},
    }
    return Draft(fields, rule.channels)


def _counts_for(signal: str, doc: UnitDocument) -> bool:
    if signal == "hostile":
        return doc.hostile
    if signal == "conflict":
        return doc.relevant and doc.event_type in conflict_types()
    return doc.relevant


def _finite(value: float) -> float | None:
    return None if value == float("inf") else round(value, 4)


def _unit(kato: str, level: str) -> dict[str, str]:
    return {"kato": kato, "name": unit_name(kato), "level": level}


def evidence(store, doc_ids: Iterable[int], decision: str) -> list[dict[str, Any]]:
    """The documents behind an alert with the spans of the decision that counted them."""
    found = []
    for doc_id in list(doc_ids)[:EVIDENCE_DOCUMENTS]:
        document, reading = store.get_document(doc_id), store.get_reading(doc_id) or {}
        if document is None:
            continue
        spans = [{"start": e["start"], "end": e["end"], "text": e["text"], "kind": decision}
                 for e in ((reading.get(decision) or {}).get("evidence") or [])
                 if e.get("weight")][:SPANS_PER_DOCUMENT]
        at = document.published_at or document.fetched_at or document.ingested_at
        found.append({"document_id": doc_id, "title": document.title, "url": document.url,
                      "published": local_day(at).isoformat(), "source": document.source,
                      "spans": spans})
    return found


# Saved searches


def _search(store, rule: SearchRule, day: date, as_of: datetime) -> list[Draft]:
    first, after = day_bounds(day, day)  # the day in Kazakhstan, as every count of the stage
    page = store.search(query_terms(rule.query), date_from=first, date_to=after, limit=200)
    hits = [h for h in page.hits if h.published_at is None or h.published_at <= as_of]
    if rule.regions:
        regions = store.warning.regions_of([h.document_id for h in hits])
        hits = [h for h in hits if regions.get(h.document_id) in rule.regions]
    if not hits:
        return []
    ids = [h.document_id for h in hits]
    summary = (f"Сохранённый поиск «{rule.name}» ({rule.query}): {len(ids)} "
               f"{_documents_word(len(ids))} за {day:%d.%m.%Y}")
    fields = {"key": f"search:{rule.name}:{day.isoformat()}", "kind": "search", "rule": rule.name,
              "signal": None, "unit_kato": None, "unit_level": None,
              "region_kato": rule.regions[0] if len(rule.regions) == 1 else None, "day": day,
              "fired_at": as_of, "observed": float(len(ids)), "expected": None, "p_value": None,
              "summary": summary,
              "data": {"query": rule.query, "documents": ids,
                       "evidence": evidence(store, ids, "relevance")}}
    return [Draft(fields, rule.channels)]


def _documents_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "документ"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "документа"
    return "документов"


def _reports_word(n: int) -> str:
    return {"документ": "публикация", "документа": "публикации",
            "документов": "публикаций"}[_documents_word(n)]


# Silent sources


def _silences(store, rules: Rules, as_of: datetime) -> list[Draft]:
    rule = rules.silence
    drafts = []
    for source in store.list_sources():
        if not source.enabled:
            continue
        times = store.warning.source_times(source.id, as_of, SOURCE_ITEMS)
        silent = _silent_for(times, as_of, rule.hours, rule.factor, rule.min_items)
        polled = source.last_polled_at
        failing = source.consecutive_errors >= rule.errors and polled is not None and polled <= as_of
        if silent is None and not failing:
            continue
        since = times[0] if times else source.created_at
        key = f"silence:{source.id}:{since.isoformat()}"
        if failing and silent is None:
            key = f"silence:{source.id}:errors:{(source.last_ok_at or source.created_at).isoformat()}"
        drafts.append(_silence_draft(source, key, since, silent, failing, as_of, rule.channels))
    return drafts


def _silent_for(times: list[datetime], as_of: datetime, hours: float, factor: float,
                 min_items: int) -> float | None:
    """The source's usual long gap in hours when it has been silent for ``factor`` times that
    (and at least ``hours``), else None.

    The usual long gap is the 90th percentile of the gaps between its latest items: a source
    that publishes at random moments has gaps of many lengths, and only a silence far beyond
    the long ones is news (for items at random, one gap in 10,000 exceeds 4 × that percentile).
    """
    if len(times) < min_items:
        return None
    gaps = sorted((a - b).total_seconds() / 3600 for a, b in zip(times, times[1:]))
    usual = gaps[min(len(gaps) - 1, int(0.9 * len(gaps)))] if gaps else hours
    quiet = (as_of - times[0]).total_seconds() / 3600
    return usual if quiet >= max(hours, factor * usual) else None


def _silence_draft(source, key: str, since: datetime, usual: float | None, failing: bool,
                   as_of: datetime, channels: tuple[str, ...]) -> Draft:
    if usual is not None:
        summary = (f"Источник «{source.name}» молчит с {local_day(since):%d.%m.%Y} "
                   f"(обычно перерывы не дольше {_hours(usual)})")
    else:
        summary = (f"Источник «{source.name}» недоступен: {source.consecutive_errors} "
                   f"ошибок подряд ({source.last_error or 'нет ответа'})")
    fields = {"key": key, "kind": "silence", "rule": "silence", "signal": None, "unit_kato": None,
              "unit_level": None, "region_kato": None, "day": local_day(as_of), "fired_at": as_of,
              "observed": round((as_of - since).total_seconds() / 3600, 1),
              "expected": round(usual, 2) if usual is not None else None, "p_value": None,
              "summary": summary,
              "data": {"source": {"id": source.id, "name": source.name}, "last_item": since.isoformat(),
                       "usual_gap_hours": usual, "errors": source.consecutive_errors,
                       "last_error": source.last_error, "evidence": []}}
    return Draft(fields, channels)


def _hours(value: float) -> str:
    if value >= 48:
        return f"{value / 24:.0f} дн."
    return f"{value:.0f} ч" if value >= 1 else f"{value * 60:.0f} мин"


# Breaking stories


def _stories(store, rules: Rules, day: date, as_of: datetime) -> list[Draft]:
    rule = rules.stories
    since = as_of - timedelta(days=1)
    _total, page = store.warning.stories(since=since, relevant_only=True, limit=200)
    drafts = []
    for story in page:
        if not story.breaking or severity(story.event_type) < rule.min_severity:
            continue
        members = store.warning.members([story.id])
        recent = [m.document_id for m in members if m.at > since][-EVIDENCE_DOCUMENTS:]
        title = f"«{story.title}»" if story.title else "(без заголовка)"
        summary = (f"Быстро растущий сюжет №{story.id} {title}: {story.last_24h} "
                   f"{_reports_word(story.last_24h)} за сутки")
        kato = story.district_kato or story.region_kato
        fields = {"key": f"story:{story.id}", "kind": "story", "rule": "stories",
                  "signal": None, "unit_kato": kato,
                  "unit_level": "district" if story.district_kato else "region" if kato else None,
                  "region_kato": story.region_kato, "day": day, "fired_at": as_of,
                  "observed": float(story.last_24h), "expected": None, "p_value": None,
                  "summary": summary,
                  "data": {"story": {"id": story.id, "title": story.title,
                                     "event_type": story.event_type, "documents": story.documents,
                                     "outlets": story.outlets},
                           "unit": _unit(kato, "district" if story.district_kato else "region") if kato else None,
                           "documents": recent, "evidence": evidence(store, recent, "event")}}
        drafts.append(Draft(fields, rule.channels))
    return drafts
