"""Dates of events in running text: every date expression of a document, resolved.

«7 февраля 2020 года», «14-15 октября 2021 года», «07.02.2020», «в феврале 2020 года», «в 2020
году», Kazakh «2020 жылғы 7 ақпанда», and words that need the publication date: «вчера»,
«в минувшую субботу», «в прошлом году», «кеше», «биыл». A date without a year takes the year of
``view.published``, unless that puts it more than ``FUTURE_DAYS`` after publication (then the
year before): «5 ноября» in a text of 10 November 2021 is 2021-11-05, in a text of 1 March 2021
it is 2020-11-05. Expressions that need the publication date are skipped when it is unknown.

The scan walks the tokens made once per document and looks words up in small tables; a range
(«14-15 октября») is dated by its first day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from kelisim.reading.document import TextView, WordMemo
from kelisim.text.tokens import Token, forms, parses
from kelisim.understanding.model import EventDate

FUTURE_DAYS = 31  # an undated day or month this far after publication is an announcement
MIN_YEAR, MAX_YEAR = 1800, 2100
MEMO_LIMIT = 200_000  # token texts remembered; forgotten all at once beyond this

_RU_STEMS = {"январ": 1, "феврал": 2, "апрел": 4, "июн": 6, "июл": 7, "сентябр": 9,
             "октябр": 10, "ноябр": 11, "декабр": 12}
_RU_MONTHS = {stem + end: n for stem, n in _RU_STEMS.items() for end in ("ь", "я", "е", "ю", "ем")}
_RU_MONTHS |= {"март" + end: 3 for end in ("", "а", "е", "у", "ом")}
_RU_MONTHS |= {"август" + end: 8 for end in ("", "а", "е", "у", "ом")}
_RU_MONTHS |= {"май": 5, "мая": 5, "мае": 5, "маю": 5, "маем": 5}
_RU_SHORT = {"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9, "сент": 9,
             "окт": 10, "ноя": 11, "нояб": 11, "дек": 12}
_KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
              "қыркүйек", "қазан", "қараша", "желтоқсан")
_YEAR_WORDS = frozenset({"год", "года", "году", "годы", "годов", "годах", "гг", "г",
                         "жыл", "жылы", "жылғы", "жылдың", "жылдары", "ж"})
_KK_YEAR_WORDS = frozenset({"жылы", "жылғы", "ж"})
_RANGE_MARKS = frozenset({"-", "–", "—", "и", "по"})
_MONTH_PREPOSITIONS = frozenset({"в", "во", "с", "до", "к", "по", "конце", "начале", "середине"})
_DAYS_AGO = {"позавчера": 2, "вчера": 1, "накануне": 1, "сегодня": 0, "завтра": -1,
             "кеше": 1, "бүгін": 0, "ертең": -1}
_YEARS_AGO = {"биыл": 0, "былтыр": 1}
_WEEKDAYS = {"понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4,
             "субботу": 5, "воскресенье": 6}  # the accusative of «в субботу»: «в среде» is not a day
_THIS_YEAR = {"этом": 0, "текущем": 0, "нынешнем": 0, "прошлом": 1, "минувшем": 1}
_LAST = frozenset({"минувший", "прошлый", "прошедший"})
_YEAR_TOKEN = re.compile(r"(\d{4})(?:-(?:м|го|й|х|ом))?(г)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_DAY_RANGE = re.compile(r"(\d{1,2})(?:-\d{1,2})?")


def find_dates(view: TextView) -> list[EventDate]:
    """Every date expression of the text that can be resolved, in text order."""
    found: list[EventDate] = []
    for index, at in view.where(_STARTS.hot(view)).items():
        tokens, after = view.sentences[index].tokens, 0
        for i in at:
            parsed = _first(_STARTS[tokens[i].text], tokens, i, view.published) if i >= after else None
            if parsed is not None:
                last, value, precision = parsed
                start, end = tokens[i].start, tokens[last].end
                found.append(EventDate(start, end, view.text[start:end], value, precision))
                after = last + 1
    return found


def _first(parsers: tuple[Callable[..., tuple[int, str, str] | None], ...], tokens: Sequence[Token], i: int,
           published: date | None) -> tuple[int, str, str] | None:
    for parser in parsers:
        parsed = parser(tokens, i, published)
        if parsed is not None:
            return parsed
    return None


def _parsers_for(text: str) -> tuple[Callable[..., tuple[int, str, str] | None], ...]:
    """The parsers a date may start with at this token: most tokens start none."""
    if text[:1].isdigit():
        if text.isdigit():
            return (_day_month,) if len(text) <= 2 else (_year_first, _year) if len(text) == 4 else ()
        return _numeric, _day_month, _year  # «2020-02-07», «07.02.2020», «14-15», «2020г», «2020-м»
    word = text.lower().replace("ё", "е")
    if word in _RU_MONTHS or any(word.startswith(m) for m in _KK_MONTHS):
        return (_month_year,)
    if word in _DAYS_AGO or word in _YEARS_AGO:
        return (_relative,)
    if word in _THIS_YEAR:
        return (_this_year,)
    return (_weekday,) if word in ("в", "во") else ()


_STARTS = WordMemo(_parsers_for, limit=MEMO_LIMIT)  # by token text: the parsers a date may start there


def _numeric(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """«2020-02-07», «07.02.2020» (with an optional «г.»/«года» after it)."""
    text = tokens[i].text
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif (match := _DOTTED.fullmatch(text)) is not None:
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
    else:
        return None
    value = _day(year, month, day)
    last = _dot_after(tokens, i + 1) if i + 1 < len(tokens) and tokens[i + 1].lower in _YEAR_WORDS else i
    return None if value is None else (last, value, "day")


def _day_month(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """«7 февраля 2020 года», «14-15 октября 2021 г.», «14 – 15 октября», «7 ақпанда», «5 ноября»."""
    match = _DAY_RANGE.fullmatch(tokens[i].text)
    if match is None:
        return None
    j = i + 1
    if j + 1 < len(tokens) and tokens[j].lower in _RANGE_MARKS and tokens[j + 1].text.isdigit():
        j += 2
    month = _month_at(tokens, j, kazakh=True)
    if month is None:
        return None
    last, year = _year_after(tokens, j)
    day = int(match.group(1))
    if year is None:
        resolved = _without_year(month, day, published)
        return None if resolved is None else (last, resolved.isoformat(), "day")
    value = _day(year, month, day)
    return None if value is None else (last, value, "day")


def _year_first(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """Kazakh order: «2020 жылғы 7 ақпанда», «2020 жылғы ақпанда», «2020 ж. 7 ақпан»."""
    year = _year_of(tokens[i])
    if year is None or i + 1 >= len(tokens):
        return None
    j = i + 1
    if tokens[j].lower in _KK_YEAR_WORDS:
        j += 1 + (j + 1 < len(tokens) and tokens[j + 1].text == ".")
    if j < len(tokens) and (day := _DAY_RANGE.fullmatch(tokens[j].text)) and \
            (month := _kk_month(tokens, j + 1)) is not None:
        value = _day(year, month, int(day.group(1)))
        return None if value is None else (j + 1, value, "day")
    if j > i + 1 and (month := _kk_month(tokens, j)) is not None:
        return j, f"{year:04d}-{month:02d}", "month"
    return None


def _month_year(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """«феврале 2020 года», «в феврале» (the year of publication), «ақпан айында»."""
    month = _month_at(tokens, i, kazakh=False)
    kazakh = month is None and i + 1 < len(tokens) and tokens[i + 1].lower.startswith("ай")
    if kazakh:
        month = _kk_month(tokens, i)
    if month is None:
        return None
    last, year = _year_after(tokens, i)
    if year is not None:
        return last, f"{year:04d}-{month:02d}", "month"
    if not kazakh and (i == 0 or tokens[i - 1].lower not in _MONTH_PREPOSITIONS):
        return None
    resolved = _without_year(month, 1, published)
    return None if resolved is None else (i + kazakh, resolved.isoformat()[:7], "month")


def _year(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """«2020 года», «в 2020 году», «2020г.», «2020-м году», «2022 – 2025 годы», «2020 жылы»."""
    year = _year_of(tokens[i])
    if year is None:
        return None
    if _YEAR_TOKEN.fullmatch(tokens[i].text).group(2):  # «2020г»
        return _dot_after(tokens, i), str(year), "year"
    j = i + 1
    if j + 1 < len(tokens) and tokens[j].lower in _RANGE_MARKS and _year_of(tokens[j + 1]) is not None:
        j += 2  # a span of years is dated by its first
    if j < len(tokens) and tokens[j].lower in _YEAR_WORDS:
        return _dot_after(tokens, j), str(year), "year"
    return None


def _relative(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """«вчера», «позавчера», «сегодня», «накануне», «кеше», «бүгін», «биыл», «былтыр»."""
    word = tokens[i].lower
    if published is None:
        return None
    if word == "накануне" and i + 1 < len(tokens) and _is_noun(tokens[i + 1]):
        return None  # «накануне выборов»: the eve of something, not the day before
    if word in _DAYS_AGO:
        return i, (published - timedelta(days=_DAYS_AGO[word])).isoformat(), "day"
    if word in _YEARS_AGO:
        return i, str(published.year - _YEARS_AGO[word]), "year"
    return None


def _this_year(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """«в этом году», «в прошлом году», «в текущем году»."""
    if published is None or i + 1 >= len(tokens) or tokens[i + 1].lower not in ("году", "год"):
        return None
    back = _THIS_YEAR.get(tokens[i].lower)
    return None if back is None else (i + 1, str(published.year - back), "year")


def _weekday(tokens: Sequence[Token], i: int, published: date | None) -> tuple[int, str, str] | None:
    """«в субботу», «в минувшую субботу», «в прошлый вторник»: the latest such day."""
    if published is None or tokens[i].lower not in ("в", "во"):
        return None
    j, strict = i + 1, False
    if j < len(tokens) and not _LAST.isdisjoint(forms(tokens[j].lower)):
        j, strict = j + 1, True
    day = _WEEKDAYS.get(tokens[j].lower) if j < len(tokens) else None
    if day is None:
        return None
    back = (published.weekday() - day) % 7 or (7 if strict else 0)
    return j, (published - timedelta(days=back)).isoformat(), "day"


def _month_at(tokens: Sequence[Token], j: int, kazakh: bool) -> int | None:
    """The month named by token ``j``: a Russian form, an abbreviation or (if asked) Kazakh."""
    if j >= len(tokens):
        return None
    word = tokens[j].lower
    if word in _RU_MONTHS:
        return _RU_MONTHS[word]
    if word in _RU_SHORT and j + 1 < len(tokens) and tokens[j + 1].text == ".":
        return _RU_SHORT[word]
    return _kk_month(tokens, j) if kazakh else None


def _kk_month(tokens: Sequence[Token], j: int) -> int | None:
    """The Kazakh month a token starts with («ақпанда» → 2)."""
    if j >= len(tokens):
        return None
    word = tokens[j].lower
    if not word.startswith(_KK_MONTHS):  # most words: one test in C before the loop that names it
        return None
    return next((n for n, name in enumerate(_KK_MONTHS, start=1) if word.startswith(name)), None)


def _year_after(tokens: Sequence[Token], j: int) -> tuple[int, int | None]:
    """After a month at ``j``: the last token of an optional «2020 года»/«2020 ж.», and the year."""
    last = j + (j + 1 < len(tokens) and tokens[j + 1].text == "." and tokens[j].lower in _RU_SHORT)
    if last + 1 < len(tokens) and (year := _year_of(tokens[last + 1])) is not None:
        last += 1
        if last + 1 < len(tokens) and tokens[last + 1].lower in _YEAR_WORDS:
            last = _dot_after(tokens, last + 1)
        return last, year
    return last, None


def _is_noun(token: Token) -> bool:
    readings = parses(token.lower)
    return bool(readings) and readings[0].tag.POS == "NOUN"


def _year_of(token: Token) -> int | None:
    match = _YEAR_TOKEN.fullmatch(token.text)
    if match is None:
        return None
    year = int(match.group(1))
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _dot_after(tokens: Sequence[Token], j: int) -> int:
    """Index ``j``, or the next one when it is the full stop of an abbreviation («г.»)."""
    abbreviated = tokens[j].lower in ("г", "гг", "ж") or tokens[j].text.endswith("г")
    if abbreviated and j + 1 < len(tokens) and tokens[j + 1].text == "." \
            and tokens[j + 1].start == tokens[j].end:
        return j + 1
    return j


def _day(year: int, month: int, day: int) -> str | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value.isoformat() if MIN_YEAR <= year <= MAX_YEAR else None


def _without_year(month: int, day: int, published: date | None) -> date | None:
    """The day in the year of publication, or the year before when that is too far ahead."""
    if published is None:
        return None
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= published + timedelta(days=FUTURE_DAYS):
            return candidate
    return None


def last_day(when: EventDate) -> date:
    """The last day a date of any precision may mean («2020» → 2020-12-31)."""
    parts = [int(p) for p in when.value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(*parts)[1])
    return date(parts[0], 12, 31)

