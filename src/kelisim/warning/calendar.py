"""The calendar the baselines know: weekends, public holidays, election days and anniversaries of
past incidents. Each is a *kind* ("weekend", "holiday:nauryz", "election:presidential",
"anniversary:kordai-2020") that `baseline` turns into a multiplier of the expected count and
that an alert names in words (`label`).

Holidays come from the `holidays` package (country "KZ", English names mapped to stable ids
here), elections from ``data/elections.tsv``, past incidents from the understanding stage's
``data/past_incidents.tsv``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from kelisim.datafiles import package_rows

ELECTION_COLUMNS = ("date", "kind", "name_ru", "source")
EFFECT_COLUMNS = ("kind", "signal", "multiplier", "why")
INCIDENT_COLUMNS = ("name", "incident", "date", "kato", "place", "note")
# An incident's date is its first day; its anniversary is remembered that day and the next
# (Kordai: 7-8 February; retrospectives run in the next day's papers too).
ANNIVERSARY_SPAN = (0, 1)
LANGS = ("ru", "en")

# English names of the `holidays` package (language "en_US") → our stable ids.
HOLIDAY_IDS = {
    "New Year's Day": "new_year",
    "Orthodox Christmas": "orthodox_christmas",
    "International Women's Day": "womens_day",
    "Nowruz Holiday": "nauryz",
    "Kazakhstan's People Solidarity Holiday": "unity_day",
    "Defender of the Fatherland Day": "defender_day",
    "Victory Day": "victory_day",
    "Capital Day": "capital_day",
    "Eid al-Adha": "kurban_ait",
    "Constitution Day": "constitution_day",
    "First President Day": "first_president_day",
    "Republic Day": "republic_day",
    "Independence Day": "independence_day",
}
# A holiday on a weekend gives an "observed" day off, and working days are swapped for "day off
# (substituted from …)" bridges: both are rest days, not the holiday itself.
DAY_OFF = "day_off"

_LABELS = {
    "ru": {
        "weekend": "выходной",
        "holiday:new_year": "Новый год",
        "holiday:orthodox_christmas": "Рождество (православное)",
        "holiday:womens_day": "Международный женский день",
        "holiday:nauryz": "Наурыз",
        "holiday:unity_day": "День единства народа Казахстана",
        "holiday:defender_day": "День защитника Отечества",
        "holiday:victory_day": "День Победы",
        "holiday:capital_day": "День столицы",
        "holiday:kurban_ait": "Курбан айт",
        "holiday:constitution_day": "День Конституции",
        "holiday:first_president_day": "День Первого Президента",
        "holiday:republic_day": "День Республики",
        "holiday:independence_day": "День Независимости",
        "holiday:day_off": "перенесённый выходной",
        "election:presidential": "выборы Президента",
        "election:parliamentary": "выборы депутатов Мажилиса",
        "election:maslikhat": "выборы депутатов маслихатов",
        "election:referendum": "республиканский референдум",
    },
    "en": {
        "weekend": "weekend",
        "holiday:new_year": "New Year",
        "holiday:orthodox_christmas": "Orthodox Christmas",
        "holiday:womens_day": "International Women's Day",
        "holiday:nauryz": "Nauryz",
        "holiday:unity_day": "Day of Unity of the People of Kazakhstan",
        "holiday:defender_day": "Defender of the Fatherland Day",
        "holiday:victory_day": "Victory Day",
        "holiday:capital_day": "Capital Day",
        "holiday:kurban_ait": "Kurban ait",
        "holiday:constitution_day": "Constitution Day",
        "holiday:first_president_day": "First President Day",
        "holiday:republic_day": "Republic Day",
        "holiday:independence_day": "Independence Day",
        "holiday:day_off": "transferred day off",
        "election:presidential": "presidential election",
        "election:parliamentary": "Mazhilis election",
        "election:maslikhat": "maslikhat elections",
        "election:referendum": "national referendum",
    },
}
# Russian locative of the words a place name ends in: «Кордайский район» → «Кордайском районе».
_LOCATIVE_NOUNS = {"район": "районе", "область": "области", "город": "городе", "село": "селе",
                   "аул": "ауле", "поселок": "поселке", "посёлок": "посёлке"}
_LOCATIVE_ADJECTIVES = (("ский", "ском"), ("цкий", "цком"), ("ская", "ской"), ("цкая", "цкой"),
                        ("ое", "ом"), ("ый", "ом"), ("ий", "ем"), ("ая", "ой"))


@dataclass(frozen=True)
class CalendarDay:
    """What the calendar says about one day, for every unit (anniversaries carry their place)."""

    day: date
    weekday: int
    holidays: tuple[str, ...]
    elections: tuple[str, ...]
    anniversaries: tuple[tuple[str, str | None], ...]

    @property
    def day_off(self) -> bool:
        """Whether the day is a rest day: a weekend or a public holiday (a day off in Kazakhstan)."""
        return self.weekday >= 5 or bool(self.holidays)

    def kinds(self, kato: str | None = None) -> tuple[str, ...]:
        """The day's kinds, sorted; anniversaries only of incidents placed in unit ``kato``
        (all of them when ``kato`` is None)."""
        kinds = {"weekend"} if self.weekday >= 5 else set()
        kinds.update(f"holiday:{name}" for name in self.holidays)
        kinds.update(f"election:{name}" for name in self.elections)
        kinds.update(f"anniversary:{incident}" for incident, place in self.anniversaries
                     if in_unit(place, kato))
        return tuple(sorted(kinds))


def in_unit(place: str | None, kato: str | None) -> bool:
    """Whether KATO ``place`` lies in unit ``kato``: the same region (first 2 digits) when the unit
    is a region, the same district (first 4) otherwise; a missing place or unit matches all."""
    if place is None or kato is None:
        return True
    digits = 2 if kato[2:].strip("0") == "" else 4
    return place[:digits] == kato[:digits]


@lru_cache(maxsize=8192)
def calendar_day(day: date) -> CalendarDay:
    """The calendar of ``day`` (cached).

    Args:
        day: any date.

    Returns:
        Its weekday (0 Monday … 6 Sunday), public holidays, election kinds and the anniversaries
        of past incidents that fall on it, each with the incident's KATO place.
    """
    return CalendarDay(day=day, weekday=day.weekday(), holidays=_holidays(day.year).get(day, ()),
                       elections=_elections().get(day, ()), anniversaries=_anniversaries(day))


def label(kind: str, lang: str = "ru") -> str:
    """The words for a calendar kind: «Наурыз», «выборы Президента», «годовщина событий в
    Кордайском районе», «выходной». Raises ValueError for a language other than ru or en."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    if kind.startswith("anniversary:"):
        return _anniversary_label(kind.split(":", 1)[1], lang)
    family, _, name = kind.partition(":")
    return _LABELS[lang].get(kind, f"{family} {name.replace('_', ' ')}".strip())


