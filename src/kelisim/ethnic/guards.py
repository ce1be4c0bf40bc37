"""The rules that keep homonyms and non-people out of the ethnic matcher: the guards of
``data/guards.tsv``, the head nouns of ``data/heads.tsv`` that decide whether an ethnic adjective
or a bare Kazakh ethnonym qualifies people («русский язык» does not), and the rule that a
capitalised ethnonym beside an initial or a first name is part of a person's name («Игорь
Немец»). docs/ethnic-groups.md gives every rule with examples.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from kelisim.datafiles import package_rows
from kelisim.ethnic.kazakh import kazakh_keys
from kelisim.ethnic.lexicon import DATA_PACKAGE
from kelisim.text.terms import _analyzer
from kelisim.text.tokens import Token

if TYPE_CHECKING:
    from kelisim.ethnic.matcher import _Hit

RULES = frozenset({"off", "lower", "plural", "company"})
ADJECTIVE = frozenset({"ADJF", "PRTF"})
PERSONAL = frozenset({"Name", "Surn", "Patr"})
_CHAIN = frozenset({",", "и", "или", "либо"})  # «русский и казахский языки»
_LANGUAGE_PREPOSITIONS = frozenset({"на", "в", "во", "с", "со", "из"})  # «на русском», «с казахского»
_HEAD_WINDOW = 4
_KAZAKH_ADJECTIVE = ("лық", "лік", "дық", "дік", "тық", "тік")


# --- Data ---------------------------------------------------------------------------------------

def _table(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a tab-separated data file, its header checked."""
    return package_rows(DATA_PACKAGE, name, columns)


def norm(form: str) -> str:
    """A listed form as tokens are compared: lower case, ё as е."""
    return form.lower().replace("ё", "е")


def load_guards() -> dict[tuple[str, str], frozenset[str]]:
    """The homonym guards of ``guards.tsv``: (form, script) → rules."""
    guards = {}
    for row in _table("guards.tsv", ("form", "script", "rules", "note")):
        rules = frozenset(row["rules"].split("|"))
        if not rules <= RULES or row["script"] not in ("ru", "kk"):
            raise ValueError(f"guards.tsv: bad row {row}")
        guards[(norm(row["form"]), row["script"])] = rules
    return guards


def load_heads() -> dict[tuple[str, str], str]:
    """The head nouns of ``heads.tsv`` that decide whether an ethnic adjective qualifies people:
    (word, language) → 'people' or 'thing'."""
    return {(norm(row["word"]), row["language"]): row["role"] for row in _table("heads.tsv", ("word", "language", "role", "note"))}


# --- Guards -------------------------------------------------------------------------------------

def guard_rules(hits: list[_Hit], hit: _Hit) -> frozenset[str]:
    """The guards on a reading: those of every listed form of its group that the word matched
    («турка» matches турок and турки), or 'company' for a noun whose likeliest reading is a thing."""
    rules = frozenset().union(*(h.entry.rules for h in hits if h.entry.group == hit.entry.group and h.kazakh == hit.kazakh))
    return rules or (frozenset({"company"}) if hit.thing else rules)


def needs_company(hit: _Hit, rules: frozenset[str]) -> bool:
    """Whether the guards let this reading count only beside another mention in its sentence."""
    return "company" in rules or ("plural" in rules and not hit.plural)


def usable_hits(hits: tuple[_Hit, ...], language: str) -> list[_Hit]:
    """The readings that apply in a text of this language, the likeliest first. Kazakh text
    gets Kazakh readings only (the Russian dictionary takes «тату», friendly, for a Tat);
    other text gets Kazakh readings that are not also Russian words («украины»)."""
    if language == "kk":
        return [h for h in hits if h.kazakh]
    kazakh = language == "mixed"
    usable = [h for h in hits if kazakh or not (h.kazakh and h.russian_word)]
    return sorted(usable, key=lambda h: (h.kazakh != kazakh, h.entry.feminine, h.entry.rank))


# --- Names --------------------------------------------------------------------------------------

