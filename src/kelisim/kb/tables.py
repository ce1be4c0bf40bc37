"""Reading and validating the three TSV files shipped in ``kelisim/kb/data``."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from kelisim.datafiles import package_rows
from kelisim.kb.records import ENTRY_TYPES, Holding, KbEntry, Person

INSTITUTION_COLUMNS = ("id", "type", "name_ru", "name_kk", "aliases", "acronyms", "weak", "generic", "note")
PEOPLE_COLUMNS = ("id", "surname", "first_name", "patronymic", "name_kk", "latin", "aliases", "alone", "note")
OFFICE_COLUMNS = ("office", "holder", "from", "until", "note")
ID_PREFIXES = {"PER": "per:", "ORG": "org:", "LOC": "loc:", "OFFICE": "office:"}


class KbError(ValueError):
    """The knowledge-base data files are malformed or inconsistent."""


def split(cell: str) -> tuple[str, ...]:
    """The non-empty ``|``-separated parts of a cell, stripped."""
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def read_rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of one data file, checked for its header and cell count."""
    return package_rows("kelisim.kb", f"data/{name}", columns, KbError)


def parse_date(value: str, where: str) -> date:
    """A ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` date; a partial date stands for its first day."""
    parts = value.split("-")
    try:
        if not 1 <= len(parts) <= 3:
            raise ValueError(value)
        numbers = [int(part) for part in parts]
        return date(*numbers, *[1] * (3 - len(numbers)))
    except ValueError as error:
        raise KbError(f"{where}: bad date {value!r}") from error


def institution(row: dict[str, str]) -> tuple[KbEntry, tuple[str, ...], tuple[str, ...]]:
    """An entry, its weak aliases and its generic names from one institutions.tsv row."""
    if row["type"] not in ENTRY_TYPES or row["type"] == "PER":
        raise KbError(f"institutions.tsv: {row['id']!r} has type {row['type']!r}")
    _check_id(row["id"], row["type"])
    if not row["name_ru"]:
        raise KbError(f"institutions.tsv: {row['id']!r} has no name_ru")
    entry = KbEntry(row["id"], row["type"], row["name_ru"], row["name_kk"], split(row["aliases"]),
                    split(row["acronyms"]), row["note"])
    generic = split(row["generic"])
    unknown = set(generic) - {entry.name_ru, *entry.aliases, *entry.acronyms}
    if unknown:
        raise KbError(f"institutions.tsv: {entry.id!r} lists generic names it does not have: {sorted(unknown)}")
    return entry, split(row["weak"]), generic


def person(row: dict[str, str]) -> Person:
    """A :class:`Person` from one people.tsv row."""
    _check_id(row["id"], "PER")
    if not row["surname"] or not row["first_name"]:
        raise KbError(f"people.tsv: {row['id']!r} needs a surname and a first name")
    if row["alone"] not in ("0", "1"):
        raise KbError(f"people.tsv: {row['id']!r} has alone {row['alone']!r}, not 0 or 1")
    return Person(row["id"], row["surname"], row["first_name"], row["patronymic"], row["name_kk"],
                  split(row["latin"]), split(row["aliases"]), row["alone"] == "1", row["note"])


def person_entry(item: Person) -> KbEntry:
    """The :class:`KbEntry` of a person: the full Russian, Kazakh and Latin names as aliases."""
    full = " ".join(part for part in (item.first_name, item.patronymic, item.surname) if part)
    aliases = tuple(dict.fromkeys(a for a in (full, *item.latin, *item.aliases) if a != item.name_ru))
    return KbEntry(item.id, "PER", item.name_ru, item.name_kk, aliases, (), item.note)


def holding(row: dict[str, str]) -> Holding:
    """A :class:`Holding` from one offices.tsv row."""
    where = f"offices.tsv: {row['office']} {row['holder']}"
    start = parse_date(row["from"], where)
    end = parse_date(row["until"], where) if row["until"] else None
    if end is not None and end <= start:
        raise KbError(f"{where}: until {end} is not after from {start}")
    return Holding(row["office"], row["holder"], start, end, row["note"])


def check_holdings(holdings: list[Holding], entries: dict[str, KbEntry]) -> None:
    """Raise unless every holding names a known office and person and none overlap."""
    for item in holdings:
        if entries.get(item.office, None) is None or entries[item.office].type != "OFFICE":
            raise KbError(f"offices.tsv: unknown office {item.office!r}")
        if entries.get(item.holder, None) is None or entries[item.holder].type != "PER":
            raise KbError(f"offices.tsv: unknown person {item.holder!r}")
    ordered = sorted(holdings, key=lambda h: (h.office, h.start))
    for before, after in pairwise(ordered):
        if before.office == after.office and (before.end is None or before.end > after.start):
            raise KbError(f"offices.tsv: {before.office} holdings overlap at {after.start}")


def _check_id(kb_id: str, type_: str) -> None:
    """Raise unless ``kb_id`` carries the prefix of its type and a name after it."""
    prefix = ID_PREFIXES[type_]
    if not kb_id.startswith(prefix) or len(kb_id) == len(prefix) or kb_id != kb_id.strip():
        raise KbError(f"id {kb_id!r} of type {type_} must look like {prefix}name")
