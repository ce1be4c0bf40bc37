"""The outlet a text credits («сообщает КазИнформ», «передает Liter.kz», «сообщила пресс-служба
Акорды», «деп хабарлайды ҚазАқпарат»): a source of the text, never an actor in it.

A credit is found at a cue (an attribution verb, «по данным», «со ссылкой на», «Источник:», a
closing «— Kazinform.kz», Kazakh «…хабарлауынша») followed or preceded by an outlet: a name or
domain from ``data/outlets.tsv``, a press service, or, after a present-tense verb
(«сообщает», «передает», «пишет»), any name that looks like an outlet's.
The speech-verb table is loaded here too, because the quote finder and this module share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import razdel

from kelisim.datafiles import package_rows
from kelisim.reading.document import TextView
from kelisim.reading.model import Attribution
from kelisim.text.terms import _analyzer, lemma
from kelisim.text.tokens import Token, forms

DASHES = frozenset("—–―-")
OPEN_QUOTES = frozenset("«„“\"")
CLOSE_QUOTES = frozenset("»“”\"")
TLDS = frozenset(["kz", "ru", "com", "org", "net", "info", "media", "news", "kg", "uz", "tv", "agency",
                  "az", "by", "ua", "su", "io", "me", "asia", "world", "uk", "tr"])
_FILLERS = frozenset(["корреспондент", "собкор", "агентство", "информагентство", "миа", "иа", "портал",
                      "сайт", "издание", "газета", "телеканал", "радио", "журнал", "интернет-издание",
                      "интернет-портал", "тілшісі"])
_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
_SURNAME_ENDINGS = ("ов", "ев", "ин", "ова", "ева", "ина", "ский", "цкий", "енко",
                    "улы", "ұлы", "қызы", "кызы")
_NOMINAL_CUES = {("по", "данным"): "known", ("по", "информации"): "known",
                 ("по", "сообщению"): "known", ("со", "ссылкой", "на"): "open"}
_KAZAKH_AFTER_OUTLET = frozenset({"хабарлауынша", "мәліметінше", "дерегінше"})
_OWNER_STOP = frozenset(["в", "во", "на", "и", "а", "о", "об", "что", "с", "со", "по", "для", "от", "к",
                         "при", "за"])
_MAX_OWNER_WORDS = 5


def data_rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a tab-separated file shipped in ``kelisim/reading/data``, its header checked."""
    return package_rows("kelisim.reading", f"data/{name}", columns)


def _words(phrase: str) -> tuple[str, ...]:
    """The lower-case tokens of a phrase, split as the text is (ё written as е)."""
    return tuple(t.text.lower().replace("ё", "е") for t in razdel.tokenize(phrase))


@dataclass(frozen=True, slots=True)
class Verb:
    """One speech or attribution verb as written, e.g. «сообщает» or «атап өтті»."""

    words: tuple[str, ...]
    roles: frozenset[str]  # speech, impersonal, after_dep, attribution
    present: bool
    lang: str = "ru"


@dataclass(frozen=True, slots=True)
class VerbHit:
    """A verb found at tokens[start:end]."""

    start: int
    end: int
    verb: Verb


class VerbTable:
    """Verb forms keyed by their first word, matched by a dictionary look-up per token."""

    def __init__(self, verbs: list[Verb]) -> None:
        self.first: dict[str, list[Verb]] = {}
        for verb in sorted(set(verbs), key=lambda v: -len(v.words)):  # longest first
            self.first.setdefault(verb.words[0], []).append(verb)

    def at(self, lows: list[str], i: int) -> VerbHit | None:
        """The longest verb starting at token ``i`` of a text's lower-case tokens, if any."""
        for verb in self.first.get(lows[i], ()):
            end = i + len(verb.words)
            if end <= len(lows) and all(lows[i + k] == word for k, word in enumerate(verb.words[1:], 1)):
                return VerbHit(i, end, verb)
        return None


def _lexeme(infinitive: str) -> list[tuple[str, bool]]:
    """Past, third-person and gerund forms of a Russian verb, with a present-tense flag; kept
    only when :func:`kelisim.text.terms.lemma` maps them back to the verb."""
    parses = [p for p in _analyzer().parse(infinitive) if p.tag.POS == "INFN"]
    found = []
    for form in parses[0].lexeme if parses else ():
        tag, word = form.tag, form.word.replace("ё", "е")
        finite = tag.POS == "VERB" and ("past" in tag or "3per" in tag) and "impr" not in tag
        if (finite or tag.POS == "GRND") and lemma(word) == infinitive:
            found.append((word, "pres" in tag))
    return found


