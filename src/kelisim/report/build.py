"""Gather the regional report from the store: the index now and before, its weekly trend, the
map's shades, incidents, stories, officials' statements, de-escalation, groups and sources.

``build_report`` is the one entry point; the CLI, the schedule and the dashboard call it. Every
claim and row keeps the ids of its documents, and every cited document is listed once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from kelisim.places.shapes import neighbours
from kelisim.report.model import (
    DocumentRef,
    GroupItem,
    IncidentItem,
    IndexSummary,
    RegionShade,
    Report,
    SourceItem,
    StatementItem,
    StoryItem,
    TrendPoint,
)
from kelisim.report.summary import summary
from kelisim.report.texts import Texts
from kelisim.warning.index import COMPONENTS, IndexValue
from kelisim.warning.replay import SIMULATION_STATE
from kelisim.warning.severity import DEESCALATION_TYPES, severity
from kelisim.warning.units import day_bounds, find_unit, local_day, unit_name

INCIDENTS_SHOWN = 30
STORIES_SHOWN = 10
STATEMENTS_SHOWN = 15
DEESCALATION_SHOWN = 15
GROUPS_SHOWN = 20
ALERTS_READ = 500
STORIES_READ = 500  # stories of the region and period looked through for de-escalation
DOCUMENTS_PER_ITEM = 8
TITLE_CHARS = 90
ATTITUDES = {"-1": "negative", "negative": "negative", "0": "neutral", "neutral": "neutral",
             "1": "positive", "+1": "positive", "positive": "positive"}


class ReportNotFound(LookupError):
    """No such region, or one outside the user's scope: the same answer for both."""


def build_report(core, region: str, start: date, end: date, lang: str = "ru", *,
                 regions: Iterable[str] | None = None, now: datetime | None = None) -> Report:
    """The report on one region over ``start``..``end`` (days in Kazakhstan, inclusive).

    Args:
        core: a :class:`kelisim.core.Kelisim`.
        region: a region's KATO code or its Russian or Kazakh name.
        start, end: the first and last day of the period.
        lang: "ru" or "kk".
        regions: the user's scope (region codes); None for every region.
        now: when the report is made (default: now, UTC).

    Raises:
        ReportNotFound: the region does not exist or is out of ``regions``.
        ValueError: the period is empty or the language unknown.
    """
    kato = resolve_region(region, regions)
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    texts = Texts(lang)
    first, last = previous_period(start, end)
    table = core.index_table("region", start, end)
    own = _value(table, kato)
    stories_total, stories = _stories(core.store, kato, start, end)
    calm = [s for s in stories if s.event_type in DEESCALATION_TYPES]
    report = Report(
        kato=kato, region=unit_name(kato, lang), lang=lang, start=start, end=end,
        previous_start=first, previous_end=last,
        generated_at=(now or datetime.now(timezone.utc)).replace(microsecond=0),
        simulation=_simulation(core.store), summary=[],
        index=_index(own, _value(core.index_table("region", first, last), kato), table),
        trend=[_point(v) for v in core.index(kato, "region", "week", start, end)],
        map=_shades(table, kato, lang), stories_total=stories_total,
        **_registry(core.store, kato, start, end, texts),
        **_told(core.store, stories, calm, texts), sources=[], documents=[])
    report.summary = summary(report, texts, own, calm, _alerts(core.store, kato, start, end))
    return _with_documents(report, core.store)


def resolve_region(region: str, regions: Iterable[str] | None = None) -> str:
    """The KATO code of a region by code or name, if the scope allows it; ReportNotFound else."""
    kato = find_unit(region.strip())
    allowed = None if regions is None else set(regions)
    if kato is None or (allowed is not None and kato not in allowed):
        raise ReportNotFound(f"no such region: {region!r}")
    return kato


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period just before: the same number of calendar months when the period is whole
    months (Mar–Apr → Jan–Feb), else the same number of days."""
    following = end + timedelta(days=1)
    if start.day == 1 and following.day == 1:
        months = (following.year - start.year) * 12 + following.month - start.month
        return _add_months(start, -months), start - timedelta(days=1)
    return start - (following - start), start - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _simulation(store) -> str | None:
    state = store.warning.state(SIMULATION_STATE)
    if not state:
        return None
    return str(state.get("label") or "simulation") if isinstance(state, dict) else str(state)


def _value(table: Sequence[IndexValue], kato: str) -> IndexValue:
    return next(v for v in table if v.kato == kato)


def _index(own: IndexValue, earlier: IndexValue, table: Sequence[IndexValue]) -> IndexSummary:
    rank = next(i for i, v in enumerate(table, 1) if v.kato == own.kato)
    docs = sorted({d for c in own.components for d in c.documents})
    return IndexSummary(value=own.value, previous=earlier.value,
                        change=round(own.value - earlier.value, 2), volume=own.volume,
                        previous_volume=earlier.volume, rank=rank, regions=len(table),
                        components={name: own.component(name).points for name in COMPONENTS},
                        documents=docs)


def _point(value: IndexValue) -> TrendPoint:
    return TrendPoint(start=value.start, end=value.end, value=value.value, volume=value.volume)


def _shades(table: Sequence[IndexValue], kato: str, lang: str) -> list[RegionShade]:
    near = set(neighbours(kato)) | {kato}
    return [RegionShade(kato=v.kato, name=unit_name(v.kato, lang), value=v.value,
                        volume=v.volume, own=v.kato == kato)
            for v in table if v.kato in near]


def _registry(store, kato: str, start: date, end: date, texts: Texts) -> dict:
    """The incidents, officials' statements and groups of the region and period."""
    incidents_total, incidents = store.warning.incidents(region=kato, day_from=start, day_to=end,
                                                         limit=INCIDENTS_SHOWN)
    statements_total, quotes = store.facets.quotes(region=kato, day_from=start, day_to=end,
                                                   officials=True, limit=STATEMENTS_SHOWN)
    groups = store.facets.groups(region=kato, day_from=start, day_to=end)
    return {"incidents": [_incident(i, texts) for i in _by_weight(incidents)],
            "incidents_total": incidents_total,
            "statements": [_statement(q) for q in quotes], "statements_total": statements_total,
            "groups": [_group(g, texts) for g in groups[:GROUPS_SHOWN]],
            "groups_total": len(groups)}


