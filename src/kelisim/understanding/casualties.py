"""Reported casualties: how many people a text says were killed, injured and detained, each
count with the span that states it (docs/method.md, "Casualties and sub-types").

A count is a number tied to a casualty word (``data/casualty_cues.tsv``: base forms, Kazakh
stems with «*») in the same clause, before it («11 человек погибли», «11 адам қаза тапты») or
after it («погибли 11 человек»), at most ``GAP`` words away, or anywhere after a tally word
(«число жертв … достигло 25»). Numbers are digits («2 000», «2,3 тысячи», «300-ден астам») or
words («двое», «сто девяносто два», «екі мың екі жүз»); «более», «около», «астам», «десятки»
make a count approximate. A number counts no one when a unit, a thing, an animal or an ordinal
follows it, or when it is an age («11-летний»), an ordinal («5-інші»), a time («18:00») or part
of a phone number. A casualty word under a hedge («бы», «может», «мүмкін»), in the infinitive,
imperative or future counts nothing. Without a number: «никто не пострадал», «без жертв»,
«зардап шеккен жоқ» count 0; «есть погибшие» at least 1; a singular past predicate 1 («погиб»,
«убил сержанта», «получила травму», a clause-final Kazakh verb with no plural subject). Each kind
reports the largest count stated (reports update upward); every statement is kept as evidence,
past incidents recalled included.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kelisim.datafiles import package_rows
from kelisim.reading.document import TextView, WordMemo
from kelisim.text.tokens import Sentence, Token, forms, parses

KINDS = ("killed", "injured", "detained")
GAP = 4  # words at most between a number (with its noun) and its casualty word
TALLY_NEAR = 2  # «число жертв»: words between the tally word and the casualty word
EXISTS_NEAR = 3  # «есть погибшие и раненые»: words before the casualty word
ABSENT_AFTER = 2  # «погибших нет», «зардап шеккен жоқ»
OBJECT_NEAR = 3  # «задержали восьмиклассника»: words searched for a singular object
AUX_BEFORE = 3  # «получила пулевое ранение»: words searched back for «получить»
COORDINATED = 3  # «16 жолаушы мен 5 экипаж мүшесі»: words from a number to «и»/«мен»
MEMO_LIMIT = 200_000  # token texts remembered; forgotten all at once beyond this
# Marks inside a sentence that do not end a clause; every other mark does (commas, dashes,
# colons, brackets, and the emoji of a news ticker: «10⚡️Арестован …» is not ten arrests).
NOT_BOUNDARIES = frozenset({"«", "»", "\"", "“", "”", "„", "'", "’", ".", "%"})
COORDINATORS = frozenset({"и", "мен", "бен", "пен"})
SKIPPED = frozenset({"filler", "aux", "approx"})  # not counted in the distance to a cue
KK_TAIL = frozenset({"екен", "еді", "болатын", "ғой"})  # may follow a clause-final Kazakh verb
KK_PRONOUNS = frozenset({"олар", "біз", "сіздер", "сендер"})
KAZAKH = frozenset("әғқңөұүһі")
# Endings a Kazakh numeral takes: case, possessive («алтысы»: six of them), collective
# («бесеуіне»), «-дай» (about); and words that look like a numeral with an ending but are not.
_KK_ENDINGS = frozenset({"ы", "і", "сы", "сі", "ын", "ін", "ына", "іне", "сына", "сіне", "ға", "ге", "қа",
                         "ке", "на", "не", "дан", "ден", "тан", "тен", "нан", "нен", "дай", "дей", "тай",
                         "тей", "дайы"})
_KK_APPROX = frozenset({"дай", "дей", "тай", "тей", "дайы", "деген", "даған", "дағаны"})
_KK_NOT_NUMBERS = frozenset({"оны", "она", "оне", "онын", "бірге", "үшін", "бесін"})
_PLURAL_MULTIPLIERS = frozenset({"тысячи", "тысяч", "тысячами", "тысячах", "миллионы", "миллионов"})
_ORDINAL = re.compile(r"(?:нш[ыі]|[ыі]?нш[ыі]|ш[ыі])$")
_DIGITS = re.compile(r"(\d+)(?:[.,](\d+))?(?:-([^\W\d_]+))?")
_RU_SUFFIXES = frozenset({"ти", "ми", "х", "и", "ух", "ех"})  # «160-ти», «24-х»: cardinal cases
_KK_PLURAL = re.compile(r"(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?$")  # nominative: a subject («қылмыскерлер»)
_KK_GENITIVE = ("дың", "дің", "ның", "нің", "тың", "тің")


@dataclass(frozen=True)
class Count:
    """One statement of a count: kind, value and the span of text that states it."""

    kind: str  # killed | injured | detained
    value: int
    approximate: bool  # «более 170», «около 40», «десятки»
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Casualties:
    """The largest count of each kind a text states (None: not stated), with the evidence."""

    killed: int | None
    injured: int | None
    detained: int | None
    counts: tuple[Count, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]  # base forms; a trailing «*» matches any word starting so
    kind: str
    lang: str


@dataclass(frozen=True, slots=True)
class _Numeral:
    value: float
    multiplier: bool
    approximate: bool
    ordinal: bool


@dataclass(frozen=True, slots=True)
class _Hit:
    entry: _Entry
    first: int
    last: int


@dataclass(slots=True)
class _Phrase:
    """A number in a sentence: its words, value and what may disqualify it."""

    first: int
    last: int  # the last numeral word
    after: int  # the first word after it and a Kazakh «астам», «жуық»
    value: float
    approximate: bool
    start: int
    end: int
    blocked: bool = False
    used: bool = False


@dataclass(slots=True)
class _Clauses:
    """One sentence while it is read: its words, clause of each word, matches and numbers."""

    words: list[Token]
    clause: list[int]
    hits: list[_Hit]
    kazakh: bool
    roles: dict[int, str]  # word index -> kind of the non-cue entry covering it


class CasualtyFinder:
    """Finds casualty counts; build it with ``CasualtyFinder.load()``."""

    def __init__(self, entries: Sequence[_Entry]) -> None:
        """Index the entries: cues by first word, numerals by word, Kazakh numerals by stem."""
        self._exact: dict[str, list[_Entry]] = defaultdict(list)
        self._prefix: dict[str, list[_Entry]] = defaultdict(list)
        self._numerals: dict[str, dict[str, _Numeral]] = {"ru": {}, "kk": {}}
        for entry in sorted(entries, key=lambda e: -len(e.words)):
            if entry.kind[0] in "=~x":
                self._numerals[entry.lang][entry.words[0]] = _numeral(entry.kind)
            elif entry.words[0].endswith("*"):
                self._prefix[entry.words[0][:2]].append(entry)
            else:
                self._exact[entry.words[0]].append(entry)
        # by token text: its entries and numerals; hot when it starts a casualty word
        self._memo = WordMemo(self._describe, _starts_casualty, MEMO_LIMIT)

    @classmethod
    def load(cls) -> CasualtyFinder:
        """The shipped cue table, read once per process."""
        return _load()

    def find(self, view: TextView) -> Casualties:
        """Every count the text states and the largest of each kind."""
        counts: list[Count] = []
        # most texts and sentences hold no casualty word: only those that do are read
        for index in view.where(self._memo.hot(view)):
            counts += self._sentence(view.sentences[index], view.text, view.language == "kk")
        return _casualties(counts)

    def _sentence(self, sentence: Sentence, text: str, kazakh: bool) -> list[Count]:
        """The counts one sentence states."""
        words, cuts = _words(sentence)
        entries = [self._entries(w.text) for w in words]
        kazakh = kazakh or bool(KAZAKH.intersection(text[sentence.start:sentence.end].lower()))
        hits = _matches(words, [found[0] for found in entries])
        for hit in (h for h in hits if h.entry.kind == "aside"):  # «, к сожалению,» ends no clause
            cuts[hit.first] = False
            cuts[min(hit.last + 1, len(cuts) - 1)] = False
        clause = [sum(cuts[:i + 1]) for i in range(len(cuts))]
        roles = {i: h.entry.kind for h in hits if h.entry.kind not in KINDS for i in range(h.first, h.last + 1)}
        state = _Clauses(words, clause, hits, kazakh, roles)
        return _counts(state, _phrases(state, [found[1 if kazakh else 2] for found in entries], text), text)

    def _entries(self, word: str) -> tuple:
        """What a token text may be: the entries it starts, its numeral in Kazakh and in Russian."""
        return self._memo[word]

    def _describe(self, word: str) -> tuple:
        """The entries a token text starts, its numeral in Kazakh and in Russian, worked out."""
        lower = word.lower().replace("ё", "е")
        starts = [e for f in sorted(forms(lower)) for e in self._exact.get(f, ())]
        starts += [e for e in self._prefix.get(lower[:2], ()) if lower.startswith(e.words[0][:-1])]
        return tuple(dict.fromkeys(starts)), self._kazakh_numeral(lower), self._russian_numeral(lower)

    def _russian_numeral(self, lower: str) -> _Numeral | None:
        if lower[0].isdigit():
            return _digits(lower)
        table = self._numerals["ru"]
        return next((table[f] for f in sorted(forms(lower)) if f in table), None)

    def _kazakh_numeral(self, lower: str) -> _Numeral | None:
        """A Kazakh numeral with its ending («алпыстан», «жиырма алтысы», «төртеуі»); an
        ordinal («бесінші») is kept, marked, so that it disqualifies its number."""
        if lower[0].isdigit():
            return _digits(lower)
        table = self._numerals["kk"]
        if lower in table:
            return table[lower]
        if lower in _KK_NOT_NUMBERS:
            return None
        for size in range(1, min(5, len(lower) - 1) + 1):
            stem, ending = lower[:-size], lower[-size:]
            if stem in table and ending in _KK_ENDINGS:
                base = table[stem]
                return _Numeral(base.value, base.multiplier, base.approximate or ending in _KK_APPROX, False)
        for size in range(2, 6):
            stem = lower[:-size]
            if _ORDINAL.search(lower[-size:]) and (stem in table or stem[:-1] in table):
                return _Numeral(0, False, False, True)
        return None  # not a Russian numeral either: «сот» (court) is not «сотня»


def _words(sentence: Sentence) -> tuple[list[Token], list[bool]]:
    """The words, numbers and «%» of a sentence, and whether a clause ends before each."""
    words, cuts, cut = [], [], False
    for token in sentence.tokens:
        if token.text[0].isalnum() or token.text == "%":
            words.append(token)
            cuts.append(cut)
            cut = False
        elif token.text not in NOT_BOUNDARIES:
            cut = True
    return words, cuts


def _starts_casualty(found: tuple) -> bool:
    """Whether a token text's entries start a casualty word (a killed, injured or detained cue)."""
    return any(e.kind in KINDS for e in found[0])