def calendar_factors(signal: str, day: date, kato: str | None = None) -> dict[str, float]:
    """The calendar multipliers of ``signal`` on ``day`` in unit ``kato``: kind → multiplier,
    for the day's kinds that ``data/calendar_effects.tsv`` gives an effect."""
    return dict(_calendar_items(signal, day, kato))


def calendar_effects() -> dict[tuple[str, str], tuple[float, str]]:
    """The shipped calendar effects: (kind or family, signal) → (multiplier, why)."""
    return dict(_effects())


def holiday_id(name: str) -> str:
    """The stable id of a holiday named by the `holidays` package in English."""
    if name.startswith("Day off") or name.endswith("(observed)"):
        return DAY_OFF
    name = name.removesuffix(" (estimated)")
    return HOLIDAY_IDS.get(name) or re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[date, tuple[str, ...]]:
    """The public holidays of Kazakhstan in ``year``: date → sorted holiday ids."""
    found: dict[date, set[str]] = defaultdict(set)
    for day, names in holidays.country_holidays("KZ", years=year, language="en_US").items():
        for name in names.split("; "):  # the package joins two holidays of one day with "; "
            found[day].add(holiday_id(name))
    return {day: tuple(sorted(ids)) for day, ids in found.items()}


@lru_cache(maxsize=1)
def _elections() -> dict[date, tuple[str, ...]]:
    """National votes from ``data/elections.tsv``: date → sorted kinds."""
    found: dict[date, set[str]] = defaultdict(set)
    for row in package_rows("kelisim.warning", "data/elections.tsv", ELECTION_COLUMNS):
        found[date.fromisoformat(row["date"])].add(row["kind"])
    return {day: tuple(sorted(kinds)) for day, kinds in found.items()}


