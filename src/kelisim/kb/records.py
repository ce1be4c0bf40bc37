"""The records of the knowledge base: entries, people's name parts, office holdings, mentions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ENTRY_TYPES = ("PER", "ORG", "LOC", "OFFICE")


@dataclass(frozen=True, slots=True)
class KbEntry:
    """One entity of the knowledge base: a person, organisation, place or office.

    ``name_ru`` is the canonical Russian name in the nominative (for a person: first name and
    surname, «Маулен Ашимбаев»); ``aliases`` are other full names (Kazakh, Latin, older or
    shorter ones); ``acronyms`` match only in their exact letter case.
    """

    id: str
    type: str
    name_ru: str
    name_kk: str
    aliases: tuple[str, ...]
    acronyms: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class Person:
    """The name parts of a person, from which name variants and initials are built."""

    id: str
    surname: str
    first_name: str
    patronymic: str
    name_kk: str
    latin: tuple[str, ...]
    aliases: tuple[str, ...]
    alone: bool  # the bare surname counts in running text without a fuller mention
    note: str

    @property
    def name_ru(self) -> str:
        """First name and surname: the canonical Russian name."""
        return f"{self.first_name} {self.surname}"


@dataclass(frozen=True, slots=True)
class Holding:
    """``holder`` held ``office`` from ``start`` (inclusive) to ``end`` (exclusive, None: still)."""

    office: str
    holder: str
    start: date
    end: date | None
    note: str

    def covers(self, when: date) -> bool:
        """True when the holder was in office on ``when``."""
        return self.start <= when and (self.end is None or when < self.end)


@dataclass(frozen=True, slots=True)
class KbMention:
    """A span of ``view.text`` linked to a knowledge-base entry.

    ``via`` says how: ``name`` (a full name, an initials-and-surname form or a surname),
    ``acronym``, or ``office`` (an office phrase resolved to its holder on the document's date;
    ``office`` then names the office).
    """

    start: int
    end: int
    text: str
    kb_id: str
    type: str
    normal: str
    via: str
    office: str | None = None