def find_casualties(view: TextView) -> Casualties:
    """The casualties a text reports.

    Args:
        view: the text with its sentences and tokens (``TextView.of(text, language, published)``).

    Returns:
        The largest count stated for killed, injured and detained (None when the text states
        none) and every count found, in text order, with the span that states it.
    """
    return CasualtyFinder.load().find(view)


def _numeral(kind: str) -> _Numeral:
    """A numeral table entry: «=11», «~10» (approximate), «x1000» (a multiplier)."""
    return _Numeral(float(kind[1:]), kind[0] == "x", kind[0] == "~", False)


def _digits(lower: str) -> _Numeral | None:
    """A number in digits with its ending: «2,3» (with «тысячи»), «160-ти», «300-ден», «40-қа»;
    an ordinal («5-інші», «1-й») or an age («11-летний») is marked ordinal."""
    match = _DIGITS.fullmatch(lower)
    if match is None:
        return _Numeral(0, False, False, True) if lower[:1].isdigit() else None
    whole, fraction, suffix = match.groups()
    value = float(f"{whole}.{fraction}") if fraction else float(whole)
    if suffix is None:
        return _Numeral(value, False, False, fraction is not None)  # a bare decimal counts no one
    if suffix in _RU_SUFFIXES or suffix in _KK_APPROX or (suffix in _KK_ENDINGS and len(suffix) > 1) \
            or suffix.startswith(("еу", "ау")):
        return _Numeral(value, False, suffix in _KK_APPROX, fraction is not None)
    return _Numeral(0, False, False, True)


