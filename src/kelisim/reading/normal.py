"""Entity names in the nominative: «Маулена Ашимбаева» → «Маулен Ашимбаев», «Ассамблеи народа
Казахстана» → «Ассамблея народа Казахстана».

Names of people are normalised by rules on Russian surname and patronymic endings, because
pymorphy does not know most Kazakh names and guesses «Маулена» as a feminine nominative. The
gender comes from evidence in this order: a patronymic, a first name the dictionary knows, the
past-tense verb that follows («Ашимбаева отметила»), and otherwise masculine, the common case in
the news this system reads. Organisations and places keep their full name: only the words up to
the head noun are put in the nominative, the rest («народа Казахстана») stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kelisim.text.terms import _analyzer
from kelisim.text.tokens import parses

# Surname endings: (ending, case, gender) → the masculine or feminine nominative ending.
_SURNAME_SUFFIXES = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий")
_SURNAME_FORMS: dict[str, list[tuple[str, str, str]]] = {
    # -ов/-ев/-ин/-ын: (text ending after the stem, case, gender)
    "possessive": [
        ("", "nomn", "masc"), ("а", "gent", "masc"), ("у", "datv", "masc"), ("ым", "ablt", "masc"),
        ("е", "loct", "masc"), ("а", "nomn", "femn"), ("ой", "gent", "femn"), ("у", "accs", "femn"),
    ],
    # -ский/-цкий
    "adjectival": [
        ("ий", "nomn", "masc"), ("ого", "gent", "masc"), ("ому", "datv", "masc"), ("им", "ablt", "masc"),
        ("ом", "loct", "masc"), ("ая", "nomn", "femn"), ("ой", "gent", "femn"), ("ую", "accs", "femn"),
    ],
}
_PATRONYMIC = re.compile(r"^(?P<stem>.+?(?:ович|евич|ьич|ич))(?P<end>а|у|ем|ом|е)?$|^(?P<fstem>.+?(?:овн|евн|ичн|иничн))(?P<fend>а|ы|е|у|ой)$")
_INITIAL = re.compile(r"^(?:[А-ЯЁӘҒҚҢӨҰҮҺІA-Z]\.?-?)+$")
_MASC_CASE_ENDINGS = (("ом", "ablt"), ("ем", "ablt"), ("ым", "ablt"), ("а", "gent"), ("я", "gent"),
                      ("у", "datv"), ("ю", "datv"), ("е", "loct"))
_QUOTES = frozenset("«»\"“”„")


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way to read a surname: its case, gender and nominative."""

    case: str
    gender: str
    nominative: str


def person(words: Sequence[str], following: Sequence[str] = ()) -> str:
    """The nominative of a person's name given as its words («Маулена», «Ашимбаева»)."""
    return _person(tuple(words), tuple(following[:3]))


@lru_cache(maxsize=100_000)
def _person(words: tuple[str, ...], following: tuple[str, ...]) -> str:
    """:func:`person`, cached: the same names recur across the documents of a day."""
    words = [w for w in words if w not in {".", ","}]
    if not words:
        return ""
    surname_at = _surname_index(words)
    gender = _gender(words, surname_at, following)
    case = _case(words, surname_at, gender)
    return " ".join(_person_word(word, i == surname_at, case, gender) for i, word in enumerate(words))


def _surname_index(words: Sequence[str]) -> int | None:
    """The position of the word that declines like a Russian surname, the last one if several."""
    found = [i for i, word in enumerate(words) if _surname_readings(word.lower())]
    return found[-1] if found else None


@lru_cache(maxsize=50_000)
def _surname_readings(lower: str) -> tuple[_Reading, ...]:
    """Every (case, gender, nominative) a surname-shaped word allows; none for a dictionary
    noun that is no name («Щербина» declines like a noun, not like «Карин»)."""
    if _plain_noun(lower):
        return ()
    readings = []
    for kind, table in _SURNAME_FORMS.items():
        for ending, case, gender in table:
            stem = lower[: len(lower) - len(ending)] if ending else lower
            if not lower.endswith(ending) or len(stem) < 4:
                continue
            if kind == "possessive" and stem.endswith(("ов", "ев", "ёв", "ин", "ын")):
                nominative = stem + ("а" if gender == "femn" else "")
            elif kind == "adjectival" and stem.endswith(("ск", "цк")):
                nominative = stem + ("ая" if gender == "femn" else "ий")
            else:
                continue
            readings.append(_Reading(case, gender, nominative))
    return tuple(readings)


