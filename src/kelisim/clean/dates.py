"""Publication dates from metadata strings and from the head of a text, in ru, kk and en forms.

Every date is checked: it must exist (no 31 February), fall after 1990 and not lie more than one
day after the reference (the fetch time). A date without a year is the latest such day not
after the reference. Absolute dates win over relative words ("вчера", "кеше").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

_MIN_YEAR = 1990
_YEARS_BACK = 8
_RU_MONTH = (
    r"(?P<ru>январ[ьяе]|янв|феврал[ьяе]|февр?|март[ае]?|мар|апрел[ьяе]|апр|ма[йяе]|"
    r"июн[ьяе]?|июл[ьяе]?|август[ае]?|авг|сентябр[ьяе]|сент?|октябр[ьяе]|окт|"
    r"ноябр[ьяе]|нояб?|декабр[ьяе]|дек)\.?(?![а-яё])"
)
_KK_MONTH = (
    r"(?P<kk>қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|"
    r"желтоқсан)[а-яёәғқңөұүһі]*"
)
_EN_MONTH = (
    r"(?P<en>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])"
)
_RANGE = r"(?:\s*(?:[-–—]|и|по)\s*\d{1,2})?"
_YEAR_RU = r"(?:\s*,?\s*(?P<y>\d{4})(?!\d)(?:\s*(?:г\.|года|году|год|г)(?![а-я]))?)?"
_YEAR_KK = r"(?:\s*,?\s*(?P<y>\d{4})(?!\d)(?:\s*(?:ж\.|жыл[а-яәғқңөұүһі]*|ж)(?![а-я]))?)?"
_PATTERNS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
    r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})(?![\d])",
    r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?!\d)",
    rf"(?<!\d)(?P<d>\d{{1,2}}){_RANGE}\s*{_RU_MONTH}{_YEAR_RU}",
    rf"(?<!\d)(?P<y>\d{{4}})\s*(?:жылғы|жылы|жылдың|ж\.|ж)?\s*(?P<d>\d{{1,2}})"
    rf"(?:\s*[-–—]\s*\d{{1,2}})?\s*{_KK_MONTH}",
    rf"(?<!\d)(?P<d>\d{{1,2}}){_RANGE}\s*{_KK_MONTH}{_YEAR_KK}",
    rf"(?<!\d)(?P<d>\d{{1,2}})\s+{_EN_MONTH},?\s+(?P<y>\d{{4}})(?!\d)",
    rf"(?<![a-z]){_EN_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
))
# The patterns but the last begin with a number that follows no digit: the start of a run of
# digits, where alone they are tried. The last begins with an English month; it is tried only in a
# head that has what must follow the month (a day, then a year), which is rare, and cheap to find.
_DIGIT_FIRST, _MONTH_FIRST = _PATTERNS[:-1], _PATTERNS[-1]
_DIGIT_RUN = re.compile(r"\d+")
_DAY_YEAR = re.compile(r"\d(?:st|nd|rd|th)?,?\s+\d{4}(?!\d)", re.IGNORECASE)
_RELATIVE = re.compile(
    r"(?<![\w-])(позавчера|вчера|сегодня|кеше|бүгін|алдыңғы күні|yesterday|today)(?![\w-])",
    re.IGNORECASE,
)
_DAYS_AGO = {"позавчера": 2, "вчера": 1, "сегодня": 0, "кеше": 1, "бүгін": 0,
             "алдыңғы күні": 2, "yesterday": 1, "today": 0}
_RU_MONTHS = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "мае": 5,
              "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
_KK_MONTHS = {"қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
              "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11,
              "желтоқсан": 12}
_EN_MONTHS = {name: i for i, name in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def parse_date(value: str, reference: datetime) -> date | None:
    """The date in a metadata string (ISO 8601, RFC 822, dd.mm.yyyy, ru/kk words), or None."""
    value = value.strip()
    if not value:
        return None
    parsed = _parse_iso(value) or _parse_rfc822(value)
    if parsed is not None:
        return parsed if _plausible(parsed, reference) else None
    return find_date_in_text(value, reference, head_chars=len(value))


def find_date_in_text(text: str, reference: datetime, head_chars: int = 600) -> date | None:
    """The publication date named in the first ``head_chars`` characters of a text, or None."""
    head = text[:max(head_chars, 0)]
    return _first_absolute(head, reference) or _first_relative(head, reference)


def _parse_iso(value: str) -> date | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _parse_rfc822(value: str) -> date | None:
    if not re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", value):
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _first_absolute(head: str, reference: datetime) -> date | None:
    found = sorted((m.start(), i, m) for i, m in _date_matches(head))
    for _, _, match in found:
        resolved = _resolve(match, reference)
        if resolved is not None and _plausible(resolved, reference):
            return resolved
    return None


def _date_matches(head: str) -> Iterator[tuple[int, re.Match]]:
    """(pattern index, match) for every match of every date pattern in ``head``, each pattern's
    matches as ``finditer`` gives them, but looked for only where they can begin."""
    runs = [run.start() for run in _DIGIT_RUN.finditer(head)]
    if not runs:
        return  # every date has a number
    for i, pattern in enumerate(_DIGIT_FIRST):
        for match in _matches_from(pattern, head, runs):
            yield i, match
    if _DAY_YEAR.search(head):
        yield from ((len(_DIGIT_FIRST), match) for match in _MONTH_FIRST.finditer(head))


def _matches_from(pattern: re.Pattern, head: str, starts: list[int]) -> Iterator[re.Match]:
    """``pattern.finditer(head)`` for a pattern whose matches can only begin at ``starts``:
    tried there alone, instead of at every character (leftmost, non-overlapping, as finditer)."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(head, start)):
            yield match
            end = match.end()


def _first_relative(head: str, reference: datetime) -> date | None:
    match = _RELATIVE.search(head)
    if match is None:
        return None
    try:
        day = reference.date() - timedelta(days=_DAYS_AGO[match.group(1).lower()])
    except OverflowError:
        return None
    return day if _plausible(day, reference) else None  # «вчера» said in 1985 is no date of ours


def _resolve(match: re.Match, reference: datetime) -> date | None:
    parts = match.groupdict()
    month = _month(parts)
    if month is None:
        return None
    day = int(parts["d"])
    if parts.get("y") is None:
        return _latest(month, day, reference)
    return _make(_full_year(parts["y"], reference), month, day)


def _month(parts: dict[str, str | None]) -> int | None:
    if parts.get("m"):
        return int(parts["m"])
    if parts.get("ru"):
        return _RU_MONTHS.get(parts["ru"].lower()[:3])
    if parts.get("kk"):
        return _KK_MONTHS.get(parts["kk"].lower())
    return _EN_MONTHS.get(parts["en"].lower()[:3]) if parts.get("en") else None


def _full_year(year: str, reference: datetime) -> int:
    if len(year) == 4:
        return int(year)
    century = 2000 if 2000 + int(year) <= reference.year + 1 else 1900
    return century + int(year)


def _latest(month: int, day: int, reference: datetime) -> date | None:
    for year in range(reference.year, max(reference.year - _YEARS_BACK, 0), -1):
        candidate = _make(year, month, day)
        if candidate is not None and candidate <= reference.date():
            return candidate
    return None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible(value: date, reference: datetime) -> bool:
    latest = reference.date() + timedelta(days=1) if reference.date() < date.max else date.max
    return _MIN_YEAR <= value.year and value <= latest
