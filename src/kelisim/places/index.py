"""What each name of a place may stand for: the index of every KATO unit's names, the aliases
KATO lacks and places abroad, each name with its readings (``Target``) and their ranks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from kelisim.places.gazetteer import Gazetteer, Place
from kelisim.places.history import load_aliases, load_foreign, place_ref
from kelisim.places.names import _KK_LETTERS, _NAME_TOKEN, name_keys, plain_variants
from kelisim.reading.model import PlaceRef

# Which reading of a shared name wins, best first; a kind word in the text filters before ranking.
RANK = {"abroad": 0, "region": 1, "city_admin": 2, "town": 3, "region_bare": 4, "centre": 5,
        "district": 6, "rural": 7, "settlement": 8}
SETTLEMENT_KINDS = frozenset({"село", "посёлок"})
RURAL_SKIP = frozenset({"город", "городская администрация"})


@dataclass(frozen=True, slots=True)
class Target:
    """One thing a name may stand for, and how it ranks with and without a kind word."""

    ref: PlaceRef
    kind: str  # the kind word that fits: region | district | city | settlement | rural | krai | ''
    rank: int  # with a fitting kind word
    bare_rank: int | None  # alone; None when the name never counts alone
    how: str  # name | alias | short
    kazakh_only: bool = False  # a Kazakh name in Russian letters only («Федоров» for Федоровка)
    old: bool = False
    valid_from: date | None = None
    valid_to: date | None = None

    def tier(self, day: date | None) -> int:
        """0 for an old name in use on ``day``, 2 for an old name with an end date that the text
        does not fall before (Ақмола after 1998 is the region, not the capital), else 1."""
        if not (self.old and self.valid_to):
            return 1
        in_use = day and (self.valid_from is None or self.valid_from <= day) and day < self.valid_to
        return 0 if in_use else 2


@dataclass(slots=True)
class _Entry:
    words: tuple[frozenset[str], ...]
    capitals: tuple[bool, ...]
    targets: list[Target]


class NameIndex:
    """Every name of every unit, alias and place abroad, keyed by its first word's keys;
    one-word names in capitals («ВКО», «АҚШ») apart, as abbreviations."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        """Index every name of every unit, alias and place abroad by its first word's keys."""
        self._gazetteer = gazetteer
        self.by_key: dict[str, list[_Entry]] = {}
        self.abbreviations: dict[str, _Entry] = {}
        self._entries: dict[tuple[str, ...], _Entry] = {}
        self._add_gazetteer(gazetteer)
        self._add_aliases()
        self._add_foreign()

    def _add(self, name: str, target: Target) -> None:
        """Register ``name`` (as written, capitals meaningful) as a way to say ``target``."""
        if name.startswith("им."):  # «им.Габита Мусрепова»: «района имени» is read as the kind word
            name = name[3:].strip()
        words = tuple(_NAME_TOKEN.findall(name))
        if not words or not words[0][:1].isupper():
            return
        surface = tuple(w.lower().replace("ё", "е") for w in words)
        entry = self._entries.get(surface)
        if entry is None:
            keys = tuple(name_keys(w, inner=k > 0) for k, w in enumerate(words))
            entry = _Entry(keys, tuple(w[:1].isupper() for w in words), [])
            self._entries[surface] = entry
            if len(words) == 1 and len(name) > 1 and name.isupper():
                self.abbreviations[name] = entry
            else:
                for key in entry.words[0]:
                    self.by_key.setdefault(key, []).append(entry)
        if not any(t is target for t in entry.targets):
            entry.targets.append(target)

    def _add_names(self, names: list[str], target: Target) -> None:
        for name in names:
            for variant in plain_variants(name):
                self._add(variant, target)

    def _add_gazetteer(self, gazetteer: Gazetteer) -> None:
        centres = _district_centres(gazetteer)
        for place in gazetteer:
            for names, target in _unit_targets(place, place_ref(place, gazetteer), place.code in centres):
                for name in names:
                    kazakh_only = name == place.name_kk != place.name_ru and not _KK_LETTERS & set(name.lower())
                    self._add_names([name], replace(target, kazakh_only=True) if kazakh_only else target)

    def _add_aliases(self) -> None:
        for alias in load_aliases():
            place = self._gazetteer.get(alias.kato)
            kind, rank, alone = _alias_base(place)
            bare_rank = (RANK["region"] if alias.how == "short" else alone) if alias.bare else None
            how = "short" if alias.how == "short" else "alias"
            target = Target(place_ref(place, self._gazetteer), kind, rank, bare_rank, how,
                            False, alias.how == "old", alias.valid_from, alias.valid_to)
            self._add_names([alias.name], target)

    def _add_foreign(self) -> None:
        for item in load_foreign():
            ref = PlaceRef(kato=None, name=item.canonical, level=item.level, country=item.country)
            kind = {"": "", "область": "region", "край": "krai"}[item.needs]
            bare = None if item.needs else RANK["abroad"]
            self._add_names([item.name], Target(ref, kind, RANK["abroad"], bare, "name"))


