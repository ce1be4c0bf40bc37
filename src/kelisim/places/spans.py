"""The text as the place matcher scans it (``_Text``: its tokens, which open a sentence, the keys
of each word), a name found in it (``_Raw``), and the kind words around a name: «Кордайский
район», «Қордай ауданы», «г. Тараз», «в Алматинской, Жамбылской и Туркестанской областях».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kelisim.places.index import Target, _Entry
from kelisim.places.names import (
    KIND_ABBREVIATIONS,
    KIND_PLURALS,
    KIND_WORDS,
    _token_keys,
)
from kelisim.reading.document import TextView
from kelisim.text.tokens import Token

_COORDINATION = frozenset({",", "и", "және", "мен", "бен", "пен", "а", "также"})
_LOOKAHEAD = 12


@dataclass(frozen=True, slots=True)
class _Raw:
    """A name found in the text with the readings left after the kind-word filter."""

    start: int
    end: int
    stop: int  # the index of the token after the span
    bare: bool
    initial: bool  # the name opens a sentence
    word: str  # its first word in lower case
    targets: tuple[Target, ...]


@dataclass(frozen=True, slots=True)
class _Text:
    """The text being scanned: its tokens, which of them open a sentence, its language."""

    view: TextView
    tokens: tuple[Token, ...]
    initial: frozenset[int]
    kazakh: bool
    _keys: dict[int, frozenset[str]]

    @classmethod
    def of(cls, view: TextView) -> _Text:
        return cls(view, view.flat, frozenset(view.firsts), view.language == "kk", {})

    def keys(self, k: int) -> frozenset[str]:
        keys = self._keys.get(k)
        if keys is None:
            keys = self._keys[k] = _token_keys(self.tokens[k].lower, self.kazakh)
        return keys

    def joined(self, a: int, b: int) -> bool:
        """True when tokens ``a`` and ``b`` (a < b) are on the same line."""
        return "\n" not in self.view.text[self.tokens[a].end:self.tokens[b].start]

    def at(self, k: int) -> Token | None:
        return self.tokens[k] if 0 <= k < len(self.tokens) else None


def _rest_matches(text: _Text, i: int, entry: _Entry) -> bool:
    """True when the words after the first of ``entry`` follow token ``i`` on the same line."""
    if i + len(entry.words) > len(text.tokens):
        return False
    for k in range(1, len(entry.words)):
        if not text.joined(i + k - 1, i + k):
            return False
        if entry.capitals[k] and not text.tokens[i + k].is_capitalized:
            return False
        if not entry.words[k] & text.keys(i + k):
            return False
    return True


def _kinds_around(text: _Text, i: int, j: int) -> list[tuple[str, int, int]]:
    """The kind words right after tokens[i:j] and right before, with the widened spans: «Кордайский
    район», «Қордай ауданы», «г. Тараз», «района Турара Рыскулова». Both are returned because the
    word after may belong to the next name («с. Уштобе района Ақсуат»)."""
    tokens, n = text.tokens, len(text.tokens)
    found = []
    if j < n and text.joined(j - 1, j):
        after = _kind_after(tokens, j)
        if after:
            found.append((after[0], i, after[1]))
    k = i - 1
    if k >= 0 and tokens[k].lower == "имени":
        k -= 1
    elif k >= 1 and tokens[k].text == "." and tokens[k - 1].lower == "им":
        k -= 2
    if k >= 0 and tokens[k].lower in KIND_WORDS:
        found.append((KIND_WORDS[tokens[k].lower], k, j))
    elif k >= 1 and tokens[k].text == "." and tokens[k - 1].text in KIND_ABBREVIATIONS:
        found.append((KIND_ABBREVIATIONS[tokens[k - 1].text], k - 1, j))  # lower case only: «С.» is an initial
    return found


def _kind_after(tokens: Sequence[Token], j: int) -> tuple[str, int] | None:
    """The kind word starting at token ``j`` and the token index after it."""
    n = len(tokens)
    word, following = tokens[j].lower, tokens[j + 1].lower if j + 1 < n else ""
    if word.startswith(("сельск", "ауылдық", "ауыл")) and following.startswith("округ"):
        return "rural", j + 2
    if word == "елді" and following.startswith("мекен"):
        return "settlement", j + 2  # «елді мекенінде»: in the settlement
    if word in KIND_WORDS:
        return KIND_WORDS[word], j + 1
    if tokens[j].text == "с" and following == "." and j + 2 < n and tokens[j + 2].text == "о":
        return "rural", min(j + 4, n)  # «Масанчинский с.о.»
    if tokens[j].text in KIND_ABBREVIATIONS and following == ".":
        return KIND_ABBREVIATIONS[tokens[j].text], j + 2
    return None


def _kind_ahead(text: _Text, j: int, needs_kind: bool) -> str | None:
    """The kind word closing a list of names: «в Алматинской, Жамбылской и Туркестанской областях».
    A name that can stand alone («Алматы, Жамбыл облыстарында») takes a plural kind word only."""
    for k in range(j, min(j + _LOOKAHEAD, len(text.tokens))):
        word = text.tokens[k].lower
        if word in KIND_WORDS:
            return KIND_WORDS[word] if needs_kind or word in KIND_PLURALS else None
        if word not in _COORDINATION and not text.tokens[k].is_capitalized:
            return None
    return None
