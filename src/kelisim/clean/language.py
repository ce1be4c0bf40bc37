"""Language of a text: ru, kk, en, mixed or other, from letters and function words.

Kazakh in Cyrillic shares the Russian alphabet, so script alone cannot tell them apart. Each
sentence is scored on its own: words with a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і), Kazakh
function words and suffixes count for kk; Russian function words and endings count for ru.
A sentence goes to the side with more evidence (Cyrillic without any evidence to neither),
and the letters of each side's sentences give the shares. Both at 20% or more is "mixed".
"""

from __future__ import annotations

import re
from collections import Counter

_MAX_CHARS = 20_000
_MIN_LETTERS = 6
_MIXED_SHARE = 0.2
_SENTENCE = re.compile(r"[^.!?…\n]+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_KAZAKH_LETTER = re.compile(r"[әғқңөұүһі]")

_RU_WORDS = frozenset(
    """и в во на что с со по к ко из у о об от до за для как это но а же бы ли так его
    ее её их она они мы вы я был была было были будет также который которые которая
    которого которых при после без под над все всё уже только или если когда чтобы где
    есть этого этом этой этих этот эта эти нет ни более между через года году может
    себя свои своих также очень того тем чем том ещё еще были надо можно нужно сейчас""".split()
)
_KK_WORDS = frozenset(
    """және мен бен пен бұл осы үшін деп бойынша арқылы туралы екен еді болып болды бар
    жоқ сол ол олар біз сіз ең қазір жыл жылы жылғы кейін дейін бірақ алайда немесе
    сондай ақ яғни ретінде қатысты мұнда ғана тек әр барлық керек өз өзі оның онда соң
    бір екі үш тиіс болады болатын деген дейді айтты етті жатыр ма ме ба бе па пе ғой емес осылайша сонымен қатар""".split()
)
_RU_ENDINGS = (
    "ого", "его", "ому", "ему", "ыми", "ими", "ться", "тся", "ость", "ости", "ание",
    "ение", "ания", "ения", "ании", "ении", "ский", "ская", "ское", "ские", "ских", "ской",
    "ных", "ные", "ный", "ная", "ное", "ует", "уют", "ает", "ают", "ишь", "ешь", "ющих",
)
# Only suffixes without a Kazakh letter: words with one are already counted for kk.
_KK_ENDINGS = (
    "лары", "ларын", "ларда", "ларды", "ында", "ынан", "ымен", "сына", "сын", "ысы", "уы",
    "ген", "кен", "мыз", "сыз", "мын", "ынды", "ылды", "лды", "йды",
)
_EN_WORDS = frozenset(
    """the and of to in is are was were for that with on as by at from this it be
    has have had not but or an which will would""".split()
)
_KK_LATIN_WORDS = frozenset(
    """jáne jane men ben pen búl bul osy úshin ushin dep boıynsha boyinsha arqyly
    turaly eken edi bolyp boldy qazir biraq""".split()
)
_KK_LATIN_LETTER = re.compile(r"[áǵńóúýı]")
# The balance of each word met: the same words recur in every text, and a dict's own lookup
# (one C call a word) costs less than an lru_cache's.
_BALANCES: dict[str, int] = {}
_MAX_BALANCES = 100_000


def detect_language(text: str) -> str:
    """The language of a text: "ru", "kk", "en", "mixed" or "other"."""
    tally: Counter[str] = Counter()
    for sentence in _SENTENCE.findall(_URL.sub(" ", text[:_MAX_CHARS].lower())):
        _score(sentence, tally)
    return _decide(tally)


def _score(sentence: str, tally: Counter[str]) -> None:
    words = _WORD.findall(sentence)
    letters = sum(map(len, words))
    if _CYRILLIC.search(sentence) is None:
        tally["latin"] += letters
        tally["en"] += _count(words, _EN_WORDS)
        tally["kk_latin"] += _count(words, _KK_LATIN_WORDS) + len(_KK_LATIN_LETTER.findall(sentence))
    else:
        tally["cyrillic"] += letters
        tally[_side(words)] += letters


def _side(words: list[str]) -> str:
    try:
        balance = sum(map(_BALANCES.__getitem__, words))
    except KeyError:  # a word seen for the first time
        balance = sum(map(_remembered_balance, words))
    return "kk" if balance > 0 else "ru" if balance < 0 else "undecided"


def _remembered_balance(word: str) -> int:
    """``_balance`` of a word, kept in ``_BALANCES`` (emptied when it is full)."""
    balance = _BALANCES.get(word)
    if balance is None:
        if len(_BALANCES) >= _MAX_BALANCES:
            _BALANCES.clear()
        balance = _BALANCES[word] = _balance(word)
    return balance


def _balance(word: str) -> int:
    """The evidence one word gives: positive for Kazakh, negative for Russian."""
    if _KAZAKH_LETTER.search(word) or word in _KK_WORDS:
        return 2
    if word in _RU_WORDS:
        return -2
    if len(word) > 4 and word.endswith(_RU_ENDINGS):
        return -1
    if len(word) > 4 and word.endswith(_KK_ENDINGS):
        return 1
    return 0


def _count(words: list[str], vocabulary: frozenset[str]) -> int:
    return sum(word in vocabulary for word in words)


def _decide(tally: Counter[str]) -> str:
    ru, kk, cyrillic, latin = tally["ru"], tally["kk"], tally["cyrillic"], tally["latin"]
    if cyrillic + latin < _MIN_LETTERS:
        return "other"
    if latin > cyrillic:
        return _latin(tally["en"], tally["kk_latin"])
    if ru + kk == 0:
        return "ru"
    if min(ru, kk) / (ru + kk) >= _MIXED_SHARE:
        return "mixed"
    return "kk" if kk > ru else "ru"


def _latin(en: int, kk_latin: int) -> str:
    if kk_latin > en:
        return "kk"
    return "en" if en else "other"
