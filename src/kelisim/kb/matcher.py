"""Finding knowledge-base names in a tokenised text: candidates, context rules, selection.

Every lookup is a dictionary access keyed on a token's forms or text, so the cost grows with
the number of tokens, not with the number of names in the knowledge base.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from operator import add
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
from kelisim.reading.document import TextView, WordMemo
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


class Note(NamedTuple):
    """What a token text tells the matcher beyond its shape."""

    keys: frozenset[str]  # the pattern keys of its words
    start: tuple[bool, tuple[Pattern, ...]] | None  # what its words may start (see _starts)
    split: bool  # split at hyphens into several words
    kazakhstani: bool  # one of its words names Kazakhstan


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
    dictionary hit is cheaper than working the token out again. ``tails`` holds the shapes of
    the texts kept whole, the (forms, kind) that follow a token in its :class:`Word`, for a
    sentence of such texts to become words without a Python loop. Also remembered per text,
    as its :class:`Note`: the patterns its words may start, whether it may start an acronym or
    surname match, the pattern keys it has, whether it is split at hyphens and whether it names
    Kazakhstan."""

    def __init__(self, keys: frozenset[str], limit: int = 200_000, index: Index | None = None) -> None:
        """``keys`` are the name keys that keep a hyphenated token whole; ``index`` the name
        index whose patterns, acronyms and surnames :meth:`starting` looks for."""
        self._keys, self._limit, self._index = keys, limit, index
        patterns = {id(p): p for found in index.first.values() for p in found} if index else {}
        self._pattern_keys = frozenset(key for p in patterns.values() for keys in p.words for key in keys)
        self.known: dict[str, tuple] = {}
        self.tails: dict[str, tuple[frozenset[str], str]] = {}
        # What each token text tells the matcher beyond its shape, for the texts that tell
        # anything (:class:`Note`): the reading registry finds a document's noted texts in the
        # one pass over its texts that every scanner shares.
        self._notes: WordMemo[Note | None] = WordMemo(self._note, limit=limit)

    def of(self, text: str) -> tuple:
        """(forms, kind) for a whole token, or a tuple of (start, end, text, forms) parts."""
        shape = self.known.get(text)
        if shape is None:
            if len(self.known) >= self._limit:
                self._forget()
            shape = self._learn(text)
        return shape

    def notes(self, view: TextView) -> dict[str, Note]:
        """The texts of ``view`` that tell the matcher anything beyond their shape, with what."""
        notes = self._notes
        return {text: notes[text] for text in notes.hot(view)}

    def starting(self, notes: dict[str, Note]) -> set[str]:
        """Those of a document's texts (given by their :meth:`notes`) that a candidate may start
        at: an acronym, a capitalised surname, or the first word of a pattern whose every word
        has its keys among the texts' (a necessary condition of a match)."""
        if not any(note.start for note in notes.values()):
            return set()
        available = frozenset().union(*[note.keys for note in notes.values()])
        return {text for text, note in notes.items() if note.start and _may_start(note.start, available)}

    @staticmethod
    def kazakhstani(notes: dict[str, Note]) -> bool:
        """True when one of a document's texts (given by their :meth:`notes`) names Kazakhstan
        (as :func:`kazakhstani` tells of their words)."""
        return any(note.kazakhstani for note in notes.values())

    @staticmethod
    def split(notes: dict[str, Note]) -> set[str]:
        """Those of a document's texts (given by their :meth:`notes`) split at hyphens."""
        return {text for text, note in notes.items() if note.split}

    def _forget(self) -> None:
        self.known.clear()
        self.tails.clear()

    def _learn(self, text: str) -> tuple:
        """Work out and remember the shape of one token text."""
        shape = self.known[text] = self._shape(text)
        if shape[0].__class__ is frozenset:
            self.tails[text] = shape
        return shape

    def _note(self, text: str) -> Note | None:
        """What one token text tells the matcher beyond its shape; None when nothing."""
        shape = self.of(text)
        split = shape[0].__class__ is not frozenset
        parts = [(part, "word", found) for _, _, part, found in shape] if split else [(text, shape[1], shape[0])]
        kazakhstani = any(kind == "word" and not found.isdisjoint(KAZAKHSTANI) for _, kind, found in parts)
        keys = frozenset().union(*[found for _, _, found in parts]) & self._pattern_keys
        start = None if self._index is None else _starts(parts, self._index)
        return Note(keys, start, split, kazakhstani) if keys or start or split or kazakhstani else None

    def _shape(self, text: str) -> tuple:
        """Work out the shape of one token text."""
        if not (text.isalpha() or _ALNUM.search(text)):
            return (frozenset({text}), "quote" if text in QUOTES else "punct")
        lower = text.lower().replace("ё", "е")
        if "-" in text and len(text) > 1 and self._keys.isdisjoint(forms(lower)):
            return tuple((m.start(), m.end(), m.group(), forms(m.group().lower().replace("ё", "е")))
                         for m in _HYPHEN_PART.finditer(text))
        return (forms(lower), "word")