def _matches(words: list[Token], starts: list[tuple[_Entry, ...]]) -> list[_Hit]:
    """The entries found in a sentence, longest first at each word, not overlapping."""
    hits, after = [], 0
    for i, candidates in enumerate(starts):
        if i < after or not candidates:
            continue
        for entry in sorted(candidates, key=lambda e: -len(e.words)):
            size = len(entry.words)
            if i + size <= len(words) and all(_fits(p, words[i + k]) for k, p in enumerate(entry.words[1:], 1)):
                hits.append(_Hit(entry, i, i + size - 1))
                after = i + size
                break
    return hits


def _fits(pattern: str, token: Token) -> bool:
    if pattern.endswith("*"):
        return token.lower.startswith(pattern[:-1])
    return pattern in forms(token.lower)


def _phrases(state: _Clauses, numerals: list[_Numeral | None], text: str) -> list[_Phrase]:
    """The numbers of a sentence: numeral words in a row composed («сто девяносто два», «екі
    мың екі жүз»), digits grouped by thousands («2 000»), approximators joined, and each marked
    blocked when it does not count people."""
    words, found, i = state.words, [], 0
    while i < len(words):
        if numerals[i] is None or state.roles.get(i) == "approx":
            i += 1
            continue
        last, parts = i, [numerals[i]]
        while last + 1 < len(words) and numerals[last + 1] is not None \
                and state.clause[last + 1] == state.clause[i] \
                and _continues(parts, numerals[last + 1], words[last], words[last + 1], text):
            last += 1
            parts.append(numerals[last])
        found.append(_phrase(state, parts, i, last, text))
        i = last + 1
    return found


