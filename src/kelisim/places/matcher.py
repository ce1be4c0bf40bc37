"""Find the places a text names: units of Kazakhstan down to the village, and places abroad.

``PlaceMatcher.load().find(view)`` returns non-overlapping ``PlaceMention`` records in text order.
Names are indexed by the base forms of their words, so every Russian case form and the common
Kazakh case endings match («в Кордайском районе», «Жамбыл облысында», «Алматыда»). A name counts
alone or with a kind word (область/облысы, район/ауданы, г./қаласы, с./ауылы …) that picks between
units sharing a name; a village needs support. docs/places.md sets out every rule.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import compress

from kelisim.places.gazetteer import Gazetteer
from kelisim.places.history import History
from kelisim.places.index import RANK, NameIndex, Target, _Entry
from kelisim.places.names import (
    CLOSE_QUOTES,
    KIND_WORDS,
    KK_COMMON,
    NATURE_AFTER,
    NATURE_BEFORE,
    NEVER_BARE,
    OPEN_QUOTES,
    SURNAME,
    _token_keys,
    is_common,
    is_first_name,
)
from kelisim.places.resolve import resolve_all
from kelisim.places.spans import _kind_ahead, _kinds_around, _Raw, _rest_matches, _Text
from kelisim.reading.document import TextView, WordMemo
from kelisim.reading.model import PlaceMention
from kelisim.text.tokens import Token


class PlaceMatcher:
    """Places in a text; build it once with ``PlaceMatcher.load()``."""

    def __init__(self, gazetteer: Gazetteer, history: History) -> None:
        """Index every name of every unit, alias and place abroad by its first word's keys."""
        self._history = history
        names = NameIndex(gazetteer)
        self._index: dict[str, list[_Entry]] = names.by_key
        self._abbreviations: dict[str, _Entry] = names.abbreviations
        self._first: dict[tuple[str, bool], tuple[_Entry, ...]] = {}
        self._opens = WordMemo(self._may_open)  # by token text: most open no name

    @classmethod
    def load(cls) -> PlaceMatcher:
        """The matcher over the shipped data, built once per process."""
        return _load_matcher()

    def find(self, view: TextView) -> list[PlaceMention]:
        """The places named in ``view.text``: non-overlapping, sorted by start.

        Args:
            view: the prepared text; ``view.published`` dates the ``then`` of each mention.

        Returns:
            One ``PlaceMention`` per place named; offsets index ``view.text``.
        """
        return resolve_all(view, self._scan(_Text.of(view)), self._history)

    # ----- scanning the text -----

    def _scan(self, text: _Text) -> list[_Raw]:
        """Names found left to right, longest first, each with its kind word if any."""
        raws: list[_Raw] = []
        resume = 0
        opens, texts = self._opens.hot(text.view), text.view.texts
        for i in compress(range(len(texts)), map(opens.__contains__, texts)):  # most tokens open no name
            found = self._match_at(text, i) if i >= resume else None
            raw = self._read(text, i, *found, resume) if found else None
            if raw:
                raws.append(raw)
                resume = raw.stop
        return raws

    def _match_at(self, text: _Text, i: int) -> tuple[int, list[Target]] | None:
        """The end (exclusive token index) and targets of the longest name starting at ``i``."""
        word = text.tokens[i].text
        abbreviation = self._abbreviation(word) if word.isupper() or "-" in word else None
        if abbreviation:
            return i + 1, abbreviation.targets
        best, targets = 0, []
        for entry in self._starting(word, text.kazakh):
            size = len(entry.words)
            if size < best:
                break
            if size == 1 or _rest_matches(text, i, entry):
                best = size
                targets.extend(entry.targets)
        return (i + best, targets) if best else None

    def _may_open(self, word: str) -> bool:
        """Whether a token text may open a name in a text of either language: a capitalised
        abbreviation or first word of a name (:meth:`_match_at` finds no name at any other)."""
        if not word[0].isupper():
            return False
        if (word.isupper() or "-" in word) and self._abbreviation(word):
            return True
        lower = word.lower().replace("ё", "е")
        return any(key in self._index for kazakh in (False, True) for key in _token_keys(lower, kazakh))

    def _starting(self, word: str, kazakh: bool) -> tuple[_Entry, ...]:
        """The names whose first word a text word may be, longest first (cached per word)."""
        entries = self._first.get((word, kazakh))
        if entries is None:
            if len(self._first) > 200_000:
                self._first.clear()
            lower = word.lower().replace("ё", "е")
            found = {id(e): e for key in _token_keys(lower, kazakh) for e in self._index.get(key, ())}
            entries = tuple(sorted(found.values(), key=lambda e: -len(e.words)))
            self._first[(word, kazakh)] = entries
        return entries

    def _abbreviation(self, word: str) -> _Entry | None:
        """«ВКО», and «ШҚО-да», «АҚШ-тың» with a Kazakh ending after the hyphen."""
        entry = self._abbreviations.get(word)
        if entry is None and "-" in word:
            head, _, tail = word.rpartition("-")
            entry = self._abbreviations.get(head) if tail.isalpha() and tail.islower() else None
        return entry

    def _read(self, text: _Text, i: int, j: int, targets: list[Target], floor: int) -> _Raw | None:
        """The name at tokens[i:j] with its kind word (not reaching back before token ``floor``);
        None when no reading survives the checks."""
        if text.view.language == "ru":
            targets = [t for t in targets if not t.kazakh_only]
        if not targets:
            return None
        kinds = [kind for kind in _kinds_around(text, i, j) if kind[1] >= floor]
        if any(kind == "street" for kind, _, _ in kinds):
            return None  # «ул. Абая», «Қонаев көшесі»: a street named after a place or person
        if not kinds and all(t.ref.level == "country" for t in targets):
            return self._country(text, i, j, targets)
        if not kinds:
            ahead = _kind_ahead(text, j, all(t.bare_rank is None for t in targets))
            kinds = [(ahead, i, j)] if ahead else []
        word = text.tokens[i].lower
        for kind, start, end in kinds:
            fitting = tuple(t for t in targets if t.kind == kind)
            if fitting:
                return _Raw(text.tokens[start].start, text.tokens[end - 1].end, end, False, False, word, fitting)
        bare = [t for t in targets if t.bare_rank is not None]
        if any(t.bare_rank == RANK["abroad"] for t in bare):
            bare = [t for t in bare if t.bare_rank == RANK["abroad"]]  # Казахстан the country, not the villages
        if not bare or not self._may_stand_alone(text, i, j):
            return None
        if max(t.bare_rank for t in bare) >= RANK["town"] and KK_COMMON & text.keys(i):
            bare = [t for t in bare if t.bare_rank < RANK["town"]]  # «Жем», «Есік», «Келесі»: words
        if bare and max(t.bare_rank for t in bare) >= RANK["centre"] and self._beside_name(text, i, j):
            bare = [t for t in bare if t.bare_rank < RANK["centre"]]  # «Рауан Мыңбаев»: a person
        if not bare:
            return None
        return _Raw(text.tokens[i].start, text.tokens[j - 1].end, j, True, i in text.initial, word, tuple(bare))

    @staticmethod
    def _country(text: _Text, i: int, j: int, targets: list[Target]) -> _Raw | None:
        """A country's name alone: a place unless it is a quoted title («Казахстан» the paper)."""
        before, after = text.at(i - 1), text.at(j)
        if before and before.text in OPEN_QUOTES and after and after.text in CLOSE_QUOTES:
            return None
        start, end, word = text.tokens[i].start, text.tokens[j - 1].end, text.tokens[i].lower
        return _Raw(start, end, j, True, i in text.initial, word, tuple(targets))

    def _may_stand_alone(self, text: _Text, i: int, j: int) -> bool:
        """False for a bare name that is a person, a river, a quoted title or a common word."""
        before, after = text.at(i - 1), text.at(j)
        if NEVER_BARE & text.keys(i):
            return False
        if before and before.text in OPEN_QUOTES and after and after.text in CLOSE_QUOTES:
            return False  # «Астана», «Бірлік»: a quoted title
        if (before and before.lower in NATURE_BEFORE) or (after and after.lower.startswith(NATURE_AFTER)):
            return False
        if self._person_around(text, i, j) or self._surname(text, i):
            return False
        return not (i in text.initial and is_common(text.tokens[i].lower, text.view.language))

    def _person_around(self, text: _Text, i: int, j: int) -> bool:
        """«Абай Кунанбаев», «Д. Кунаев», «Мухтар Ауэзов»: a place name used as a person's."""
        before, after = text.at(i - 1), text.at(j)
        if after and after.is_capitalized and SURNAME.search(after.lower) and not self._is_name(text, j):
            return True
        if before and before.text == "." and text.at(i - 2) and len(text.tokens[i - 2].text) == 1:
            return text.tokens[i - 2].text.isupper()
        if SURNAME.search(text.tokens[j - 1].lower) and (
                self._listed_surname(text, i - 2, before) or self._listed_surname(text, j + 1, after)):
            return True  # «Менделеев, Попов, Курчатов, Сахаров»: a surname in a list of surnames
        return bool(before and before.is_capitalized and is_first_name(before.lower)
                    and not self._is_name(text, i - 1))

    def _listed_surname(self, text: _Text, k: int, comma: Token | None) -> bool:
        """True when token ``k``, across a comma, is a capitalised surname that is not a place."""
        neighbour = text.at(k)
        return bool(comma and comma.text == "," and neighbour and neighbour.is_capitalized
                    and SURNAME.search(neighbour.lower) and not self._is_name(text, k))

    def _beside_name(self, text: _Text, i: int, j: int) -> bool:
        """True when a capitalised word that is not a place stands right before or after the name
        on the same line (the first or last name of a person named like a village)."""
        after, before = text.at(j), text.at(i - 1)
        if (after and after.is_word and after.is_capitalized and text.joined(j - 1, j)
                and not self._is_name(text, j)):
            return True
        if SURNAME.search(text.tokens[j - 1].lower):  # «Ахмет Байтұрсынұлы», «Төлеген Иманов»
            return j - i > 1 or bool(before and before.is_capitalized)
        return bool(before and before.is_word and before.is_capitalized and i - 1 not in text.initial
                    and text.joined(i - 1, i) and not self._is_name(text, i - 1))

    def _surname(self, text: _Text, i: int) -> bool:
        """«Токаев» read as a case form of the village Токай: a surname, not a place, unless the
        place itself is named so («Курчатов», «в Гурьеве»)."""
        word = text.tokens[i].lower
        return bool(SURNAME.search(word)) and not any(
            SURNAME.search(key) for key in text.keys(i) if key in self._index)

    def _is_name(self, text: _Text, k: int) -> bool:
        token = text.tokens[k]
        return (token.text in self._abbreviations or token.lower in KIND_WORDS
                or any(key in self._index for key in text.keys(k)))


@lru_cache(maxsize=1)
def _load_matcher() -> PlaceMatcher:
    return PlaceMatcher(Gazetteer.load(), History.load())
