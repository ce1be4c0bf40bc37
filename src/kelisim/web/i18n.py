"""The dashboard's words in Russian, Kazakh and English.

Catalogs are TOML files in ``web/i18n/``, one per part of the dashboard, each with a table per
language. Russian is complete; a word missing in Kazakh or English falls back to Russian.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from starlette.requests import Request

LANGS = ("ru", "kk", "en")
DEFAULT = "ru"
COOKIE = "kelisim_lang"
LANG_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}


@cache
def catalog() -> dict[str, dict[str, str]]:
    """Every catalog file merged: {lang: {key: text}}."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    folder = resources.files("kelisim.web") / "i18n"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            for lang in LANGS:
                merged[lang].update(data.get(lang, {}))
    return merged


def language(request: Request) -> str:
    """The language asked for (``?lang=``), else the remembered one, else Russian."""
    for value in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if value in LANGS:
            return value
    return DEFAULT


def translator(lang: str):
    """``t(key, **values)`` for one language, falling back to Russian, then to the key."""
    words, russian = catalog()[lang], catalog()[DEFAULT]

    def t(key: str, **values) -> str:
        text = words.get(key) or russian.get(key) or key
        return text.format(**values) if values else text

    return t

