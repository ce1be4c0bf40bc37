"""Bytes to text: BOMs, strict UTF-8, then the Cyrillic legacy code pages, judged by plausibility.

cp1251 and KOI8-R decode any byte string without error, so "it decoded" proves nothing: each
candidate is decoded and scored on how much its letters look like Russian or Kazakh text
(letter frequencies, case inside words, stray symbols), and the best one wins.
charset-normalizer's guess is one more candidate, never the judge.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from kelisim.clean.errors import BinaryInputError, EncodingError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP (or DOCX/XLSX/ODT)"),
    (b"\x89PNG", "PNG"),
    (b"\x1f\x8b", "gzip"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"\xd0\xcf\x11\xe0", "OLE (DOC/XLS)"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ", "xz"),
    (b"RIFF", "RIFF (WEBP/WAV/AVI)"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
)
# kz1048 is cp1251 with the Kazakh letters in place of the Serbian ones.
_LEGACY = ("cp1251", "kz1048", "koi8-r", "cp866")
_SNIFF = 8192
_SAMPLE = 4 * _SNIFF  # bytes: at least _SNIFF characters in any encoding we score
_MAX_CONTROL_SHARE = 0.05
_GUESS_HANDICAP = 0.5
# Below this a candidate is mojibake or random bytes, whatever its rank.
_MIN_SCORE = -4.0

# Russian letter frequencies (per cent) with the Kazakh letters at their typical weight.
_FREQ = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47,
    "р": 4.73, "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81,
    "у": 2.62, "я": 2.01, "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59,
    "ч": 1.44, "й": 1.21, "х": 0.97, "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48,
    "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04, "ё": 0.04,
    "і": 2.0, "қ": 1.5, "ә": 1.2, "ұ": 0.9, "ғ": 0.8, "ң": 0.8,
    "ү": 0.8, "ө": 0.6, "һ": 0.02,
}
_LOGP = {ch: math.log(p / 100) for ch, p in _FREQ.items()}
_CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]+")
_CASE_BREAK = re.compile(r"[а-яёәғқңөұүһі][А-ЯЁӘҒҚҢӨҰҮҺІ]")
_ODD = re.compile(r"[^\t\n\r\x20-\x7e\u00a0«»°№•·…–—‘’‚“”„€₸©®™§а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
# Control bytes that text does not hold: all below 0x20 but tab, LF, form feed, CR and ESC.
_CONTROL = bytes([*range(0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding that was used."""

    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """Decode bytes of a text document, or raise BinaryInputError / EncodingError."""
    by_bom = _decode_bom(data)
    if by_bom is not None:
        return by_bom
    _reject_binary(data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise EncodingError(f"the {encoding} byte-order mark is followed by "
                                    f"invalid {encoding}: {error.reason}") from None
    return None


def _reject_binary(data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(f"binary input: the bytes start like a {kind} file")
    head = data[:_SNIFF]
    if b"\x00" in head:
        raise BinaryInputError("binary input: NUL bytes in what should be text")
    control = len(head) - len(head.translate(None, _CONTROL))  # counted in C, no regex
    if head and control / len(head) > _MAX_CONTROL_SHARE:
        raise BinaryInputError(f"binary input: {control} control bytes in the first {len(head)}")


def _decode_legacy(data: bytes) -> Decoded:
    # Candidates are judged on a sample (the score reads only its first _SNIFF characters);
    # only the winner decodes the whole input, so a big file is decoded once, not five times.
    scored = sorted(((plausibility(text) - _handicap(encoding), -rank, encoding)
                     for rank, (encoding, text) in enumerate(_candidates(data[:_SAMPLE]))),
                    reverse=True)
    if not scored:
        raise EncodingError("not UTF-8, and no Cyrillic code page decodes these bytes")
    if scored[0][0] < _MIN_SCORE:
        raise EncodingError(f"not UTF-8, and the best guess ({scored[0][2]}) reads as gibberish")
    for score, _, encoding in scored:
        text = _decode_all(data, encoding) if score >= _MIN_SCORE else None
        if text is not None:
            return Decoded(text, encoding)
    raise EncodingError("not UTF-8, and no plausible Cyrillic code page decodes all these bytes")


def _candidates(data: bytes) -> list[tuple[str, str]]:
    # UTF-8 with a few broken bytes (a truncated download) beats any code page.
    decoded = [("utf-8", data.decode("utf-8", errors="replace"))]
    for encoding in (*_LEGACY, _guess(data)):
        text = _try_decode(data, encoding)
        if text is not None and encoding not in dict(decoded):
            decoded.append((encoding, text))
    return decoded


def _handicap(encoding: str) -> float:
    # charset-normalizer's guess must be clearly better than our code pages: read as
    # mac-cyrillic, cp1251 text loses its capitals to «¬», «ƒ», NBSP… and scores a hair higher.
    return 0.0 if encoding in ("utf-8", *_LEGACY) else _GUESS_HANDICAP


def _decode_all(data: bytes, encoding: str) -> str | None:
    return data.decode("utf-8", errors="replace") if encoding == "utf-8" else \
        _try_decode(data, encoding)


def _guess(data: bytes) -> str | None:
    match = from_bytes(data[:_SAMPLE]).best()
    return codecs.lookup(match.encoding).name if match else None


def _try_decode(data: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def plausibility(text: str) -> float:
    """How much a decoded text looks like real ru/kk/Latin text; about 0 is good, below -4 is not."""
    sample = text[:_SNIFF]
    visible = len(sample) - sample.count(" ") - sample.count("\n")
    if visible == 0:
        return 0.0
    odd = len(_ODD.findall(sample)) / visible
    letters = "".join(_CYRILLIC_WORD.findall(sample))
    return -20 * odd + _letter_score(letters, len(_CASE_BREAK.findall(sample)))


def _letter_score(letters: str, case_breaks: int) -> float:
    # A typical Russian text averages about -3.3 nats per letter; mojibake about -4.3.
    if not letters:
        return 0.0
    logp = sum(_LOGP.get(ch, -9.0) for ch in letters.lower()) / len(letters)
    return 2 * (logp + 3.3) - 10 * case_breaks / len(letters)
