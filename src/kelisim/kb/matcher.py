"""Finding knowledge-base names in a tokenised text: candidates, context rules, selection.

Every lookup is a dictionary access keyed on a token's forms or text, so the cost grows with
the number of tokens, not with the number of names in the knowledge base.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from kelisim.kb.patterns import (
    FOREIGN,
    KAZAKHSTANI,
    QUALIFIERS_AFTER,
    QUALIFIERS_BEFORE,
    QUOTES,
    SUBORDINATE,
    SUBORDINATE_AFTER,
    Index,
    Pattern,
    is_verb_like,
    surnames,
)
from kelisim.kb.records import Person
from kelisim.reading.document import TextView
from kelisim.text.tokens import Token, forms

_HYPHEN_PART = re.compile(r"[^-]+")
_ALNUM = re.compile(r"[^\W_]")
_ACTING = re.compile(r"(?:и\.\s*о\.|врио)\s*$", re.IGNORECASE)
_NEW = tuple.__new__
_UPPER = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯӘҒҚҢӨҰҮҺІABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Word(NamedTuple):
    """A token as the matcher sees it; ``kind`` is word, quote or punct. A named tuple, not a
    frozen dataclass: hundreds are made per document and a tuple is several times cheaper."""

    start: int
    end: int
    text: str
    forms: frozenset[str]
    kind: str
    line: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible mention over ``words[first..last]`` of ``target`` (an entry or office id)."""

    first: int
    last: int
    target: str
    via: str  # name | acronym | office
    weak: bool = False  # needs the target named otherwise in the text
    generic: bool = False  # a common noun: needs a Kazakhstani text
    surname: bool = False  # a bare surname
    fallback: bool = False  # the person a bare, ambiguous surname means when nothing else decides


class Shapes:
    """What each distinct token text becomes for the matcher (its kind and forms, or its
    hyphen-split parts), remembered per process: a news stream repeats its words, and a
    dictionary hit is cheaper than working the token out again. Also remembered per text:
    the patterns its words may start, whether it may start an acronym or surname match, the
    pattern keys it has, and whether it names Kazakhstan."""

    def __init__(self, keys: frozenset[str], limit: int = 200_000, index: Index | None = None) -> None:
        """``keys`` are the name keys that keep a hyphenated token whole; ``index`` the name
        index whose patterns, acronyms and surnames :meth:`starting` looks for."""
        self._keys, self._limit, self._index = keys, limit, index
        patterns = {id(p): p for found in index.first.values() for p in found} if index else {}
        self._pattern_keys = frozenset(key for p in patterns.values() for keys in p.words for key in keys)
        self.known: dict[str, tuple] = {}
        self._starts: dict[str, tuple[bool, tuple[Pattern, ...]]] = {}  # text → (sure, patterns)
        self._has_keys: dict[str, frozenset[str]] = {}  # text → its pattern keys, when it has some
        self._kazakhstani: set[str] = set()

    def of(self, text: str) -> tuple:
        """(kind, forms) for a whole token, or a tuple of (start, end, text, forms) parts."""
        shape = self.known.get(text)
        if shape is None:
            if len(self.known) >= self._limit:
                self._forget()
            shape = self._learn(text)
        return shape

    def starting(self, texts: frozenset[str]) -> set[str]:
        """Those of ``texts`` (a document's distinct token texts) that a candidate may start at
        in that document: an acronym, a capitalised surname, or the first word of a pattern
        whose every word has its keys among the texts' (a necessary condition of a match).
        :meth:`kazakhstani` is right for the texts after this call."""
        new = texts.difference(self.known)
        if new and len(self.known) + len(new) > self._limit:
            self._forget()
            new = texts
        for text in new:
            self._learn(text)
        starts = self._starts.keys() & texts
        if not starts:
            return starts
        present = self._has_keys.keys() & texts
        available = frozenset().union(*[self._has_keys[text] for text in present])
        return {text for text in starts if self._may_start(text, available)}

    def kazakhstani(self, texts: frozenset[str]) -> bool:
        """True when one of ``texts``, all seen by :meth:`starting`, names Kazakhstan (as
        :func:`kazakhstani` tells of their words)."""
        return not self._kazakhstani.isdisjoint(texts)

    def _may_start(self, text: str, available: frozenset[str]) -> bool:
        sure, patterns = self._starts[text]
        return sure or any(all(not keys.isdisjoint(available) for keys in p.words) for p in patterns)

    def _forget(self) -> None:
        self.known.clear()
        self._starts.clear()
        self._has_keys.clear()
        self._kazakhstani.clear()

    def _learn(self, text: str) -> tuple:
        """Work out and remember the shape of one token text and what its words may start."""
        shape = self.known[text] = self._shape(text)
        parts = [(text, *shape)] if len(shape) == 2 and isinstance(shape[0], str) else \
            [(part, "word", found) for _, _, part, found in shape]
        if any(kind == "word" and not found.isdisjoint(KAZAKHSTANI) for _, kind, found in parts):
            self._kazakhstani.add(text)
        keys = frozenset().union(*[found for _, _, found in parts]) & self._pattern_keys
        if keys:
            self._has_keys[text] = keys
        if self._index is not None:
            self._learn_starts(text, parts, self._index)
        return shape

    def _learn_starts(self, text: str, parts: list[tuple[str, str, frozenset[str]]], index: Index) -> None:
        """What the words of a text may start, as :func:`candidates` looks for it."""
        sure, patterns = False, {}
        for part, kind, found in parts:
            sure = sure or part in index.acronyms
            if kind != "word" or found.isdisjoint(index.starts):
                continue
            sure = sure or part[:1].isupper() and any(form in index.surnames for form in found)
            patterns.update((id(p), p) for form in found for p in index.first.get(form, ()))
        if sure or patterns:
            self._starts[text] = (sure, tuple(patterns.values()))

    def _shape(self, text: str) -> tuple:
        """Work out the shape of one token text."""
        if not (text.isalpha() or _ALNUM.search(text)):
            return ("quote" if text in QUOTES else "punct", frozenset({text}))
        lower = text.lower().replace("ё", "е")
        if "-" in text and len(text) > 1 and self._keys.isdisjoint(forms(lower)):
            return tuple((m.start(), m.end(), m.group(), forms(m.group().lower().replace("ё", "е")))
                         for m in _HYPHEN_PART.finditer(text))
        return ("word", forms(lower))