def _district_centres(gazetteer: Gazetteer) -> set[str]:
    """Settlements named like their district («Кордай» of «Қордай ауданы»), the centre, whose
    name no other settlement bears (the centre Карасу is one of 24 villages Карасу)."""
    places = list(gazetteer)
    districts = {p.code: p.name_kk for p in places if p.level == "district"}
    names = Counter(name for p in places if p.level == "settlement" for name in {p.name_ru, p.name_kk})
    return {p.code for p in places if p.level == "settlement" and districts.get(p.district_code) == p.name_kk
            and names[p.name_ru] == names[p.name_kk] == 1}


def _alias_base(place: Place) -> tuple[str, int, int]:
    """The kind word, rank with it and rank alone for an alias of ``place``."""
    if place.level == "region":
        return ("city", RANK["region"], RANK["region"]) if place.kind_ru == "город" else \
            ("region", RANK["region"], RANK["region_bare"])
    if place.level == "district":
        return ("district", RANK["district"], RANK["district"]) if place.kind_ru == "район" else \
            ("city", RANK["city_admin"], RANK["city_admin"])
    if place.level == "rural_district":
        return "district", RANK["district"], RANK["district"]
    return ("city", RANK["town"], RANK["town"]) if place.kind_ru == "город" else \
        ("settlement", RANK["settlement"], RANK["settlement"])


def _unit_targets(place: Place, ref: PlaceRef, centre: bool) -> list[tuple[list[str], Target]]:
    """The names of one KATO unit, each with how it may be read."""
    ru, kk = place.name_ru, place.name_kk
    if place.level == "region":
        if place.kind_ru == "город":
            return [([ru, kk], Target(ref, "city", RANK["region"], RANK["region"], "name"))]
        ru_bare = None if ru.endswith(("ская", "цкая")) else RANK["region_bare"]
        return [([ru], Target(ref, "region", RANK["region"], ru_bare, "name")),
                ([kk], Target(ref, "region", RANK["region"], RANK["region_bare"], "name"))]
    if place.level == "district":
        if place.kind_ru != "район":
            return [([ru, kk], Target(ref, "city", RANK["city_admin"], RANK["city_admin"], "name"))]
        kk_bare = RANK["district"] if " " not in kk else None
        return [([ru], Target(ref, "district", RANK["district"], None, "name")),
                ([kk], Target(ref, "district", RANK["district"], kk_bare, "short"))]
    if place.level == "rural_district":
        if place.kind_ru in RURAL_SKIP:
            return []
        kind = "district" if place.kind_ru == "район" else "rural"
        return [([ru, kk], Target(ref, kind, RANK[kind], None, "name"))]
    if place.kind_ru == "город":
        return [([ru, kk], Target(ref, "city", RANK["town"], RANK["town"], "name"))]
    if place.kind_ru in SETTLEMENT_KINDS:
        rank = RANK["centre"] if centre else RANK["settlement"]
        return [([ru, kk], Target(ref, "settlement", RANK["settlement"], rank, "short" if centre else "name"))]
    return []