@lru_cache(maxsize=50_000)
def _plain_noun(lower: str) -> bool:
    """True for a word the dictionary knows only as a common noun, nominative among its readings."""
    if not _analyzer().word_is_known(lower):
        return False
    readings = parses(lower)
    if any(tag in p.tag for p in readings for tag in ("Name", "Surn", "Patr")):
        return False
    return any(p.tag.POS == "NOUN" and p.tag.case == "nomn" for p in readings)


def _gender(words: Sequence[str], surname_at: int | None, following: Sequence[str]) -> str:
    """The person's gender from a patronymic, a known first name, a past-tense verb, or masc."""
    for word in words:
        match = _PATRONYMIC.match(word.lower())
        if match:
            return "femn" if match.group("fstem") else "masc"
    for i, word in enumerate(words):
        if i != surname_at and not _INITIAL.match(word):
            known = _known_name_gender(word.lower())
            if known:
                return known
    verb = _verb_gender(following)
    if verb:
        return verb
    if surname_at is not None:
        genders = {r.gender for r in _surname_readings(words[surname_at].lower())}
        if genders == {"femn"}:
            return "femn"
    return "masc"


@lru_cache(maxsize=50_000)
def _known_name_gender(lower: str) -> str | None:
    """The gender of a first name that pymorphy's dictionary (not its guesser) knows."""
    morph = _analyzer()
    if not morph.word_is_known(lower):
        return None
    genders = {p.tag.gender for p in parses(lower) if "Name" in p.tag and p.tag.gender in ("masc", "femn")}
    return genders.pop() if len(genders) == 1 else None


def _verb_gender(following: Sequence[str]) -> str | None:
    """The gender of a singular past-tense verb among the next words («отметила» → femn)."""
    for word in following[:3]:
        for parse in parses(word.lower())[:2]:
            if parse.tag.POS == "VERB" and parse.tag.tense == "past" and parse.tag.number == "sing":
                return parse.tag.gender if parse.tag.gender in ("masc", "femn") else None
    return None


def _case(words: Sequence[str], surname_at: int | None, gender: str) -> str:
    """The case the name stands in, read off its surname, else off a known first name."""
    if surname_at is not None:
        cases = [r.case for r in _surname_readings(words[surname_at].lower()) if r.gender == gender]
        if cases:
            return "nomn" if "nomn" in cases else cases[0]
    for word in words:
        if _INITIAL.match(word):
            continue
        for parse in parses(word.lower()):
            if "Name" in parse.tag and parse.tag.gender == gender and _analyzer().word_is_known(word.lower()):
                return parse.tag.case or "nomn"
    return "nomn"


def _person_word(word: str, is_surname: bool, case: str, gender: str) -> str:
    """One word of a person's name put in the nominative."""
    lower = word.lower()
    if _INITIAL.match(word) or case == "nomn":
        return word
    if is_surname:
        for reading in _surname_readings(lower):
            if reading.case == case and reading.gender == gender:
                return _recase(word, reading.nominative)
        return word
    patronymic = _PATRONYMIC.match(lower)
    if patronymic:
        return _recase(word, patronymic.group("stem") if patronymic.group("stem") else patronymic.group("fstem") + "а")
    return _recase(word, "-".join(_first_name(part, case, gender) for part in lower.split("-")))


def _first_name(lower: str, case: str, gender: str) -> str:
    """A first name in the nominative: by the dictionary when it knows it, else by its ending."""
    morph = _analyzer()
    if morph.word_is_known(lower):
        for parse in parses(lower):
            if "Name" in parse.tag and parse.tag.case == case and parse.tag.gender == gender:
                inflected = parse.inflect({"nomn"})
                if inflected:
                    return inflected.word
    if gender == "masc":
        for ending, ending_case in _MASC_CASE_ENDINGS:
            if ending_case == case and lower.endswith(ending) and len(lower) - len(ending) >= 2:
                return lower[: -len(ending)]
    if gender == "femn" and case != "nomn" and lower.endswith(("ы", "и", "е", "у", "ой")):
        return re.sub(r"(?:ы|и|е|у|ой)$", "а", lower)
    return lower


def phrase(words: Sequence[str], gaps: Sequence[str] | None = None) -> str:
    """The nominative of an organisation or place name: words up to the head noun are put in
    the nominative, the rest is kept («Министерства внутренних дел» → «Министерство внутренних
    дел»). ``gaps[i]`` is what follows word i in the text (a space by default)."""
    return _rejoin(phrase_words(words), gaps)


def phrase_words(words: Sequence[str]) -> list[str]:
    """The words of :func:`phrase`, one for one."""
    return list(_phrase_words(tuple(words)))


