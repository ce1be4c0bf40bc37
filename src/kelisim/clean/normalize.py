"""Whitespace and Unicode normalisation: one canonical form for every text, idempotent.

Hostile text is defused here too: bidi overrides and other invisible characters go, lone
surrogates (which no store can hold) become U+FFFD, and a word that mixes Cyrillic and Latin
look-alike letters («Кaзахстан» with a Latin «a») is written in one script.
"""

from __future__ import annotations

import re
import unicodedata

# The patterns that scan whole texts begin with one character class or character, so that the
# regex engine skips ahead to where a match can start instead of trying every position (several
# times faster than an alternation or a repeat would). A line break: «\r\n» is one.
_LINE_BREAKS = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029](?:(?<=\r)\n)?")
# Controls (but \n and \t), zero-width characters, bidi marks, BOM, soft hyphen, word joiners,
# interlinear annotations and tag characters (invisible text that machines would still read).
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Every Unicode space separator (NBSP, thin and ideographic spaces…) but the plain space.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Runs of spaces and tabs become one space; a lone space is left as it is (most of them).
_RUNS = re.compile(r"[ \t](?:(?<=\t)[ \t]*|[ \t]+)")
_BLANK_RUNS = re.compile(r"\n\n\n+")
# Letters that look the same in both scripts; "і" and "һ" are Kazakh Cyrillic letters.
_LATIN = "aceopxyikhëACEOPXIKHMTBË"
_CYRILLIC = "асеорхуікһёАСЕОРХІКНМТВЁ"
_TO_CYRILLIC = str.maketrans(_LATIN, _CYRILLIC)
_TO_LATIN = str.maketrans(_CYRILLIC, _LATIN)
_LAT = "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_CYR = "\u0400-\u0481\u048a-\u04ff"
_MARKS = "\u0300-\u036f\u0483-\u0489"
# A Latin letter right before or after a Cyrillic one: a word that mixes scripts.
_SWITCH = re.compile(rf"[{_LAT}](?:(?=[{_CYR}])|(?<=[{_CYR}].))")
_WORD_CHAR = re.compile(rf"[^\W\d_]|[{_MARKS}]")
_WORD_REST = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])*+")
_LATIN_LETTER = re.compile(rf"[{_LAT}]")
_CYRILLIC_LETTER = re.compile(rf"[{_CYR}]")


def normalize_text(text: str) -> str:
    """NFC, LF line ends, no invisible characters, single spaces, at most one blank line, and
    words that mix Cyrillic and Latin look-alikes written in one script."""
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", replace_surrogates(text)))
    # NFC after removal: a zero-width character between a letter and its accent hides a pair.
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text))
    lines = (line.strip(" ") for line in _RUNS.sub(" ", text).split("\n"))
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    folded = _fold_mixed_words(text)
    return text if folded is text else unicodedata.normalize("NFC", folded)


def replace_surrogates(text: str) -> str:
    """``text`` with every lone surrogate (a JSON "\\ud800" makes one) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _fold_mixed_words(text: str) -> str:
    """Each word that mixes scripts in one script where it can be; ``text`` itself when there is
    none. Linear: every word is looked at once, however long."""
    switch = _SWITCH.search(text) if _LATIN_LETTER.search(text) else None
    pieces: list[str] = []
    done = 0
    while switch is not None:
        start = switch.start()
        while start > done and _WORD_CHAR.match(text, start - 1):
            start -= 1
        end = _WORD_REST.match(text, switch.end()).end()
        pieces += [text[done:start], _one_script(text[start:end])]
        done = end
        switch = _SWITCH.search(text, done)
    return "".join(pieces) + text[done:] if pieces else text


def _one_script(word: str) -> str:
    """A mixed word in Cyrillic when its Latin letters all have a Cyrillic twin, else in Latin
    when its Cyrillic letters all have a Latin twin, else as it was («iPhoneы» stays; «XXI-го»
    is two words, not a mixed one)."""
    for table in (_TO_CYRILLIC, _TO_LATIN):
        folded = word.translate(table)
        if not (_LATIN_LETTER.search(folded) and _CYRILLIC_LETTER.search(folded)):
            return folded
    return word
