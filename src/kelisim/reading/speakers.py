"""Who said it: the person or pronoun next to a verb of speech (the subject of its clause),
else an organisation named in the nominative; the person a lead clause names («по словам X»,
«X-тың айтуынша»); the entity a Kazakh clause opens with; and, once every quote is known, each
pronoun resolved to the most recent person named outside any quote. Office phrases such as
«глава государства» come in as linked PER entities.
"""

from __future__ import annotations

from functools import lru_cache

from kelisim.reading.model import Entity, Quote
from kelisim.reading.quote_doc import _Doc, _token_at, _Who
from kelisim.text.terms import _analyzer

PRONOUNS = frozenset({"он", "она", "они", "ол", "олар"})
POSSESSIVES = frozenset({"его", "ее", "их", "оның", "олардың"})
PREPOSITIONS = frozenset(["в", "во", "на", "с", "со", "у", "к", "ко", "по", "о", "об", "обо", "для", "от",
                          "из", "при", "за", "перед", "между", "через", "до", "без", "под", "над", "про"])
ASIDE_PREPOSITIONS = PREPOSITIONS - {"между"} | {"согласно"}  # «Между тем X, …» is no aside


def _subject(doc: _Doc, a: int, b: int, first: bool = False, pronouns: bool = True) -> _Who | None:
    """The speaker in tokens[a:b]: the person or pronoun nearest the verb (the first one when
    the verb comes before, ``first``), else an organisation named in the nominative."""
    if a >= b:
        return None
    lo, hi = doc.tokens[a].start, doc.tokens[b - 1].end
    aside = [] if first else _asides(doc, a, b)
    found: list[tuple[int, _Who, bool]] = []
    for entity in doc.people:
        if lo <= entity.start and entity.end <= hi and _may_be_subject(doc, entity) and not any(
                x <= entity.start < y for x, y in aside):
            found.append((entity.start, _Who(entity), entity.type == "PER"))
    if pronouns:
        found += [(doc.tokens[i].start, _Who(pronoun=i), True)
                  for i in range(a, b) if doc.lows[i] in PRONOUNS and not doc.in_quote[i]]
    found.sort(key=lambda item: item[0], reverse=not first)
    people = [who for _, who, person in found if person]
    return people[0] if people else (found[0][1] if found else None)


def _asides(doc: _Doc, a: int, b: int) -> list[tuple[int, int]]:
    """Character ranges of the comma-closed asides before a verb that cannot hold its subject:
    «Врачи, лечащие Гиффордс, говорят», «Согласно сообщению БелТА, судья заявила»."""
    found, start = [], a
    for k in range(a, b):
        if doc.tokens[k].text == ",":
            if k > start and _aside(doc, start, k):
                found.append((doc.tokens[start].start, doc.tokens[k].start))
            start = k + 1
    return found


def _aside(doc: _Doc, a: int, b: int) -> bool:
    """tokens[a:b] open with «который», a participle or a gerund, or are a verbless phrase
    opening with a preposition («Согласно сообщению БелТА», not «По пути Керри сделал …»)."""
    word = doc.lows[a]
    if word in ASIDE_PREPOSITIONS:
        return not any(_finite(low) for low in doc.lows[a + 1:b] if low.isalpha())
    return _relative(word) or _participle(word)


@lru_cache(maxsize=20_000)
def _relative(word: str) -> bool:
    return _analyzer().parse(word)[0].normal_form == "который"


@lru_cache(maxsize=20_000)
def _participle(word: str) -> bool:
    return _analyzer().parse(word)[0].tag.POS in ("PRTF", "GRND")


@lru_cache(maxsize=20_000)
def _finite(word: str) -> bool:
    tag = _analyzer().parse(word)[0].tag
    return tag.POS == "VERB" and "indc" in tag


def _may_be_subject(doc: _Doc, entity: Entity) -> bool:
    """Not after a preposition («с Токаевым»), not inside a quote; an organisation only in the
    nominative (its first word as in its normal name, or an acronym) and not after a noun for a
    person («представитель Philips», «создатель Facebook»: that person speaks)."""
    i = _token_at(doc, entity.start)
    if i < len(doc.tokens) and doc.in_quote[i] or (i > 0 and doc.lows[i - 1] in PREPOSITIONS):
        return False
    if entity.type == "ORG":
        head = entity.text.split()[0]
        before = doc.tokens[i - 1].text if i > 0 else ""
        if before.islower() and _person_noun(before):
            return False
        return head.isupper() or head.lower() == entity.normal.split()[0].lower()
    return True


@lru_cache(maxsize=20_000)
def _person_noun(word: str) -> bool:
    tag = _analyzer().parse(word)[0].tag
    return tag.POS == "NOUN" and "anim" in tag


def _genitive_speaker(doc: _Doc, a: int, b: int) -> _Who | None:
    """«первого заместителя … Маулена Ашимбаева», «его», «Тоқаевтың»: the last person named
    in tokens[a:b], else the last organisation, else a possessive pronoun."""
    lo, hi = doc.tokens[a].start if a < b else 0, doc.tokens[b - 1].end if a < b else 0
    inside = [e for e in doc.people if lo <= e.start and e.end <= hi]
    for kind in ("PER", "ORG"):
        named = [e for e in inside if e.type == kind]
        if named:
            return _Who(named[-1])
    pronoun = next((i for i in range(a, b) if doc.lows[i] in POSSESSIVES), None)
    return _Who(pronoun=pronoun) if pronoun is not None else None


def _kazakh_subject(doc: _Doc, first: int, k: int) -> tuple[int, _Who | None]:
    """«Министр бұл маңызды екенін атап өтті»: the entities or pronoun the clause opens with."""
    who, i = None, first
    for entity in doc.people:
        if entity.start == doc.tokens[i].start and entity.end < doc.tokens[k].start:
            who, i = _Who(entity), _token_at(doc, entity.end)
    if who is None and doc.lows[first] in PRONOUNS:
        who, i = _Who(pronoun=first), first + 1
    return i, who


def _resolve(doc: _Doc) -> list[Quote]:
    """The drafts as quotes, each pronoun resolved to the most recent person named outside
    every quote (a name inside speech is rarely the one «он» refers to)."""
    spans = [(d.start, d.end) for d in doc.drafts]
    outside = [e for e in doc.people if e.type == "PER" and not any(a <= e.start < b for a, b in spans)]
    quotes = []
    for draft in sorted(doc.drafts, key=lambda d: d.start):
        speaker, kb_id, start, end = None, None, None, None
        who = draft.who
        if who and who.pronoun is not None:
            token = doc.tokens[who.pronoun]
            before = [e for e in outside if e.end <= token.start]
            if before:
                speaker, kb_id, start, end = before[-1].normal, before[-1].kb_id, token.start, token.end
        elif who and who.entity:
            e = who.entity
            speaker, kb_id, start, end = e.normal, e.kb_id, e.start, e.end
        quotes.append(Quote(draft.start, draft.end, doc.text[draft.start:draft.end], draft.direct,
                            speaker, kb_id, start, end))
    return quotes
