"""A document's text cut into pieces, each with the marks of the spans that cover it.

Spans may nest or overlap (a place inside an entity, a quote over both), so the text is cut at
every span boundary and each piece carries every mark that covers it; the page escapes each
piece and wraps it in one element per piece.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    """What a span is: its kind (entity, place, ethnic, quote, evidence, …) and a label."""

    kind: str
    label: str
    start: int
    end: int


@dataclass
class Piece:
    """A run of text and the marks over it."""

    text: str
    start: int
    marks: list[Mark] = field(default_factory=list)

    @property
    def classes(self) -> str:
        """CSS classes of its marks («hl-entity hl-PER»)."""
        names = []
        for mark in self.marks:
            names += [f"hl-{mark.kind}", f"hl-{mark.kind}-{mark.label}"]
        return " ".join(dict.fromkeys(names))


def _span(item: dict, kind: str, label: str | None) -> Mark | None:
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        return None
    return Mark(kind, str(label or kind), start, end)


def marks_of(reading: dict | None) -> list[Mark]:
    """Every span a reading records, named by kind."""
    if not reading:
        return []
    found = [_span(e, "entity", e.get("type")) for e in reading.get("entities") or []]
    found += [_span(p, "place", p.get("level")) for p in reading.get("places") or []]
    for group in reading.get("ethnic_groups") or []:
        found += [_span(m, "ethnic", "slur" if m.get("slur") else group.get("group"))
                  for m in group.get("mentions") or []]
    found += [_span(q, "quote", "direct" if q.get("direct") else "indirect")
              for q in reading.get("quotes") or []]
    for part in ("tension", "hostility", "relevance", "event"):
        found += [_span(e, "evidence", e.get("kind") or part)
                  for e in (reading.get(part) or {}).get("evidence") or []]
    return [mark for mark in found if mark is not None]


def pieces(text: str, marks: list[Mark]) -> list[Piece]:
    """The text cut at every boundary of the marks that lie inside it."""
    marks = [m for m in marks if m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    result = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m.start <= start and end <= m.end]
        result.append(Piece(text[start:end], start, covering))
    return result
