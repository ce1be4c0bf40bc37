"""Finding ethnic groups in text: every Russian and Kazakh form of the lexicon's groups,
collective and social categories and slurs, matched word by word, never as a substring.

A Russian word matches when one of its dictionary base forms (:func:`kelisim.text.tokens.forms`)
is a form the lexicon lists (уйгуров → уйгур, казахскими → казахский). A Kazakh word matches when
it is one of the forms generated from the lexicon's Kazakh stems with plural, possessive and case
endings (қазақтар, өзбектерге, ұйғырлардың, qazaqtar; :mod:`kelisim.ethnic.kazakh`). Adjectives are
mentions of people only when they qualify people («русский язык» is reported with
``person=False``), and homonyms are guarded by rules in ``data/guards.tsv``
(:mod:`kelisim.ethnic.guards`). docs/ethnic-groups.md gives every rule with examples.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from kelisim.ethnic.guards import (
    ADJECTIVE,
    PERSONAL,
    RULES,
    HeadNouns,
    guard_rules,
    is_name,
    load_guards,
    load_heads,
    needs_company,
    norm,
    usable_hits,
)
from kelisim.ethnic.kazakh import kazakh_forms
from kelisim.ethnic.lexicon import Lexicon
from kelisim.reading.document import TextView, WordMemo
from kelisim.reading.model import EthnicMention
from kelisim.text.terms import _analyzer
from kelisim.text.tokens import Token, forms, lowered

__all__ = ["RULES", "EthnicMatcher", "kazakh_forms", "load_guards", "load_heads"]

_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_LATIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzäöüūıñğşç")
_ADJECTIVE_ENDINGS = ("ий", "ый", "ой", "ие", "ые", "ая", "яя", "ое", "ее")
_CACHE_LIMIT = 200_000
_PREFIX = 3


@dataclass(frozen=True, slots=True)
class _Entry:
    """What a listed form names: a group or category id, and how the form may be used."""

    group: str
    kind: str  # group | collective | social
    slur: bool
    adjective: bool  # person depends on the noun it qualifies
    substantive: bool  # the adjective names people on its own: «русские», «русскоязычные»
    rules: frozenset[str]
    rank: int  # the lower wins when one word names two ids: groups, then categories, then slurs
    feminine: bool = False  # a feminine noun loses to a masculine or plural one: «эвенки» is эвенк


@dataclass(frozen=True, slots=True)
class _Hit:
    """One reading of a word as a form of an entry."""

    entry: _Entry
    plural: bool  # some reading is plural («турок»: also genitive plural)
    kazakh: bool = False
    bare: bool = False  # a Kazakh stem without endings, perhaps an attribute: «қазақ тілі»
    russian_word: bool = False  # a Kazakh form that is also a Russian word: «украины»
    thing: bool = False  # the likeliest reading is an inanimate noun: «полька», «финка»
    surname: bool = False  # the word may be a name: «Поляков», «Чехов»
    surely_plural: bool = False  # the likeliest reading is plural: «Аланы», not «Алан»


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A multi-word form; each word is the set of keys that match it."""

    words: tuple[frozenset[str], ...]
    entry: _Entry


@dataclass(frozen=True, slots=True)
class _Word:
    """Everything the matcher knows about one lower-case word, computed once."""

    hits: tuple[_Hit, ...] = ()
    phrases: tuple[_Phrase, ...] = ()
    parts: tuple[tuple[int, int, tuple[_Hit, ...]], ...] = ()  # hyphenated: «русско-казахский»


_NOTHING = _Word()


@dataclass(slots=True)
class _Found:
    """A candidate mention before the sentence and document rules are applied."""

    start: int
    end: int
    entry: _Entry
    person: bool
    needs_company: bool
    others: tuple[_Entry, ...] = ()  # other ids the word may name («чехи»)


# --- Listed forms -------------------------------------------------------------------------------

def _is_adjective(form: str) -> bool:
    """Whether a listed Russian form is an adjective or participle (казахский, понаехавшие); the
    ending decides when the dictionary also guesses a surname («адыгский»)."""
    return form.endswith(_ADJECTIVE_ENDINGS) and any(p.tag.POS in ADJECTIVE for p in _analyzer().parse(form))


def _keys(form: str) -> set[str]:
    """The base forms under which a listed Russian form is found: itself and the normal forms of
    its animate-noun and adjective readings («дунгане» → дунганин); «мари» gives no «марь»."""
    found = {form}
    for parse in _analyzer().parse(form):
        if parse.tag.POS in ADJECTIVE or (parse.tag.POS == "NOUN" and "anim" in parse.tag):
            found.add(norm(parse.normal_form))
    return found


def _combining(adjective: str) -> str | None:
    """The first part of a compound adjective: русский → русско (русско-казахский)."""
    return adjective[:-2] + "о" if adjective.endswith(("ский", "цкий")) else None