def _starts(parts: list[tuple[str, str, frozenset[str]]], index: Index) -> tuple[bool, tuple[Pattern, ...]] | None:
    """What the words of a text (its (text, kind, forms) parts) may start, as :func:`candidates`
    looks for it: whether surely a match (an acronym, a capitalised surname), and the patterns
    they are the first word of; None when nothing."""
    sure, patterns = False, {}
    for part, kind, found in parts:
        sure = sure or part in index.acronyms
        if kind != "word" or found.isdisjoint(index.starts):
            continue
        sure = sure or part[:1].isupper() and any(form in index.surnames for form in found)
        patterns.update((id(p), p) for form in found for p in index.first.get(form, ()))
    return (sure, tuple(patterns.values())) if sure or patterns else None


def _may_start(start: tuple[bool, tuple[Pattern, ...]], available: frozenset[str]) -> bool:
    """True when a match surely starts, or when every word of one of the patterns has its keys
    among ``available``."""
    sure, patterns = start
    return sure or any(all(not keys.isdisjoint(available) for keys in p.words) for p in patterns)


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


class Words(dict):
    """The matcher's words by index, as the list of them gives them (every matcher function only
    indexes its words and takes their length); the words of a deferred sentence made when one
    of them is first looked at: a match looks at a score of words around where it starts, while
    the lines it may be on hold hundreds."""

    def __init__(self, shapes: Shapes) -> None:
        """``shapes`` know every text of a deferred sentence."""
        super().__init__()
        self._shapes, self._count = shapes, 0
        self._bases: list[int] = []  # the index of the first word of each deferred sentence
        # the tokens of each deferred sentence, their texts when all are kept whole, their line
        self._deferred: list[tuple[Sequence[Token], Sequence[str] | None, int]] = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        # A dict would yield its indexes: a caller walking the words as a list would go wrong quietly.
        raise TypeError("the matcher's words are read by index")

    def __missing__(self, i: int) -> Word:
        if not 0 <= i < self._count:
            raise IndexError(i)
        k = bisect_right(self._bases, i) - 1  # words not yet made are a deferred sentence's
        tokens, texts, line = self._deferred[k]
        if texts is None:
            made: list[Word] = []
            _add_words(made, tokens, self._shapes, line)
        else:
            made = self._whole_words(tokens, texts, line)
        self.update(zip(range(self._bases[k], self._bases[k] + len(made)), made))
        return dict.__getitem__(self, i)

    def _whole_words(self, tokens: Sequence[Token], texts: Sequence[str], line: int) -> list[Word]:
        """The words of tokens kept whole, made without a Python loop."""
        try:
            tails = list(map(self._shapes.tails.__getitem__, texts))
        except KeyError:  # forgotten since, by another thread at the memory's limit: learnt alike
            tails = [self._shapes.of(text) for text in texts]
        return list(map(_NEW, repeat(Word), map(add, tokens, map(add, tails, repeat((line,))))))

    def defer(self, tokens: Sequence[Token], texts: Sequence[str], line: int) -> None:
        """Add the words of a sentence of tokens kept whole (with these texts), made when looked at."""
        self._defer(tokens, texts, line, len(tokens))

    def defer_split(self, tokens: Sequence[Token], line: int, size: int) -> None:
        """Add the ``size`` words of a sentence with tokens split at hyphens, made when looked at."""
        self._defer(tokens, None, line, size)

    def _defer(self, tokens: Sequence[Token], texts: Sequence[str] | None, line: int, size: int) -> None:
        self._bases.append(self._count)
        self._deferred.append((tokens, texts, line))
        self._count += size

    def extend(self, words: list[Word]) -> None:
        """Add these words."""
        self.update(zip(range(self._count, self._count + len(words)), words))
        self._count += len(words)


