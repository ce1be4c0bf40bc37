"""Name patterns built once from the knowledge base, and the word lists of the context rules.

A pattern is a name cut into lower-case words, each word with its keys: the word itself and
its most likely lemma («Генеральная» → генеральная, генеральный). A text token matches a
pattern word when one of the keys is among the token's :func:`kelisim.text.tokens.forms`, so
«Генеральной прокуратуры» matches «Генеральная прокуратура» and «Мәжілісінде» matches «Мәжіліс»,
while «акимата» does not match «аким». People's names are stricter: the name word itself must
be among the token's forms, and the token must be capitalised.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from kelisim.kb.records import KbEntry, Person
from kelisim.text.terms import lemma
from kelisim.text.tokens import sentences

QUOTES = frozenset("«»\"„“”‘’'")
# Qualifiers that name the Republic itself: «МВД РК», «Правительство Республики Казахстан»,
# «ҚР Ішкі істер министрлігі». A match is extended over them instead of stopping short.
QUALIFIERS_AFTER = (("рк",), ("республики", "казахстан"), ("казахстана",))
QUALIFIERS_BEFORE = (("қр",), ("қазақстан", "республикасының"), ("қазақстан", "республикасы"))
_RU_STATE_SUFFIXES = (" Республики Казахстан", " РК")
_KK_STATE_PREFIXES = ("Қазақстан Республикасының ", "Қазақстан Республикасы ", "ҚР ")

# Base forms of foreign countries, their adjectives and international bodies: «Сенат США»,
# «МВД России», «российский парламент», «Ресей Президенті» are not Kazakhstan's.
FOREIGN = frozenset(
    """россия рф сша америка кыргызстан киргизия киргизстан узбекистан таджикистан туркменистан
    туркмения китай кнр украина беларусь белоруссия армения азербайджан грузия молдова молдавия
    монголия турция иран афганистан пакистан индия германия франция великобритания британия
    англия италия испания польша израиль япония корея кндр канада латвия литва эстония ес
    евросоюз оон одкб обсе снг шос еаэс нато паче оаэ австралия австрия аргентина бельгия бразилия
    болгария венгрия венесуэла вьетнам греция дания египет ирак ирландия индонезия иордания катар
    кувейт куба ливан ливия малайзия мексика марокко нидерланды голландия норвегия палестина
    португалия румыния сербия сирия словакия словения судан тунис филиппины финляндия хорватия
    чехия швейцария швеция эфиопия эритрея юар таиланд тайвань сингапур непал кипр мьянма
    бангладеш кения нигерия йемен бахрейн оман чили перу колумбия зеландия гонконг косово
    черногория македония босния албания абхазия осетия крым чечня татарстан башкортостан
    башкирия дагестан ингушетия москва
    российский американский кыргызский киргизский узбекский таджикский туркменский китайский
    украинский белорусский армянский азербайджанский грузинский монгольский турецкий иранский
    германский французский британский английский израильский японский европейский итальянский
    испанский польский кипрский греческий индийский пакистанский афганский египетский сирийский
    ресей қытай өзбекстан қырғызстан тәжікстан түркіменстан түркия украина америка""".split()
)
# Words that make a text Kazakhstani, so that its «Правительство» or «глава государства» is
# Kazakhstan's: the country, its capitals and largest cities, its own institutions and currency.
KAZAKHSTANI = frozenset(
    """казахстан казахстанский казахстанец казахстанка қазақстан рк қр астана нур-султан алматы
    шымкент тараз актобе караганда павлодар атырау актау кордай акорда ақорда мажилис
    мәжіліс аким акимат маслихат әкім әкімдік мәслихат тенге теңге елбасы""".split()
)
# A Kazakh name's stems can be Russian words («Парламенті» → парламен, «парламента» → парламен),
# so a Kazakh name, like a generic one, counts only in a Kazakhstani text.
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
# A word before an office phrase that makes it name someone else: «заместитель акима»,
# «вице-министр», «бывший аким», «временно исполняющий обязанности акима».
SUBORDINATE = frozenset(
    """заместитель зам замглавы вице помощник советник пресс-секретарь пресс-служба бывший экс
    прежний обязанность врио почетный секретарь бұрынғы""".split()
)
# Kazakh puts the subordinate after the office in the genitive: «облыс әкімінің орынбасары».
SUBORDINATE_AFTER = frozenset("орынбасар орынбасары көмекшісі кеңесшісі хатшысы".split())
_VERB_ENDINGS = ("ть", "ти", "чь", "ться", "тись")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One name variant: the keys of each word, what it names, and how it counts."""

    words: tuple[frozenset[str], ...]
    target: str
    via: str  # name | office
    weak: bool = False  # counts only when the target is named otherwise in the same text
    generic: bool = False  # a common noun («Правительство»): counts only in a Kazakhstani text
    person: bool = False  # a person's name: exact words, capitalised tokens


@dataclass(frozen=True, slots=True)
class Index:
    """The patterns by the keys of their first word, acronyms by their exact text, people by
    surname, and every key (used to decide whether a hyphenated token stays whole)."""

    first: dict[str, tuple[Pattern, ...]]
    acronyms: dict[str, tuple[tuple[str, bool], ...]]  # exact text → (entry id, generic)
    surnames: dict[str, tuple[Person, ...]]
    keys: frozenset[str]
    starts: frozenset[str]  # the keys a match can start with: first words and surnames