@lru_cache(maxsize=1)
def _incidents() -> dict[str, tuple[date, str | None, str]]:
    """Past incidents, one per id (the file has a row per name): id → (first day, KATO, place)."""
    incidents = {}
    for row in package_rows("kelisim.understanding", "data/past_incidents.tsv", INCIDENT_COLUMNS):
        if row["incident"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]):
            incidents.setdefault(row["incident"], (date.fromisoformat(row["date"]),
                                                   row["kato"] or None, row["place"]))
    return incidents


def _anniversaries(day: date) -> tuple[tuple[str, str | None], ...]:
    """The past incidents whose anniversary (ANNIVERSARY_SPAN days from its date) covers ``day``."""
    found = set()
    for incident, (first, place, _) in _incidents().items():
        for offset in range(ANNIVERSARY_SPAN[0], ANNIVERSARY_SPAN[1] + 1):
            start = day - timedelta(days=offset)
            if start.year > first.year and _same_day_of_year(start, first):
                found.add((incident, place))
    return tuple(sorted(found, key=lambda item: item[0]))


def _same_day_of_year(day: date, first: date) -> bool:
    """Whether ``day`` is the yearly return of ``first``; 29 February returns on the 28th."""
    if (first.month, first.day) == (2, 29) and not _leap(day.year):
        return (day.month, day.day) == (2, 28)
    return (day.month, day.day) == (first.month, first.day)


def _leap(year: int) -> bool:
    """Whether ``year`` has a 29 February."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _anniversary_label(incident: str, lang: str) -> str:
    """«годовщина событий в Кордайском районе» for a known incident; its id otherwise."""
    place = _incidents().get(incident, (None, None, ""))[2]
    if lang == "en":
        return f"anniversary of {incident}" + (f" ({place})" if place else "")
    locative = _locative(place) if place else None
    if locative:
        return f"годовщина событий в {locative}"
    return f"годовщина событий ({place or incident})"


def _locative(place: str) -> str | None:
    """The Russian prepositional case of an «adjective + unit word» place name, or None."""
    *adjectives, noun = place.split()
    if noun.lower() not in _LOCATIVE_NOUNS:
        return None
    words = []
    for word in adjectives:
        ending = next((pair for pair in _LOCATIVE_ADJECTIVES if word.endswith(pair[0])), None)
        if ending is None:
            return None
        words.append(word[: -len(ending[0])] + ending[1])
    return " ".join([*words, _LOCATIVE_NOUNS[noun.lower()]])


@lru_cache(maxsize=65536)
def _calendar_items(signal: str, day: date, kato: str | None) -> tuple[tuple[str, float], ...]:
    """(kind, multiplier) for each of the day's kinds with an effect on ``signal``; a row of
    calendar_effects.tsv applies once a day (two votes on one day are one election day)."""
    effects, used, items = _effects(), set(), []
    for kind in calendar_day(day).kinds(kato):
        key = next((k for k in ((kind, signal), (kind.split(":")[0], signal)) if k in effects), None)
        if key is not None and key not in used:
            used.add(key)
            items.append((kind, effects[key][0]))
    return tuple(items)


@lru_cache(maxsize=1)
def _effects() -> dict[tuple[str, str], tuple[float, str]]:
    """calendar_effects.tsv: (kind or family, signal) → (multiplier, why); multipliers > 0."""
    effects = {}
    for row in package_rows("kelisim.warning", "data/calendar_effects.tsv", EFFECT_COLUMNS):
        multiplier = float(row["multiplier"])
        if not multiplier > 0:
            raise ValueError(f"calendar_effects.tsv: multiplier must be positive: {row}")
        effects[(row["kind"], row["signal"])] = (multiplier, row["why"])
    return effects
