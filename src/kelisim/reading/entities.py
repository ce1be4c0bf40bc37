"""Entities from the model's spans: trimmed, put in the nominative, merged with the knowledge
base's matches and linked within the document.

The model knows no Kazakhstani institutions and splits «Ассамблеи народа Казахстана» into an
organisation and a place; a knowledge-base match covering model spans replaces them. Within a
document, «М. Ашимбаев» and «Ашимбаев» take the name of the fullest mention with the same
surname and a compatible initial, «Маулен Ашимбаев».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from kelisim.reading.document import TextView
from kelisim.reading.model import Entity
from kelisim.reading.ner import NerSpan
from kelisim.reading.normal import is_initial, person, phrase
from kelisim.reading.shape import reshape
from kelisim.text.terms import _analyzer
from kelisim.text.tokens import Token, has_letter, parses

_OPEN_QUOTES = frozenset("«“„")
_CLOSE_QUOTES = frozenset("»”\"")
_EDGE_PUNCT = frozenset("«»\"“”„'()[],.:;—–-!?")
_NAME_TAGS = ("Name", "Surn", "Patr")
_TEXT = attrgetter("text")


def from_spans(view: TextView, spans: Sequence[NerSpan]) -> list[Entity]:
    """Entities of the model's spans in one document, reshaped, trimmed and normalised."""
    found = []
    shaped = reshape(view, [(s.type, s.sentence, s.first, s.last) for s in spans])
    for kind, sentence, first, last in shaped:
        sent_tokens = view.sentences[sentence].tokens
        tokens = _trim(kind, sent_tokens[first:last + 1], sent_tokens[last + 1:last + 2])
        if not tokens or not any(tok.is_word for tok in tokens) or _plain_word(tokens, kind, sent_tokens, first):
            continue
        start, end = tokens[0].start, tokens[-1].end
        words = tuple(map(_TEXT, tokens))
        if kind == "PER":
            normal = _person_normal(words, tuple(map(_TEXT, sent_tokens[last + 1:last + 4])))
        else:
            normal = _phrase_normal(words, tuple(view.text[a.end:b.start] for a, b in zip(tokens, tokens[1:])))
        found.append(Entity(kind, start, end, view.text[start:end], normal))
    return found


@lru_cache(maxsize=100_000)
def _person_normal(words: tuple[str, ...], following: tuple[str, ...]) -> str:
    """The normal name of a person given as the texts of its tokens and of the (up to three)
    tokens after it (cached: the same names recur across documents)."""
    return _tidy(person(_join_initials(words), following))


@lru_cache(maxsize=100_000)
def _phrase_normal(words: tuple[str, ...], gaps: tuple[str, ...]) -> str:
    """The normal name of an organisation or place given as its words and the text between
    them, with single spaces (cached: the same names recur across documents)."""
    return " ".join(phrase(words, gaps).split())


def _open_quote(tokens: Sequence[Token]) -> bool:
    """True when the tokens open a quotation mark they do not close."""
    depth = 0
    for tok in tokens:
        depth += tok.text in _OPEN_QUOTES
        depth -= tok.text in _CLOSE_QUOTES and tok.text != '"'
    return depth > 0 or sum(tok.text == '"' for tok in tokens) % 2 == 1


def _trim(kind: str, tokens: Sequence[Token], after: Sequence[Token] = ()) -> list[Token]:
    """The span without punctuation at its edges (bullets, quotes), and for a person without a
    dictionary word glued before an initial («Мажилиса С.Абдрахманов» → «С.Абдрахманов»)."""
    tokens = list(tokens)
    while tokens and not tokens[0].is_word:
        tokens.pop(0)
    while tokens and tokens[-1].text in _EDGE_PUNCT and not (kind == "PER" and tokens[-1].text == "."):
        tokens.pop()
    if tokens and kind != "PER" and _open_quote(tokens) and after and after[0].text in _CLOSE_QUOTES:
        tokens.append(after[0])  # «Яблоко» keeps its closing quote
    if kind == "PER":
        while len(tokens) > 2 and _is_common_word(tokens[0].text) and is_initial(tokens[1].text):
            tokens.pop(0)
        while tokens and tokens[-1].text == "." and (len(tokens) < 2 or not is_initial(tokens[-2].text)):
            tokens.pop()
    return tokens


_PROPER_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad")


def _after_break(tokens: Sequence[Token], first: int) -> bool:
    """True when a span begins its sentence or follows punctuation, where a capital letter says
    nothing about a name."""
    return first == 0 or not tokens[first - 1].is_word


def _plain_word(tokens: Sequence[Token], kind: str, sentence: Sequence[Token], first: int) -> bool:
    """True for a lone dictionary word that cannot be a name: no proper-name tag, and no noun
    reading («Побритый», «Будничная», «Всё-таки» at the start of a sentence) or, for a person
    after a sentence start or punctuation (``first`` indexes the span in its ``sentence``), a
    word for a role («…, Вице-министр Б. Тлепов»)."""
    words = [tok for tok in tokens if tok.is_word]
    if len(words) != 1 or words[0].text.isupper():
        return False
    lower = words[0].lower
    reading = _reading(lower)
    if not reading.known and "-" not in lower:
        return False
    if reading.proper:
        return False
    if not reading.noun:
        return True
    # a lone word for a role is no person («Вице-министр» before a name the model split off)
    return kind == "PER" and reading.animate_nouns and _after_break(sentence, first)


class _Reading(NamedTuple):
    """What the dictionary says of a lower-case word, as :func:`_plain_word` and
    :func:`_is_common_word` ask."""

    known: bool  # the dictionary knows the word (its readings are not guesses)
    named: bool  # some reading is a first name, a surname or a patronymic
    proper: bool  # some reading is a name, a place, an organisation or a trade mark
    noun: bool  # some reading is a noun
    animate_nouns: bool  # every noun reading is animate