def _told(store, stories: list, calm: list, texts: Texts) -> dict:
    """The biggest stories and the de-escalation ones, each with its first documents."""
    shown, calm = stories[:STORIES_SHOWN], calm[:DEESCALATION_SHOWN]
    members = _members(store, sorted({s.id for s in (*shown, *calm)}))
    return {"stories": [_story(s, members, texts) for s in shown],
            "deescalation": [_story(s, members, texts) for s in calm]}


def _stories(store, kato: str, start: date, end: date):
    """Stories of the region with a document in the period, biggest first: (total, stories)."""
    since, until = day_bounds(start, end)
    return store.warning.stories(region=kato, since=since, until=until, limit=STORIES_READ,
                                 order="size")


def _alerts(store, kato: str, start: date, end: date):
    """The alerts of the region's days in the period (an alert is dated by its day)."""
    since, until = day_bounds(start, end)
    _total, found = store.warning.alerts(region=kato, since=since, until=until, limit=ALERTS_READ)
    return found


def _members(store, story_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for member in store.warning.members(story_ids):
        found.setdefault(member.story_id, []).append(member.document_id)
    return found


def _by_weight(incidents):
    return sorted(incidents, key=lambda i: (-severity(i.type), -(i.killed or 0),
                                            -(i.injured or 0), i.date, i.id))


def _incident(incident, texts: Texts) -> IncidentItem:
    place = incident.settlement_kato or incident.district_kato or incident.region_kato
    return IncidentItem(
        id=incident.id, type=incident.type, type_label=texts.event_type(incident.type),
        date=incident.date,
        place=unit_name(place, texts.lang) if place else texts("unknown_place"),
        groups=[texts.group(g) for g in incident.groups], killed=incident.killed,
        injured=incident.injured, detained=incident.detained, status=incident.status,
        status_label=texts.status(incident.status),
        documents=list((incident.evidence or {}).get("documents") or [])[:DOCUMENTS_PER_ITEM])


def _story(story, members: dict[int, list[int]], texts: Texts) -> StoryItem:
    return StoryItem(
        id=story.id, title=story.title or texts("no_title"), type=story.event_type,
        type_label=texts.event_type(story.event_type), first=local_day(story.first_at),
        last=local_day(story.last_at), size=story.documents, reprints=story.reprints,
        outlets=story.outlets, hostile=story.hostile,
        documents=members.get(story.id, [])[:DOCUMENTS_PER_ITEM])


def _statement(quote) -> StatementItem:
    return StatementItem(document_id=quote.document_id, start=quote.start, end=quote.end,
                         text=quote.text, speaker=quote.speaker_name or "—",
                         role=quote.speaker_role, day=quote.day)


def _group(count, texts: Texts) -> GroupItem:
    attitude = Counter()
    for label, n in (count.attitude or {}).items():
        attitude[ATTITUDES.get(str(label).strip().lower(), "other")] += n
    return GroupItem(group=count.group, name=texts.group(count.group), documents=count.documents,
                     mentions=count.mentions, negative=attitude["negative"],
                     neutral=attitude["neutral"], positive=attitude["positive"],
                     hostile=count.hostile)


def cited(report: Report) -> list[int]:
    """Every document id the report cites, in order of first citation."""
    ids = [d for c in report.summary for d in c.documents]
    ids += report.index.documents
    ids += [d for item in report.incidents for d in item.documents]
    ids += [d for item in (*report.stories, *report.deescalation) for d in item.documents]
    ids += [s.document_id for s in report.statements]
    return list(dict.fromkeys(ids))


def _opening(text: str) -> str:
    """The first words of an untitled text (a social post), as its title."""
    words = " ".join(text.split())
    return words if len(words) <= TITLE_CHARS else words[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _with_documents(report: Report, store) -> Report:
    refs = []
    for doc_id in cited(report):
        doc = store.get_document(doc_id)
        if doc is not None:
            published = local_day(doc.published_at) if doc.published_at else None
            refs.append(DocumentRef(id=doc.id, title=doc.title or _opening(doc.text), url=doc.url,
                                    source=doc.source or _host(doc.url), published=published))
    outlets = Counter(ref.source for ref in refs if ref.source)
    report.documents = sorted(refs, key=lambda r: r.id)
    report.sources = [SourceItem(name=name, documents=n)
                      for name, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))]
    return report