def prepare(text: str, tokens: list[Token], shapes: Shapes) -> list[Word]:
    """The matcher's words: hyphenated tokens split into parts unless the whole token is a
    name key («Касым-Жомарта» stays, «Казахстана-заведующий» splits)."""
    words: list[Word] = []
    line, previous_end = 0, 0
    for tok in tokens:
        if "\n" in text[previous_end:tok.start]:
            line += text.count("\n", previous_end, tok.start)
        previous_end = tok.end
        _add_words(words, (tok,), shapes, line)
    return words


def prepare_near(view: TextView, starting: set[str], shapes: Shapes) -> tuple[list[Word], list[int]]:
    """The matcher's words of the lines of ``view`` that hold one of the ``starting`` texts,
    and of the sentences around each such line: the words a match starting on the line may
    look at; and the indices of the words of ``starting`` tokens, where candidates may start.
    Every rule but the initials' looks only at words of the match's own line, and those look at
    most at the last word of the line before and the first two of the line after; so the
    candidates and the rules' verdicts are the ones the whole text's words give."""
    lines = _sentence_lines(view)
    hot = {lines[index] for index in view.where(starting)}
    count = len(view.sentences)
    chosen: set[int] = set()
    for index, line in enumerate(lines):
        if line in hot:
            chosen.update(range(max(index - 1, 0), min(index + 3, count)))
    words: list[Word] = []
    positions: list[int] = []
    for index in sorted(chosen):
        _add_words(words, view.sentences[index].tokens, shapes, lines[index], starting, positions)
    return words, positions


def _sentence_lines(view: TextView) -> list[int]:
    """The line (the number of line breaks before it) of each sentence of ``view``: a sentence
    never crosses a line break."""
    lines, line, previous = [], 0, 0
    for sentence in view.sentences:
        line += view.text.count("\n", previous, sentence.start)
        previous = sentence.start
        lines.append(line)
    return lines