@lru_cache(maxsize=100_000)
def _phrase_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`phrase_words`, cached."""
    return tuple(_nominative_words(words))


def _nominative_words(words: Sequence[str]) -> list[str]:
    """The words of a name with those up to the head noun in the nominative."""
    words = [w for w in words]
    head = _head_index([w for w in words])
    if head is None:
        return words
    number, case, gender = _head_grammar(words[head], [w for w in words[:head] if w.isalpha()])
    if case is None or case == "nomn":
        return words
    out = [_to_nominative(word, number, case, gender, i == head) if word.isalpha() or "-" in word else word
           for i, word in enumerate(words[: head + 1])]
    return out + words[head + 1:]


def _rejoin(words: Sequence[str], gaps: Sequence[str] | None) -> str:
    if gaps is None:
        return " ".join(words)
    return "".join(word + (gaps[i] if i < len(words) - 1 else "") for i, word in enumerate(words))


def _head_index(words: Sequence[str]) -> int | None:
    """The first word that can be a noun, after any leading adjectives."""
    for i, word in enumerate(words):
        if not any(ch.isalpha() for ch in word):
            if word in _QUOTES:
                return None  # a quoted name keeps its case: партии «Яблоко»
            continue
        if _is_acronym(word):
            return None
        readings = parses(word.lower())
        if any(p.tag.POS == "NOUN" for p in readings[:3]) and not (
                readings[0].tag.POS in ("ADJF", "PRTF") and i + 1 < len(words)):
            return i
        if not any(p.tag.POS in ("ADJF", "PRTF") for p in readings):
            return None
    return None


def _head_grammar(word: str, adjectives: Sequence[str] = ()) -> tuple[str | None, str | None, str | None]:
    """The number, case and gender of the head noun. Readings that the adjectives before it
    agree with come first («Национального банка» is a bank, not a jar); then a nominative
    singular reading wins («Ассамблея»); otherwise the first reading, so «Ассамблеи» in a name is
    a genitive singular, not a plural. Indeclinable readings the guesser invents («Таразе»)
    count only when alone."""
    nouns = [p for p in parses(word.lower()) if p.tag.POS == "NOUN"]
    nouns = [p for p in nouns if "Fixd" not in p.tag] or nouns
    nouns = [p for p in nouns if all(_agrees(adj, p.tag) for adj in adjectives)] or nouns
    if not nouns:
        return None, None, None
    for parse in nouns:
        if parse.tag.case == "nomn" and parse.tag.number == "sing":
            return "sing", "nomn", parse.tag.gender
    best = nouns[0]
    return best.tag.number, best.tag.case, best.tag.gender


def _agrees(adjective: str, noun_tag) -> bool:
    """True when some reading of ``adjective`` agrees with the noun reading in case and number
    (and gender in the singular)."""
    for parse in parses(adjective.lower()):
        tag = parse.tag
        if tag.POS not in ("ADJF", "PRTF") or tag.case != noun_tag.case or tag.number != noun_tag.number:
            continue
        if tag.number == "plur" or tag.gender == noun_tag.gender:
            return True
    return False


def _to_nominative(word: str, number: str | None, case: str, gender: str | None, is_head: bool) -> str:
    """One word of a name put in the nominative, keeping its number; an adjective takes the
    head's gender («Московского университета» → «Московский университет»)."""
    inflected = _nominative_lower(word.lower(), number, case, gender, is_head)
    return _recase(word, inflected) if inflected is not None else word


@lru_cache(maxsize=100_000)
def _nominative_lower(lower: str, number: str | None, case: str, gender: str | None, is_head: bool) -> str | None:
    """:func:`_to_nominative` of a lower-case word before recasing, None when no reading
    inflects; cached per word, as the words of names recur in ever new phrases."""
    wanted = {"nomn"} | ({number} if number else set())
    if not is_head and number == "sing" and gender in ("masc", "femn", "neut"):
        wanted.add(gender)
    for parse in parses(lower):
        if parse.tag.case != case or (number and parse.tag.number != number):
            continue
        if is_head != (parse.tag.POS == "NOUN") or (is_head and "Fixd" in parse.tag):
            continue
        inflected = parse.inflect(wanted)
        if inflected:
            return inflected.word
    return None


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _recase(original: str, lower: str) -> str:
    """``lower`` written with the capitalisation of ``original`` (per hyphenated part), and
    with «е» where the original did not write «ё»."""
    if "ё" not in original.lower():
        lower = lower.replace("ё", "е")
    if original.isupper() and len(original) > 1:
        return lower.upper()
    parts, source = lower.split("-"), original.split("-")
    if len(parts) != len(source):
        return lower.capitalize() if original[:1].isupper() else lower
    return "-".join(p.capitalize() if s[:1].isupper() else p for p, s in zip(parts, source, strict=True))


def is_initial(word: str) -> bool:
    """True for an initial such as «М.» or «К.-Ж.»."""
    return bool(_INITIAL.match(word))

