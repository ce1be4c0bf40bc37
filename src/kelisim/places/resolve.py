"""Which reading of each name found is meant: rank first, then the support the rest of the text
gives (the same unit, its district or region named elsewhere); a village needs support, names
shared by several units settle on their common region or stay out. docs/places.md sets out the rules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from operator import attrgetter

from kelisim.places.history import History
from kelisim.places.index import RANK, Target
from kelisim.places.names import _person_like, is_common
from kelisim.places.spans import _Raw
from kelisim.reading.document import TextView
from kelisim.reading.model import PlaceMention, PlaceRef

_PLAIN_RANKS = frozenset({RANK["abroad"], RANK["region"], RANK["city_admin"], RANK["region_bare"]})
_RANK, _BARE_RANK = attrgetter("rank"), attrgetter("bare_rank")


def resolve_all(view: TextView, raws: list[_Raw], history: History) -> list[PlaceMention]:
    """Resolve the names that need no support, then twice the rest with what was found: the
    second round lets a village settle an ambiguous district («Есильского района»)."""
    alone = _Support()
    found = [_resolve(view, raw, alone, context=False) for raw in raws]
    context = view.language == "kk" or _Support.of(found, raws).in_kazakhstan
    for _ in range(2):
        found = [m if m and m.how != "ambiguous"
                 else _resolve(view, raw, _Support.of(found, raws, k), context)
                 for k, (m, raw) in enumerate(zip(found, raws))]
    return [_with_then(m, history, view.published) for m in found if m]


def _resolve(view: TextView, raw: _Raw, support: _Support, context: bool) -> PlaceMention | None:
    """The one reading of ``raw``, a region-only reading when its units share a region, or None.
    ``context`` says the text is about Kazakhstan (Kazakh, or naming a unit of it elsewhere),
    which a bare town or a village by its unique name needs."""
    day = view.published
    rank = _BARE_RANK if raw.bare else _RANK
    if len(raw.targets) == 1 and rank(raw.targets[0]) in _PLAIN_RANKS:  # one reading, no doubt
        return _mention(view, raw, raw.targets[0].ref, raw.targets[0].how)
    best = min((t.tier(day), rank(t)) for t in raw.targets)
    if best[1] >= RANK["district"]:  # among minor readings, support beats rank
        minor = _distinct(t for t in raw.targets if rank(t) >= RANK["district"])
        backed, how = support.narrow(minor)
        if how:
            best = min((t.tier(day), rank(t)) for t in backed)
            raw = replace(raw, targets=tuple(backed))
    top = _distinct(t for t in raw.targets if (t.tier(day), rank(t)) == best)
    village = best[1] == RANK["settlement"]
    if village and raw.bare and (is_common(raw.word, view.language) or _person_like(raw.word)):
        return None  # «в Белом доме», «Сталин», «Раушанның»: not the villages so named
    how = None
    if len(top) > 1:
        top, how = support.narrow(top)
    if len(top) > 1:
        shared = _shared(top)
        backed = shared.region_kato and (not raw.bare or shared.region_kato in support.regions)
        return _mention(view, raw, shared, "ambiguous") if backed and context else None
    how = how or support.backs(top[0])
    if village and not how and context and _unique(raw):
        how = "unique"
    minor = best[1] == RANK["town"] or best[1] >= RANK["district"]  # towns abroad share names
    if not how and (village or (raw.bare and minor and not context)):
        return None
    return _mention(view, raw, top[0].ref, how or top[0].how)


def _unique(raw: _Raw) -> bool:
    """A settlement whose name no other unit bears, not opening a sentence bare."""
    return len({t.ref.kato for t in raw.targets}) == 1 and not (raw.bare and raw.initial)


def _mention(view: TextView, raw: _Raw, ref: PlaceRef, how: str) -> PlaceMention:
    return PlaceMention(raw.start, raw.end, view.text[raw.start:raw.end], ref, None, how)


class _Support:
    """What the resolved mentions of a text name (units, districts, regions), and the districts
    that its unresolved names may be (weak support)."""

    def __init__(self, codes: frozenset = frozenset(), districts: frozenset = frozenset(),
                 regions: frozenset = frozenset(), weak: frozenset = frozenset(),
                 in_kazakhstan: bool = False) -> None:
        self.codes, self.districts, self.regions, self.weak = codes, districts, regions, weak
        self.in_kazakhstan = in_kazakhstan

    @classmethod
    def of(cls, mentions: list[PlaceMention | None], raws: list[_Raw], skip: int = -1) -> _Support:
        """The support the mentions found so far give to name ``skip`` (never its own readings)."""
        refs = [m.place for m in mentions if m and m.how != "ambiguous"]
        open_raws = [raw for k, (m, raw) in enumerate(zip(mentions, raws))
                     if k != skip and (not m or m.how == "ambiguous")]
        return cls(frozenset(r.kato for r in refs if r.kato),
                   frozenset(r.district_kato or r.kato for r in refs if r.kato),
                   frozenset(r.region_kato for r in refs if r.region_kato),
                   frozenset(t.ref.kato for raw in open_raws for t in raw.targets if t.ref.level == "district"),
                   any(r.kato or r.country == "Казахстан" for r in refs))

    def backs(self, target: Target) -> str | None:
        """'supported' when the text names the target, its district or its region elsewhere."""
        return "supported" if target.ref.kato and any(test(target.ref) for test in self._tests()) else None

    def narrow(self, targets: list[Target]) -> tuple[list[Target], str | None]:
        """The targets the text supports most closely: the same unit, then its district, its
        region, then a district that an ambiguous name may be."""
        for test in self._tests():
            kept = [t for t in targets if t.ref.kato and test(t.ref)]
            if kept:
                return kept, "supported"
        return targets, None

    def _tests(self):
        yield lambda r: r.kato in self.codes
        yield lambda r: r.district_kato in self.districts
        yield lambda r: r.region_kato in self.regions
        # a village may settle which of several same-named districts is meant, not a district itself
        yield lambda r: r.level in ("settlement", "rural_district") and r.district_kato in self.weak


def _distinct(targets) -> list[Target]:
    """One target per unit: a unit reached through several of its names counts once."""
    seen: dict[tuple, Target] = {}
    for target in targets:
        seen.setdefault((target.ref.kato, target.ref.name, target.ref.country), target)
    return list(seen.values())


def _shared(targets: list[Target]) -> PlaceRef:
    """What units sharing one name have in common: the region, and the district when shared."""
    first = targets[0].ref
    same_district = len({t.ref.district_kato for t in targets}) == 1
    same_region = len({t.ref.region_kato for t in targets}) == 1
    return PlaceRef(kato=None, name=first.name, level=first.level,
                    district_kato=first.district_kato if same_district else None,
                    district=first.district if same_district else None,
                    region_kato=first.region_kato if same_region else None,
                    region=first.region if same_region else None)


def _with_then(mention: PlaceMention, history: History, day: date | None) -> PlaceMention:
    then = history.then(mention.place, day) if day and mention.place.kato else None
    return replace(mention, then=then) if then else mention