def _add_words(words: list[Word], tokens: Sequence[Token], shapes: Shapes, line: int,
               marked: set[str] | frozenset[str] = frozenset(), positions: list[int] | None = None) -> None:
    """Append the words of these tokens, all on ``line``, and to ``positions`` the indices of
    the words of ``marked`` tokens."""
    known = shapes.known
    for tok in tokens:
        start, token = tok.start, tok.text
        shape = known.get(token) or shapes.of(token)
        if token in marked:
            positions += range(len(words), len(words) + (1 if isinstance(shape[0], str) else len(shape)))
        # tuple.__new__ builds the named tuple in C, without its __new__'s Python frame: a
        # fifth cheaper on the thousands of words a document's hot lines make
        if len(shape) == 2 and isinstance(shape[0], str):
            words.append(_NEW(Word, (start, tok.end, token, shape[1], shape[0], line)))
        else:
            words += [_NEW(Word, (start + a, start + b, part, f, "word", line)) for a, b, part, f in shape]


def candidates(words: list[Word], index: Index, positions: Sequence[int] | None = None) -> list[Candidate]:
    """Every pattern, acronym and surname match starting at each word (or at the words at
    ``positions``, in order: the only ones that may start one), before context rules."""
    found: list[Candidate] = []
    starts, acronyms = index.starts, index.acronyms
    for i in range(len(words)) if positions is None else positions:
        word = words[i]
        if word.text in acronyms:
            found += [Candidate(i, i, target, "acronym", generic=generic) for target, generic in acronyms[word.text]]
        if word.kind != "word" or word.forms.isdisjoint(starts):
            continue
        found += _pattern_matches(words, i, index)
        if word.text[:1].isupper():
            found += _surname_matches(words, i, index)
    return found


def _pattern_matches(words: list[Word], i: int, index: Index) -> list[Candidate]:
    """The patterns whose words match from ``words[i]`` on."""
    found, seen = [], set()
    for form in words[i].forms:
        for pattern in index.first.get(form, ()):
            if id(pattern) in seen:
                continue
            seen.add(id(pattern))
            last = _match(pattern, words, i)
            if last is not None:
                first, last = _balance_quotes(words, i, last)
                found.append(Candidate(first, last, pattern.target, pattern.via, pattern.weak, pattern.generic))
    return found


def _match(pattern: Pattern, words: list[Word], i: int) -> int | None:
    """The index of the last word of ``pattern`` matched from ``words[i]``, or None.

    Quotes inside a name are skipped («Возрождение» in «Немецкое общество «Возрождение»»);
    a match never crosses a line break.
    """
    j, line = i, words[i].line
    for k, keys in enumerate(pattern.words):
        while k and j < len(words) and words[j].kind == "quote":
            j += 1
        if j >= len(words) or words[j].line != line or keys.isdisjoint(words[j].forms):
            return None
        if pattern.person and not words[j].text[:1].isupper():
            return None
        j += 1
    return j - 1


def _balance_quotes(words: list[Word], first: int, last: int) -> tuple[int, int]:
    """A match with an odd number of quotes inside takes the quote that closes or opens it
    («Нұр Отан» партиясы, Немецкое общество «Возрождение»)."""
    if sum(words[j].kind == "quote" for j in range(first, last + 1)) % 2 == 0:
        return first, last
    if last + 1 < len(words) and words[last + 1].kind == "quote" and words[last + 1].line == words[last].line:
        return first, last + 1
    if first > 0 and words[first - 1].kind == "quote" and words[first - 1].line == words[first].line:
        return first - 1, last
    return first, last