def _continues(parts: list[_Numeral], nxt: _Numeral, prev: Token, token: Token, text: str) -> bool:
    """Whether the next numeral word goes on the same number."""
    if prev.text.isdigit() and token.text.isdigit():  # «2 000», «1 200 000»
        return len(token.text) == 3 and text[prev.end:token.start] in (" ", "\u00a0", "\u202f")
    if nxt.multiplier or parts[-1].multiplier:
        return True
    value = parts[-1].value
    if nxt.value == 100 and token.lower.startswith("жүз") and 0 < value < 10:
        return True  # «екі жүз»
    return not token.text[0].isdigit() and 0 < nxt.value < 10 ** (len(str(int(value))) - 1)


def _phrase(state: _Clauses, parts: list[_Numeral], first: int, last: int, text: str) -> _Phrase:
    words = state.words
    value, approximate = _compose(parts, words[first:last + 1])
    start, end, after = words[first].start, words[last].end, last + 1
    before = next((h for h in state.hits if h.entry.kind == "approx" and h.last == first - 1), None)
    if before is not None:
        start, approximate = words[before.first].start, True
    behind = next((h for h in state.hits if h.entry.kind == "approx" and h.first == last + 1
                   and h.entry.lang == "kk"), None)
    if behind is not None:
        end, after, approximate = words[behind.last].end, behind.last + 1, True
    phrase = _Phrase(first, last, after, value, approximate, start, end)
    phrase.blocked = _blocked(state, parts, phrase, text)
    return phrase


def _compose(parts: list[_Numeral], tokens: list[Token]) -> tuple[float, bool]:
    """The value of numeral words in a row, and whether it is approximate."""
    total, current, approximate = 0.0, 0.0, False
    for part, token in zip(parts, tokens, strict=True):
        approximate |= part.approximate
        if part.multiplier:
            approximate |= current == 0 and token.lower in _PLURAL_MULTIPLIERS  # «тысячи людей»
            total, current = total + max(current, 1) * part.value, 0.0
        elif token.text.isdigit() and current and len(token.text) == 3:
            current = current * 1000 + part.value
        elif part.value == 100 and 0 < current < 10 and token.lower.startswith("жүз"):
            current *= 100
        else:
            current += part.value
    return total + current, approximate


def _blocked(state: _Clauses, parts: list[_Numeral], phrase: _Phrase, text: str) -> bool:
    """True when a number does not count people: an ordinal, a decimal alone, a time, a
    phone number, or a unit, an inanimate noun or an ordinal adjective after it."""
    words = state.words
    if any(p.ordinal for p in parts) and not any(p.multiplier for p in parts):
        return True
    first, last = words[phrase.first], words[phrase.last]
    if text[first.start - 1:first.start] in (":", ".") or text[last.end:last.end + 1] in (":", "/") \
            or (phrase.value == 0 and not any(p.approximate for p in parts)):
        return True  # «18:00», «8.30», «24/7», a bare «0»
    if phrase.first > 0 and words[phrase.first - 1].text.isdigit() and state.clause[phrase.first - 1] \
            == state.clause[phrase.first]:
        return True  # the rest of «8 777 123 45 67»
    nxt = phrase.after
    if nxt < len(words):
        head = words[nxt]
        if head.text[0].isdigit() or state.roles.get(nxt) == "unit" or head.text == "%":
            return True
        if phrase.value == 1 and head.lower == "из":
            return True  # «один из погибших»
        if not state.kazakh and _inanimate(state, nxt):
            return True
    return False


