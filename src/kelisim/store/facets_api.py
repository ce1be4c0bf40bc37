"""The facets' part of the Store (``store.facets``): entities, quotes, ethnic groups, places and
the sources' health, each read in its own transaction (SQL in ``store/facets.py``).

Whether a quote's speaker is an official is decided from what the reading records:

- the speaker is linked to the knowledge base's people (every one of them holds or held a state
  office: presidents, chairs of the chambers, prime ministers, akims, APK officials, deputies)
  or to a state body there (a ministry, an akimat, the APK; not an ethnocultural association,
  a university or a party); their role is the office the knowledge base says they held on the
  document's day (offices.tsv), else the one written before their name;
- or the words right before the speaker's name, in the same clause, name an office
  («аким района Иван Петров», «министра культуры Аиды Балаевой», «облыс әкімі …»): the role is
  those words as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from kelisim.store import facets
from kelisim.store.facets import (
    EntityCount,
    Filters,
    GroupCount,
    PlaceCount,
    QuoteCandidate,
    QuoteQuery,
    QuoteRow,
    SourceHealth,
)

if TYPE_CHECKING:
    from kelisim.store.api import Store

# Stems of words naming an office (Russian and Kazakh), matched at a word's start.
ROLE_WORDS = ("аким", "әкім", "министр", "вице-министр", "депутат", "сенатор", "спикер",
              "председател", "төраға", "заместител", "орынбасар", "руководител", "басшы", "глава",
              "президент", "премьер", "секретар", "хатшы", "начальник", "прокурор", "судья",
              "посол", "советник", "уполномоченн", "омбудсмен", "губернатор", "мэр")
# … unless the office is in a body that is not the state's.
NOT_STATE_WORDS = ("ассоциац", "этнокультур", "диаспор", "общин", "обществ", "фонд", "компани",
                   "университет", "партии", "партия", "центра", "союза", "банка", "клуба")
NOT_STATE_BODIES = frozenset(
    f"org:{name}" for name in (
        "mothers-councils", "elders-councils", "public-accord-councils", "friendship-houses",
        "ipei", "kisi", "korean-association", "uyghur-centre", "dungan-association", "slavic-centre",
        "russian-community", "german-wiedergeburt", "uzbek-centre", "tatar-bashkir-centre", "vainakh",
        "azerbaijani-turan", "jewish-congress", "ukrainian-centre", "kurdish-barbang", "msu", "enu",
        "kaznu", "nu", "apa", "kaznpu", "dulaty-university", "yasawi-university", "nur-otan",
        "amanat"))
MAX_ROLE_WORDS = 8
_CLAUSE_END = re.compile(r"[.!?;:,«»\"“”„()\[\]\n—–]")


@dataclass(frozen=True)
class Offices:
    """Who is an official by the knowledge base, and which office each held when."""

    officials: frozenset[str]
    held: dict[str, tuple[tuple[date, date | None, str], ...]]  # person -> (from, until, office)

    @classmethod
    def load(cls) -> Offices:
        """From the knowledge base shipped with the package (read once per process)."""
        return _offices()

    def office(self, kb_id: str, day: date) -> str | None:
        """The office ``kb_id`` held on ``day`` (the first listed when several)."""
        return next((name for start, end, name in self.held.get(kb_id, ())
                     if start <= day and (end is None or day < end)), None)


@lru_cache(maxsize=1)
def _offices() -> Offices:
    from kelisim.kb.tables import (
        INSTITUTION_COLUMNS,
        OFFICE_COLUMNS,
        PEOPLE_COLUMNS,
        holding,
        read_rows,
    )

    bodies = read_rows("institutions.tsv", INSTITUTION_COLUMNS)
    names = {row["id"]: row["name_ru"] for row in bodies if row["type"] == "OFFICE"}
    held: dict[str, list[tuple[date, date | None, str]]] = {}
    for item in map(holding, read_rows("offices.tsv", OFFICE_COLUMNS)):
        held.setdefault(item.holder, []).append((item.start, item.end, names[item.office]))
    people = {row["id"] for row in read_rows("people.tsv", PEOPLE_COLUMNS)}
    states = {row["id"] for row in bodies if row["type"] == "ORG"} - NOT_STATE_BODIES
    return Offices(frozenset(people | states), {k: tuple(v) for k, v in held.items()})


def written_role(before: str | None) -> str | None:
    """The office written right before a name in its clause («… заявил аким района »), if any."""
    clause = _CLAUSE_END.split(before or "")[-1].split()
    start = next((i for i, word in enumerate(clause) if word.lower().startswith(ROLE_WORDS)), None)
    if start is None or len(clause) - start > MAX_ROLE_WORDS:
        return None
    words = clause[start:]
    if any(word.lower().startswith(NOT_STATE_WORDS) for word in words):
        return None
    return " ".join(words)


def speaker_role(candidate: QuoteCandidate, offices: Offices) -> tuple[str | None, bool]:
    """(role, official) of a quote's speaker (see the module's docstring)."""
    written = written_role(candidate.before)
    kb_id = candidate.speaker_kb_id
    if kb_id in offices.officials:
        day = candidate.day or (candidate.at.date() if candidate.at else date.today())
        return offices.office(kb_id, day) or written, True
    return written, written is not None


class Facets:
    """Reads of the facets, each in its own transaction."""

    def __init__(self, store: Store, offices: Offices | None = None) -> None:
        """Bind to a store; ``offices`` stand instead of the knowledge base's."""
        self._store = store
        self._offices = offices

    @property
    def offices(self) -> Offices:
        """Who counts as an official."""
        if self._offices is None:
            self._offices = Offices.load()
        return self._offices

    def entities(self, *, label: str | None = None, region: str | None = None,
                 day_from: date | None = None, day_to: date | None = None,
                 regions: Sequence[str] | None = None, limit: int = 50,
                 offset: int = 0) -> tuple[int, list[EntityCount]]:
        """People, organisations and places (``label`` PER, ORG, LOC) by mentions, most first:
        (total, page)."""
        with self._store._read() as conn:
            return facets.entities(conn, Filters(region, day_from, day_to, regions), label=label,
                                   limit=limit, offset=offset)

    def entity(self, ref: str, *, regions: Sequence[str] | None = None) -> EntityCount | None:
        """One entity (a knowledge-base id or a LABEL:name key) as seen in ``regions``; None when
        nothing of it is."""
        with self._store._read() as conn:
            _total, found = facets.entities(conn, Filters(regions=regions), ref=ref, limit=1)
        return found[0] if found else None

    def quotes(self, *, speaker: str | None = None, region: str | None = None,
               day_from: date | None = None, day_to: date | None = None,
               officials: bool | None = None, regions: Sequence[str] | None = None,
               limit: int = 50, offset: int = 0) -> tuple[int, list[QuoteRow]]:
        """Quotes, latest first: (total, page). ``speaker`` is an entity's ref; ``officials``
        True keeps officials' quotes only, False the others'."""
        ask = QuoteQuery(Filters(region, day_from, day_to, regions), speaker)
        with self._store._read() as conn:
            if officials is None:
                total, found = facets.quote_page(conn, ask, limit, offset)
            else:
                total, found = self._officials_page(conn, ask, officials, limit, offset)
        return total, [self._decided(row, candidate) for row, candidate in found]

    def _officials_page(self, conn, ask: QuoteQuery, officials: bool, limit: int, offset: int):
        # The decision needs the text before each name, so it is made here, not in SQL.
        ask = replace(ask, with_speaker=officials)
        ids = [c.mention_id for c in facets.quote_candidates(conn, ask)
               if speaker_role(c, self.offices)[1] == officials]
        return len(ids), facets.quotes_by_id(conn, ids[offset:offset + limit])

    def _decided(self, row: QuoteRow, candidate: QuoteCandidate) -> QuoteRow:
        role, official = speaker_role(candidate, self.offices)
        return replace(row, speaker_role=role, official=official)

    def quote_months(self, speaker: str, *, regions: Sequence[str] | None = None
                     ) -> list[tuple[str, int]]:
        """A speaker's quotes per month («2024-03»), in order, months with none left out."""
        with self._store._read() as conn:
            days = facets.quote_days(conn, QuoteQuery(Filters(regions=regions), speaker))
        months: Counter[str] = Counter()
        for day, count in days:
            months[f"{day:%Y-%m}"] += count
        return sorted(months.items())

    def groups(self, *, region: str | None = None, day_from: date | None = None,
               day_to: date | None = None, regions: Sequence[str] | None = None) -> list[GroupCount]:
        """Ethnic groups by documents, with the attitude toward them (analysts' corrections in
        force) and the hostile documents that name them; most first."""
        with self._store._read() as conn:
            return facets.groups(conn, Filters(region, day_from, day_to, regions))

    def places(self, *, level: str | None = None, region: str | None = None,
               day_from: date | None = None, day_to: date | None = None,
               regions: Sequence[str] | None = None, limit: int = 100) -> list[PlaceCount]:
        """Places of Kazakhstan (``level``: region, district, settlement, …) by documents."""
        with self._store._read() as conn:
            return facets.places(conn, Filters(region, day_from, day_to, regions), level=level,
                                 limit=limit)

    def sources_health(self, as_of: datetime, *,
                       regions: Sequence[str] | None = None) -> list[SourceHealth]:
        """Every source with its health as of ``as_of``: items, polls, errors, an open silence
        alert; ``documents`` counts only those placed in ``regions``."""
        with self._store._read() as conn:
            return facets.sources_health(conn, as_of, regions)