@lru_cache(maxsize=100_000)
def _reading(lower: str) -> _Reading:
    """:class:`_Reading` of a word, worked out once per process: names recur across documents."""
    readings = parses(lower)
    return _Reading(
        known=_analyzer().word_is_known(lower),
        named=any(tag in p.tag for p in readings for tag in _NAME_TAGS),
        proper=any(any(t in p.tag for t in _PROPER_TAGS) for p in readings),
        noun=any(p.tag.POS == "NOUN" for p in readings),
        animate_nouns=all(p.tag.POS != "NOUN" or "anim" in p.tag for p in readings),
    )


def _is_common_word(word: str) -> bool:
    """True for a dictionary word that is no part of a name («Мажилиса», «Депутаты»)."""
    if is_initial(word) or not word.isalpha():
        return False
    reading = _reading(word.lower())
    return reading.known and not reading.named


def _join_initials(words: Sequence[str]) -> list[str]:
    """Name words with initials glued to their dots («С», «.» → «С.»), from token texts."""
    joined: list[str] = []
    for word in words:
        if word == "." and joined and is_initial(joined[-1] + "."):
            joined[-1] += "."
        elif has_letter(word):
            joined.append(word)
    return joined


def _tidy(normal: str) -> str:
    """A name with single spaces and an initial written close to its dot («С. Абдрахманов»)."""
    return " ".join(normal.replace(".", ". ").split()).replace(". -", ".-").replace("- ", "-")


def merge(entities: Sequence[Entity], matches: Sequence[Entity]) -> list[Entity]:
    """Model entities and knowledge-base matches as one list sorted by start. A model
    organisation that starts with a match and runs on keeps its span and takes the match's id
    and name («Московского государственного университета имени М.Ломоносова»); otherwise a match
    replaces every entity it overlaps, and an entity that overlaps no match stays."""
    widened, rest = [], []
    for match in matches:
        outer = next((e for e in entities if e.type == match.type == "ORG" and e.start == match.start
                      and match.end < e.end), None)
        if outer is not None:
            widened.append(replace(outer, normal=match.normal, kb_id=match.kb_id))
        else:
            rest.append(match)
    taken = [*widened, *rest]
    kept = [e for e in entities if not any(_overlap(e, m) for m in taken)]
    return sorted(set([*kept, *taken]), key=lambda e: (e.start, -e.end))


def _overlap(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def link_people(entities: Sequence[Entity]) -> list[Entity]:
    """Short mentions of a person («Ашимбаев», «М. Ашимбаев») take the name of the fullest
    mention with the same surname and a compatible initial."""
    full = [(e, words) for e in entities if e.type == "PER" and len(words := _name_words(e.normal)) >= 2]
    linked = []
    for entity in entities:
        if entity.type == "PER" and entity.kb_id is None:
            target = _fullest(entity, full)
            if target is not None and target.normal != entity.normal:
                entity = replace(entity, normal=target.normal, kb_id=target.kb_id)
        linked.append(entity)
    return linked


def _name_words(normal: str) -> list[str]:
    """The words of a name that are not initials."""
    return [w for w in normal.replace(".", ". ").split() if not is_initial(w)]


def _fullest(entity: Entity, full: Sequence[tuple[Entity, list[str]]]) -> Entity | None:
    """The fullest mention this one can refer to, or None when there is none or several;
    ``full`` pairs each full mention with its :func:`_name_words`."""
    words = entity.normal.replace(".", ". ").split()
    names = _name_words(entity.normal)
    if not names:
        return None
    surname = names[-1].lower()
    initials = [w[0] for w in words if is_initial(w)]
    candidates = {}
    for other, other_words in full:
        if other_words[-1].lower() != surname or len(other_words) < len(names):
            continue
        if initials and other_words[0][0].upper() != initials[0].upper():
            continue
        candidates.setdefault(other.normal, other)
    return next(iter(candidates.values())) if len(candidates) == 1 else None


def with_kb_ids(entities: Sequence[Entity], link) -> list[Entity]:
    """Entities with ``kb_id`` filled by ``link(normal, type)`` where they have none yet."""
    return [e if e.kb_id else _with_kb_id(e, link(e.normal, e.type)) for e in entities]


def _with_kb_id(entity: Entity, kb_id: str | None) -> Entity:
    # most entities link to nothing: an unchanged entity needs no copy
    return entity if kb_id == entity.kb_id else replace(entity, kb_id=kb_id)


def without_sources(entities: Sequence[Entity], attribution: Sequence) -> list[Entity]:
    """Entities except organisations inside an attribution («сообщает КазИнформ»): the outlet
    a text credits is its source, not an actor in it."""
    return [e for e in entities
            if not (e.type == "ORG" and any(a.start <= e.start and e.end <= a.end for a in attribution))]


def with_place_names(entities: Sequence[Entity], places: Sequence) -> list[Entity]:
    """Locations in Kazakhstan named as the gazetteer names the unit they cover: «Алматинской» in
    «в Алматинской, Жамбылской и Туркестанской областях» is «Алматинская область»."""
    spans = {(p.start, p.end): p.place.name for p in places if p.place.kato}
    return [replace(e, normal=spans[e.start, e.end]) if e.type == "LOC" and (e.start, e.end) in spans else e
            for e in entities]


def outside_places(mentions: Sequence, places: Sequence) -> list:
    """Ethnic-group mentions that are not words of a place name («Российской» in «Российской
    Федерации», «Кыргызской» in «Кыргызской Республики»)."""
    return [m for m in mentions if not any(p.start <= m.start and m.end <= p.end for p in places)]