def _verbs_of(row: dict[str, str]) -> list[Verb]:
    """Every written form one row of speech_verbs.tsv stands for."""
    words = _words(row["words"])
    roles = frozenset(row["roles"].split("|"))
    if row["match"] == "form":
        return [Verb(words, roles, row["tense"] == "present", row["lang"])]
    return [Verb((form, *words[1:]), roles, present, row["lang"]) for form, present in _lexeme(words[0])]


@lru_cache(maxsize=1)
def speech_verbs() -> VerbTable:
    """Every speech, impersonal and attribution verb of ``data/speech_verbs.tsv``."""
    rows = data_rows("speech_verbs.tsv", ("lang", "words", "match", "roles", "tense", "note"))
    return VerbTable([verb for row in rows for verb in _verbs_of(row)])


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet or press service."""

    id: str
    name: str
    kind: str


class OutletTable:
    """Outlet names, press-service owners and domains, matched on token forms."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.names: dict[str, list[tuple[tuple[str, ...], Outlet]]] = {}
        self.owners: dict[str, list[tuple[tuple[str, ...], Outlet]]] = {}
        self.domains: dict[str, Outlet] = {}
        for row in rows:
            outlet = Outlet(row["id"], row["name"], row["kind"])
            for name in _split(row["aliases"]):
                _index(self.names, _words(name), outlet)
            for owner in _split(row["owners"]):
                _index(self.owners, _words(owner), outlet)
            for domain in _split(row["domains"]) + [n for n in _split(row["aliases"]) if "." in n]:
                self.domains[domain.lower()] = outlet

    def match(self, tokens: list[Token], i: int, owners: bool = False) -> tuple[int, Outlet] | None:
        """The longest outlet name (or press-service owner) at ``tokens[i]``: (end, outlet)."""
        table = self.owners if owners else self.names
        keys = {tokens[i].lower} | forms(tokens[i].lower)
        best = None
        for key in keys:
            for words, outlet in table.get(key, ()):
                end = i + len(words)
                longer = best is None or end > best[0]
                if longer and end <= len(tokens) and all(
                        _same(tokens[i + k], w) for k, w in enumerate(words)):
                    best = (end, outlet)
        return best


def _split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def _index(table: dict, words: tuple[str, ...], outlet: Outlet) -> None:
    """File a name under its first word and that word's lemma, for inflected mentions."""
    for key in {words[0], lemma(words[0])}:
        table.setdefault(key, []).append((words, outlet))


def _same(token: Token, word: str) -> bool:
    """Token and name word agree as written or by a base form («Акорды» ~ «акорда»)."""
    low = token.lower
    return low == word or (word.isalpha() and bool({word, lemma(word)} & forms(low)))


@lru_cache(maxsize=1)
def outlets() -> OutletTable:
    """The outlets of ``data/outlets.tsv``."""
    return OutletTable(data_rows("outlets.tsv", ("id", "name", "kind", "aliases", "domains", "owners",
                                                 "note")))


def find_attribution(view: TextView, tokens: list[Token] | None = None,
                     lows: list[str] | None = None) -> list[Attribution]:
    """The outlets and press services ``view`` credits, in text order.

    Args:
        view: the document, tokenised once.
        tokens, lows: ``view.tokens()`` and their lower-case forms, when the caller has them.

    Returns:
        One :class:`Attribution` per credit; its span runs from the cue («сообщает», «по
        данным», «Источник:») to the end of the outlet's name, or from the name to the verb
        when the name comes first («ҚазАқпарат тілшісі хабарлайды»).
    """
    tokens = tokens if tokens is not None else view.tokens()
    lows = lows if lows is not None else lower_tokens(view.text, tokens)
    cues = _cue_words()
    found: list[Attribution] = []
    for i, low in enumerate(lows):
        if low not in cues or (found and tokens[i].start < found[-1].end):
            continue
        credit = _credit_at(view.text, tokens, lows, i)
        if credit and (not found or credit[0] >= found[-1].end):
            found.append(_record(view.text, *credit))
    return found