# --- The matcher --------------------------------------------------------------------------------

class EthnicMatcher:
    """Finds ethnic-group mentions in a :class:`TextView`; build it with :meth:`EthnicMatcher.load`."""

    def __init__(self, lexicon: Lexicon, guards: dict[tuple[str, str], frozenset[str]],
                 heads: dict[tuple[str, str], str]) -> None:
        """Index every form of the lexicon: Russian base forms, generated Kazakh forms, phrases."""
        self._guards, self._nouns = guards, HeadNouns(heads)
        self._russian: dict[str, list[_Entry]] = defaultdict(list)
        self._combining: dict[str, list[_Entry]] = defaultdict(list)
        self._kazakh: dict[str, list[tuple[_Entry, bool, bool]]] = defaultdict(list)
        self._phrases: dict[str, list[_Phrase]] = defaultdict(list)
        self._words: dict[str, _Word] = {}
        self._seen = WordMemo(self._see, _names_anything, _CACHE_LIMIT)  # by token text as written
        for rank, (id, kind, slur, russian, kazakh, feminine) in enumerate(_sources(lexicon)):
            for form in russian:
                self._add_russian(norm(form), id, kind, slur, rank, form == feminine)
            for form in kazakh:
                self._add_kazakh(norm(form), id, kind, slur, rank)
        for phrases in self._phrases.values():
            phrases.sort(key=lambda phrase: -len(phrase.words))
        self._prefixes = frozenset(key[:_PREFIX] for index in (self._russian, self._kazakh, self._phrases)
                                   for key in index)

    @classmethod
    def load(cls) -> EthnicMatcher:
        """The matcher over the shipped lexicon, built once per process."""
        return _load()

    def find(self, view: TextView) -> list[EthnicMention]:
        """Every mention of an ethnic group, category or slur in ``view``, in text order."""
        found: list[_Found] = []
        for index, at in view.where(self._seen.hot(view)).items():
            found += self._sentence(view.sentences[index].tokens, at, view.language)
        named = _named(found)
        return [self._mention(view.text, item, named) for item in found]

    # -- building --

    def _entry(self, form: str, script: str, id: str, kind: str, slur: bool, rank: int,
               adjective: bool = False, substantive: bool = False, feminine: bool = False) -> _Entry | None:
        """The entry for one listed form, or None when its guard turns it off."""
        rules = self._guards.get((form, script), frozenset())
        if "off" in rules:
            return None
        return _Entry(id, kind, slur, adjective, substantive, rules, rank, feminine)

    def _add_russian(self, form: str, id: str, kind: str, slur: bool, rank: int, feminine: bool = False) -> None:
        """Index a Russian form under its base forms, or as a phrase when it has several words."""
        if " " in form:
            entry = self._entry(form, "ru", id, kind, slur, rank)
            words = tuple(frozenset(_keys(word)) for word in form.split())
            if entry:
                for key in words[0]:
                    self._phrases[key].append(_Phrase(words, entry))
            return
        adjective = _is_adjective(form)
        substantive = adjective and (slur or _is_adjective(id.split()[0]))
        entry = self._entry(form, "ru", id, kind, slur, rank, adjective, substantive, feminine)
        if entry is None:
            return
        for key in _keys(form):
            if entry not in self._russian[key]:
                self._russian[key].append(entry)
        combining = _combining(form) if adjective and not slur else None
        if combining:
            self._combining[combining].append(_Entry(id, kind, slur, True, False, entry.rules, rank))

    def _add_kazakh(self, form: str, id: str, kind: str, slur: bool, rank: int) -> None:
        """Index every inflected form of a Kazakh (or Latin-script Kazakh) stem or phrase."""
        entry = self._entry(form, "kk", id, kind, slur, rank)
        if entry is None:
            return
        *first, last = form.split()
        latin = bool(_LATIN_LETTERS.intersection(last))
        inflected = kazakh_forms(last, latin)
        if first:
            if last[-1] in "ыі" and last[-2] not in "аәеиоөұүыіэюя":  # татары: also татарлары
                inflected.update(kazakh_forms(last[:-1], latin))
            words = (*(frozenset({word}) for word in first), frozenset(inflected))
            self._phrases[first[0]].append(_Phrase(words, entry))
            return
        for surface, plural in inflected.items():
            value = (entry, plural, surface == form)
            if value not in self._kazakh[surface]:
                self._kazakh[surface].append(value)

    # -- words --

    def _see(self, text: str) -> _Word:
        """:meth:`_word` for a token text as written, remembered by :attr:`_seen`: a document is
        then scanned only at the tokens that may name something."""
        return self._word(lowered(text))

    def _word(self, lower: str) -> _Word:
        """What one lower-case word can name, computed once per process."""
        word = self._words.get(lower)
        if word is None:
            if len(self._words) >= _CACHE_LIMIT:
                self._words.clear()
            word = self._words[lower] = self._analyse(lower)
        return word

    def _analyse(self, lower: str) -> _Word:
        """The readings of a word as a group form, the phrases it starts, its hyphenated parts.
        A word whose first letters begin no listed form is skipped before any dictionary look-up:
        inflection and the base forms of :func:`forms` keep a word's first three letters."""
        if lower[:_PREFIX] not in self._prefixes and "-" not in lower:
            return _NOTHING
        keys = forms(lower)
        hits = self._russian_hits(lower, keys) + self._kazakh_hits(lower)
        phrases = tuple(dict.fromkeys(p for key in keys for p in self._phrases.get(key, ())))
        parts = self._parts(lower) if not hits and "-" in lower and len(lower) > 1 else ()
        return _Word(hits, phrases, parts) if hits or phrases or parts else _NOTHING

    def _russian_hits(self, lower: str, keys: frozenset[str]) -> tuple[_Hit, ...]:
        """Readings through the word's Russian base forms; a Kazakh stem of a Russian word
        («марина» → мари) is not a base form here."""
        if not any(key in self._russian for key in keys):
            return self._colloquial_plural(lower)
        parses = _analyzer().parse(lower)
        matched = {lower, *(norm(p.normal_form) for p in parses)}.intersection(self._russian)
        if not matched:
            return self._colloquial_plural(lower)
        mine = [p for p in parses if norm(p.normal_form) in matched] or parses
        plural = any("plur" in p.tag and "Fixd" not in p.tag for p in mine)  # «коми» has no number
        top = parses[0]
        thing = top.tag.POS == "NOUN" and "inan" in top.tag and any(
            "anim" in p.tag and p.normal_form == top.normal_form for p in parses)  # полька: a dance
        surname = any(PERSONAL & p.tag.grammemes and "sing" in p.tag for p in parses)  # not «Аланы»
        entries = sorted({e for key in matched for e in self._russian[key]}, key=lambda e: (e.feminine, e.rank))
        surely = "plur" in top.tag and "Fixd" not in top.tag
        return tuple(_Hit(e, plural, thing=thing and not e.adjective and not e.slur, surname=surname,
                          surely_plural=surely) for e in entries)

    def _kazakh_hits(self, lower: str) -> tuple[_Hit, ...]:
        """Readings as an inflected Kazakh form."""
        values = self._kazakh.get(lower)
        if not values:
            return ()
        russian = not _KAZAKH_LETTERS.intersection(lower) and _analyzer().word_is_known(lower)
        return tuple(_Hit(entry, plural, kazakh=True, bare=bare, russian_word=russian, surely_plural=plural)
                     for entry, plural, bare in values)

    def _parts(self, lower: str) -> tuple[tuple[int, int, tuple[_Hit, ...]], ...]:
        """The parts of a hyphenated word and their readings, when one part names a group
        (русско-казахский, қазақ-қытай, братья-славяне); a first part like «русско» counts only
        when every part names a group."""
        parts, offset = [], 0
        for part in lower.split("-"):
            hits = self._word(part).hits if part else ()
            parts.append((offset, len(part), hits or tuple(_Hit(e, False) for e in self._combining.get(part, ()))))
            offset += len(part) + 1
        return tuple(parts) if any(self._word(part).hits for part in lower.split("-") if part) else ()

    def _colloquial_plural(self, lower: str) -> tuple[_Hit, ...]:
        """A colloquial genitive plural in -ов/-ев of a noun whose plural is otherwise formed
        («татаров», «башкиров», «грузинов»), which the dictionary reads as a surname if at all."""
        if not lower.endswith(("ов", "ев")) or len(lower) < 6:
            return ()
        entries = [e for e in self._russian.get(lower[:-2], ()) if not e.adjective and not e.feminine]
        return tuple(_Hit(e, True) for e in sorted(entries, key=lambda e: e.rank))

    def _names_group(self, lower: str) -> bool:
        """Whether a lower-case word names a group, category or slur on its own."""
        return bool(self._word(lower).hits)

    # -- sentences --

    def _sentence(self, tokens: tuple[Token, ...], at: list[int], language: str) -> list[_Found]:
        """The candidate mentions of one sentence, with the company guard applied; ``at`` are
        the indices of the tokens that may name something."""
        found: list[_Found] = []
        after = 0
        for i in at:
            if i < after:
                continue
            token, word = tokens[i], self._seen[tokens[i].text]
            phrase = self._phrase(tokens, i, word.phrases) if word.phrases else None
            if phrase:
                entry, end = phrase
                found.append(_Found(token.start, tokens[end - 1].end, entry, True, False))
                after = end
                continue
            hits = usable_hits(word.hits, language)
            if hits:
                found += filter(None, [self._single(tokens, i, hits)])
            elif word.parts and len(token.lower) == len(token.text):
                found += self._compound(tokens, i, word.parts, language)
        if found and any(item.needs_company for item in found) and all(item.needs_company for item in found):
            return []  # a guarded homonym counts only beside an unguarded mention
        return found

    def _phrase(self, tokens: tuple[Token, ...], i: int, phrases: tuple[_Phrase, ...]) -> tuple[_Entry, int] | None:
        """The longest phrase starting at token ``i``, and the index after its last token."""
        for phrase in phrases:
            end = i + len(phrase.words)
            if end <= len(tokens) and all(_fits(tokens[i + k].lower, phrase.words[k])
                                          for k in range(1, len(phrase.words))):
                return phrase.entry, end
        return None

    def _single(self, tokens: tuple[Token, ...], i: int, hits: list[_Hit]) -> _Found | None:
        """The mention made by one word, or None when a guard or the name rule rejects it."""
        token, hit = tokens[i], hits[0]
        rules = guard_rules(hits, hit)
        if "lower" in rules and token.text[:1].isupper() and not hit.surely_plural:
            return None  # «Мари Кюри», «Республика Коми», «Қытай» (China), «Алан»; «Аланы» is plural
        if not hit.kazakh and is_name(tokens, i, hit, self._names_group):
            return None
        person = self._nouns.person(tokens, i, hit)
        if person is None:
            return None
        others = tuple(dict.fromkeys(h.entry for h in hits[1:]
                                     if h.entry.group != hit.entry.group and h.entry.feminine == hit.entry.feminine))
        return _Found(token.start, token.end, hit.entry, person, needs_company(hit, rules), others)

    def _compound(self, tokens: tuple[Token, ...], i: int, parts, language: str) -> list[_Found]:
        """The mentions made by the parts of a hyphenated word. When some part names no group,
        the others count only if those parts are written in lower case («братья-славяне»), so
        that «Ханты-Мансийск» names no Khanty."""
        token, found = tokens[i], []
        usable = [(offset, length, usable_hits(hits, language)) for offset, length, hits in parts]
        complete = all(hits for _, _, hits in usable)
        for offset, length, hits in usable:
            if not hits:
                if token.text[offset:offset + 1].isupper():
                    return []
                continue
            hit, rules = hits[0], guard_rules(hits, hits[0])
            if not complete and hit.entry.adjective and not self._word(token.lower[offset:offset + length]).hits:
                continue  # «русско» of «русско-язычные»
            if "lower" in rules and token.text[offset:offset + 1].isupper() and not hit.surely_plural:
                continue
            person = self._nouns.person(tokens, i, hit)
            if person is not None:
                start = token.start + offset
                found.append(_Found(start, start + length, hit.entry, person, needs_company(hit, rules)))
        return found

    def _mention(self, text: str, item: _Found, named: set[str]) -> EthnicMention:
        """The output record; a word that may name two ids («чехи») names the one the document
        mentions elsewhere, else the likelier."""
        entry = next((e for e in (item.entry, *item.others) if e.group in named), item.entry)
        return EthnicMention(entry.group, item.start, item.end, text[item.start:item.end], entry.kind,
                             entry.slur, item.person)


