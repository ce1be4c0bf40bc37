"""The ethnic-group lexicon: groups, collective and social categories, and slurs, loaded from
the curated TSV files shipped in ``kelisim/ethnic/data``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kelisim.datafiles import package_rows

DATA_PACKAGE = "kelisim.ethnic.data"
GROUP_COLUMNS = ("id", "noun_m_sg", "noun_f_sg", "noun_pl", "adj", "kk", "kk_latin", "category", "note", "variants")
GROUP_REQUIRED = ("id", "noun_m_sg", "noun_f_sg", "noun_pl", "adj", "kk", "category")
CATEGORY_COLUMNS = ("id", "forms", "kk", "category", "slur", "note")
CATEGORY_REQUIRED = ("id", "forms", "category", "slur")
SLUR_COLUMNS = ("form", "refers_to", "note")
SLUR_REQUIRED = ("form", "refers_to")
CATEGORY_KINDS = frozenset({"collective", "social"})


class LexiconError(ValueError):
    """The lexicon data files are malformed or inconsistent."""


@dataclass(frozen=True, slots=True)
class EthnicGroup:
    """One ethnic group: its canonical id, Russian base forms and Kazakh forms."""

    id: str
    noun_m_sg: str
    noun_f_sg: str
    noun_pl: str
    adj: str
    kk: tuple[str, ...]
    kk_latin: tuple[str, ...]
    category: str
    note: str
    variants: tuple[str, ...] = ()

    def russian_forms(self) -> frozenset[str]:
        """The Russian base forms listed for this group (nouns, adjective, variants)."""
        return frozenset((self.noun_m_sg, self.noun_f_sg, self.noun_pl, self.adj, *self.variants))


@dataclass(frozen=True, slots=True)
class Category:
    """A collective (славяне, тюрки) or social (мигранты, кандасы) category of this discourse."""

    id: str
    forms: tuple[str, ...]
    kk: tuple[str, ...]
    category: str
    slur: bool
    note: str


@dataclass(frozen=True, slots=True)
class Slur:
    """An ethnic slur and the group or category id it refers to."""

    form: str
    refers_to: str
    note: str


def _split(value: str) -> tuple[str, ...]:
    """The non-empty ``|``-separated parts of a cell, stripped."""
    return tuple(part.strip() for part in value.split("|") if part.strip())


def _rows(name: str, columns: tuple[str, ...], required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of one data file, checked for its header and required cells."""
    rows = []
    for line, row in enumerate(package_rows(DATA_PACKAGE, name, columns, LexiconError), start=2):
        empty = [key for key in required if not row[key]]
        if empty:
            raise LexiconError(f"{name}:{line}: empty required field(s) {empty}")
        rows.append(row)
    return rows


def _unique(name: str, keys: list[str]) -> None:
    """Raise when ``keys`` repeat within one data file."""
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise LexiconError(f"{name}: duplicate id {key!r}")
        seen.add(key)


def _group(row: dict[str, str]) -> EthnicGroup:
    """An :class:`EthnicGroup` from one groups.tsv row."""
    return EthnicGroup(
        id=row["id"], noun_m_sg=row["noun_m_sg"], noun_f_sg=row["noun_f_sg"], noun_pl=row["noun_pl"],
        adj=row["adj"], kk=_split(row["kk"]), kk_latin=_split(row["kk_latin"]), category=row["category"],
        note=row["note"], variants=_split(row["variants"]),
    )


def _category(row: dict[str, str]) -> Category:
    """A :class:`Category` from one categories.tsv row."""
    if row["category"] not in CATEGORY_KINDS:
        raise LexiconError(f"categories.tsv: {row['id']!r} has category {row['category']!r}, not one of {sorted(CATEGORY_KINDS)}")
    if row["slur"] not in ("0", "1"):
        raise LexiconError(f"categories.tsv: {row['id']!r} has slur {row['slur']!r}, not 0 or 1")
    return Category(id=row["id"], forms=_split(row["forms"]), kk=_split(row["kk"]), category=row["category"],
                    slur=row["slur"] == "1", note=row["note"])


class Lexicon:
    """The loaded, validated lexicon; build it with :meth:`Lexicon.load`."""

    def __init__(self, groups: list[EthnicGroup], categories: list[Category], slurs: list[Slur]) -> None:
        """Index the rows and validate them; raise :class:`LexiconError` when inconsistent."""
        _unique("groups.tsv", [group.id for group in groups])
        _unique("categories.tsv", [category.id for category in categories])
        _unique("slurs.tsv", [slur.form for slur in slurs])
        for group in groups:
            if group.id != group.noun_m_sg:
                raise LexiconError(f"groups.tsv: id {group.id!r} differs from noun_m_sg {group.noun_m_sg!r}")
            if group.category != "ethnic":
                raise LexiconError(f"groups.tsv: {group.id!r} has category {group.category!r}, not 'ethnic'")
        clash = {g.id for g in groups} & {c.id for c in categories}
        if clash:
            raise LexiconError(f"ids used both as group and category: {sorted(clash)}")
        self._groups = {group.id: group for group in groups}
        self._categories = {category.id: category for category in categories}
        for slur in slurs:
            if slur.refers_to not in self._groups and slur.refers_to not in self._categories:
                raise LexiconError(f"slurs.tsv: {slur.form!r} refers to unknown id {slur.refers_to!r}")
        self._slurs = tuple(slurs)

    @classmethod
    def load(cls) -> Lexicon:
        """The lexicon shipped with the package, read once per process."""
        return _load()

    def group(self, id: str) -> EthnicGroup:
        """The group with this canonical id; ``KeyError`` when unknown."""
        return self._groups[id]

    def groups(self) -> tuple[EthnicGroup, ...]:
        """All ethnic groups, in id order."""
        return tuple(self._groups.values())

    def category(self, id: str) -> Category:
        """The collective or social category with this id; ``KeyError`` when unknown."""
        return self._categories[id]

    def categories(self) -> tuple[Category, ...]:
        """All collective and social categories, in id order."""
        return tuple(self._categories.values())

    def slurs(self) -> tuple[Slur, ...]:
        """All slurs, in form order."""
        return self._slurs

    def russian_forms(self, id: str) -> set[str]:
        """The Russian base forms listed for a group or category id (no inflection yet)."""
        if id in self._groups:
            return set(self._groups[id].russian_forms())
        return set(self._categories[id].forms)

    def __contains__(self, id: object) -> bool:
        """Whether ``id`` is a group or category id."""
        return id in self._groups or id in self._categories

    def __len__(self) -> int:
        """The number of ethnic groups."""
        return len(self._groups)


@lru_cache(maxsize=1)
def _load() -> Lexicon:
    """Read and validate the three data files."""
    groups = [_group(row) for row in _rows("groups.tsv", GROUP_COLUMNS, GROUP_REQUIRED)]
    categories = [_category(row) for row in _rows("categories.tsv", CATEGORY_COLUMNS, CATEGORY_REQUIRED)]
    slurs = [Slur(row["form"], row["refers_to"], row["note"]) for row in _rows("slurs.tsv", SLUR_COLUMNS, SLUR_REQUIRED)]
    return Lexicon(groups, categories, slurs)