def _surname_matches(words: list[Word], i: int, index: Index) -> list[Candidate]:
    """Surname matches at ``words[i]``: with initials before or after them («К.-Ж. Токаев»,
    «Токаев К.К.») a person they fit; bare, every person of that surname, weak when ambiguous."""
    people = list(dict.fromkeys(p for form in words[i].forms for p in index.surnames.get(form, ())))
    if not people:
        return []
    first, letters_before = _initials_before(words, i)
    last, letters_after = _initials_after(words, i)
    for start, end, letters in ((first, i, letters_before), (i, last, letters_after)):
        if letters:
            fitting = [p for p in people if fits_initials(p, letters)]
            return [Candidate(start, end, p.id, "name") for p in fitting[:1]] if len(fitting) == 1 else []
    if len(people) == 1:
        only = people[0]
        return [Candidate(i, i, only.id, "name", weak=not only.alone, surname=True)]
    return [Candidate(i, i, p.id, "name", weak=True, surname=True, fallback=p.alone) for p in people]


def _initials_before(words: list[Word], i: int) -> tuple[int, str]:
    """The first word index and the letters of initials right before ``words[i]`` («Н.А.»)."""
    letters, j = "", i - 1
    while j >= 1 and words[j].text == "." and _is_initial(words[j - 1]) and words[j].line == words[i].line:
        letters, j = words[j - 1].text + letters, j - 2
        if j >= 1 and words[j].text == "-" and words[j].line == words[i].line:
            j -= 1
    return j + 1, letters


def _initials_after(words: list[Word], i: int) -> tuple[int, str]:
    """The last word index and the letters of initials right after ``words[i]`` («Токаев К.К.»)."""
    letters, j = "", i + 1
    while j + 1 < len(words) and _is_initial(words[j]) and words[j + 1].text == "." and words[j].line == words[i].line:
        letters, j = letters + words[j].text, j + 2
        if j < len(words) and words[j].text == "-":
            j += 1
    return j - 1 if letters else i, letters


def _is_initial(word: Word) -> bool:
    """True for a single upper-case letter (an initial before its full stop)."""
    return len(word.text) == 1 and word.text.isupper()


def fits_initials(item: Person, letters: str) -> bool:
    """True when initials such as «К», «КК», «КЖ» or «КЖК» fit the person's names."""
    letters = letters.upper().replace("Ё", "Е")
    return any(letters in _initial_sets(first, patronymic) for first, patronymic in _name_pairs(item))


def _name_pairs(item: Person) -> list[tuple[str, str]]:
    """(first name, patronymic) in Russian, Kazakh and Latin, the patronymic possibly empty."""
    pairs = [(item.first_name, item.patronymic)]
    kk = item.name_kk.split()
    if len(kk) >= 2:
        pairs.append((kk[0], kk[1] if len(kk) == 3 else ""))
    pairs += [(name.split()[0], "") for name in item.latin if name.split()]
    return pairs


def _initial_sets(first: str, patronymic: str) -> set[str]:
    """The initials a first name and patronymic allow; an unknown patronymic allows any letter."""
    parts = [part[:1].upper() for part in first.split("-") if part]
    heads = {parts[0], "".join(parts)}
    if patronymic:
        return heads | {head + patronymic[:1].upper() for head in heads}
    return heads | {head + letter for head in heads for letter in _UPPER}


def extend(candidate: Candidate, words: list[Word]) -> Candidate:
    """An organisation's or office's match extended over the Republic's name around it."""
    last = candidate.last
    for qualifier in QUALIFIERS_AFTER:
        if _words_equal(words, last + 1, qualifier, words[last].line):
            last += len(qualifier)
            break
    first = candidate.first
    for qualifier in QUALIFIERS_BEFORE:
        if _words_equal(words, first - len(qualifier), qualifier, words[first].line):
            first -= len(qualifier)
            break
    return replace(candidate, first=first, last=last)


def _words_equal(words: list[Word], start: int, lowers: tuple[str, ...], line: int) -> bool:
    """True when the words from ``start`` on one line are ``lowers``, ignoring case."""
    if start < 0 or start + len(lowers) > len(words):
        return False
    span = words[start:start + len(lowers)]
    return all(w.line == line and w.text.lower() == low for w, low in zip(span, lowers))