def _inanimate(state: _Clauses, i: int) -> bool:
    """The noun after a Russian number, adjectives skipped, counts things («24-х странах»,
    «30 машин») or animals («тысяч взрослых рыб»), or an ordinal adjective follows («двадцать
    пятого»). A name's reading does not make a lower-case noun animate («машин», not Машин)."""
    for j in range(i, min(i + 3, len(state.words))):
        token = state.words[j]
        readings = [r for r in parses(token.lower)
                    if token.text[0].isupper() or not {"Name", "Surn", "Patr"} & r.tag.grammemes]
        if not readings:
            return False
        tag = readings[0].tag
        if "Anum" in tag or state.roles.get(j) == "unit":
            return True
        adjective = any(r.tag.POS in ("ADJF", "PRTF") for r in readings)  # «взрослых»: adults, or adult
        if tag.POS == "NOUN" and not adjective:
            return not any(r.tag.POS == "NOUN" and "anim" in r.tag for r in readings)
        if not adjective:
            return False
    return False


def _counts(state: _Clauses, phrases: list[_Phrase], text: str) -> list[Count]:
    """Tie numbers to casualty words, nearest first; then the counts without a number."""
    cues = [h for h in state.hits if h.entry.kind in KINDS and _usable(state, h)]
    pairs = []
    for rank, cue in enumerate(cues):
        for phrase in phrases:
            distance = _distance(state, cue, phrase)
            if distance is not None and not phrase.blocked:
                pairs.append((distance, phrase.first > cue.last, rank, phrase))
    linked: dict[int, _Phrase] = {}
    for _, _, rank, phrase in sorted(pairs, key=lambda p: p[:3]):
        if rank not in linked and not phrase.used:
            linked[rank], phrase.used = phrase, True
    counts = []
    for rank, cue in enumerate(cues):
        if rank in linked:
            counts.append(_linked(state, cue, linked[rank], phrases, text))
        else:
            numbered = any(not p.blocked and p.last < cue.first and state.clause[p.first] == state.clause[cue.first]
                           for p in phrases)
            counts += _without_number(state, cue, text, numbered)
    return counts


def _usable(state: _Clauses, cue: _Hit) -> bool:
    """A casualty word that states something happened: no hedge in its clause, not in the
    infinitive, imperative or future, not a Kazakh conditional («қаза тапса»)."""
    clause = state.clause[cue.first]
    if any(h.entry.kind == "hedge" and state.clause[h.first] == clause for h in state.hits):
        return False
    if cue.entry.lang == "kk":
        return not state.words[cue.last].lower.endswith(("са", "се"))
    tag = parses(state.words[cue.first].lower)[0].tag
    return not (tag.POS == "INFN" or (tag.POS == "VERB" and ("impr" in tag or "futr" in tag)))


def _distance(state: _Clauses, cue: _Hit, phrase: _Phrase) -> float | None:
    """Words between a number and a casualty word in the same clause (fillers, «были»,
    «получили», approximators not counted); None when too far. After a tally word any
    number later in the clause will do, after the near ones."""
    if state.clause[phrase.first] != state.clause[cue.first]:
        return None
    if cue.entry.lang == "kk" and state.words[cue.last].lower.endswith(_KK_GENITIVE) and not _tally(state, cue):
        return None  # «қаза тапқандардың бірі»: one of the dead, not their number
    if phrase.last < cue.first:
        between = range(phrase.after, cue.first)
    elif phrase.first > cue.last:
        between = range(cue.last + 1, phrase.first)
    else:
        return None
    gap = sum(1 for i in between if state.roles.get(i) not in SKIPPED)
    if gap <= GAP:
        return gap
    far = _tally(state, cue) if phrase.first > cue.last else _kk_predicate(state, cue)
    return GAP + 1 + gap / 100 if far else None


