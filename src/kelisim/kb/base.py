"""The knowledge base: Kazakhstani institutions, people and office holders, shipped as data.

``KnowledgeBase.load()`` reads ``kelisim/kb/data/*.tsv`` once per process. ``find`` marks the
names, acronyms and office phrases of a text and links them (an office phrase to whoever held
the office on the document's date); ``link`` links the normalised text of an NER entity.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from kelisim.kb.matcher import (
    Candidate,
    Note,
    Shapes,
    Word,
    allowed,
    candidates,
    extend,
    names_holder,
    prepare,
    prepare_near,
    select,
)
from kelisim.kb.patterns import Index, Rules, build_index
from kelisim.kb.records import Holding, KbEntry, KbMention, Person
from kelisim.kb.tables import (
    INSTITUTION_COLUMNS,
    OFFICE_COLUMNS,
    PEOPLE_COLUMNS,
    KbError,
    check_holdings,
    holding,
    institution,
    person,
    person_entry,
    read_rows,
)
from kelisim.reading.document import TextView
from kelisim.text.tokens import sentences

# NER tags an institution as a place and back («в Акорде»): ORG and LOC link to either.
_COMPATIBLE = {"PER": ("PER",), "ORG": ("ORG", "LOC"), "LOC": ("LOC", "ORG")}
_LINK_CACHE = 100_000


class KnowledgeBase:
    """Entries by id, office holdings by office, and the name index; build with :meth:`load`."""

    def __init__(self, entries: list[KbEntry], rules: Rules, people: list[Person], holdings: list[Holding]) -> None:
        """Index the entries; raise :class:`KbError` on a repeated id or a bad holding."""
        self._entries: dict[str, KbEntry] = {}
        for entry in entries:
            if entry.id in self._entries:
                raise KbError(f"duplicate id {entry.id!r}")
            self._entries[entry.id] = entry
        check_holdings(holdings, self._entries)
        self._people = {item.id: item for item in people}
        self._holdings: dict[str, list[Holding]] = {}
        for item in sorted(holdings, key=lambda h: h.start):
            self._holdings.setdefault(item.office, []).append(item)
        self._index: Index = build_index(entries, rules, people)
        self._shapes = Shapes(self._index.keys, index=self._index)
        self._links: dict[tuple[str, str, date | None], str | None] = {}
        self._dated: dict[str, bool] = {}  # entity text → whether an office phrase may match it

    @classmethod
    def load(cls) -> KnowledgeBase:
        """The knowledge base shipped with the package, read once per process."""
        return _load()

    def __len__(self) -> int:
        """The number of entries (people, organisations, offices)."""
        return len(self._entries)

    def entries(self, type_: str | None = None) -> list[KbEntry]:
        """All entries, or those of one type (PER, ORG, LOC, OFFICE), in file order."""
        return [e for e in self._entries.values() if type_ is None or e.type == type_]

    def get(self, kb_id: str) -> KbEntry:
        """The entry with this id; ``KeyError`` when unknown."""
        return self._entries[kb_id]

    def holdings(self, office_id: str) -> list[Holding]:
        """Who held an office and when, oldest first."""
        return list(self._holdings.get(office_id, ()))

    def holder(self, office_id: str, when: date) -> str | None:
        """The id of the person who held ``office_id`` on ``when``, or None when not known."""
        return next((h.holder for h in self._holdings.get(office_id, ()) if h.covers(when)), None)

    def find(self, view: TextView) -> list[KbMention]:
        """The knowledge-base mentions in a text, non-overlapping, longest first, in text order.

        Args:
            view: the text, its tokens and its date; an office phrase («глава государства»,
                «акима Жамбылской области») is resolved to its holder on ``view.published``, or
                today when the date is unknown.

        Returns:
            One :class:`KbMention` per span, with ``text == view.text[start:end]``.
        """
        when = view.published or date.today()
        notes = self._shapes.notes(view)
        starting = self._shapes.starting(notes)
        if not starting:
            return []
        # the lines a match may be on
        words, positions = prepare_near(view, starting, self._shapes, self._shapes.split(notes))
        pairs = self._resolved(words, view.text, when, positions)
        if not self._kazakhstani(view, notes, pairs):
            pairs = [(c, kb_id) for c, kb_id in pairs if not c.generic]
        return [self._mention(c, kb_id, words, view.text) for c, kb_id in select(pairs, words)]

    def _kazakhstani(self, view: TextView, notes: dict[str, Note], pairs: list[tuple[Candidate, str]]) -> bool:
        """True for a Kazakh text, one naming Kazakhstan or its cities, or one with a specific
        (not generic, not weak) knowledge-base match; ``notes`` are the view's :meth:`Shapes.notes`."""
        if view.language == "kk" or self._shapes.kazakhstani(notes):
            return True
        return any(not c.generic and not c.weak for c, _ in pairs)

    def link(self, normal: str, type: str, when: date | None = None) -> str | None:
        """The id of the entry a normalised entity text names, or None.

        Args:
            normal: an entity's text in the nominative: a full name («Касым-Жомарт Токаев»),
                initials and surname («К.-Ж. Токаев»), a surname unique among the people here
                («Токаев»), an organisation's name or acronym, or an office phrase
                («глава государства», resolved on ``when``).
            type: the entity type, PER, ORG or LOC; a PER links only to a person, an ORG or LOC
                to an organisation or place.
            when: the document's date; today when None.
        """
        normal, when = normal.strip(), when or date.today()
        if len(self._links) >= _LINK_CACHE or len(self._dated) >= _LINK_CACHE:
            self._links.clear()
            self._dated.clear()
        words, dated = None, self._dated.get(normal)
        if dated is None:  # only an office phrase links by date: a name links alike every day
            words = self._words(normal)
            dated = self._dated[normal] = any(c.via == "office" for c in candidates(words, self._index))
        key = (normal, type, when if dated else None)
        if key not in self._links:
            self._links[key] = self._link(normal, self._words(normal) if words is None else words, type, when)
        return self._links[key]

    def _words(self, normal: str) -> list[Word]:
        """The matcher's words of an entity text."""
        text = " ".join(normal.split())
        return prepare(text, [tok for sent in sentences(text) for tok in sent.tokens], self._shapes)

    def _link(self, normal: str, words: list[Word], type_: str, when: date) -> str | None:
        """:meth:`link` without the cache; ``words`` are the matcher's words of ``normal``."""
        text = " ".join(normal.split())
        content = [i for i, w in enumerate(words) if w.kind == "word"]
        if not content:
            return None
        whole = [(c, kb_id) for c, kb_id in self._resolved(words, text, when)
                 if c.first <= content[0] and c.last >= content[-1]]
        ids = self._whole_ids(whole, words[content[0]].text)
        wanted = _COMPATIBLE.get(type_, ())
        fitting = list(dict.fromkeys(kb_id for kb_id in ids if self._entries[kb_id].type in wanted))
        return fitting[0] if len(fitting) == 1 else None

    def _whole_ids(self, whole: list[tuple[Candidate, str]], first_word: str) -> list[str]:
        """The ids of matches covering a whole entity text: full names first; a bare surname
        only when one person has it (the one whose surname it is exactly, if several)."""
        strong = [kb_id for c, kb_id in whole if not c.surname and not c.weak]
        if strong:
            return strong
        bare = list(dict.fromkeys(kb_id for c, kb_id in whole if c.surname))
        if len(bare) > 1:
            exact = first_word.lower().replace("ё", "е")
            bare = [kb_id for kb_id in bare if self._people[kb_id].surname.lower().replace("ё", "е") == exact]
        return bare

    def _resolved(self, words: list[Word], text: str, when: date,
                  positions: list[int] | None = None) -> list[tuple[Candidate, str]]:
        """Candidates (starting at ``positions``, or anywhere) that pass the context rules, each
        with the entry id it stands for."""
        pairs = []
        for candidate in candidates(words, self._index, positions):
            if self._entries[candidate.target].type != "PER":
                candidate = extend(candidate, words)
                if not allowed(candidate, words, text):
                    continue
            kb_id = self.holder(candidate.target, when) if candidate.via == "office" else candidate.target
            if kb_id is None or candidate.via == "office" and not names_holder(candidate, words, self._people[kb_id]):
                continue
            pairs.append((candidate, kb_id))
        return pairs

    def _mention(self, candidate: Candidate, kb_id: str, words: list[Word], text: str) -> KbMention:
        """The :class:`KbMention` of a selected candidate."""
        start, end = words[candidate.first].start, words[candidate.last].end
        entry = self._entries[kb_id]
        office = candidate.target if candidate.via == "office" else None
        return KbMention(start, end, text[start:end], kb_id, entry.type, entry.name_ru, candidate.via, office)


@lru_cache(maxsize=1)
def _load() -> KnowledgeBase:
    """Read and validate the shipped TSV files (cached)."""
    entries, rules = [], Rules({}, {})
    for row in read_rows("institutions.tsv", INSTITUTION_COLUMNS):
        entry, rules.weak[row["id"]], rules.generic[row["id"]] = institution(row)
        entries.append(entry)
    people = [person(row) for row in read_rows("people.tsv", PEOPLE_COLUMNS)]
    entries += [person_entry(item) for item in people]
    holdings = [holding(row) for row in read_rows("offices.tsv", OFFICE_COLUMNS)]
    return KnowledgeBase(entries, rules, people, holdings)