def prepare_near(view: TextView, starting: set[str], shapes: Shapes,
                 split: set[str] | frozenset[str]) -> tuple[Words, list[int]]:
    """The matcher's words of the lines of ``view`` that hold one of the ``starting`` texts,
    and of the sentences around each such line: the words a match starting on the line may
    look at; and the indices of the words of ``starting`` tokens, where candidates may start.
    Every rule but the initials' looks only at words of the match's own line, and those look at
    most at the last word of the line before and the first two of the line after; so the
    candidates and the rules' verdicts are the ones the whole text's words give. The words of a
    sentence are made when one of them is first looked at (:class:`Words`). ``split`` holds
    the view's texts split at hyphens (:meth:`Shapes.split`)."""
    lines = _sentence_lines(view)
    marked = view.where(starting)
    hot = {lines[index] for index in marked}
    count = len(view.sentences)
    chosen: set[int] = set()
    for index, line in enumerate(lines):
        if line in hot:
            chosen.update(range(max(index - 1, 0), min(index + 3, count)))
    words, positions = Words(shapes), []
    for index in sorted(chosen):
        tokens, first = view.sentences[index].tokens, view.firsts[index]
        texts = view.texts[first:first + len(tokens)]
        if not split or split.isdisjoint(texts):  # a word per token: each token's index
            positions += [len(words) + k for k in marked.get(index, ())]
            words.defer(tokens, texts, lines[index])
        elif index not in marked:
            words.defer_split(tokens, lines[index], _size(texts, split, shapes))
        else:  # a start after a token split at hyphens: the words made now, to place it
            made: list[Word] = []
            at: list[int] = []
            _add_words(made, tokens, shapes, lines[index], starting, at)
            positions += [len(words) + k for k in at]
            words.extend(made)
    return words, positions


def _size(texts: Sequence[str], split: set[str], shapes: Shapes) -> int:
    """How many words tokens of these texts make, those of ``split`` split at hyphens."""
    return len(texts) + sum(len(shapes.of(text)) - 1 for text in texts if text in split)


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
    for start, end, token in tokens:
        shape = known.get(token) or shapes.of(token)
        whole = shape[0].__class__ is frozenset
        if token in marked:
            positions += range(len(words), len(words) + (1 if whole else len(shape)))
        # tuple.__new__ builds the named tuple in C, without its __new__'s Python frame: a
        # fifth cheaper on the thousands of words a document's hot lines make
        if whole:
            words.append(_NEW(Word, (start, end, token, *shape, line)))
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
    j, line, size = i, words[i].line, len(words)
    for k, keys in enumerate(pattern.words):
        while k and j < size and words[j].kind == "quote":
            j += 1
        if j >= size or words[j].line != line or keys.isdisjoint(words[j].forms):
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
    if first == candidate.first and last == candidate.last:
        return candidate  # most matches take no qualifier: spare the copy
    return replace(candidate, first=first, last=last)


def _words_equal(words: list[Word], start: int, lowers: tuple[str, ...], line: int) -> bool:
    """True when the words from ``start`` on one line are ``lowers``, ignoring case."""
    if start < 0 or start + len(lowers) > len(words):
        return False
    for k, low in enumerate(lowers):
        word = words[start + k]
        if word.line != line or word.text.lower() != low:
            return False
    return True


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
