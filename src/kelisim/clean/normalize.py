"""Whitespace and Unicode normalisation: one canonical form for every text, idempotent."""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Controls (but \n and \t), zero-width characters, bidi marks, BOM, soft hyphen, word joiners.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Every Unicode space separator (NBSP, thin and ideographic spaces…) but the plain space.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_RUNS = re.compile(r"[ \t]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """NFC, LF line ends, no invisible characters, single spaces, at most one blank line."""
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    # NFC after removal: a zero-width character between a letter and its accent hides a pair.
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text))
    lines = (_RUNS.sub(" ", line).strip(" ") for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