def lower_tokens(text: str, tokens: list[Token]) -> list[str]:
    """Each token's ``Token.lower``, sliced from the text lowered once (much cheaper)."""
    low = text.lower().replace("ё", "е")
    if len(low) != len(text):  # a letter that lowers to two («İ»): token by token
        return [t.lower for t in tokens]
    return [low[t.start:t.end] for t in tokens]


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    """The first words of every cue, so that other tokens cost one set look-up."""
    verbs = {word for word, entries in speech_verbs().first.items()
             if any("attribution" in v.roles for v in entries)}
    nominal = {cue[0] for cue in _NOMINAL_CUES}
    return frozenset(verbs | nominal | DASHES | _KAZAKH_AFTER_OUTLET | {"источник"})


def _credit_at(text: str, tokens: list[Token], lows: list[str], i: int) -> tuple[int, int, Outlet] | None:
    """(start, end, outlet) of a credit whose cue is at ``tokens[i]``."""
    hit = speech_verbs().at(lows, i)
    if hit and "attribution" in hit.verb.roles:
        after = _outlet_after(text, tokens, hit.end, unknown=hit.verb.present)
        if after:
            return tokens[i].start, after[0], after[1]
        before = _outlet_before(tokens, i)
        return (before[0], tokens[hit.end - 1].end, before[1]) if before else None
    for cue, mode in _NOMINAL_CUES.items():
        if tuple(lows[i:i + len(cue)]) == cue:
            after = _outlet_after(text, tokens, i + len(cue), unknown=mode == "open")
            return (tokens[i].start, after[0], after[1]) if after else None
    if lows[i] == "источник" and i + 1 < len(tokens) and tokens[i + 1].text in DASHES | {":"}:
        after = _outlet_after(text, tokens, i + 2, unknown=True)
        return (tokens[i].start, after[0], after[1]) if after else None
    closing = tokens[i].text in DASHES and i > 0 and _line_ends_soon(text, tokens[i].end)
    if closing and not _line_break_between(text, tokens[i - 1], tokens[i]):
        return _closing_credit(text, tokens, i)
    if lows[i] in _KAZAKH_AFTER_OUTLET:
        before = _outlet_before(tokens, i)
        return (before[0], tokens[i].end, before[1]) if before else None
    return None


def _closing_credit(text: str, tokens: list[Token], i: int) -> tuple[int, int, Outlet] | None:
    """«… — Kazinform.kz» closing a line: a known name or a domain, then the line ends."""
    after = _outlet_after(text, tokens, i + 1, unknown=False, skip=False)
    if not after:
        return None
    rest = text[after[0]:text.find("\n", after[0]) if "\n" in text[after[0]:] else len(text)]
    return (tokens[i].start, after[0], after[1]) if rest.strip(" .\t") == "" else None


def _line_ends_soon(text: str, offset: int, within: int = 40) -> bool:
    """True when the line ends within ``within`` characters: a closing credit is short."""
    return "\n" in text[offset:offset + within] or len(text) - offset <= within


def _line_break_between(text: str, left: Token, right: Token) -> bool:
    return "\n" in text[left.end:right.start]


def _outlet_after(text: str, tokens: list[Token], j: int, unknown: bool,
                  skip: bool = True) -> tuple[int, Outlet] | None:
    """The outlet named from ``tokens[j]`` on (fillers and an opening quote skipped): (end, outlet)."""
    while skip and j < len(tokens) and (_FILLERS & forms(tokens[j].lower) or tokens[j].lower == "в") and not (
            _named(tokens, j)):  # «Газета.Ru», «Радио Свобода» start with a filler word
        j += 1
    quoted = j < len(tokens) and tokens[j].text in OPEN_QUOTES
    j += quoted
    if j >= len(tokens) or _line_break_between(text, tokens[j - 1], tokens[j]):
        return None
    found = _press_service(tokens, j) or _named(tokens, j)
    if not found and unknown:
        found = _unknown(tokens, j, quoted)
    if found and quoted and found[0] < len(tokens) and tokens[found[0]].text in CLOSE_QUOTES:
        return tokens[found[0]].end, found[1]
    return (tokens[found[0] - 1].end, found[1]) if found else None


def _outlet_before(tokens: list[Token], i: int) -> tuple[int, Outlet] | None:
    """A known outlet or press service ending right before ``tokens[i]`` (a Kazakh «тілшісі»
    or «баспасөз қызметі» between): (start offset, outlet)."""
    stop = i - 1 if i > 0 and tokens[i - 1].lower == "тілшісі" else i
    if stop >= 2 and (tokens[stop - 2].lower, tokens[stop - 1].lower) == ("баспасөз", "қызметі"):
        return _ending_at(tokens, stop - 2, owners=True)
    return _ending_at(tokens, stop)


