"""Site chrome out of scraped plain text: tickers, counters, rates, share buttons, repeats.

Each line is classified on its own (a dash, a bare number, a view counter, a currency rate, a
numbered ticker headline, "read also" boilerplate, share buttons); short lines wedged between
chrome lines follow their neighbours; then paragraphs repeated verbatim are kept once. The rules
look at one line at a time, so an article sentence is never removed for what surrounds it,
unless it is a short line with chrome on both sides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_EMOJI = (
    "\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
    "\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_NUM = r"\d+(?:[ .,]\d+)*"
_DASH = re.compile(r"[^\w]+")
_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+\-−]?\d[\d .,:%/+\-−]*[kкKК]?")
_TICKER = re.compile(rf"\d{{1,3}}[.)]?\s*[{_EMOJI}]")
_CURRENCY_CODES = r"USD|EUR|RUB|RUR|KZT|CNY|GBP|JPY|CHF|TRY|KGS|UZS|AED|BYN|BTC|ETH|[$€₽₸£¥]"
_RATE = rf"{_NUM}\s*(?:/\s*{_NUM})?\s*[▲▼↑↓+\-−]?\s*(?:{_NUM})?"
_CURRENCY = re.compile(
    rf"(?:(?:{_CURRENCY_CODES})\s*[:=]?\s*(?:{_RATE})?|{_NUM}\s*/\s*{_NUM}|курсы? валют\w*)",
    re.IGNORECASE,
)
_COUNTER_WORDS = (
    r"просмотр\w*|коммент\w*|комментари\w*|views?|comments?|likes?|лайк\w*|"
    r"қаралды|қаралым\w*|пікір\w*|репост\w*|shares?|👁|👁️|💬|❤️?|👍"
)
_COUNTER = re.compile(
    rf"(?:(?:{_COUNTER_WORDS})\s*[:\-]?\s*\(?{_NUM}[kкKК]?\)?|{_NUM}[kкKК]?\s*(?:{_COUNTER_WORDS}))",
    re.IGNORECASE,
)
# Phrases that open a sentence too ("По теме доклада…") count only before a colon or alone.
_READ_ALSO = (
    r"читайте также|смотрите также|читайте по теме|сондай-ақ оқыңыз|оқи отырыңыз|read also|"
    r"(?:(?:материалы |новости )?по теме|другие новости|тақырыпқа қатысты|related)(?=\s*(?::|$))"
)
_BOILERPLATE = re.compile(
    rf"(?:{_READ_ALSO}|читайте нас|читайте наш|читать (?:также|далее|полностью)|"
    r"подписывайтесь|подпишитесь|присоединяйтесь к нам|следите за (?:нами|новостями)|"
    r"больше новостей|наш (?:telegram|телеграм)|если вы (?:нашли|заметили) ошибку|"
    r"нашли ошибку|выделите (?:её|ее|текст|фрагмент) и нажмите|все права защищены|"
    r"при (?:использовании|цитировании|перепечатке|копировании) материал|"
    r"мнение редакции может не совпадать|(?:оставить|добавить) комментарий|"
    r"(?:показать|загрузить) ещё|жазылыңыз|біздің (?:telegram|телеграм)|"
    r"барлық құқықтар қорғалған|пікір қалдыру|subscribe|follow us|all rights reserved|"
    r"©|фото:|видео:|источник фото)",
    re.IGNORECASE,
)
_READ_ALSO_HEADER = re.compile(rf"(?:{_READ_ALSO})\s*[:.…]*", re.IGNORECASE)
_BREADCRUMB = re.compile(r"(?:главная|басты бет|home)\s*[/>»›|].*", re.IGNORECASE)
_SHARE_WORDS = frozenset(
    """поделиться поделитесь бөлісу share facebook fb vk вконтакте вк telegram телеграм
    whatsapp viber twitter x одноклассники ok instagram linkedin youtube tiktok email e-mail
    нравится like твитнуть репост печать print распечатать копировать скопировать ссылку
    ссылка мой мир в""".split()
)
_SHARE_WORD = re.compile(r"[^\s|,•·/]+")
_BOILERPLATE_MAX = 200
_SANDWICH_MAX_CHARS = 120
_SANDWICH_MAX_LINES = 2
_READ_ALSO_MAX_LINES = 5
_READ_ALSO_MAX_CHARS = 150
_MIN_DUPLICATE_CHARS = 30
_KEY_WORD = re.compile(r"\w+")
_BLANK_RUNS = re.compile(r"\n\n\n+")  # as \n{3,}, but found faster (a literal prefix)


@dataclass(frozen=True)
class ChromeReport:
    """What strip_chrome removed; ``removed_lines`` counts duplicates too (kind "duplicate")."""

    removed_lines: int = 0
    removed_chars: int = 0
    duplicate_paragraphs: int = 0
    removed_by_kind: dict[str, int] = field(default_factory=dict)


def strip_chrome(text: str) -> tuple[str, ChromeReport]:
    """Remove site chrome and repeated paragraphs from plain text; report what went."""
    lines = text.split("\n")
    kinds = _classify(lines)
    kinds = _mark_duplicates(lines, kinds)
    kept = [line for line, kind in zip(lines, kinds) if kind is None]
    return _join(kept), _report(lines, kinds)


def classify_line(line: str) -> str | None:
    """The chrome kind of one line on its own, or None for article text."""
    line = line.strip()
    if not line:
        return None
    for kind, matches in _RULES:
        if matches(line):
            return kind
    return None


def _is_number(line: str) -> bool:
    return _NUMBER.fullmatch(line) is not None and _DATE.search(line) is None


def _is_boilerplate(line: str) -> bool:
    return len(line) <= _BOILERPLATE_MAX and _BOILERPLATE.match(line) is not None


def _is_share(line: str) -> bool:
    # Word by word, up to the first that is not a share button's: an article line stops early.
    found = False
    for word in _SHARE_WORD.finditer(line.lower()):
        if word[0] not in _SHARE_WORDS:
            return False
        found = True
    return found


_RULES = (
    ("dash", lambda line: _DASH.fullmatch(line) is not None),
    ("ticker", lambda line: _TICKER.match(line) is not None),
    ("currency", lambda line: _CURRENCY.fullmatch(line) is not None),
    ("counter", lambda line: _COUNTER.fullmatch(line) is not None),
    ("number", _is_number),
    ("boilerplate", _is_boilerplate),
    ("share", _is_share),
    ("breadcrumb", lambda line: _BREADCRUMB.fullmatch(line) is not None),
)


def _classify(lines: list[str]) -> list[str | None]:
    kinds = [classify_line(line) for line in lines]
    _mark_read_also(lines, kinds)
    _mark_sandwiched(lines, kinds)
    return kinds


def _mark_read_also(lines: list[str], kinds: list[str | None]) -> None:
    # The headlines under a bare "Читайте также:" are links, up to the next blank line.
    for i, line in enumerate(lines):
        if kinds[i] == "boilerplate" and _READ_ALSO_HEADER.fullmatch(line.strip()):
            for j in range(i + 1, min(i + 1 + _READ_ALSO_MAX_LINES, len(lines))):
                if not lines[j].strip() or len(lines[j]) > _READ_ALSO_MAX_CHARS:
                    break
                kinds[j] = kinds[j] or "read_also"


def _mark_sandwiched(lines: list[str], kinds: list[str | None]) -> None:
    run: list[int] = []
    before = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if kinds[i] is None:
            run.append(i)
            continue
        if before and run and _is_wedge(lines, run):
            for j in run:
                kinds[j] = "sandwiched"
        run, before = [], True


def _is_wedge(lines: list[str], run: list[int]) -> bool:
    short = all(len(lines[i].strip()) <= _SANDWICH_MAX_CHARS for i in run)
    return short and len(run) <= _SANDWICH_MAX_LINES


def _mark_duplicates(lines: list[str], kinds: list[str | None]) -> list[str | None]:
    marked = list(kinds)
    folded = [(i, line.casefold()) for i, line in enumerate(lines) if kinds[i] is None]
    # Lines with the same words have the same first and last words: a line whose pair no other
    # line shares repeats none, and its words (slow to find in a long paragraph) are not needed.
    ends = [_first_and_last_word(line) for _, line in folded]
    shared = {pair for pair, count in Counter(ends).items() if count > 1}
    seen: set[str] = set()
    for (i, line), pair in zip(folded, ends):
        if pair not in shared:
            continue
        key = " ".join(_KEY_WORD.findall(line))  # words only, single-spaced
        if len(key) < _MIN_DUPLICATE_CHARS:
            continue
        if key in seen:
            marked[i] = "duplicate"
        seen.add(key)
    return marked


def _first_and_last_word(line: str) -> tuple[str | None, str | None]:
    """The first word of a line and its last word spelt backwards (found from the end)."""
    first, last = _KEY_WORD.search(line), _KEY_WORD.search(line[::-1])
    return first and first[0], last and last[0]


def _join(lines: list[str]) -> str:
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def _report(lines: list[str], kinds: list[str | None]) -> ChromeReport:
    removed = [(line, kind) for line, kind in zip(lines, kinds) if kind is not None]
    by_kind = Counter(kind for _, kind in removed)
    return ChromeReport(
        removed_lines=len(removed),
        removed_chars=sum(len(line) for line, _ in removed),
        duplicate_paragraphs=by_kind.get("duplicate", 0),
        removed_by_kind=dict(sorted(by_kind.items())),
    )
