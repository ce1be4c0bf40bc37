"""The report's words: the catalog in ``data/texts.toml`` (Russian and Kazakh), numbers and
dates written the way each language writes them, and the labels of types, groups, statuses."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources

from kelisim.ethnic.lexicon import Lexicon
from kelisim.understanding.taxonomy import event_types

LANGS = ("ru", "kk")


class Texts:
    """The catalog of one language, with its number and date formats."""

    def __init__(self, lang: str) -> None:
        """The texts of ``lang`` (ru or kk); ValueError for another."""
        if lang not in LANGS:
            raise ValueError(f"a report is written in {' or '.join(LANGS)}, not {lang!r}")
        self.lang = lang
        self._words = catalog()[lang]

    def __call__(self, key: str, **values) -> str:
        """The text of ``key`` with ``values`` filled in."""
        return self._words[key].format(**values) if values else self._words[key]

    def plural(self, n: float, key: str) -> str:
        """The form of a word that goes with ``n`` (1 материал, 2 материала, 5 материалов)."""
        forms = self._words[key]
        return forms[_plural_index(n)] if len(forms) == 3 else forms[0]

    def number(self, value: float) -> str:
        """A number as both languages print it: a decimal comma, at most two decimals."""
        text = f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value)}"
        return text.replace(".", ",").replace("-", "−")

    def date(self, day: date) -> str:
        """A date in words (4 марта 2024 г.; 2024 жылғы 4 наурыз)."""
        return self("date_format", day=day.day, month=self._words["months"][day.month - 1],
                    year=day.year)

    def short_date(self, day: date) -> str:
        """A date in figures, for tables (07.03.2024)."""
        return f"{day:%d.%m.%Y}"

    def event_type(self, type_id: str | None) -> str:
        """The name of an event type (lower case, to stand inside a sentence)."""
        if not type_id:
            return "—"
        kind = next((k for k in event_types() if k.id == type_id), None)
        if kind is None:
            return type_id
        name = kind.kk if self.lang == "kk" else kind.ru
        return name[:1].lower() + name[1:]

    def status(self, status: str) -> str:
        """The name of an incident's status."""
        return self._words.get(f"status_{status}", status)

    def group(self, group_id: str) -> str:
        """The name of an ethnic group or category (дунгане; дүнген)."""
        return group_name(group_id, self.lang)


@cache
def catalog() -> dict[str, dict]:
    """The shipped catalog: {lang: {key: text}}."""
    text = resources.files("kelisim.report").joinpath("data", "texts.toml").read_text("utf-8")
    return tomllib.loads(text)


def _plural_index(n: float) -> int:
    if n % 1:
        return 1  # 1,5 пункта: a fraction takes the genitive singular
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


@cache
def group_name(group_id: str, lang: str) -> str:
    """A group's plural Russian noun or first Kazakh form; the id when the lexicon lacks it."""
    lexicon = Lexicon.load()
    if group_id not in lexicon:
        return group_id
    try:
        group = lexicon.group(group_id)
        russian, kazakh = group.noun_pl, group.kk
    except KeyError:
        category = lexicon.category(group_id)
        russian, kazakh = category.forms[0], category.kk
    return kazakh[0] if lang == "kk" and kazakh else russian