def allowed(candidate: Candidate, words: list[Word], text: str) -> bool:
    """The context rules: nothing foreign next to an organisation or office; no deputy,
    former or acting holder before an office; a bare «президент» only before a verb or
    punctuation («— сказал президент.», «президент отметил»)."""
    before = _neighbour(words, candidate.first, -1)
    after = _neighbour(words, candidate.last, +1)
    if any(w is not None and not w.forms.isdisjoint(FOREIGN) for w in (before, after)):
        return False
    if candidate.via != "office":
        return True
    if before is not None and not before.forms.isdisjoint(SUBORDINATE):
        return False
    if after is not None and not after.forms.isdisjoint(SUBORDINATE_AFTER):
        return False
    if _ACTING.search(text[max(0, words[candidate.first].start - 12):words[candidate.first].start]):
        return False
    return not candidate.weak or after is None or after.kind != "word" or is_verb_like(after.text.lower())


def kazakhstani(words: list[Word]) -> bool:
    """True when a word of the text names Kazakhstan, one of its cities or institutions."""
    return any(not word.forms.isdisjoint(KAZAKHSTANI) for word in words if word.kind == "word")


def names_holder(candidate: Candidate, words: list[Word], holder: Person) -> bool:
    """False when an office phrase is followed right away by a capitalised word that is not
    the holder's name («Премьер-министр Сильвио Берлускони»): the phrase names someone else."""
    if candidate.last + 1 >= len(words):
        return True
    after = words[candidate.last + 1]
    if after.kind != "word" or not after.text[:1].isupper() or after.line != words[candidate.last].line:
        return True
    if len(after.text) == 1:
        return any(after.text.upper() == first[:1].upper() for first, _ in _name_pairs(holder))
    return not after.forms.isdisjoint(name_keys(holder))


def name_keys(item: Person) -> frozenset[str]:
    """The lower-case first names and surnames of a person in every script listed."""
    firsts = [first for first, _ in _name_pairs(item)]
    return frozenset(name.lower().replace("ё", "е") for name in (*firsts, *surnames(item)))


def _neighbour(words: list[Word], i: int, step: int) -> Word | None:
    """The word next to ``words[i]`` on the same line (quotes skipped), or None."""
    j = i + step
    while 0 <= j < len(words) and words[j].kind == "quote":
        j += step
    if 0 <= j < len(words) and words[j].line == words[i].line:
        return words[j]
    return None


def select(found: list[tuple[Candidate, str]], words: list[Word]) -> list[tuple[Candidate, str]]:
    """Non-overlapping matches, longest first, in text order. ``found`` pairs each candidate
    with the entry id it resolves to. Weak matches count only when the same entry has a strong
    match in the text; an ambiguous bare surname takes the one person the text supports, or its
    fallback when the text supports none."""
    strong = _greedy([pair for pair in found if not pair[0].weak], [], words)
    support = {kb_id for _, kb_id in strong}
    chosen = _choose_weak([pair for pair in found if pair[0].weak], support)
    return sorted(_greedy(chosen, strong, words), key=lambda pair: pair[0].first)


def _choose_weak(weak: list[tuple[Candidate, str]], support: set[str]) -> list[tuple[Candidate, str]]:
    """One weak match per span: the supported entry, else the single fallback."""
    spans: dict[tuple[int, int], list[tuple[Candidate, str]]] = defaultdict(list)
    for pair in weak:
        spans[(pair[0].first, pair[0].last)].append(pair)
    chosen = []
    for group in spans.values():
        supported = {kb_id for _, kb_id in group if kb_id in support}
        fallback = {kb_id for c, kb_id in group if c.fallback}
        pick = supported if supported else fallback
        if len(pick) == 1:
            chosen.append(next(pair for pair in group if pair[1] in pick))
    return chosen


def _greedy(pairs: list[tuple[Candidate, str]], taken: list[tuple[Candidate, str]], words: list[Word]) -> list[tuple[Candidate, str]]:
    """``taken`` plus the ``pairs`` that overlap nothing taken, the longest (in characters) first."""
    taken = list(taken)
    used = {i for c, _ in taken for i in range(c.first, c.last + 1)}
    for pair in sorted(pairs, key=lambda p: (words[p[0].first].start - words[p[0].last].end, p[0].first)):
        span = range(pair[0].first, pair[0].last + 1)
        if used.isdisjoint(span):
            taken.append(pair)
            used.update(span)
    return taken
