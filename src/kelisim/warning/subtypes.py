"""The ACLED-like sub-type of an incident (docs/method.md, "Casualties and sub-types").

Each event type has its sub-types in ``data/subtypes.tsv``, most severe or most specific first
(a protest: violent, met with lethal force, dispersed or detained, peaceful; a court case:
sentence, ruling, charge, arrest). The sub-type is the first in that order with evidence:

- a cue word of the sub-type (matched by base forms, Kazakh stems with «*», as the event
  classifier matches its cues) in a sentence that holds the event type's own evidence, or the
  sentence after it; in the whole text when the reading gives no evidence of that type;
- ``hostility:KIND``: a hostility kind the reading counted (a call to violence or expulsion,
  dehumanising words, collective blame, a slur); ``slur``: an ethnic mention read as a slur.

None when nothing decides (and for a type without sub-types: ``other``). The first match in the
table's order wins, so an analyst checks a decision by finding its cue in the text and seeing
that no cue of an earlier sub-type is there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kelisim.datafiles import package_rows
from kelisim.reading.document import TextView
from kelisim.text.tokens import Token, forms

COLUMNS = ("event_type", "subtype", "cue", "ru", "why")
HOSTILITY = "hostility:"
SLUR = "slur"  # an ethnic mention flagged as a slur by the reader
AFTER = 1  # sentences after an evidence sentence where cues are looked for


class SubtypeTableError(ValueError):
    """The sub-type table is malformed: one sub-type under two event types or two labels."""


@dataclass(frozen=True, slots=True)
class _Cue:
    subtype: str
    words: tuple[str, ...]  # base forms; a trailing «*» matches any word starting so


@dataclass(frozen=True)
class _Table:
    order: dict[str, tuple[str, ...]]  # event type -> its sub-types, first wins
    labels: dict[str, str]  # sub-type -> Russian label
    cues: dict[str, tuple[_Cue, ...]]  # event type -> its word cues, longest first
    kinds: dict[str, dict[str, str]]  # event type -> hostility kind (or «slur») -> sub-type


def subtype(event_type: str, reading: Mapping[str, Any]) -> str | None:
    """The sub-type of an incident of ``event_type`` that a document's reading supports.

    Args:
        event_type: one of the event types (``violent_clash``, ``protest_rally`` …).
        reading: the reading JSON of a document (the shape ``kelisim analyze`` prints).

    Returns:
        The first sub-type, in the table's order for that type, with a cue in the text near
        the type's evidence or a matching hostility kind; None when none has.
    """
    table = _table()
    order = table.order.get(event_type)
    if not order:
        return None
    found = _kinds(table.kinds.get(event_type, {}), reading)
    found |= _words(table.cues.get(event_type, ()), _tokens(event_type, reading))
    return next((name for name in order if name in found), None)


def subtype_label(subtype: str, lang: str = "ru") -> str:
    """The label of a sub-type: Russian from the table, else English from its id."""
    labels = _table().labels
    if subtype not in labels:
        raise KeyError(f"unknown sub-type {subtype!r}")
    return labels[subtype] if lang == "ru" else subtype.replace("_", " ").capitalize()


def subtypes(event_type: str) -> tuple[str, ...]:
    """The sub-types of an event type, first-wins order; empty for a type without any."""
    return _table().order.get(event_type, ())


def _kinds(kinds: Mapping[str, str], reading: Mapping[str, Any]) -> set[str]:
    """Sub-types the reading's hostility kinds and slur mentions decide."""
    if not kinds:
        return set()
    hostility = reading.get("hostility") or {}
    counted = {e.get("kind") for e in hostility.get("evidence") or () if (e.get("weight") or 0) > 0}
    counted |= set(hostility.get("kinds") or ())
    if any(m.get("slur") for m in reading.get("ethnic_groups") or ()):
        counted.add(SLUR)
    return {kinds[k] for k in counted if k in kinds}


def _tokens(event_type: str, reading: Mapping[str, Any]) -> list[list[Token]]:
    """The word tokens of the sentences that hold the type's evidence and of the sentence
    after each; of every sentence when there is no such evidence."""
    text = reading.get("text") or ""
    view = TextView.of(text, reading.get("language") or "ru")
    evidence = [e["start"] for e in (reading.get("event") or {}).get("evidence") or ()
                if e.get("kind") == event_type and (e.get("weight") or 0) > 0]
    chosen = set(range(len(view.sentences)))
    if evidence:
        holding = {i for i, s in enumerate(view.sentences) for start in evidence if s.start <= start < s.end}
        chosen = {i + k for i in holding for k in range(AFTER + 1)} & chosen
    return [[t for t in view.sentences[i].tokens if t.text[0].isalnum()] for i in sorted(chosen)]


def _words(cues: Iterable[_Cue], sentences: list[list[Token]]) -> set[str]:
    """Sub-types with a cue in the sentences."""
    by_first: dict[str, list[_Cue]] = defaultdict(list)
    prefixes = []
    for cue in cues:
        (prefixes.append(cue) if cue.words[0].endswith("*") else by_first[cue.words[0]].append(cue))
    found = set()
    for words in sentences:
        for i, token in enumerate(words):
            lower = token.lower
            candidates = [c for f in forms(lower) for c in by_first.get(f, ())]
            candidates += [c for c in prefixes if lower.startswith(c.words[0][:-1])]
            found |= {c.subtype for c in candidates if _fits(c.words, words, i)}
    return found


def _fits(pattern: tuple[str, ...], words: list[Token], i: int) -> bool:
    if i + len(pattern) > len(words):
        return False
    return all(_fits_word(p, words[i + k]) for k, p in enumerate(pattern))


def _fits_word(pattern: str, token: Token) -> bool:
    if pattern.endswith("*"):
        return token.lower.startswith(pattern[:-1])
    return pattern in forms(token.lower)


@lru_cache(maxsize=1)
def _table() -> _Table:
    """The shipped table, read once and checked."""
    order: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    owner: dict[str, str] = {}
    cues: dict[str, list[_Cue]] = defaultdict(list)
    kinds: dict[str, dict[str, str]] = defaultdict(dict)
    for row in package_rows("kelisim.warning", "data/subtypes.tsv", COLUMNS, SubtypeTableError):
        kind, name, cue = row["event_type"], row["subtype"], row["cue"]
        if owner.setdefault(name, kind) != kind or labels.setdefault(name, row["ru"]) != row["ru"]:
            raise SubtypeTableError(f"sub-type {name!r}: one event type and one label expected")
        if name not in order[kind]:
            order[kind].append(name)
        if cue.startswith(HOSTILITY) or cue == SLUR:
            kinds[kind][cue.removeprefix(HOSTILITY)] = name
        else:
            cues[kind].append(_Cue(name, tuple(cue.lower().replace("ё", "е").split())))
    return _Table({k: tuple(v) for k, v in order.items()}, labels,
                  {k: tuple(sorted(v, key=lambda c: -len(c.words))) for k, v in cues.items()},
                  dict(kinds))
