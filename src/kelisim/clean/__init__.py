"""The cleaning stage: bytes and markup in, normalised text without site chrome out.

Pure functions, no I/O. ``clean_text`` runs the whole stage; the parts are importable on their
own (``decode``, ``extract_html``, ``normalize_text``, ``strip_chrome``, ``detect_language``,
``parse_date``, ``find_date_in_text``).
"""

from kelisim.clean.chrome import ChromeReport, strip_chrome
from kelisim.clean.dates import find_date_in_text, parse_date
from kelisim.clean.encoding import Decoded, decode
from kelisim.clean.errors import (
    BinaryInputError,
    CleaningError,
    EmptyTextError,
    EncodingError,
    MalformedHTMLError,
)
from kelisim.clean.html import Extracted, extract_html, extract_markdown
from kelisim.clean.language import detect_language
from kelisim.clean.normalize import normalize_text
from kelisim.clean.pipeline import Cleaned, clean_text

__all__ = [
    "BinaryInputError",
    "ChromeReport",
    "Cleaned",
    "CleaningError",
    "Decoded",
    "EmptyTextError",
    "EncodingError",
    "Extracted",
    "MalformedHTMLError",
    "clean_text",
    "decode",
    "detect_language",
    "extract_html",
    "extract_markdown",
    "find_date_in_text",
    "normalize_text",
    "parse_date",
    "strip_chrome",
]