def _names_anything(word: _Word) -> bool:
    return word is not _NOTHING


def _fits(lower: str, keys: frozenset[str]) -> bool:
    """Whether a word is one of a phrase word's keys, as written or by a base form."""
    return lower in keys or not keys.isdisjoint(forms(lower))


def _named(found: list[_Found]) -> set[str]:
    """The ids a document names unambiguously."""
    return {item.entry.group for item in found if not item.others}


def _sources(lexicon: Lexicon):
    """(id, kind, slur, Russian forms, Kazakh forms) for every group, category and slur, groups
    first, so that a word naming a group and a slur («чукча») names the group."""
    for group in lexicon.groups():
        russian = (group.noun_m_sg, group.noun_f_sg, group.noun_pl, group.adj, *group.variants)
        yield group.id, "group", False, russian, (*group.kk, *group.kk_latin), group.noun_f_sg
    for category in lexicon.categories():
        yield category.id, category.category, category.slur, category.forms, category.kk, None
    categories = {category.id: category.category for category in lexicon.categories()}
    for slur in lexicon.slurs():
        yield slur.refers_to, categories.get(slur.refers_to, "group"), True, (slur.form,), (), None


@lru_cache(maxsize=1)
def _load() -> EthnicMatcher:
    """Build the matcher over the shipped lexicon, guards and head nouns."""
    return EthnicMatcher(Lexicon.load(), load_guards(), load_heads())