def is_name(tokens: tuple[Token, ...], i: int, hit: _Hit, names_group: Callable[[str], bool]) -> bool:
    """Whether a capitalised ethnonym is part of a person's name: beside an initial or a
    first name («А. Поляк», «Игорь Немец»), or a noun with a surname reading inside a
    sentence («сказал Поляков»), unless its neighbours are ethnonyms too («Казаков, Поляков»):
    ``names_group`` tells whether a word names a group."""
    token = tokens[i]
    if not token.is_capitalized or token.text.isupper():
        return False
    before, after = tokens[max(0, i - 2):i], tokens[i + 1:i + 3]
    if len(before) == 2 and before[1].text == "." and len(before[0].text) == 1 and before[0].text.isupper():
        return True
    if after and len(after[0].text) == 1 and after[0].text.isupper():
        return True
    if any(t.is_capitalized and _personal(t.lower) for t in (*before[-1:], *after[:1])):
        return True
    if not hit.surname or hit.entry.adjective or not any(t.is_word for t in tokens[:i]):
        return False
    return not any(names_group(t.lower) for t in _neighbours(tokens, i))


@lru_cache(maxsize=100_000)
def _personal(lower: str) -> bool:
    """Whether a word's likeliest reading is a first name or patronymic."""
    return bool(PERSONAL & _analyzer().parse(lower)[0].tag.grammemes - {"Surn"})


def _neighbours(tokens: tuple[Token, ...], i: int) -> list[Token]:
    """The nearest words before and after token ``i``, past commas and «и»."""
    found = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(tokens) and tokens[j].lower in _CHAIN:
            j += step
        if 0 <= j < len(tokens):
            found.append(tokens[j])
    return found


# --- Head nouns ---------------------------------------------------------------------------------

class HeadNouns:
    """The head nouns of ``heads.tsv``: whether an ethnic word qualifies people or a thing."""

    def __init__(self, heads: dict[tuple[str, str], str]) -> None:
        """Use these head nouns: (word, language) → 'people' or 'thing'."""
        self._heads = heads
        self._roles: dict[str, str | None] = {}

    def person(self, tokens: tuple[Token, ...], i: int, hit: _Hit) -> bool | None:
        """Whether the mention names people (True), not (False: «русский язык»), or is no
        mention at all (None: a guarded adjectival slur before a thing, «чёрное море»)."""
        entry = hit.entry
        if hit.kazakh:
            return not (hit.bare and self._kazakh_thing(tokens, i))
        if not entry.adjective:
            return True
        if entry.slur and entry.rules and i and self._role(tokens[i - 1].lower) == "thing":
            return None  # «волосы чёрные»
        head = self._head(tokens, i)
        if head is not None:
            return True if head == "person" else (None if entry.slur and entry.rules else False)
        if entry.slur or hit.plural:
            return True  # «русские», «узкоглазые» standing alone
        return entry.substantive and not (i and tokens[i - 1].lower in _LANGUAGE_PREPOSITIONS)

    def _head(self, tokens: tuple[Token, ...], i: int) -> str | None:
        """'person' or 'thing': the noun an adjective at ``i`` qualifies, past other adjectives
        and «и», «или», commas; None when no noun follows."""
        for token in tokens[i + 1:i + 1 + _HEAD_WINDOW]:
            if token.lower in _CHAIN:
                continue
            role = self._role(token.lower)
            if role != "adjective":
                return role
        return None

    def _role(self, lower: str) -> str | None:
        """How a Russian word after an ethnic adjective bears on it: 'adjective' (keep looking),
        'person' or 'thing' (the head noun), or None (no head)."""
        role = self._roles.get(lower, "")
        if role == "":
            role = self._roles[lower] = _role(lower, self._heads)
        return role

    def _kazakh_thing(self, tokens: tuple[Token, ...], i: int) -> bool:
        """Whether a bare Kazakh ethnonym qualifies a listed thing («қазақ тілі», «Еуразиялық
        ұлттық университеті»), past adjectives in -лық/-лік."""
        for token in tokens[i + 1:i + 1 + _HEAD_WINDOW]:
            if not token.lower.endswith(_KAZAKH_ADJECTIVE):
                return self._kazakh_head(token.lower) == "thing"
        return False

    def _kazakh_head(self, lower: str) -> str | None:
        """'people' or 'thing' when a Kazakh word is a listed head noun in any inflection."""
        for key in kazakh_keys(lower):
            role = self._heads.get((key, "kk"))
            if role:
                return role
        return None


def _role(lower: str, heads: dict[tuple[str, str], str]) -> str | None:
    """See :meth:`HeadNouns._role`."""
    if not any("а" <= ch <= "я" for ch in lower):
        return None
    parse = _analyzer().parse(lower)[0]
    if parse.tag.POS in ADJECTIVE:
        return "adjective"
    if parse.tag.POS != "NOUN":
        return None
    listed = heads.get((norm(parse.normal_form), "ru"))
    if listed:
        return "person" if listed == "people" else "thing"
    return "person" if "anim" in parse.tag else "thing"
