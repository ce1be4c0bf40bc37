"""The document as the quote finder reads it: tokens with their sentence and line, quotation
marks paired into spans within a line, dash lines, verbs of speech and lead cues, the outlets the
text credits, the people who may speak, and the drafts of speech claimed so far.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter

from kelisim.reading.attribution import (
    CLOSE_QUOTES,
    DASHES,
    OPEN_QUOTES,
    VerbHit,
    find_attribution,
    lower_tokens,
    outlet_at,
    speech_verbs,
)
from kelisim.reading.document import TextView
from kelisim.reading.model import Attribution, Entity
from kelisim.text.tokens import Token

QUOTE_MARKS = OPEN_QUOTES | CLOSE_QUOTES
TERMINAL = frozenset({".", "!", "?", "…", "?!", "!?", "...", "!!", "??"})
KAZAKH_ACCORDING_TO = frozenset({"айтуынша", "пікірінше", "сөзінше"})
LEAD_WORDS = KAZAKH_ACCORDING_TO | {"по", "как"}
_MARKS = QUOTE_MARKS | DASHES
_EDGE = TERMINAL | DASHES | {",", ";", ":"}
MAX_CLAUSE_TOKENS = 14
_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class _Span:
    """An outermost quoted span: the tokens of its opening and closing marks."""

    open: int
    close: int


@dataclass(frozen=True, slots=True)
class _Who:
    """A speaker: a linked entity, or a pronoun token resolved once every quote is known."""

    entity: Entity | None = None
    pronoun: int | None = None


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    direct: bool
    who: _Who | None
    line: int = -1


@dataclass(slots=True)
class _Doc:
    """One document as the quote finder sees it: tokens, lines, quoted spans, verbs, entities."""

    text: str
    tokens: list[Token]
    lows: list[str]
    starts: list[int]
    sent_of: list[int]
    sents: list[tuple[int, int]]
    line_of: list[int]
    line_first: dict[int, int]
    line_last: dict[int, int]
    quoted: list[_Span]
    in_quote: list[bool]
    verbs: dict[int, VerbHit]
    verb_starts: list[int]
    credited: set[int]
    people: list[Entity]
    leads: list[int]
    dashes: list[int]
    drafts: list[_Draft] = field(default_factory=list)


def _doc(view: TextView, entities: Sequence[Entity], attribution: Sequence[Attribution] | None,
         lows: list[str] | None = None) -> _Doc:
    """Tokens with their sentence and line, quoted spans, speech verbs, credits, entities."""
    text, tokens, sent_of, sents, line_of = view.text, list(view.flat), [], [], []
    line, last_end, line_first, line_last = 0, 0, {}, {}
    for number, (sentence, first) in enumerate(zip(view.sentences, view.firsts)):
        line += text.count("\n", last_end, sentence.start)
        last_end, size = sentence.start, len(sentence.tokens)
        line_first.setdefault(line, first)
        line_last[line] = first + size - 1
        sents.append((first, first + size))
        sent_of += repeat(number, size)
        line_of += repeat(line, size)
    if lows is None or len(lows) != len(tokens):
        lows = lower_tokens(text, tokens)
    starts = list(map(_START, tokens))
    if attribution is None:
        attribution = find_attribution(view, tokens, lows)
    credits = [(a.start, a.end) for a in attribution]
    credited = {i for a, b in credits for i in range(bisect_left(starts, a), bisect_left(starts, b))}
    marks = _where(view.texts, _MARKS)  # one pass for quotes and dashes
    quoted, in_quote = _pair_quotes(text, tokens, line_of, marks)
    table, cue_words = speech_verbs(), _cue_words()
    cues = _where(lows, cue_words)
    verbs = {i: hit for i in cues if (hit := table.at(lows, i))}
    people = sorted((e for e in entities if e.type == "PER" or e.type == "ORG" and not _outlet(e.text)
                     and not any(a < e.end and e.start < b for a, b in credits)), key=lambda e: e.start)
    return _Doc(text, tokens, lows, starts, sent_of, sents, line_of, line_first,
                line_last, quoted, in_quote, verbs, sorted(verbs), credited, people,
                [i for i in cues if lows[i] in LEAD_WORDS], [i for i in marks if tokens[i].text in DASHES])


def _where(words: Sequence[str], wanted: frozenset[str]) -> list[int]:
    """The indices of the ``words`` that are ``wanted``, found without a Python loop: most are not."""
    return list(compress(range(len(words)), map(wanted.__contains__, words)))


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    """The words a speech verb or a lead clause starts with, so that other tokens cost one look-up."""
    return frozenset(speech_verbs().first) | LEAD_WORDS


@lru_cache(maxsize=20_000)
def _outlet(name: str) -> bool:
    """An organisation that is a listed outlet («Lenta.ru напоминает, что …»): the text's own
    voice, not a speaker."""
    tokens = TextView.of(name).tokens()
    found = outlet_at(tokens, 0) if tokens else None
    return bool(found) and found[0] == len(tokens)


def _pair_quotes(text: str, tokens: list[Token], line_of: list[int],
                 marks: list[int]) -> tuple[list[_Span], list[bool]]:
    """Outermost quoted spans, paired on a stack within each line («…«…»…», „…“, "…", “…”)."""
    spans, inside, stack = [], [False] * len(tokens), []
    for i in marks:
        token = tokens[i]
        mark = token.text
        if mark not in QUOTE_MARKS:
            continue
        if stack and line_of[stack[-1][0]] != line_of[i]:
            stack = []  # a quote left open on an earlier line is dropped
        if stack and _closes(stack[-1][1], mark, text, token):
            opened, _ = stack.pop()
            if not stack:
                spans.append(_Span(opened, i))
                inside[opened:i + 1] = [True] * (i + 1 - opened)
        elif mark in OPEN_QUOTES and (mark != '"' or _opens_straight(text, token)):
            stack.append((i, mark))
    return spans, inside


def _closes(opened: str, mark: str, text: str, token: Token) -> bool:
    pairs = {"«": "»", "„": "“", "“": "”"}
    if opened == '"':
        return mark == '"' and not _opens_straight(text, token)
    return pairs.get(opened) == mark


def _opens_straight(text: str, token: Token) -> bool:
    """A straight quote opens when a space or bracket is before it and a letter after it."""
    before = text[token.start - 1] if token.start else " "
    after = text[token.end] if token.end < len(text) else " "
    return (before.isspace() or before in "(«„—–-:") and not after.isspace()


# Drafts ------------------------------------------------------------------------------------


def _claim(doc: _Doc, draft: _Draft | None) -> None:
    """Keep a draft unless it is empty or overlaps a quote found before it."""
    if draft and draft.start < draft.end and not any(
            d.start < draft.end and draft.start < d.end for d in doc.drafts):
        doc.drafts.append(draft)


def _claimed(doc: _Doc, i: int) -> bool:
    pos = doc.tokens[i].start
    return doc.in_quote[i] or any(d.start <= pos < d.end for d in doc.drafts)


def _draft(doc: _Doc, first: int, last: int, direct: bool, who: _Who | None) -> _Draft | None:
    """Speech from ``tokens[first]`` to ``tokens[last]``, edge punctuation trimmed."""
    while first <= last and doc.tokens[first].text in _EDGE:
        first += 1
    while last >= first and doc.tokens[last].text in _EDGE:
        last -= 1
    if first > last:
        return None
    return _Draft(doc.tokens[first].start, doc.tokens[last].end, direct, who, doc.line_of[first])


# Tokens ------------------------------------------------------------------------------------


def _token_at(doc: _Doc, offset: int) -> int:
    return bisect_left(doc.starts, offset)


def _clause_end(doc: _Doc, j: int) -> int:
    """The token after the speech clause that starts at ``tokens[j]``."""
    end = j
    while (end < len(doc.tokens) and end - j < MAX_CLAUSE_TOKENS and doc.sent_of[end] == doc.sent_of[j - 1]
           and (doc.tokens[end].text not in TERMINAL | QUOTE_MARKS | {",", ":", ";"} or _initial(doc, end))):
        end += 1
    return end


def _initial(doc: _Doc, i: int) -> bool:
    """The full stop of an initial («М. Ашимбаев», «Н.А.Назарбаев»), which ends nothing."""
    before = doc.tokens[i - 1].text if i else ""
    return doc.tokens[i].text == "." and len(before) == 1 and before.isupper()


def _next_is(doc: _Doc, i: int, text: str) -> bool:
    return i + 1 < len(doc.tokens) and doc.tokens[i + 1].text == text
