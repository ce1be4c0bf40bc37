"""The tension index of a region or district over a day, a week or a month.

    index = 100 × max(0, incidents + reach + hostility − de-escalation) / (volume + V0)

- incidents: the severity of each conflict-type story with a document in the unit and period,
  counted once however many outlets report it (``severity``);
- reach: each such story's severity × log2 of its reports there (documents and reprints), so a
  story that one outlet prints adds nothing and one that eight reprint adds 3 × its severity;
- hostility: HOSTILE_POINTS for each hostile document;
- de-escalation: the weight of each mediation, unity or dialogue story (``deescalation``);
- volume: the documents counted in the unit and period; V0 = PSEUDO_VOLUME keeps a unit with
  two documents from swinging to the top on one of them.

Dividing by the volume is what keeps a big city from always being on top: the index is tension
per document written about the place. Every component keeps its documents and stories, so every
value can be traced back to them. See docs/method.md ("The tension index").
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kelisim.store.views import UnitDocument
from kelisim.warning.severity import deescalation, severity
from kelisim.warning.units import regions, unit_name

HOSTILE_POINTS = 2.0
PSEUDO_VOLUME = 10.0
PERIODS = ("day", "week", "month")
COMPONENTS = ("incidents", "reach", "hostility", "deescalation")


@dataclass(frozen=True)
class Component:
    """One part of an index value, with the documents and stories behind it."""

    name: str
    points: float  # de-escalation is positive here and subtracted
    documents: tuple[int, ...]
    stories: tuple[int, ...]


@dataclass(frozen=True)
class IndexValue:
    """The index of one unit over one period, with its parts."""

    kato: str
    level: str
    name: str
    period: str
    start: date
    end: date  # inclusive
    value: float
    raw: float  # incidents + reach + hostility − de-escalation, before the volume
    volume: int
    components: tuple[Component, ...]
    documents: tuple[int, ...] = ()  # every document counted: the volume

    def component(self, name: str) -> Component:
        """The component of this name."""
        return next(c for c in self.components if c.name == name)


def period_of(day: date, period: str) -> tuple[date, date]:
    """The first and last day of the period (ISO week from Monday, calendar month) of a day."""
    if period == "day":
        return day, day
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == "month":
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    raise ValueError(f"a period is one of {', '.join(PERIODS)}, not {period!r}")


def periods(start: date, end: date, period: str) -> list[tuple[date, date]]:
    """The periods covering ``start`` to ``end``, in order."""
    found, day = [], start
    while day <= end:
        first, last = period_of(day, period)
        found.append((first, last))
        day = last + timedelta(days=1)
    return found


def compute(docs: Iterable[UnitDocument], kato: str, level: str, period: str, start: date,
            end: date) -> IndexValue:
    """The index of one unit over one period from the documents counted there."""
    docs = [d for d in docs if start <= d.day <= end]
    stories: dict[int, list[UnitDocument]] = defaultdict(list)
    for doc in docs:
        stories[doc.story_id if doc.story_id is not None else -doc.document_id].append(doc)
    incidents, reach, calm = _parts(), _parts(), _parts()
    for key, members in stories.items():
        kind = _story_type(members[0])
        ids = [d.document_id for d in members]
        story = (key,) if key > 0 else ()
        weight = severity(kind)
        if weight:
            reports = sum(1 + d.reprints for d in members)
            _add(incidents, weight, ids, story)
            _add(reach, weight * math.log2(reports), ids, story)
        elif deescalation(kind):
            _add(calm, deescalation(kind), ids, story)
    hostile = [d.document_id for d in docs if d.hostile]
    parts = (_component("incidents", incidents), _component("reach", reach),
             Component("hostility", HOSTILE_POINTS * len(hostile), tuple(hostile), ()),
             _component("deescalation", calm))
    raw = sum(c.points for c in parts[:3]) - parts[3].points
    value = 100 * max(0.0, raw) / (len(docs) + PSEUDO_VOLUME)
    return IndexValue(kato, level, unit_name(kato), period, start, end, round(value, 2),
                      round(raw, 3), len(docs), parts, tuple(sorted(d.document_id for d in docs)))


def _story_type(doc: UnitDocument) -> str | None:
    if doc.story_id is not None:
        return doc.story_type if doc.story_relevant else None
    return doc.event_type if doc.relevant else None


def _parts() -> dict:
    return {"points": 0.0, "documents": [], "stories": []}


def _add(part: dict, points: float, documents: list[int], stories: tuple[int, ...]) -> None:
    part["points"] += points
    part["documents"].extend(documents)
    part["stories"].extend(stories)


def _component(name: str, part: dict) -> Component:
    return Component(name, round(part["points"], 3), tuple(sorted(part["documents"])),
                     tuple(sorted(part["stories"])))


def series(store, kato: str, level: str, period: str, start: date, end: date) -> list[IndexValue]:
    """The index of one unit over each period from ``start`` to ``end``."""
    spans = periods(start, end, period)
    docs = store.warning.unit_documents(level, spans[0][0], spans[-1][1], [kato])
    return [compute(docs, kato, level, period, first, last) for first, last in spans]


def table(store, level: str, start: date, end: date, katos: Sequence[str] | None = None,
          period: str = "custom") -> list[IndexValue]:
    """The index of every unit of a level (or of ``katos``) over one span, highest first;
    units with no document count with volume 0."""
    docs = store.warning.unit_documents(level, start, end, katos)
    by_unit: dict[str, list[UnitDocument]] = defaultdict(list)
    for doc in docs:
        by_unit[doc.kato].append(doc)
    units = list(katos) if katos is not None else sorted(by_unit)
    if katos is None and level == "region":
        units = sorted({u.kato for u in regions()} | set(by_unit))
    values = [compute(by_unit.get(kato, ()), kato, level, period, start, end) for kato in units]
    return sorted(values, key=lambda v: (-v.value, -v.volume, v.kato))
