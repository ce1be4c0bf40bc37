"""The words the place matcher reads by: kind words (область/облысы, г./қаласы …), stop lists,
the keys a name or a text word is indexed by, and the tests for common words and persons' names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kelisim.places.history import load_stopwords
from kelisim.text.terms import _analyzer, _kazakh_stem
from kelisim.text.tokens import forms

_KK_LETTERS = frozenset("әғқңөұүһі")
# Kazakh letters as Russian-keyboard texts write them; і is written ы or и, so both variants.
_PLAIN = (str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухыАГКНОУУХЫ"),
          str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ"))
_RU_KINDS = {"область": "region", "район": "district", "город": "city", "село": "settlement",
             "посёлок": "settlement", "аул": "settlement", "деревня": "settlement", "край": "krai",
             "улица": "street", "проспект": "street", "переулок": "street", "бульвар": "street",
             "микрорайон": "street", "площадь": "street"}
# stem, kind, plural suffix, back vowels?
_KK_KINDS = (("облыс", "region", "тар", True), ("аудан", "district", "дар", True),
             ("қала", "city", "лар", True), ("ауыл", "settlement", "дар", True),
             ("аул", "settlement", "дар", True),
             ("кент", "settlement", "тер", False), ("өлке", "krai", "лер", False),
             ("көше", "street", "лер", False), ("даңғыл", "street", "дар", True),
             ("ықшамаудан", "street", "дар", True), ("шағынаудан", "street", "дар", True))
_KK_CASES = {True: ("", "ның", "на", "н", "нда", "нан", "мен", "ндағы"),
             False: ("", "нің", "не", "н", "нде", "нен", "мен", "ндегі")}
KIND_ABBREVIATIONS = {"обл": "region", "р": "district", "г": "city", "гор": "city", "қ": "city",
                      "с": "settlement", "п": "settlement", "пос": "settlement", "пгт": "settlement",
                      "а": "settlement", "ул": "street", "пр": "street", "мкр": "street", "мкрн": "street"}
_STOPWORDS = load_stopwords()
NEVER_BARE = frozenset(w for w, how in _STOPWORDS.items() if how == "never")
KK_COMMON = frozenset(w for w, how in _STOPWORDS.items() if how == "common")
NATURE_BEFORE = frozenset("""озеро озера озере озеру озером река реки реке реку рекой море моря морю
    морем хребет хребта горы гора горе пик пика перевал перевала ущелье ущелья водохранилище
    водохранилища залив залива урочище урочища""".split())
NATURE_AFTER = ("көл", "өзен", "теңіз", "тауы", "тауын", "тауда", "таулар", "шың", "асуы", "жота", "шатқал",
                "бөген", "суқойма")
OPEN_QUOTES = frozenset("«\"“„'")
CLOSE_QUOTES = frozenset("»\"”“'")
# A surname, in a Russian or Kazakh case form («Кунанбаев», «Маминге», «Мыңбаевтың», «Құнанбайұлы»).
SURNAME = re.compile(r"(?:ов|ев|ёв|ин)"
                     r"(?:а|у|ым|ой|е|ых|тың|тің|ның|нің|қа|ке|ға|ге|ты|ті|ны|ні|тан|тен|нан|нен)?$"
                     r"|(?:ұлы|улы|қызы|кызы)|(?:ович|евич|овна|евна)")
_ADJECTIVAL = re.compile(r"(?:ая|яя|ое|ее|ые|ие)$")
_NAME_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*|[^\w\s]")  # as razdel splits a name
_PROPER = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn"})
_PERSON = frozenset({"Name", "Surn", "Patr"})
_BACK, _FRONT = frozenset("аоұыуяё"), frozenset("әеөүіиэю")
_KK_ENDINGS = tuple(sorted(set("""дан ден тан тен нан нен ны ні ға ге қа ке на не да де та те ның нің
    дың дің тың тің ды ді ты ті ын ін мен бен пен дағы дегі тағы тегі ндағы ндегі нда нде""".split()),
    key=len, reverse=True))


def _kind_words() -> tuple[dict[str, str], frozenset[str]]:
    """Every written form of a kind word (Russian lexemes, Kazakh possessive case forms), and
    the plural forms among them."""
    words: dict[str, str] = {}
    plurals, singulars = set(), set()
    for lemma, kind in _RU_KINDS.items():
        for form in _analyzer().parse(lemma)[0].lexeme:
            words[form.word.replace("ё", "е")] = kind
            (plurals if "plur" in form.tag else singulars).add(form.word)
    plurals -= singulars  # «области», «города», «аулы» are singular too
    for stem, kind, plural, back in _KK_KINDS:
        own = stem + ("сы" if stem[-1] in "ае" else "ы") if back else stem + ("сі" if stem[-1] == "е" else "і")
        many = stem + plural + ("ы" if back else "і")
        for form in (stem, *(own + c for c in _KK_CASES[back]), *(many + c for c in _KK_CASES[back])):
            for variant in {form, form.translate(_PLAIN[0]), form.translate(_PLAIN[1])}:
                words[variant] = kind
                if form.startswith(many):
                    plurals.add(variant)
    words.update({"р-н": "district", "р-на": "district", "р-не": "district", "р-ну": "district",
                  "р-ном": "district", "пр-т": "street"})
    return words, frozenset(plurals)


KIND_WORDS, KIND_PLURALS = _kind_words()


def plain_variants(name: str) -> list[str]:
    """The name, and the name with Kazakh letters written the Russian way («Өскемен» → «Оскемен»)."""
    if not _KK_LETTERS.intersection(name.lower()):
        return [name]
    return list(dict.fromkeys([name, name.translate(_PLAIN[0]), name.translate(_PLAIN[1])]))


def name_keys(word: str, inner: bool = False) -> frozenset[str]:
    """The keys a name's word is indexed by: the word, the masculine base form of an adjective
    («Жамбылская» → жамбылский) and, past the first word, the stem of a Kazakh plural
    («Құрама Штаттар» → штат; not on a first word: «Павлодар» is not a plural)."""
    lower = word.lower().replace("ё", "е")
    keys = {lower}
    if _ADJECTIVAL.search(lower) and not _KK_LETTERS.intersection(lower):
        # pymorphy's base form of an inflected adjective is one of these three
        keys.update(lower[:-2] + ending for ending in ("ый", "ий", "ой"))
    for plural in ("тар", "тер", "лар", "лер", "дар", "дер") if inner else ():
        if lower.endswith(plural) and len(lower) > len(plural) + 2:
            keys.add(lower[:-len(plural)])
    return frozenset(keys)


@lru_cache(maxsize=200_000)
def _token_keys(lower: str, kazakh: bool) -> frozenset[str]:
    """Every key a text word may match: its base forms (Russian ones outside Kazakh text, where
    they are noise: «шара» is not «шар») and its stems without a Kazakh case ending."""
    base = frozenset((lower, _kazakh_stem(lower))) if kazakh else forms(lower)
    return base | kazakh_stems(lower)


@lru_cache(maxsize=100_000)
def kazakh_stems(lower: str) -> frozenset[str]:
    """Stems of a word with one Kazakh case ending off, the ending in harmony with the stem
    («Ресейден» → ресей, «Астананы» → астана); the index decides which stems are names."""
    stems = set()
    for ending in _KK_ENDINGS:
        stem = lower[:-len(ending)]
        if lower.endswith(ending) and len(stem) >= 2 and _harmonic(stem, ending):
            stems.add(stem)
    return frozenset(stems)


def _harmonic(stem: str, ending: str) -> bool:
    vowels = [ch for ch in stem if ch in _BACK or ch in _FRONT]
    mark = next((ch for ch in ending if ch in _BACK or ch in _FRONT), None)
    return not vowels or mark is None or (vowels[-1] in _BACK) == (mark in _BACK)


@lru_cache(maxsize=50_000)
def is_common(word: str, language: str) -> bool:
    """True for a Kazakh village name that is a common word, or (outside Kazakh text) a Russian
    word whose likeliest reading is not a proper name («Семей» → семей, «Орал» → орать)."""
    if word in KK_COMMON:
        return True
    if language == "kk" or not _analyzer().word_is_known(word):
        return False
    return not _PROPER & _analyzer().parse(word)[0].tag.grammemes


@lru_cache(maxsize=50_000)
def _person_like(word: str) -> bool:
    """True when the word, or its stem without a Kazakh ending, in Russian letters, is a name
    pymorphy knows («Раушанның» → раушан, «Ақмарал» → акмарал)."""
    stems = {word, _kazakh_stem(word), *kazakh_stems(word)}
    return any(is_person_word(stem.translate(plain)) for stem in stems for plain in _PLAIN)


@lru_cache(maxsize=50_000)
def is_person_word(word: str) -> bool:
    """True for a word whose likeliest reading in pymorphy's dictionary is a first name, surname
    or patronymic («Сталин», «Тимуром»)."""
    analyzer = _analyzer()
    return analyzer.word_is_known(word) and bool(_PERSON & analyzer.parse(word)[0].tag.grammemes)


@lru_cache(maxsize=50_000)
def is_first_name(word: str) -> bool:
    """True for a first name in pymorphy's dictionary («Мухтар», «Владимир»), not a guess."""
    analyzer = _analyzer()
    return analyzer.word_is_known(word) and any("Name" in p.tag.grammemes for p in analyzer.parse(word)[:2])