def _kk_predicate(state: _Clauses, cue: _Hit) -> bool:
    """A clause-final Kazakh verb: its subject's number may stand far before it (the verb comes
    last, adverbials between: «2 азамат заңсыз шырша кескен браконьерлердің қолынан қаза тапқан»)."""
    clause = state.clause[cue.first]
    return cue.entry.lang == "kk" and all(w.lower in KK_TAIL for i, w in enumerate(state.words)
                                          if i > cue.last and state.clause[i] == clause)


def _tally(state: _Clauses, cue: _Hit) -> bool:
    """«число жертв», «количество задержанных», «құрбандар саны»."""
    near = range(cue.first - TALLY_NEAR, cue.last + 2)
    return any(state.roles.get(i) == "tally" and state.clause[i] == state.clause[cue.first]
               for i in near if 0 <= i < len(state.words))


def _linked(state: _Clauses, cue: _Hit, phrase: _Phrase, phrases: list[_Phrase], text: str) -> Count:
    """The count of a casualty word and its number, with a number coordinated before it
    («16 жолаушы мен 5 экипаж мүшесі», «3 полицейских и 2 жителя») added."""
    before = phrase.last < cue.first
    chain = [phrase]
    others = reversed([p for p in phrases if p.last < phrase.first]) if before else \
        (p for p in phrases if p.first > phrase.last)
    for other in others:
        left, right = (other, chain[-1]) if before else (chain[-1], other)
        if other.used or other.blocked or not _coordinated(state, left, right):
            break
        other.used = True
        chain.append(other)
    words, last = state.words, max(chain, key=lambda p: p.end)
    start, end, head = min(p.start for p in chain), last.end, last.after
    if not before and head < len(words) and state.clause[head] == state.clause[cue.first] and head not in state.roles \
            and (state.kazakh or parses(words[head].lower)[0].tag.POS in ("NOUN", "ADJF", "PRTF")):
        end = words[head].end  # «погибли 11 человек»: the count's noun in its span
    return _count(cue, int(sum(p.value for p in chain)), any(p.approximate for p in chain),
                  min(start, words[cue.first].start), max(end, words[cue.last].end), text)


def _coordinated(state: _Clauses, left: _Phrase, right: _Phrase) -> bool:
    """Two numbers of one clause joined by «и», «мен»: «3 полицейских и 2 жителя»."""
    if state.clause[left.first] != state.clause[right.first]:
        return False
    link = [i for i in range(left.after, right.first) if state.words[i].lower in COORDINATORS]
    return bool(link) and link[0] - left.last <= COORDINATED and right.first - link[-1] == 1


def _without_number(state: _Clauses, cue: _Hit, text: str, numbered: bool) -> list[Count]:
    """A count a casualty word states alone: 0 («никто не пострадал», «без жертв», «погибших
    нет»), at least 1 («есть погибшие»), or 1 (a singular past predicate, unless a number too
    far to tie stands before it in the clause: its subject is counted)."""
    words, clause = state.words, state.clause[cue.first]
    start, end = words[cue.first].start, words[cue.last].end
    role_at = [(i, state.roles.get(i)) for i in range(len(words)) if state.clause[i] == clause]
    nobody = next((i for i, r in role_at if r == "nobody" and i < cue.first), None)
    without = next((i for i, r in role_at if r == "without" and i == cue.first - 1), None)
    absent = next((i for i, r in role_at if r == "absent" and cue.last < i <= cue.last + ABSENT_AFTER), None)
    zeros = [i for i in (nobody, without, absent) if i is not None]
    if zeros:
        return [_count(cue, 0, False, min(start, words[min(zeros)].start),
                       max(end, words[max(zeros)].end), text)]
    if _negated(state, cue):
        return []
    exists = next((i for i, r in role_at if r == "exists"
                   and (cue.first - EXISTS_NEAR <= i < cue.first or i == cue.last + 1)), None)
    if exists is not None:
        single = "sing" in parses(words[cue.first].lower)[0].tag or cue.entry.lang == "kk"
        return [_count(cue, 1, not single, min(start, words[exists].start),
                       max(end, words[exists].end), text)]
    if numbered or any(r == "question" for _, r in role_at):
        return []
    one = _kk_one(state, cue) if cue.entry.lang == "kk" else _ru_one(state, cue)
    if one is None:
        return []
    return [_count(cue, 1, False, min(start, one[0]), max(end, one[1]), text)]