def name_words(name: str) -> tuple[str, ...]:
    """The lower-case tokens of a name (ё as е), quotes dropped."""
    return tuple(
        tok.lower for sent in sentences(name) for tok in sent.tokens if tok.text not in QUOTES
    )


@lru_cache(maxsize=20_000)
def word_keys(word: str) -> frozenset[str]:
    """The keys of one lower-case name word: itself and, for a word, its most likely lemma."""
    if not any(ch.isalpha() for ch in word):
        return frozenset({word})
    return frozenset({word, lemma(word)})


def is_verb_like(word: str) -> bool:
    """True when the most likely lemma of a lower-case word is a Russian infinitive."""
    return lemma(word).endswith(_VERB_ENDINGS)


def institution_names(entry: KbEntry) -> list[str]:
    """The full names of an organisation or office; for an organisation also without the
    Republic's name («Министерство внутренних дел Республики Казахстан» → «… внутренних дел»)."""
    names = [entry.name_ru, entry.name_kk, *entry.aliases]
    if entry.type != "OFFICE":
        names += [_without_state(name) for name in names]
    return list(dict.fromkeys(name for name in names if name))


def _without_state(name: str) -> str:
    """A name without a trailing «Республики Казахстан»/«РК» or a leading «ҚР …»."""
    for suffix in _RU_STATE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    for prefix in _KK_STATE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def person_names(item: Person) -> list[tuple[str, ...]]:
    """The word sequences of a person's full names: first [patronymic] surname, surname first
    [patronymic], in Russian and Kazakh, plus the Latin and other listed spellings."""
    found = _name_orders(item.first_name, item.patronymic, item.surname)
    kk = item.name_kk.split()
    if len(kk) >= 2:
        found += _name_orders(kk[0], " ".join(kk[1:-1]), kk[-1])
    for name in (*item.latin, *item.aliases):
        found.append(name_words(name))
    return list(dict.fromkeys(words for words in found if len(words) >= 2))


def _name_orders(first: str, patronymic: str, surname: str) -> list[tuple[str, ...]]:
    """First-surname and surname-first orders, with and without the patronymic."""
    first_w, surname_w = name_words(first), name_words(surname)
    orders = [first_w + surname_w, surname_w + first_w]
    if patronymic:
        patronymic_w = name_words(patronymic)
        orders += [first_w + patronymic_w + surname_w, surname_w + first_w + patronymic_w]
    return orders


def surnames(item: Person) -> list[str]:
    """The lower-case surnames of a person in every script listed."""
    found = [item.surname, *(name.split()[-1] for name in (item.name_kk, *item.latin) if name)]
    return list(dict.fromkeys(name.lower().replace("ё", "е") for name in found))


@dataclass(frozen=True, slots=True)
class Rules:
    """The names of each entry that count only with support (``weak``) or only in a
    Kazakhstani text (``generic``), by entry id."""

    weak: dict[str, tuple[str, ...]]
    generic: dict[str, tuple[str, ...]]


def build_index(entries: list[KbEntry], rules: Rules, people: list[Person]) -> Index:
    """Index every name, acronym and surname of the knowledge base."""
    patterns = [p for entry in entries if entry.type != "PER" for p in _institution_patterns(entry, rules)]
    patterns += [p for item in people for p in _person_patterns(item)]
    first: dict[str, list[Pattern]] = defaultdict(list)
    for pattern in patterns:
        for key in pattern.words[0]:
            first[key].append(pattern)
    acronyms: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for entry in entries:
        for acronym in entry.acronyms:
            generic = acronym in rules.generic.get(entry.id, ())
            acronyms[acronym.replace("ё", "е").replace("Ё", "Е")].append((entry.id, generic))
    by_surname: dict[str, list[Person]] = defaultdict(list)
    for item in people:
        for surname in surnames(item):
            by_surname[surname].append(item)
    keys = frozenset(key for p in patterns for word in p.words for key in word) | frozenset(by_surname)
    return Index(
        {k: tuple(v) for k, v in first.items()},
        {k: tuple(dict.fromkeys(v)) for k, v in acronyms.items()},
        {k: tuple(v) for k, v in by_surname.items()},
        keys,
        frozenset(first) | frozenset(by_surname),
    )


def _institution_patterns(entry: KbEntry, rules: Rules) -> list[Pattern]:
    """The patterns of an organisation's or office's names (generic when listed so, word for
    word) and of its weak aliases (always generic too)."""
    via = "office" if entry.type == "OFFICE" else "name"
    generic = {name_words(name) for name in rules.generic.get(entry.id, ())}
    found = []
    for name in institution_names(entry):
        words = name_words(name)
        kazakh = not KAZAKH_LETTERS.isdisjoint(name.lower())
        found.append(Pattern(_keys(words), entry.id, via, generic=kazakh or words in generic))
    for name in rules.weak.get(entry.id, ()):
        found.append(Pattern(_keys(name_words(name)), entry.id, via, weak=True, generic=True))
    return [pattern for pattern in found if pattern.words]


def _person_patterns(item: Person) -> list[Pattern]:
    """The patterns of a person's full names (exact words, capitalised)."""
    return [
        Pattern(tuple(frozenset({word}) for word in words), item.id, "name", person=True)
        for words in person_names(item)
    ]


def _keys(words: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    return tuple(word_keys(word) for word in words)