def _ending_at(tokens: list[Token], stop: int, owners: bool = False) -> tuple[int, Outlet] | None:
    """The longest known name (or owner) that ends right before ``tokens[stop]``."""
    for start in range(max(0, stop - 5), stop):
        found = _named(tokens, start, owners)
        if found and found[0] == stop:
            return tokens[start].start, found[1]
    return None


def outlet_at(tokens: list[Token], j: int) -> tuple[int, Outlet] | None:
    """A listed outlet name or a domain starting at ``tokens[j]``: (end token, outlet)."""
    return _named(tokens, j)


def _named(tokens: list[Token], j: int, owners: bool = False) -> tuple[int, Outlet] | None:
    """A domain or a listed name starting at ``tokens[j]``: (end token, outlet)."""
    domain = _domain(tokens, j)
    if domain:
        end, name = domain
        return end, outlets().domains.get(name.lower().removeprefix("www."), Outlet("", name, "online"))
    found = outlets().match(tokens, j, owners)
    return found if found and _name_like(tokens[j]) else None


def _name_like(token: Token) -> bool:
    return token.is_capitalized or token.text[:1].isdigit()


def _domain(tokens: list[Token], j: int) -> tuple[int, str] | None:
    """«Liter.kz», «rus.azattyq.org», «1tv.kz»: adjacent tokens forming labels joined by dots,
    the last one a known TLD: (end token, domain as written)."""
    end = j + 1
    while end < len(tokens) and tokens[end].start == tokens[end - 1].end and (
            tokens[end].text == "." or tokens[end].text.replace("-", "").isalnum()):
        end += 1
    while end > j and tokens[end - 1].text == ".":
        end -= 1
    name = "".join(t.text for t in tokens[j:end])
    if "." not in name or not tokens[j].text[:1].isalnum() or tokens[end - 1].text.lower() not in TLDS:
        return None
    return end, name


def _press_service(tokens: list[Token], j: int) -> tuple[int, Outlet] | None:
    """«пресс-служба Акорды», «пресс-службе акимата Жамбылской области»: (end, outlet)."""
    low = tokens[j].lower
    if not low.startswith(("пресс-служб", "пресс-центр", "pr-служб")):
        return None
    known = j + 1 < len(tokens) and outlets().match(tokens, j + 1, owners=True)
    if known and _name_like(tokens[j + 1]):
        return known
    end = j + 1
    while (end < len(tokens) and end - j <= _MAX_OWNER_WORDS and tokens[end].is_word
           and tokens[end].lower not in _OWNER_STOP):
        end += 1
    if end == j + 1:
        return None
    owner = " ".join(t.text for t in tokens[j + 1:end])
    return end, Outlet("", f"Пресс-служба {owner}", "press_service")


def _unknown(tokens: list[Token], j: int, quoted: bool) -> tuple[int, Outlet] | None:
    """An unlisted name after «сообщает»/«передает»: capitalised (all of it when quoted) and
    not a person's name («передает Ашимбаев» is not an outlet)."""
    first = tokens[j]
    if not first.is_capitalized or not first.is_word or _is_person(first):
        return None
    end = j + 1
    while end < len(tokens) and end - j < _MAX_OWNER_WORDS and tokens[end].is_word and (
            tokens[end].is_capitalized or quoted):
        end += 1
    if quoted and (end >= len(tokens) or tokens[end].text not in CLOSE_QUOTES):
        return None
    return end, Outlet("", " ".join(t.text for t in tokens[j:end]), "unknown")


@lru_cache(maxsize=20_000)
def _person_word(word: str) -> bool:
    """A name or surname by pymorphy, or by a surname ending it reads otherwise («Токаев» is
    parsed as the genitive plural of «токай»)."""
    return word.endswith(_SURNAME_ENDINGS) or any(
        tag in parse.tag for parse in _analyzer().parse(word) for tag in _PERSON_TAGS)


def _is_person(token: Token) -> bool:
    return any("а" <= ch <= "я" for ch in token.lower) and _person_word(token.lower)


def _record(text: str, start: int, end: int, outlet: Outlet) -> Attribution:
    return Attribution(start, end, text[start:end], outlet.name, outlet.id or None)