def _count(cue: _Hit, value: int, approximate: bool, start: int, end: int, text: str) -> Count:
    return Count(cue.entry.kind, value, approximate, start, end, text[start:end])


def _negated(state: _Clauses, cue: _Hit) -> bool:
    """«не пострадал», «не был задержан», «не получил ранений»."""
    before = [w.lower for w in state.words[max(0, cue.first - 3):cue.first]]
    return "не" in before[-1:] or (len(before) >= 2 and before[-2] == "не"
                                   and state.roles.get(cue.first - 1) == "aux")


def _ru_one(state: _Clauses, cue: _Hit) -> tuple[int, int] | None:
    """The span of a Russian singular statement: «погиб», «была госпитализирована», «арестован
    замруководителя»; «убил сержанта», «задержали восьмиклассника» (a singular animate object
    of an active verb); «получила травму» (the verb of a noun cue)."""
    words = state.words
    token = words[cue.first]
    tag = parses(token.lower)[0].tag
    if tag.POS == "VERB" and "tran" in tag:
        return _object(state, cue.last + 1)
    if tag.POS in ("VERB", "PRTS"):
        return (token.start, token.end) if _singular_past(tag) else None
    if tag.POS == "NOUN":
        for i in range(cue.first - 1, max(-1, cue.first - AUX_BEFORE - 1), -1):
            if state.roles.get(i) == "aux" and words[i].lower.startswith("получ"):
                return (words[i].start, token.end) if _singular_past(parses(words[i].lower)[0].tag) else None
    return None


def _singular_past(tag) -> bool:
    """A past verb or passive participle of one person: «погиб», «погибла», «убит», not the
    impersonal neuter «погибло» («сколько их погибло»)."""
    return "sing" in tag and ("masc" in tag or "femn" in tag) and (tag.POS == "PRTS" or "past" in tag)


def _object(state: _Clauses, i: int) -> tuple[int, int] | None:
    """A singular animate accusative noun right after an active verb, adjectives skipped."""
    words = state.words
    for j in range(i, min(len(words), i + OBJECT_NEAR)):
        if state.clause[j] != state.clause[i - 1]:
            return None
        readings = parses(words[j].lower)
        if readings[0].tag.POS == "NOUN":
            one = any(r.tag.POS == "NOUN" and {"anim", "sing", "accs"} <= r.tag.grammemes for r in readings)
            return (words[i - 1].start, words[j].end) if one else None
        if readings[0].tag.POS not in ("ADJF", "PRTF"):
            return None
    return None


def _kk_one(state: _Clauses, cue: _Hit) -> tuple[int, int] | None:
    """A clause-final Kazakh casualty verb with no plural subject before it in the sentence
    (a converb chain crosses commas: «қылмыскерлер ұсталып, қамауға алынды» is no count) and
    no thing right before it («15 үй зардап шеккен»): «Апат кезінде отағасы қаза тапты» is one."""
    words = state.words
    if not _kk_predicate(state, cue) or _KK_PLURAL.search(words[cue.last].lower):
        return None
    if state.roles.get(cue.first - 1) == "unit":
        return None
    if any(w.lower in KK_PRONOUNS or (len(w.text) > 5 and _KK_PLURAL.search(w.lower)) for w in words[:cue.first]):
        return None
    return words[cue.first].start, words[cue.last].end


def _casualties(counts: list[Count]) -> Casualties:
    """The largest count of each kind: later reports update a toll upward."""
    largest = {kind: max((c.value for c in counts if c.kind == kind), default=None) for kind in KINDS}
    return Casualties(largest["killed"], largest["injured"], largest["detained"],
                      tuple(sorted(counts, key=lambda c: (c.start, c.end))))


@lru_cache(maxsize=1)
def _load() -> CasualtyFinder:
    rows = package_rows("kelisim.understanding", "data/casualty_cues.tsv", ("cue", "kind", "lang", "why"))
    return CasualtyFinder([_Entry(tuple(r["cue"].lower().split()), r["kind"], r["lang"]) for r in rows])
