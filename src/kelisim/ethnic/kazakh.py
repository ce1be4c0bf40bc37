"""Kazakh inflection: every plural, possessive, case and predicative form of a noun stem, in
both vowel harmonies and in Cyrillic or Latin script (қазақ → қазақтар, қазағының; qazaq →
qazaqtar), and the stems an inflected word may be made of."""

from __future__ import annotations

from functools import cache

# Suffixes by the sound a word ends in: vowel, р/й/у, л, м/н/ң, з/ж, voiceless; back vowels.
_SOUNDS = ("vowel", "ryu", "l", "mnn", "zj", "hard")
_SUFFIXES = {
    "pl": "лар лар дар дар дар тар", "gen": "ның дың дың ның дың тың", "acc": "ны ды ды ды ды ты",
    "dat": "ға ға ға ға ға қа", "loc": "да да да да да та", "abl": "дан дан дан нан дан тан",
    "ins": "мен мен мен мен бен пен", "p3": "сы ы ы ы ы ы", "p1": "м ым ым ым ым ым",
    "p2": "ң ың ың ың ың ың", "p1pl": "мыз ымыз ымыз ымыз ымыз ымыз",
    "p2pl": "ңыз ыңыз ыңыз ыңыз ыңыз ыңыз", "is1": "мын мын бын бын бын пын",
    "is1pl": "мыз мыз быз быз быз пыз", "is2": "сың сың сың сың сың сың", "eq": "дай дай дай дай дай тай",
}
_SUFFIX = {kind: dict(zip(_SOUNDS, table.split())) for kind, table in _SUFFIXES.items()}
_CASES = ("gen", "acc", "dat", "loc", "abl", "ins")
_AFTER_P3 = ("ның", "н", "на", "нда", "нан", "мен")  # қазағының, қазағын, қазағына
_FRONT = str.maketrans("аыұоғқ", "еіүөгк")
_VOICED = {"қ": "ғ", "к": "г", "п": "б", "q": "ğ", "k": "g", "p": "b"}
_BACK_VOWELS, _FRONT_VOWELS = frozenset("аоұыяёю"), frozenset("әеөүіэ")
_TO_LATIN = str.maketrans({"а": "a", "ә": "ä", "б": "b", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "з": "z",
                           "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o",
                           "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "ұ": "ū", "ү": "ü", "ы": "y",
                           "і": "ı"})
_FROM_LATIN = str.maketrans({"a": "а", "ä": "ә", "e": "е", "o": "о", "ö": "ө", "ū": "ұ", "ü": "ү", "y": "ы",
                             "ı": "і", "i": "и", "u": "у", "q": "қ", "k": "к", "p": "п", "ğ": "ғ", "ñ": "ң"})


def _sound(word: str) -> tuple[str, ...]:
    """The sound classes of a word's last letter (и and у may act as vowel or as й/у)."""
    last = word[-1]
    if last in "иу":
        return ("vowel", "ryu")
    if last in "аәеоөұүыіэюяё":
        return ("vowel",)
    for sound, letters in (("ryu", "рй"), ("l", "л"), ("mnn", "мнң"), ("zj", "зж")):
        if last in letters:
            return (sound,)
    return ("hard",)


def _fronts(stem: str) -> tuple[bool, ...]:
    """Vowel harmony of a stem: (False,) back, (True,) front, both when its vowels are neutral."""
    for letter in reversed(stem):
        if letter in _BACK_VOWELS:
            return (False,)
        if letter in _FRONT_VOWELS:
            return (True,)
    return (False, True)


def _attach(word: str, kind: str, front: bool) -> set[str]:
    """The suffixes of ``kind`` that may follow ``word``."""
    found = {_SUFFIX[kind][sound] for sound in _sound(word)}
    return {suffix.translate(_FRONT) for suffix in found} if front else found


def _endings(stem: str) -> dict[str, bool]:
    """Every ending a Kazakh noun stem takes (suffix → plural?): plural, possessive, case and
    predicative endings, in both harmonies when the stem's vowels do not decide."""
    return _endings_after(stem[-1], _fronts(stem))


@cache
def _endings_after(last: str, fronts: tuple[bool, ...]) -> dict[str, bool]:
    """The endings of :func:`_endings` for a stem ending in ``last`` with this harmony."""
    stem = last
    endings: dict[str, bool] = {"": False}
    for front in fronts:
        for plural in ("",) + tuple(_attach(stem, "pl", front)):
            word = stem + plural
            chains = {plural}
            for kind in ("p3", "p1", "p2", "p1pl", "p2pl"):
                for poss in _attach(word, kind, front):
                    chains.add(plural + poss)
                    after = _AFTER_P3 if kind == "p3" else {s for c in _CASES for s in _attach(word + poss, c, front)} | {"а"}
                    chains |= {plural + poss + (c.translate(_FRONT) if front else c) for c in after}
            for kind in (*_CASES, "is1", "is1pl", "is2", "eq"):
                chains |= {plural + suffix for suffix in _attach(word, kind, front)}
            chains |= {plural + loc + ("гі" if front else "ғы") for loc in _attach(word, "loc", front)}
            endings.update((chain, bool(plural)) for chain in chains if chain not in endings or plural)
    return endings


def kazakh_forms(stem: str, latin: bool = False) -> dict[str, bool]:
    """The inflected forms of a Kazakh stem (form → plural?): қазақ → қазақтар, қазағының, …;
    a Latin-script stem gets Latin endings (qazaq → qazaqtar)."""
    cyrillic = stem.translate(_FROM_LATIN) if latin else stem
    found = {}
    for ending, plural in _endings(cyrillic).items():
        suffix = ending.translate(_TO_LATIN) if latin else ending
        base = stem[:-1] + _VOICED[stem[-1]] if suffix[:1] in "аәеоөұүыіaäeoöūüyı" and suffix and stem[-1] in _VOICED else stem
        found[base + suffix] = plural
        if base != stem:  # қазақы beside қазағы
            found.setdefault(stem + suffix, plural)
    return found


def kazakh_keys(word: str) -> set[str]:
    """The stems a Kazakh word may be made of: itself and every prefix whose rest is an ending."""
    return {word[:i] for i in range(2, len(word) + 1) if word[i:] in _ALL_ENDINGS}


# One stem per sound class and harmony yields every ending there is.
_ALL_ENDINGS = frozenset(ending for stem in ("ата", "әке", "ар", "ер", "ал", "ел", "он", "ен", "аз", "ез", "ат", "ет", "уи")
                         for ending in _endings(stem))
