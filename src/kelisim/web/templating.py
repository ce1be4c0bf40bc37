"""Rendering a dashboard page: Jinja2 (autoescaped), the user's words, the session's token."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kelisim.report.render import web_url
from kelisim.understanding.taxonomy import event_types
from kelisim.warning.replay import SIMULATION_STATE
from kelisim.warning.units import TIME_ZONE, unit_name
from kelisim.web.i18n import COOKIE, LANG_NAMES, LANGS, language, translator

MONTHS = {
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
           "қыркүйек", "қазан", "қараша", "желтоқсан"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


@cache
def templates() -> Jinja2Templates:
    """The page templates; every value is escaped unless a template says otherwise."""
    folder = resources.files("kelisim.web") / "templates"
    engine = Jinja2Templates(directory=str(folder))
    engine.env.autoescape = True
    engine.env.filters.update(day=format_day, moment=format_moment, number=format_number,
                              unit=unit_name, event=event_name, web_url=web_url)
    engine.env.globals.update(LANGS=LANGS, LANG_NAMES=LANG_NAMES, query_with=query_with)
    return engine


def event_name(type_id: str | None, lang: str = "ru") -> str:
    """An event type's name in the page's language."""
    found = {t.id: t for t in event_types()}.get(type_id or "")
    if found is None:
        return type_id or "—"
    return {"kk": found.kk, "en": found.en}.get(lang, found.ru)


def query_with(request: Request, page: int) -> str:
    """The request's query string with another page number."""
    params = dict(request.query_params)
    params["page"] = str(page)
    return urlencode(params)


def format_day(value: date | str | None, lang: str = "ru") -> str:
    """«14 марта 2024», «2024 жылғы 14 наурыз», «14 March 2024»."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    month = MONTHS.get(lang, MONTHS["ru"])[value.month - 1]
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {month}"
    return f"{value.day} {month} {value.year}"


def format_moment(value: datetime | None) -> str:
    """«14.03.2024 18:59» in Kazakhstan's time."""
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone(TIME_ZONE)
    return value.strftime("%d.%m.%Y %H:%M")


def format_number(value: float | int | None, digits: int = 1) -> str:
    """A number with a thin space between thousands and a decimal comma."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page, with what every page shows: the user, the language, the simulation banner."""
    lang = language(request)
    core = request.app.state.kelisim
    session = request.app.state.sessions.read(request)
    base = {"request": request, "lang": lang, "t": translator(lang),
            "csrf": session["csrf"] if session else "",
            "simulation": core.store.warning.state(SIMULATION_STATE)}
    response = templates().TemplateResponse(request, name, {**base, **context}, status_code=status)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
